"""What the book takes from a page's tokens (the shared token contract), in page order."""

from __future__ import annotations

from markdown_it.token import Token

from tests.book.book_pages import token
from xint_site.book.outline import outline_of
from xint_site.markdown import make_parser

TEXT = """\
# Data Manipulation

Text.

## Getting Started

$$x = 1$$

$$y = 2$$ (eq_y)
"""


def parsed() -> list[Token]:
    tokens = make_parser().parse(TEXT, {})
    tokens[0].meta["label"] = "sec_data"  # as the d2l plugin attaches :label:
    equation = next(t for t in tokens if t.type == "math_block")
    equation.meta["label"] = "eq_x"  # :eqlabel:
    return tokens


def test_headings_with_level_text_anchor_label_and_file_line():
    outline = outline_of(parsed(), "chapter/data.md", first_line=5)
    headings = outline.of_kind("heading")
    assert [(h.level, h.title, h.anchor, h.label, h.line) for h in headings] == [
        (1, "Data Manipulation", "", "sec_data", 5),
        (2, "Getting Started", "getting-started", "", 9),
    ]
    assert outline.title == "Data Manipulation"


def test_display_equations_with_eqlabel_or_dollarmath_label():
    equations = outline_of(parsed(), "p.md").of_kind("equation")
    assert [(e.label, e.line) for e in equations] == [("eq_x", 7), ("eq_y", 9)]


def test_figures_tables_toc_and_bibliography_from_d2l_tokens():
    role = token("d2l_role", role="cite", targets=["A.2020", "B.2021"])
    again = token("d2l_role", role="cite", targets=["A.2020"])
    inline = token("inline", line=8)
    inline.children = [role, token("text"), again, token("d2l_role", role="numref", target="x")]
    tokens = [
        token("figure_open", 1, line=2, caption="Broadcasting", label="fig_b", src="a.svg"),
        token("figure_close", -1),
        token("table_open", 1, line=4, caption="Shapes", label="tab_s"),
        token("table_close", -1),
        token("d2l_toc", line=6, maxdepth=2, numbered=True, entries=["ndarray", "autograd"]),
        inline,
        token("d2l_bibliography", line=10, file="../d2l.bib"),
    ]
    outline = outline_of(tokens, "p.md")
    assert [(i.kind, i.line, i.label, i.title) for i in outline.items[:2]] == [
        ("figure", 3, "fig_b", "Broadcasting"),
        ("table", 5, "tab_s", "Shapes"),
    ]
    toc = outline.items[2]
    assert (toc.entries, toc.numbered, toc.maxdepth, toc.line) == (
        ("ndarray", "autograd"),
        999,
        2,
        7,
    )
    assert outline.items[3].file == "../d2l.bib"
    assert outline.cites == ("A.2020", "B.2021")


def test_a_page_without_a_heading_is_titled_by_its_path():
    assert outline_of([], "chapter/notes.md").title == "chapter/notes"
