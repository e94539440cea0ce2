"""A small book as outlines and as tokens, made by hand: the d2l Markdown plugins are not
needed to test numbering, labels and references (their tokens follow the shared contract)."""

from __future__ import annotations

from pathlib import Path

from markdown_it.token import Token

from xint_site.book.outline import Item, Outline
from xint_site.book.toc import BookToc, build_toc

CONTENT = Path("content")


def heading(level: int, title: str, label: str = "", anchor: str = "", line: int = 1) -> Item:
    return Item("heading", line, label, title, level, anchor)


def figure(caption: str, label: str = "", line: int = 1) -> Item:
    return Item("figure", line, label, caption)


def table(caption: str, label: str = "", line: int = 1) -> Item:
    return Item("table", line, label, caption)


def equation(label: str = "", line: int = 1) -> Item:
    return Item("equation", line, label)


def toc(*entries: str, numbered: bool = False, maxdepth: int = 0, line: int = 1) -> Item:
    return Item("toc", line, entries=entries, numbered=999 if numbered else 0, maxdepth=maxdepth)


def bibliography(file: str = "d2l.bib", line: int = 1) -> Item:
    return Item("bibliography", line, file=file)


def outlines(pages: dict[str, list[Item]], cites: dict[str, list[str]] | None = None):
    cites = cites or {}
    return {
        rel: Outline(rel, tuple(items), tuple(cites.get(rel, ()))) for rel, items in pages.items()
    }


BOOK = {
    "index.md": [
        heading(1, "A Small Book"),
        toc("chapter_preface/index", maxdepth=1, line=5),
        toc("chapter_intro/index", "chapter_pre/index", numbered=True, maxdepth=2, line=9),
        toc("references", line=15),
    ],
    "chapter_preface/index.md": [
        heading(1, "Preface", "chap_preface"),
        figure("A picture in the preface", "fig_preface", line=7),
        equation(line=9),
    ],
    "chapter_intro/index.md": [heading(1, "Introduction", "chap_intro", line=1)],
    "chapter_pre/index.md": [
        heading(1, "Preliminaries", "chap_pre"),
        figure("The chapter's own figure", line=4),
        toc("ndarray", "autograd", maxdepth=2, line=8),
    ],
    "chapter_pre/ndarray.md": [
        heading(1, "Data Manipulation", "sec_ndarray", line=1),
        heading(2, "Getting Started", "subsec_start", anchor="getting-started", line=5),
        figure("Broadcasting", "fig_broadcast", line=9),
        equation("eq_sum", line=12),
        equation(line=15),
        table("Shapes", "tab_shapes", line=18),
        table("", "", line=24),
        heading(2, "Operations", anchor="operations", line=30),
        heading(3, "Deep down", "subsubsec_deep", line=31),
        figure("", "", line=33),
        figure("Element-wise", "fig_elementwise", line=35),
    ],
    "chapter_pre/autograd.md": [
        heading(1, "Automatic Differentiation", "sec_autograd", line=1),
        figure("A graph", "fig_graph", line=5),
        equation("eq_chain", line=8),
    ],
    "references.md": [heading(1, "References"), bibliography(line=3)],
    "notes.md": [heading(1, "Loose notes", "sec_notes"), figure("Loose", "fig_loose")],
}


def small_book() -> tuple[dict[str, Outline], BookToc]:
    pages = outlines(BOOK, {"chapter_pre/ndarray.md": ["Zhang.2021"]})
    book_toc, problems = build_toc(pages, "index.md", CONTENT)
    assert problems == [], [str(p) for p in problems]
    return pages, book_toc


def hrefs(pages: dict[str, Outline]) -> dict[str, str]:
    return {rel: "/" + rel.removesuffix(".md") + ".html" for rel in pages}


def token(kind: str, nesting: int = 0, line: int = 0, **meta) -> Token:
    t = Token(kind, "", nesting)
    t.map = [line, line + 1]
    t.meta = dict(meta)
    return t
