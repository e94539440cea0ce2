"""The values that flow between stages: a parsed page, its tab sets, cells and outputs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from markdown_it.token import Token

from xint_site.pages.source import SourcePage

OutputKind = Literal[
    "text", "stdout", "stderr", "error", "html", "svg", "png", "jpeg", "math", "note"
]


@dataclass(frozen=True, slots=True)
class Output:
    """One thing a cell showed: its kind and its data (text, markup or base64)."""

    kind: OutputKind
    data: str


@dataclass(frozen=True, slots=True)
class Cell:
    """A Python fence that runs: shared (``framework is None``) or one framework's."""

    index: int
    code: str
    framework: str | None
    line: int  # 1-based line of the opening fence in the page file
    options: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Tab:
    label: str
    framework: str | None  # None: a prose tab


@dataclass(frozen=True, slots=True)
class TabSet:
    index: int
    line: int
    tabs: tuple[Tab, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True, slots=True)
class Document:
    """A page after parsing: its tokens and what they hold."""

    page: SourcePage
    title: str
    tokens: Sequence[Token] = field(compare=False, repr=False)  # () once rendered
    cells: tuple[Cell, ...]
    tab_sets: tuple[TabSet, ...]
    headings: tuple[Heading, ...]
    d2l: bool = False  # read as d2l-book's Markdown: its cells run in every framework

    @property
    def frameworks(self) -> tuple[str, ...]:
        """Frameworks with at least one tab on the page, in first-seen order."""
        seen: dict[str, None] = {}
        for tab_set in self.tab_sets:
            for tab in tab_set.tabs:
                if tab.framework:
                    seen.setdefault(tab.framework)
        return tuple(seen)
