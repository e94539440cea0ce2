"""Where a page's links are written: each ``href``/``src`` and its Markdown line.

The link checker reads the built HTML, where a line of Markdown is long gone; the
page's links, taken from its tokens when it is rendered, map a broken link back to
the line a writer has to fix (``page.md:12: link to 'x/#y' does not resolve``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from markdown_it.token import Token

#: ``href=`` or ``src=`` inside one tag of raw HTML, quoted or not.
_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_URL_ATTR = re.compile(r"""\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_ID_ATTR = re.compile(r"""\s(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_BREAKS = frozenset({"softbreak", "hardbreak"})


@dataclass(frozen=True, slots=True)
class SourceLink:
    """A link as the built HTML holds it (``value``), and the page line it comes from."""

    value: str
    line: int  # 1-based line in the page file
    image: bool = False
    anchor: bool = False  # not a link: an id the page defines (``value``)


def source_links(tokens: Iterable[Token], first_line: int) -> tuple[SourceLink, ...]:
    """Every link and image of a page's tokens; ``first_line`` is the file line of the
    body's first line (tokens count lines from the body)."""
    return tuple(_links(tokens, first_line))


def _links(tokens: Iterable[Token], first_line: int) -> Iterator[SourceLink]:
    for token in tokens:
        if token.map is None:
            continue
        line = first_line + token.map[0]
        if token.type == "inline":
            yield from _inline_links(token.children or [], line)
        elif token.type == "html_block":
            yield from html_links(token.content, line)
            yield from html_ids(token.content, line)
        elif token.type == "heading_open" and token.attrs.get("id"):
            yield SourceLink(str(token.attrs["id"]), line, anchor=True)


def _inline_links(children: list[Token], line: int) -> Iterator[SourceLink]:
    for child in children:
        if child.type in _BREAKS:
            line += 1
        elif child.type == "link_open":
            yield SourceLink(str(child.attrs.get("href", "")), line)
        elif child.type == "image":
            yield SourceLink(str(child.attrs.get("src", "")), line, image=True)
        elif child.type == "html_inline":
            yield from html_links(child.content, line)
            yield from html_ids(child.content, line)


def html_links(markup: str, line: int = 1) -> Iterator[SourceLink]:
    """The ``href``/``src`` values of raw HTML starting at ``line``, unescaped as a browser
    reads them."""
    for tag in _TAG.finditer(markup):
        for attr in _URL_ATTR.finditer(tag.group(0)):
            value = next(v for v in attr.groups()[1:] if v is not None)
            at = line + markup.count("\n", 0, tag.start() + attr.start())
            is_image = attr.group(1).lower() == "src" and tag.group(0)[1:4].lower() == "img"
            yield SourceLink(html.unescape(value), at, image=is_image)


def html_ids(markup: str, line: int = 1) -> Iterator[SourceLink]:
    """The ids raw HTML defines (``id`` on any element, ``name`` on ``<a>``)."""
    for tag in _TAG.finditer(markup):
        text = tag.group(0)
        for attr in _ID_ATTR.finditer(text):
            if attr.group(1).lower() == "name" and not re.match(r"<a\s", text, re.I):
                continue
            value = next(v for v in attr.groups()[1:] if v is not None)
            at = line + markup.count("\n", 0, tag.start() + attr.start())
            yield SourceLink(html.unescape(value), at, anchor=True)
