"""Pass one: every label of the book, with its number, title and URL.

Numbered as d2l-book's Sphinx settings number them (``numfig``,
``numfig_secnum_depth = 2``, ``math_numfig``, ``math_number_all``): a figure, a
table or an equation takes the number of the section it stands in, cut to two
levels, and a count within it (Fig. 2.5.1, Table 2.5.1, (2.5.1)); in an unnumbered
page (the preface) they count on their own from 1. Figures and tables are numbered
when they have a caption; every display equation is numbered. Pages outside the book's
toc keep their labels (a reference shows the title) but get no numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from xint_site.book.outline import Item, Outline
from xint_site.book.toc import BookToc, Number, format_number
from xint_site.problems import Problem, warning_at

TargetKind = Literal["section", "figure", "table", "equation"]
SECNUM_DEPTH = 2  # numfig_secnum_depth in d2l-book's Sphinx config
_KINDS: dict[str, TargetKind] = {"figure": "figure", "table": "table", "equation": "equation"}
NUMREF_FORMATS: dict[TargetKind, str] = {
    "section": "Section {}",
    "figure": "Fig. {}",
    "table": "Table {}",
    "equation": "({})",
}


@dataclass(frozen=True)
class Target:
    """What a label names, where, and the number a reference to it shows."""

    kind: TargetKind
    label: str
    number: str  # "2.5", "2.5.1"; "" when unnumbered
    title: str  # a heading's text, a caption
    url: str  # the page's href, with ``#anchor`` unless it is the page's title
    anchor: str
    rel: str
    line: int

    @property
    def numbered(self) -> str:
        """``Section 2.5``, ``Fig. 2.5.1``, ``Table 2.5.1``, ``(2.5.1)``; "" if unnumbered."""
        return NUMREF_FORMATS[self.kind].format(self.number) if self.number else ""


@dataclass(frozen=True)
class PageNumbers:
    """The numbers a page shows on its own headings, figures, tables and equations, in
    page order ("" for one without a number)."""

    heading: tuple[str, ...] = ()
    figure: tuple[str, ...] = ()
    table: tuple[str, ...] = ()
    equation: tuple[str, ...] = ()

    def of(self, kind: str, index: int) -> str:
        numbers: tuple[str, ...] = getattr(self, kind, ())
        return numbers[index] if 0 <= index < len(numbers) else ""


@dataclass(frozen=True)
class Inventory:
    targets: dict[str, Target] = field(default_factory=dict)
    pages: dict[str, PageNumbers] = field(default_factory=dict)
    toc: BookToc | None = None
    outlines: dict[str, Outline] = field(default_factory=dict)
    hrefs: dict[str, str] = field(default_factory=dict)

    def page(self, rel: str) -> PageNumbers:
        return self.pages.get(rel, PageNumbers())


def build_inventory(
    outlines: Mapping[str, Outline],
    toc: BookToc | None,
    hrefs: Mapping[str, str],
    content: Path,
) -> tuple[Inventory, list[Problem]]:
    """Every label of every page, numbered in the toc's reading order; a label defined
    twice is a warning naming both places (the first one wins)."""
    order = list(toc.order) if toc else []
    order += sorted(set(outlines) - set(order))
    counters: dict[tuple[str, Number], int] = {}
    targets: dict[str, Target] = {}
    pages: dict[str, PageNumbers] = {}
    problems: list[Problem] = []
    for rel in order:
        numbered = toc is not None and rel in toc.inherited
        page, found = _number_page(outlines[rel], toc, numbered, counters, hrefs.get(rel, ""))
        pages[rel] = page
        for target in found:
            first = targets.get(target.label)
            if first is not None:
                problems.append(
                    warning_at(
                        content / rel,
                        target.line,
                        f"label '{target.label}' is defined twice: here and at "
                        f"{content / first.rel}:{first.line}",
                    )
                )
            else:
                targets[target.label] = target
    return Inventory(targets, pages, toc, dict(outlines), dict(hrefs)), problems


def _number_page(
    outline: Outline,
    toc: BookToc | None,
    numbered: bool,
    counters: dict[tuple[str, Number], int],
    href: str,
) -> tuple[PageNumbers, list[Target]]:
    rel = outline.rel
    heading_numbers = toc.numbers.get(rel, ()) if toc else ()
    inherited = toc.inherited.get(rel, ()) if toc else ()
    open_headings: list[tuple[int, Number]] = []  # (level, number) of the headings we are in
    shown: dict[str, list[str]] = {"heading": [], "figure": [], "table": [], "equation": []}
    targets: list[Target] = []
    for item in outline.items:
        if item.kind == "heading":
            index = len(shown["heading"])
            number = heading_numbers[index] if index < len(heading_numbers) else ()
            while open_headings and open_headings[-1][0] >= item.level:
                open_headings.pop()
            open_headings.append((item.level, number))
            shown["heading"].append(format_number(number))
            if item.label:
                anchor = item.anchor or item.label
                url = href if index == 0 else f"{href}#{anchor}"
                targets.append(_target("section", item, number, url, anchor, rel))
        elif item.kind in ("figure", "table", "equation"):
            secnum = next((n for _, n in reversed(open_headings) if n), inherited)
            counted = numbered and (item.kind == "equation" or bool(item.title))
            number = _next_number(counters, item.kind, secnum) if counted else ()
            shown[item.kind].append(format_number(number))
            if item.label:
                url = f"{href}#{item.label}"
                targets.append(_target(_KINDS[item.kind], item, number, url, item.label, rel))
    page = PageNumbers(**{kind: tuple(numbers) for kind, numbers in shown.items()})
    return page, targets


def _next_number(counters: dict[tuple[str, Number], int], kind: str, secnum: Number) -> Number:
    prefix = secnum[:SECNUM_DEPTH]
    counters[kind, prefix] = counters.get((kind, prefix), 0) + 1
    return (*prefix, counters[kind, prefix])


def _target(
    kind: TargetKind, item: Item, number: Number, url: str, anchor: str, rel: str
) -> Target:
    return Target(kind, item.label, format_number(number), item.title, url, anchor, rel, item.line)
