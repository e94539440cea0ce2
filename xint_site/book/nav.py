"""What the book theme shows around a page: the sidebar toc, previous and next, the
book's title and authors, as plain values for templates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from xint_site.book.config import BookConfig
from xint_site.book.toc import BookToc, TocEntry, format_number


@dataclass(frozen=True)
class BookNav:
    config: BookConfig
    toc: BookToc
    hrefs: Mapping[str, str] = field(compare=False)
    titles: Mapping[str, str] = field(compare=False)

    def book_view(self) -> dict[str, Any]:
        """The book as a whole: the same on every page."""
        config = self.config
        root = self.toc.root
        return {
            "title": config.title,
            "authors": list(config.authors),
            "author": config.author,
            "copyright": config.copyright,
            "release": config.release,
            "url": self.hrefs.get(root, ""),
        }

    def page_view(self, rel: str) -> dict[str, Any]:
        """Around one page: the sidebar with it marked, its neighbours, its number."""
        before, after = self.toc.neighbours(rel)
        trail = self._trail(rel)
        return {
            **self.book_view(),
            "number": format_number(self.toc.number(rel)),
            "parts": [
                {
                    "numbered": part.numbered,
                    "entries": [self._entry(e, rel, trail) for e in part.entries],
                }
                for part in self.toc.parts
                if part.entries
            ],
            "previous": self._link(before),
            "next": self._link(after),
        }

    def _trail(self, rel: str) -> set[str]:
        """The page and the pages above it in the toc (their entries are open)."""
        trail = set()
        while rel:
            trail.add(rel)
            rel = self.toc.parents.get(rel, "")
        return trail

    def _entry(self, entry: TocEntry, current: str, trail: set[str]) -> dict[str, Any]:
        return {
            "title": entry.title,
            "number": format_number(entry.number),
            "url": self.hrefs.get(entry.rel, ""),
            "current": entry.rel == current,
            "open": entry.rel in trail,
            "children": [self._entry(c, current, trail) for c in entry.children],
        }

    def _link(self, rel: str | None) -> dict[str, str] | None:
        if rel is None:
            return None
        return {
            "title": self.titles.get(rel, rel),
            "number": format_number(self.toc.number(rel)),
            "url": self.hrefs.get(rel, ""),
        }
