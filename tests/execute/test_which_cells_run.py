"""Which pages and cells run: defaults, front matter, site config and cell markers."""

from __future__ import annotations

import pytest

from tests.execute.conftest import page

pytestmark = pytest.mark.slow

MARK = "```python\nprint('ran')\n```\n"


def ran(built) -> bool:
    assert built.result.returncode == 0, built.stderr
    return "ran" in [o.get_text() for o in built.page().find_all("output")]


def test_page_without_framework_tabs_does_not_run_by_default(build) -> None:
    assert not ran(build({"p.md": page(MARK)}))


def test_front_matter_execute_true_runs_it_in_the_default_kernel(build) -> None:
    assert ran(build({"p.md": page(MARK, "layout: page\nexecute: true")}))


def test_site_config_execute_true_runs_every_page(build) -> None:
    assert ran(build({"p.md": page(MARK)}, config="execute: true\n"))


def test_front_matter_execute_false_turns_a_tabbed_page_off(build) -> None:
    body = "```python alpha\nprint('ran')\n```\n"
    assert not ran(build({"p.md": page(body, "layout: page\nexecute: false")}))


def test_skip_marker_and_doctest_fences_are_shown_not_run(build) -> None:
    body = (
        "```python alpha\nprint('ran')\n```\n\n```python skip\nprint('skipped')\n```\n\n"
        "```python\n>>> print('doctest')\n```\n"
    )
    soup = build({"p.md": page(body)}).page()
    assert [o.get_text() for o in soup.find_all("output")] == ["ran"]
    assert "doctest" in soup.get_text() and "skipped" in soup.get_text()


def test_run_marker_opts_a_cell_in_on_a_page_that_does_not_run(build) -> None:
    body = "```python run\nprint('ran')\n```\n\n```python\nprint('not me')\n```\n"
    soup = build({"p.md": page(body)}).page()
    assert [o.get_text() for o in soup.find_all("output")] == ["ran"]


def test_prose_tabs_and_other_languages_never_run(build) -> None:
    body = (
        "```python alpha\nx = 1\n```\n\n:::: tab-set\n::: tab Python Shell\n"
        "```python\nprint('shell')\n```\n:::\n::::\n\n```bash\necho hi\n```\n"
    )
    soup = build({"p.md": page(body)}).page()
    assert soup.find_all("output") == []
