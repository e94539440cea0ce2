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

#: ``href=``, ``src=``, ``id=`` or ``name=``, quoted or not; kept when inside a tag. One
#: pass over the text: a built page has thousands of tags, few with these attributes.
_ATTR = re.compile(  # as written by hand or by markdown-it and Jinja (re.I is 3x slower)
    r"""\s(href|src|id|name|HREF|SRC|ID|NAME)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
)
_TAG_NAME = re.compile(r"<([A-Za-z][\w:-]*)")
_BREAKS = frozenset({"softbreak", "hardbreak"})


@dataclass(frozen=True, slots=True)
class SourceLink:
    """A link as the built HTML holds it (``value``), and the page line it comes from."""

    value: str
    line: int  # 1-based line in the page file
    image: bool = False
    anchor: bool = False  # not a link: an id the page defines (``value``)
    attribute: str = ""  # where it was read: ``href``, ``src``, ``id``, ``name``


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
            yield from html_attributes(token.content, line)
        elif token.type == "heading_open" and token.attrs.get("id"):
            yield SourceLink(str(token.attrs["id"]), line, anchor=True, attribute="id")


def _inline_links(children: list[Token], line: int) -> Iterator[SourceLink]:
    for child in children:
        if child.type in _BREAKS:
            line += 1
        elif child.type == "link_open":
            yield SourceLink(str(child.attrs.get("href", "")), line, attribute="href")
        elif child.type == "image":
            yield SourceLink(str(child.attrs.get("src", "")), line, image=True, attribute="src")
        elif child.type == "html_inline":
            yield from html_attributes(child.content, line)


def html_attributes(markup: str, line: int = 1) -> Iterator[SourceLink]:
    """Links (``href``, ``src``) and ids (``id``, ``name`` of ``<a>``) of raw HTML, in
    order, each with its line."""
    done = 0
    for attr in _ATTR.finditer(markup):
        start = attr.start()
        opened = markup.rfind("<", 0, start)
        if opened < 0 or markup.rfind(">", opened, start) >= 0:
            continue  # in text, not in a tag
        tag = _TAG_NAME.match(markup, opened)
        if tag is None:
            continue
        name, element = attr.group(1).lower(), tag.group(1).lower()
        if name == "name" and element != "a":
            continue
        line += markup.count("\n", done, start)
        done = start
        value = html.unescape(next(v for v in attr.groups()[1:] if v is not None))
        anchor = name in ("id", "name")
        image = name == "src" and element == "img"
        yield SourceLink(value, line, image=image, anchor=anchor, attribute=name)
