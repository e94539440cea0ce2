"""Which notebooks a page in d2l-book's Markdown makes: one per framework of the site, each
starting with the hidden cell that defines d2l-book's ``tab`` for that run. No kernel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.documents import ALPHA, BETA, CONFIG, page_text, read
from xint_site.config import Framework, SiteConfig
from xint_site.document import parse_document
from xint_site.execute.cache import notebook_key
from xint_site.model import Document
from xint_site.plan import SETUP_CELL, plan_page, tab_setup
from xint_site.render.site_parser import parser_for

ALL_ONLY = """\
# Shared

```{.python .input}
#@tab all
x = 1
if tab.selected('alpha'):
    y = 2
```

```{.python .input}
%%tab all
z = 3
```
"""

ONE_TAB = """\
```{.python .input}
#@tab beta
only_beta = 1
```
"""


def d2l_document(content: Path, body: str, config: SiteConfig = CONFIG) -> Document:
    page = read(content, "p.md", page_text(body))
    document, problems = parse_document(parser_for(config, d2l=True), page)
    assert [p for p in problems if p.severity == "error"] == [], problems
    return document


def run(code: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # the setup cell is plain Python: no kernel needed to read it
    return namespace


def test_a_page_of_all_cells_runs_once_per_framework_of_the_site(tmp_path: Path) -> None:
    """``#@tab all`` cells make no framework tab (or one set, for tab.selected), yet every
    framework of the book runs the page, as d2l-book builds each framework."""
    document = d2l_document(tmp_path, ALL_ONLY)
    assert document.d2l
    jobs = plan_page(document, CONFIG)
    assert [job.framework for job in jobs] == ["alpha", "beta"]
    for job in jobs:
        assert job.cells[0].index == SETUP_CELL
        assert [c.code for c in job.cells[1:]] == [
            "x = 1\nif tab.selected('alpha'):\n    y = 2\n",
            "z = 3\n",
        ]


def test_a_framework_without_cells_on_the_page_makes_no_notebook(tmp_path: Path) -> None:
    jobs = plan_page(d2l_document(tmp_path, ONE_TAB), CONFIG)
    assert [(job.framework, len(job.cells)) for job in jobs] == [("beta", 2)]


def test_a_page_without_cells_makes_no_notebook(tmp_path: Path) -> None:
    assert (
        plan_page(
            d2l_document(tmp_path, "# Only prose\n\n:begin_tab:`alpha`\nHi\n:end_tab:\n"), CONFIG
        )
        == []
    )


def test_the_setup_cell_is_hidden_and_placed_at_the_first_cell(tmp_path: Path) -> None:
    job = plan_page(d2l_document(tmp_path, ALL_ONLY), CONFIG)[0]
    setup, first = job.cells[0], job.cells[1]
    assert setup.line == first.line  # a message about it points at the page's first cell
    assert "hide-output" in setup.options


def test_tab_selected_is_true_exactly_in_its_own_framework() -> None:
    alpha = run(tab_setup(ALPHA, 1).code)["tab"]
    beta = run(tab_setup(BETA, 1).code)["tab"]
    assert alpha.selected("alpha") and not beta.selected("alpha")
    assert alpha.selected("beta", "alpha")
    assert alpha.selected(["beta", "alpha"]) and alpha.selected(("alpha",))
    assert alpha.selected("A") and alpha.selected("ALPHA")
    assert not alpha.selected("beta") and not alpha.selected()
    assert alpha.interact_select("alpha", "beta") is None
    assert alpha._TAB == "alpha"


def test_the_setup_cell_defines_only_tab() -> None:
    assert sorted(k for k in run(tab_setup(ALPHA, 1).code) if k != "__builtins__") == ["tab"]


def test_the_setup_cell_is_part_of_the_cache_key(tmp_path: Path) -> None:
    """A framework renamed (its aliases changed) changes what ``tab.selected`` answers:
    the notebook runs again."""
    document = d2l_document(tmp_path, ALL_ONLY)
    renamed = Framework(id="alpha", label="Alpha", aliases=("first",), env=ALPHA.env)
    other = SiteConfig(frameworks=(renamed, BETA))
    before = plan_page(document, CONFIG)[0]
    after = plan_page(document, other)[0]
    assert before.cells[1:] == after.cells[1:]
    assert notebook_key(before, {}) != notebook_key(after, {})


def test_a_page_of_the_site_parser_is_no_d2l_page(tmp_path: Path) -> None:
    """Pages of a blog keep their rule: only framework tabs make notebooks."""
    page = read(tmp_path, "p.md", page_text("```python\nx = 1\n```\n"))
    document, _ = parse_document(parser_for(CONFIG), page)
    assert not document.d2l
    assert plan_page(document, CONFIG) == []
