"""The book's order and section numbers from its toc blocks, as d2l.ai numbers them."""

from __future__ import annotations

from tests.book.book_pages import BOOK, CONTENT, heading, outlines, small_book, toc
from xint_site.book.toc import build_toc, entry_page


def test_reading_order_follows_the_toc_blocks_depth_first():
    _, book = small_book()
    assert book.order == (
        "index.md",
        "chapter_preface/index.md",
        "chapter_intro/index.md",
        "chapter_pre/index.md",
        "chapter_pre/ndarray.md",
        "chapter_pre/autograd.md",
        "references.md",
    )


def test_chapters_and_sections_of_a_numbered_toc_are_numbered():
    _, book = small_book()
    assert book.number("chapter_intro/index.md") == (1,)
    assert book.number("chapter_pre/index.md") == (2,)
    assert book.number("chapter_pre/ndarray.md") == (2, 1)
    assert book.number("chapter_pre/autograd.md") == (2, 2)


def test_headings_inside_a_page_are_numbered_below_it():
    _, book = small_book()
    assert book.numbers["chapter_pre/ndarray.md"] == ((2, 1), (2, 1, 1), (2, 1, 2), (2, 1, 2, 1))


def test_front_and_back_matter_and_the_root_are_unnumbered():
    _, book = small_book()
    assert book.number("index.md") == ()
    assert book.number("chapter_preface/index.md") == ()
    assert book.number("references.md") == ()


def test_pages_outside_the_toc_are_not_in_the_book_order():
    _, book = small_book()
    assert "notes.md" not in book.order


def test_parts_are_the_root_pages_toc_blocks():
    _, book = small_book()
    parts = book.parts
    assert [p.numbered for p in parts] == [False, True, False]
    assert [[e.title for e in p.entries] for p in parts] == [
        ["Preface"],
        ["Introduction", "Preliminaries"],
        ["References"],
    ]
    chapter = parts[1].entries[1]
    assert [(c.title, c.number) for c in chapter.children] == [
        ("Data Manipulation", (2, 1)),
        ("Automatic Differentiation", (2, 2)),
    ]
    assert book.block("chapter_pre/index.md", 0).entries == chapter.children


def test_previous_and_next_pages_and_parents():
    _, book = small_book()
    assert book.neighbours("chapter_pre/ndarray.md") == (
        "chapter_pre/index.md",
        "chapter_pre/autograd.md",
    )
    assert book.neighbours("index.md") == (None, "chapter_preface/index.md")
    assert book.neighbours("references.md") == ("chapter_pre/autograd.md", None)
    assert book.neighbours("notes.md") == (None, None)
    assert book.parents["chapter_pre/ndarray.md"] == "chapter_pre/index.md"


def test_each_numbered_toc_starts_at_one():
    pages = outlines(
        {
            "index.md": [
                heading(1, "Book"),
                toc("a", numbered=True),
                toc("b", numbered=True),
            ],
            "a.md": [heading(1, "A")],
            "b.md": [heading(1, "B")],
        }
    )
    book, problems = build_toc(pages, "index.md", CONTENT)
    assert problems == []
    assert book.number("a.md") == (1,) and book.number("b.md") == (1,)


def test_headings_of_a_chapter_page_count_with_its_sections():
    """Sphinx numbers a chapter page's own sections and the pages its toc lists in one
    sequence, in page order."""
    pages = outlines(
        {
            "index.md": [heading(1, "Book"), toc("ch/index", numbered=True)],
            "ch/index.md": [heading(1, "Chapter"), toc("s"), heading(2, "Summary"), toc("t")],
            "ch/s.md": [heading(1, "Section")],
            "ch/t.md": [heading(1, "Inside the summary")],
        }
    )
    book, _ = build_toc(pages, "index.md", CONTENT)
    assert book.number("ch/s.md") == (1, 1)
    assert book.numbers["ch/index.md"] == ((1,), (1, 2))
    assert book.number("ch/t.md") == (1, 2, 1)  # its toc stands inside "Summary"


def test_an_unknown_toc_entry_is_a_warning_with_the_blocks_line():
    pages = outlines({**BOOK, "index.md": [heading(1, "B"), toc("chapter_missing/index", line=7)]})
    _, problems = build_toc(pages, "index.md", CONTENT)
    assert [str(p) for p in problems] == [
        "content/index.md:7: toc entry 'chapter_missing/index' names no page"
    ]
    assert all(p.severity == "warning" for p in problems)


def test_a_page_listed_twice_is_a_warning_naming_the_first_place():
    pages = outlines(
        {
            "index.md": [heading(1, "B"), toc("a", line=3), toc("a", line=6)],
            "a.md": [heading(1, "A")],
        }
    )
    book, problems = build_toc(pages, "index.md", CONTENT)
    assert [str(p) for p in problems] == [
        "content/index.md:6: toc entry 'a' is already in the toc (index.md:3)"
    ]
    assert book.order == ("index.md", "a.md")


def test_a_toc_that_lists_the_root_does_not_loop():
    pages = outlines({"index.md": [heading(1, "B"), toc("index", line=3)]})
    book, problems = build_toc(pages, "index.md", CONTENT)
    assert book.order == ("index.md",)
    assert [str(p) for p in problems] == [
        "content/index.md:3: toc entry 'index' is already in the toc (the root page)"
    ]


def test_a_missing_root_page_is_a_warning():
    book, problems = build_toc({}, "index.md", CONTENT)
    assert book.order == ()
    assert [str(p) for p in problems] == ["content/index.md: the book's root page is missing"]


def test_toc_entries_are_relative_to_their_page():
    assert entry_page("chapter_a/index.md", "intro") == "chapter_a/intro.md"
    assert entry_page("chapter_a/index.md", "../chapter_b/index") == "chapter_b/index.md"
    assert entry_page("chapter_a/index.md", "/chapter_b/x.md") == "chapter_b/x.md"
    assert entry_page("index.md", "Intro <chapter_a/intro>") == "chapter_a/intro.md"
    assert entry_page("index.md", "https://d2l.ai") is None
    assert entry_page("index.md", "self") is None
