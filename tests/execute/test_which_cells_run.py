"""Which pages and cells run: defaults, front matter, site config and cell markers.

Each page is its own notebook, so one build of all the pages below answers every
test (one kernel start instead of one per test); the site-wide setting needs a
build of its own.
"""

from __future__ import annotations

import pytest

from tests.execute.conftest import Built, build_in, page

pytestmark = pytest.mark.slow

MARK = "```python\nprint('ran')\n```\n"
PAGES = {
    "plain.md": page(MARK),
    "execute-true.md": page(MARK, "layout: page\nexecute: true"),
    "execute-false.md": page(
        "```python alpha\nprint('ran')\n```\n", "layout: page\nexecute: false"
    ),
    "skip.md": page(
        "```python alpha\nprint('ran')\n```\n\n```python skip\nprint('skipped')\n```\n\n"
        "```python\n>>> print('doctest')\n```\n"
    ),
    "run-marker.md": page("```python run\nprint('ran')\n```\n\n```python\nprint('not me')\n```\n"),
    "prose-tabs.md": page(
        "```python alpha\nx = 1\n```\n\n:::: tab-set\n::: tab Python Shell\n"
        "```python\nprint('shell')\n```\n:::\n::::\n\n```bash\necho hi\n```\n"
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_in(tmp_path_factory.mktemp("which"), PAGES)
    assert built.result.returncode == 0, built.stderr
    return built


@pytest.fixture(scope="module")
def built_site_wide(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_in(
        tmp_path_factory.mktemp("site-wide"), {"p.md": page(MARK)}, config="execute: true\n"
    )
    assert built.result.returncode == 0, built.stderr
    return built


def outputs(built: Built, name: str) -> list[str]:
    return [o.get_text() for o in built.page(name).find_all("output")]


def test_page_without_framework_tabs_does_not_run_by_default(built: Built) -> None:
    assert outputs(built, "plain") == []


def test_front_matter_execute_true_runs_it_in_the_default_kernel(built: Built) -> None:
    assert outputs(built, "execute-true") == ["ran"]


def test_site_config_execute_true_runs_every_page(built_site_wide: Built) -> None:
    assert outputs(built_site_wide, "p") == ["ran"]


def test_front_matter_execute_false_turns_a_tabbed_page_off(built: Built) -> None:
    assert outputs(built, "execute-false") == []


def test_skip_marker_and_doctest_fences_are_shown_not_run(built: Built) -> None:
    soup = built.page("skip")
    assert [o.get_text() for o in soup.find_all("output")] == ["ran"]
    assert "doctest" in soup.get_text() and "skipped" in soup.get_text()


def test_run_marker_opts_a_cell_in_on_a_page_that_does_not_run(built: Built) -> None:
    assert outputs(built, "run-marker") == ["ran"]


def test_prose_tabs_and_other_languages_never_run(built: Built) -> None:
    assert outputs(built, "prose-tabs") == []
