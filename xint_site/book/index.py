"""Pass one over the whole book: its toc, every label, its citations, in one value.

The pipeline calls :func:`index_book` once every page is parsed (their outlines known)
and its URL planned, then resolves each rendered page against the result.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from xint_site.book.citations import Citations, Work, build_citations
from xint_site.book.config import BookConfig
from xint_site.book.inventory import Inventory, build_inventory
from xint_site.book.nav import BookNav
from xint_site.book.outline import Outline
from xint_site.book.toc import BookToc, build_toc
from xint_site.problems import Problem, warning_at


@dataclass(frozen=True)
class BookIndex:
    """What resolving a page needs to know about all the others."""

    inventory: Inventory = field(default_factory=Inventory)
    citations: Citations = field(default_factory=Citations)
    config: BookConfig | None = None  # None: a site that is no book (its labels are still checked)

    @property
    def toc(self) -> BookToc | None:
        return self.inventory.toc

    @cached_property
    def nav(self) -> BookNav | None:
        """What the book theme shows around each page (None: no book)."""
        toc = self.toc
        if self.config is None or toc is None:
            return None
        titles = {rel: o.title for rel, o in self.inventory.outlines.items()}
        return BookNav(self.config, toc, self.inventory.hrefs, titles)


def index_book(
    book: BookConfig | None,
    outlines: Mapping[str, Outline],
    hrefs: Mapping[str, str],
    content: Path,
) -> tuple[BookIndex, list[Problem]]:
    """The toc (for a book), the inventory of labels and the citations; broken toc
    entries, labels defined twice and unreadable BibTeX are warnings."""
    problems: list[Problem] = []
    toc = None
    if book is not None:
        toc, found = build_toc(outlines, book.index, content)
        problems += found
    ordered = [outlines[rel] for rel in (toc.order if toc else ())]
    ordered += [o for rel, o in sorted(outlines.items()) if not toc or rel not in toc.order]
    inventory, found = build_inventory(outlines, toc, hrefs, content)
    problems += found
    works, found = _works(book, ordered, content)
    problems += found
    citations = build_citations(works, ordered, dict(hrefs))
    if citations.cited and not citations.page and book is not None:
        problems.append(
            warning_at(
                book.path,
                0,
                "the book cites works but no page holds :bibliography: (citations are not linked)",
            )
        )
    return BookIndex(inventory, citations, book), problems


def _works(
    book: BookConfig | None, outlines: list[Outline], content: Path
) -> tuple[dict[str, Work], list[Problem]]:
    """The works of ``[pdf] bibfile``, else of the file the bibliography page names; a
    file outside the content folder is never read."""
    path: Path | None = None
    where: tuple[Path, int] = (content, 0)
    if book is not None and book.bibfile:
        path = content / book.bibfile
        where = (book.path, book.line("pdf", "bibfile"))
    else:
        for outline in outlines:
            for item in outline.of_kind("bibliography"):
                if item.file and path is None:
                    rel = posixpath.normpath(
                        posixpath.join(posixpath.dirname(outline.rel), item.file)
                    )
                    path = content / rel
                    where = (content / outline.rel, item.line)
    if path is None:
        return {}, []
    if not path.resolve().is_relative_to(content.resolve()):
        return {}, [
            warning_at(where[0], where[1], "the bibliography is outside the content folder")
        ]
    from xint_site.book.bibtex import load_works  # pybtex: only for a book with a .bib

    return load_works(path)
