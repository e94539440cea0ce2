"""The book's order and section numbers, from the ```` ```toc ```` blocks of its pages.

Numbered as Sphinx numbers d2l-book's toctrees (so as d2l.ai shows them): a
``:numbered:`` toc outside any numbered one starts at 1; the pages it lists, and the
pages their own toc blocks list, are numbered below it (chapter 2, its sections 2.1,
2.2, their headings 2.1.1); the headings of a page count on the same level as the
pages its toc lists where the block sits. Pages reached only through unnumbered toc
blocks (a preface, the references) have no numbers.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from xint_site.book.outline import Item, Outline
from xint_site.problems import Problem, warning_at

Number = tuple[int, ...]  # () : unnumbered

_TITLED = re.compile(r"^(?P<title>.*?)\s*<(?P<path>[^<>]+)>$")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


@dataclass(frozen=True)
class TocEntry:
    """A page in the toc: its number, its title, and the pages its own toc blocks list."""

    rel: str
    title: str
    number: Number
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True)
class TocBlock:
    """One ```` ```toc ```` block as the book reads it: the pages it lists, resolved."""

    rel: str  # the page that holds it
    index: int  # its position among that page's toc blocks
    numbered: bool
    maxdepth: int  # 0: every level
    entries: tuple[TocEntry, ...]


@dataclass(frozen=True)
class BookToc:
    root: str
    blocks: tuple[TocBlock, ...]
    order: tuple[str, ...]  # pages in reading order, the root first
    numbers: dict[str, tuple[Number, ...]] = field(compare=False)  # per heading, page order
    inherited: dict[str, Number] = field(compare=False)  # number where the page is listed
    parents: dict[str, str] = field(compare=False)

    @property
    def parts(self) -> tuple[TocBlock, ...]:
        """The root page's toc blocks: front matter, the numbered chapters, back matter."""
        return tuple(b for b in self.blocks if b.rel == self.root)

    def block(self, rel: str, index: int) -> TocBlock | None:
        return next((b for b in self.blocks if b.rel == rel and b.index == index), None)

    def number(self, rel: str) -> Number:
        """A page's number: its first heading's."""
        numbers = self.numbers.get(rel, ())
        return numbers[0] if numbers else ()

    def neighbours(self, rel: str) -> tuple[str | None, str | None]:
        """The pages before and after ``rel`` in reading order."""
        if rel not in self.order:
            return None, None
        i = self.order.index(rel)
        before = self.order[i - 1] if i > 0 else None
        after = self.order[i + 1] if i + 1 < len(self.order) else None
        return before, after


@dataclass
class _Section:
    """A heading of a page and what it holds: subsections and toc blocks, in order."""

    heading: int  # index among the page's headings; -1: the page before its first heading
    level: int
    children: list[_Section | Item] = field(default_factory=list)


def sections(outline: Outline) -> _Section:
    """A page's headings nested by level, with its toc blocks where they stand."""
    top = _Section(-1, 0)
    stack = [top]
    count = 0
    for item in outline.items:
        if item.kind == "heading":
            while len(stack) > 1 and stack[-1].level >= item.level:
                stack.pop()
            node = _Section(count, item.level)
            count += 1
            stack[-1].children.append(node)
            stack.append(node)
        elif item.kind == "toc":
            stack[-1].children.append(item)
    return top


def entry_page(rel: str, entry: str) -> str | None:
    """The page a toc entry of page ``rel`` names (``chapter_x/index`` ->
    ``chapter_x/index.md``), or None for a link (a URL, ``self``)."""
    m = _TITLED.match(entry)
    target = (m.group("path") if m else entry).strip()
    if target == "self" or _URL.match(target):
        return None
    base = "" if target.startswith("/") else posixpath.dirname(rel)
    path = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
    return path if path.endswith(".md") else path + ".md"


class _Walk:
    """One pass over the book from its root page, as Sphinx assigns section numbers."""

    def __init__(self, outlines: Mapping[str, Outline], content: Path) -> None:
        self.outlines = outlines
        self.content = content
        self.order: list[str] = []
        self.numbers: dict[str, list[Number]] = {}
        self.inherited: dict[str, Number] = {}
        self.parents: dict[str, str] = {}
        self.listed_at: dict[str, str] = {}
        self.blocks: list[TocBlock] = []
        self.problems: list[Problem] = []

    def page(self, rel: str, depth: int, numstack: list[int], secnum: Number) -> TocEntry:
        outline = self.outlines[rel]
        self.order.append(rel)
        self.inherited[rel] = secnum
        self.numbers[rel] = [() for i in outline.items if i.kind == "heading"]
        children: list[TocEntry] = []
        self.section(rel, sections(outline), depth, numstack, secnum, children, [0])
        number = self.numbers[rel][0] if self.numbers[rel] else ()
        return TocEntry(rel, outline.title, number, tuple(children))

    def section(
        self,
        rel: str,
        node: _Section,
        depth: int,
        numstack: list[int],
        secnum: Number,
        children: list[TocEntry],
        toc_count: list[int],
    ) -> None:
        for child in node.children:
            if isinstance(child, _Section):
                numstack[-1] += 1
                number = tuple(numstack) if depth > 0 else ()
                self.numbers[rel][child.heading] = number
                numstack.append(0)
                self.section(rel, child, depth - 1, numstack, number or secnum, children, toc_count)
                numstack.pop()
            else:
                children += self.toc(rel, child, depth, numstack, secnum, toc_count[0])
                toc_count[0] += 1

    def toc(
        self, rel: str, item: Item, depth: int, numstack: list[int], secnum: Number, index: int
    ) -> list[TocEntry]:
        if depth <= 0 and item.numbered:  # a numbered toc of its own: numbering starts anew
            depth, numstack = item.numbered, [0]
        entries: list[TocEntry] = []
        for entry in item.entries:
            target = entry_page(rel, entry)
            where = f"{rel}:{item.line}"
            if target is None:
                continue
            if target not in self.outlines:
                self.problems.append(
                    warning_at(self.content / rel, item.line, f"toc entry '{entry}' names no page")
                )
            elif target in self.listed_at or target == self.order[0]:
                first = self.listed_at.get(target, "the root page")
                self.problems.append(
                    warning_at(
                        self.content / rel,
                        item.line,
                        f"toc entry '{entry}' is already in the toc ({first})",
                    )
                )
            else:
                self.listed_at[target] = where
                self.parents[target] = rel
                entries.append(self.page(target, depth, numstack, secnum))
        self.blocks.append(TocBlock(rel, index, bool(item.numbered), item.maxdepth, tuple(entries)))
        return entries


def build_toc(
    outlines: Mapping[str, Outline], root: str, content: Path
) -> tuple[BookToc, list[Problem]]:
    """The toc from the root page down: order, numbers, and the entries that name no page."""
    walk = _Walk(outlines, content)
    if root not in outlines:
        problem = warning_at(content / root, 0, "the book's root page is missing")
        return BookToc(root, (), (), {}, {}, {}), [problem]
    walk.page(root, 0, [0], ())
    toc = BookToc(
        root=root,
        blocks=tuple(sorted(walk.blocks, key=lambda b: (walk.order.index(b.rel), b.index))),
        order=tuple(walk.order),
        numbers={rel: tuple(n) for rel, n in walk.numbers.items()},
        inherited=walk.inherited,
        parents=walk.parents,
    )
    return toc, walk.problems


def format_number(number: Number) -> str:
    return ".".join(map(str, number))
