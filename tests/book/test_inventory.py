"""Every label of the book with the number d2l.ai shows for it."""

from __future__ import annotations

from tests.book.book_pages import (
    BOOK,
    CONTENT,
    equation,
    figure,
    heading,
    hrefs,
    outlines,
    small_book,
)
from xint_site.book.inventory import build_inventory


def inventory():
    pages, book = small_book()
    found, problems = build_inventory(pages, book, hrefs(pages), CONTENT)
    assert problems == [], [str(p) for p in problems]
    return found


def test_sections_are_numbered_and_link_to_their_page_or_heading():
    targets = inventory().targets
    chapter = targets["chap_pre"]
    assert (chapter.kind, chapter.numbered, chapter.url) == (
        "section",
        "Section 2",
        "/chapter_pre/index.html",
    )
    section = targets["sec_ndarray"]
    assert (section.numbered, section.title, section.url) == (
        "Section 2.1",
        "Data Manipulation",
        "/chapter_pre/ndarray.html",
    )
    sub = targets["subsec_start"]
    assert (sub.numbered, sub.url) == ("Section 2.1.1", "/chapter_pre/ndarray.html#getting-started")


def test_a_heading_without_an_id_is_reached_by_its_label():
    sub = inventory().targets["subsubsec_deep"]
    assert (sub.number, sub.url) == ("2.1.2.1", "/chapter_pre/ndarray.html#subsubsec_deep")


def test_figures_tables_and_equations_count_within_their_section_cut_to_two_levels():
    targets = inventory().targets
    assert targets["fig_broadcast"].numbered == "Fig. 2.1.1"
    assert targets["fig_broadcast"].url == "/chapter_pre/ndarray.html#fig_broadcast"
    assert (
        targets["fig_elementwise"].numbered == "Fig. 2.1.2"
    )  # in 2.1.2.1, after an uncaptioned one
    assert targets["tab_shapes"].numbered == "Table 2.1.1"
    assert targets["eq_sum"].numbered == "(2.1.1)"
    assert targets["fig_graph"].numbered == "Fig. 2.2.1"
    assert targets["eq_chain"].numbered == "(2.2.1)"


def test_every_display_equation_is_numbered_captionless_figures_and_tables_are_not():
    page = inventory().page("chapter_pre/ndarray.md")
    assert page.equation == ("2.1.1", "2.1.2")
    assert page.figure == ("2.1.1", "", "2.1.2")
    assert page.table == ("2.1.1", "")
    assert page.heading == ("2.1", "2.1.1", "2.1.2", "2.1.2.1")


def test_a_chapter_pages_own_figures_count_under_the_chapter():
    assert inventory().page("chapter_pre/index.md").figure == ("2.1",)


def test_unnumbered_pages_count_their_figures_from_one():
    found = inventory()
    assert found.targets["fig_preface"].numbered == "Fig. 1"
    assert found.page("chapter_preface/index.md").equation == ("1",)
    assert found.targets["chap_preface"].numbered == ""


def test_pages_outside_the_toc_keep_their_labels_without_numbers():
    found = inventory()
    assert found.targets["fig_loose"].number == ""
    assert found.targets["fig_loose"].title == "Loose"
    assert found.targets["sec_notes"].url == "/notes.html"


def test_a_site_without_a_book_still_knows_its_labels():
    pages = outlines({"a.md": [heading(1, "A", "sec_a"), equation("eq_a")]})
    found, problems = build_inventory(pages, None, hrefs(pages), CONTENT)
    assert problems == []
    assert found.targets["sec_a"].title == "A"
    assert found.targets["eq_a"].number == ""


def test_a_label_defined_twice_is_a_warning_naming_both_places():
    pages = outlines(
        {
            **BOOK,
            "chapter_pre/autograd.md": [
                heading(1, "Automatic Differentiation", "sec_autograd", line=1),
                figure("Again", "fig_broadcast", line=12),
            ],
        }
    )
    _, book = small_book()
    found, problems = build_inventory(pages, book, hrefs(pages), CONTENT)
    assert [str(p) for p in problems] == [
        "content/chapter_pre/autograd.md:12: label 'fig_broadcast' is defined twice: here "
        "and at content/chapter_pre/ndarray.md:9"
    ]
    assert problems[0].severity == "warning"
    assert found.targets["fig_broadcast"].rel == "chapter_pre/ndarray.md"  # the first wins
