"""What the book needs from one page's tokens: headings, figures, tables, equations, toc
blocks and citations, in page order.

Made where the page is parsed (a worker process keeps no tokens), then numbered with the
whole book in the parent: an outline is small, tokens are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from markdown_it.token import Token

ItemKind = Literal["heading", "figure", "table", "equation", "toc", "bibliography"]
NUMBERED_KINDS: tuple[ItemKind, ...] = ("heading", "figure", "table", "equation")
MATH_BLOCKS = ("math_block", "math_block_label")


@dataclass(frozen=True)
class Item:
    """One thing of a page the book numbers, labels or follows, at its 1-based line."""

    kind: ItemKind
    line: int
    label: str = ""
    title: str = ""  # a heading's text, a figure's or table's caption
    level: int = 0  # a heading's level
    anchor: str = ""  # a heading's id, when the parser gave it one
    entries: tuple[str, ...] = ()  # a toc block's entries, as written
    numbered: int = 0  # a toc block: how many levels it numbers (0: none)
    maxdepth: int = 0  # a toc block: how many levels it shows (0: all)
    file: str = ""  # a bibliography: the .bib file as written


@dataclass(frozen=True)
class Outline:
    """One page's items in page order and the citation keys it uses."""

    rel: str  # the page, relative to the content folder
    items: tuple[Item, ...]
    cites: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        heading = next((i for i in self.items if i.kind == "heading"), None)
        return heading.title if heading else self.rel.rsplit(".", 1)[0]

    def of_kind(self, kind: ItemKind) -> list[Item]:
        return [i for i in self.items if i.kind == kind]


def outline_of(tokens: Sequence[Token], rel: str, first_line: int = 1) -> Outline:
    """The outline of a parsed page; ``first_line`` is the file line of the body's first line."""
    items: list[Item] = []
    cites: list[str] = []
    for i, token in enumerate(tokens):
        line = first_line + (token.map[0] if token.map else 0)
        label = str(token.meta.get("label") or "") if token.meta else ""
        if token.type == "heading_open":
            inline = tokens[i + 1] if i + 1 < len(tokens) else None
            title = plain_text(inline.children or []) if inline else ""
            anchor = str(token.attrs.get("id") or "")
            items.append(Item("heading", line, label, title, int(token.tag[1]), anchor))
        elif token.type in ("figure_open", "table_open"):
            kind: ItemKind = "figure" if token.type == "figure_open" else "table"
            items.append(Item(kind, line, label, str(token.meta.get("caption") or "")))
        elif token.type in MATH_BLOCKS:
            label = label or (token.info if token.type == "math_block_label" else "")
            items.append(Item("equation", line, label))
        elif token.type == "d2l_toc":
            meta = token.meta
            numbered = meta.get("numbered", False)
            depth = 999 if numbered is True else int(numbered or 0)
            entries = tuple(str(e) for e in meta.get("entries", ()))
            maxdepth = int(meta.get("maxdepth") or 0)
            items.append(Item("toc", line, entries=entries, numbered=depth, maxdepth=maxdepth))
        elif token.type == "d2l_bibliography":
            items.append(Item("bibliography", line, file=str(token.meta.get("file") or "")))
        elif token.type == "inline":
            cites += [key for child in token.children or [] for key in _cite_keys(child)]
    return Outline(rel, tuple(items), tuple(dict.fromkeys(cites)))


def _cite_keys(token: Token) -> list[str]:
    if token.type == "d2l_role" and token.meta.get("role") == "cite":
        return [str(k) for k in token.meta.get("targets", ())]
    return []


def plain_text(children: list[Token]) -> str:
    """A heading's or caption's text without markup (a :ref: shows it as link text)."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("math_inline", "math_inline_double"):
            parts.append(f"${child.content}$")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.children:
            parts.append(plain_text(child.children))
    return "".join(parts).strip()
