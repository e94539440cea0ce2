"""Tab grouping: the three Markdown forms of a tab set become the page's ``tab_sets``,
its ``frameworks`` and its cells (parsing only, no kernel)."""

from __future__ import annotations

from pathlib import Path

from tests.documents import document
from xint_site.model import Tab, TabSet

ALPHA, BETA = Tab("Alpha", "alpha"), Tab("Beta", "beta")


def test_consecutive_framework_fences_form_one_tab_set(tmp_path: Path) -> None:
    body = "Intro.\n\n```python alpha\na = 1\n```\n```python beta\nb = 1\n```\n"
    doc = document(tmp_path, body)
    # front matter: 4 lines, a blank line, "Intro.", a blank line: the set starts on line 8
    assert doc.tab_sets == (TabSet(0, 8, (ALPHA, BETA)),)
    assert doc.frameworks == ("alpha", "beta")
    assert [(c.index, c.framework) for c in doc.cells] == [(0, "alpha"), (1, "beta")]


def test_blank_lines_between_fences_keep_the_set_and_anything_else_ends_it(
    tmp_path: Path,
) -> None:
    spaced = "```python alpha\na = 1\n```\n\n\n```python beta\nb = 1\n```\n"
    assert [len(s.tabs) for s in document(tmp_path, spaced).tab_sets] == [2]
    for between in ("Prose.\n", "```bash\nls\n```\n", "```python\nshared = 1\n```\n"):
        body = f"```python alpha\na = 1\n```\n\n{between}\n```python beta\nb = 1\n```\n"
        doc = document(tmp_path, body)
        assert [s.tabs for s in doc.tab_sets] == [(ALPHA,), (BETA,)], between
        assert [s.index for s in doc.tab_sets] == [0, 1]


def test_names_are_resolved_to_the_sites_frameworks_and_labels(tmp_path: Path) -> None:
    body = "```python A\na = 1\n```\n```python BETA\nb = 1\n```\n"  # an alias, any case
    (tab_set,) = document(tmp_path, body).tab_sets
    assert tab_set.tabs == (ALPHA, BETA)


def test_container_tab_sets_hold_framework_and_prose_tabs(tmp_path: Path) -> None:
    body = (
        ":::: tab-set\n::: tab Beta\n```python\nb = 1\n```\n:::\n"
        "::: tab Python Shell\n```python\nshown_only = 1\n```\n:::\n::::\n"
    )
    doc = document(tmp_path, body)
    assert doc.tab_sets == (TabSet(0, 6, (BETA, Tab("Python Shell", None))),)
    assert doc.frameworks == ("beta",)  # a prose tab is nobody's framework
    assert [(c.code, c.framework) for c in doc.cells] == [("b = 1\n", "beta")]


def test_html_tab_sets_as_hexo_pages_write_them(tmp_path: Path) -> None:
    body = (
        '<div class="tab-set w3-light-grey">\n'
        '<input checked id="x1" name="x" type="radio">\n<label for="x1">Alpha</label>\n'
        '<div class="tab-content w3-padding">\n\n```python\na = 1\n```\n\n</div>\n'
        '<input id="x2" name="x" type="radio">\n<label for="x2">Beta</label>\n'
        '<div class="tab-content w3-padding">\n\n```python\nb = 1\n```\n\n</div>\n'
        "</div>\n"
    )
    doc = document(tmp_path, body)
    assert doc.tab_sets == (TabSet(0, 6, (ALPHA, BETA)),)
    assert [c.framework for c in doc.cells] == ["alpha", "beta"]


def test_nested_sets_are_numbered_in_page_order(tmp_path: Path) -> None:
    body = (
        ":::::: tab-set\n::::: tab Notes\n"
        ":::: tab-set\n::: tab Alpha\nx\n:::\n::: tab Beta\ny\n:::\n::::\n"
        ":::::\n::::::\n\n```python beta\nb = 1\n```\n"
    )
    doc = document(tmp_path, body)
    assert doc.tab_sets == (
        TabSet(0, 6, (Tab("Notes", None),)),
        TabSet(1, 8, (ALPHA, BETA)),
        TabSet(2, 19, (BETA,)),
    )
    assert doc.frameworks == ("alpha", "beta")  # first seen, nested ones included


def test_a_page_without_tab_sets_has_shared_cells_only(tmp_path: Path) -> None:
    doc = document(tmp_path, "```python\nx = 1\n```\n\n```python run hide-code\ny = 2\n```\n")
    assert doc.tab_sets == () and doc.frameworks == ()
    assert [(c.index, c.framework, c.options) for c in doc.cells] == [
        (0, None, frozenset()),
        (1, None, frozenset({"run", "hide-code"})),
    ]
