"""Citations: author–year labels, the list of cited works for the bibliography page
(the book's BibTeX file is read by ``bibtex.py``).

``:cite:`Key``` shows "(Zhang et al., 2021)" linked to the work on the page that holds
``:bibliography:``, as d2l.ai shows it; that page lists every work the book cites.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from xint_site.book.outline import Outline


@dataclass(frozen=True)
class Work:
    """One entry of the ``.bib`` file, ready to show."""

    key: str
    label: str  # "Zhang et al., 2021"
    html: str  # the formatted entry
    sort_key: tuple[str, str, str]

    @property
    def anchor(self) -> str:
        return "bib-" + re.sub(r"\s+", "-", self.key)


@dataclass(frozen=True)
class Citations:
    """The works of the book's ``.bib``, the bibliography page, and what the book cites."""

    works: dict[str, Work] = field(default_factory=dict)
    page: str = ""  # the page that holds :bibliography: ("" none)
    href: str = ""  # its URL
    cited: tuple[str, ...] = ()  # keys cited anywhere in the book, first use first

    def listed(self) -> list[Work]:
        """The works the bibliography page lists: those cited, by author, year and title."""
        return sorted((self.works[k] for k in self.cited if k in self.works), key=_sort)

    def link(self, work: Work) -> str:
        return f"{self.href}#{work.anchor}"


def _sort(work: Work) -> tuple[str, str, str]:
    return work.sort_key


def author_year(names: list[str], year: str) -> str:
    """``Zhang, 2021``, ``Lin and Wu, 2019``, ``Zhang et al., 2021`` (as d2l.ai cites)."""
    if not names:
        return year
    if len(names) == 1:
        who = names[0]
    elif len(names) == 2 and names[1] != "others":
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {year}" if year else who


def build_citations(
    works: dict[str, Work], outlines: Iterable[Outline], hrefs: dict[str, str]
) -> Citations:
    """The book's citations: works, the page holding :bibliography:, the keys cited."""
    outlines = list(outlines)
    page = next((o.rel for o in outlines if o.of_kind("bibliography")), "")
    cited = tuple(dict.fromkeys(key for o in outlines for key in o.cites))
    return Citations(works, page, hrefs.get(page, ""), cited)
