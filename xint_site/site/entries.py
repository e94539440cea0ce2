"""A rendered page as templates and listings see it (its body stays on disk)."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass, field
from typing import Any

from xint_site.model import Heading
from xint_site.render.links import SourceLink
from xint_site.site.notebooks import PageNotebook
from xint_site.site.urls import PagePlace

_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAGS = re.compile(r"<[^>]+>")
_MORE = "<!-- more -->"


@dataclass(frozen=True, slots=True)
class Entry:
    place: PagePlace  # its URL and what listings it is in, fixed before any cell ran
    title: str
    layout: str
    updated: dt.datetime | None
    description: str
    excerpt_html: str
    body: str  # its key in the body store (site/bodies.py)
    headings: tuple[Heading, ...]
    frameworks: tuple[str, ...]
    author: str
    extra: dict[str, Any] = field(
        default_factory=dict, compare=False
    )  # front-matter keys of the site's own
    math_chars: str = ""  # what its formulas show: the site's math font keeps these
    links: tuple[SourceLink, ...] = ()  # its body's links and their lines, for the link check
    notebooks: tuple[PageNotebook, ...] = ()  # one per framework run, to download
    blocks: str = ""  # its highlighted code in the body store, kept for the preview server

    @property
    def rel(self) -> str:
        """The source path relative to the content folder."""
        return self.place.rel

    @property
    def path(self) -> str:
        """The URL path below the site root."""
        return self.place.path

    @property
    def is_post(self) -> bool:
        return self.place.is_post

    @property
    def date(self) -> dt.datetime | None:
        return self.place.date

    @property
    def tags(self) -> tuple[str, ...]:
        return self.place.tags

    @property
    def categories(self) -> tuple[str, ...]:
        return self.place.categories


def excerpt_of(body_html: str, given: str) -> str:
    """Front matter ``excerpt``/``description``, text before ``<!-- more -->``, or the
    first paragraph."""
    if given:
        return f"<p>{html.escape(given)}</p>"
    if _MORE in body_html:
        return body_html.split(_MORE, 1)[0]
    m = _PARAGRAPH.search(body_html)
    return m.group(0) if m else ""


def plain_text(markup: str, limit: int = 200) -> str:
    """The prose of ``markup`` for a ``<meta>`` description: without headings (and their
    ``#`` links), formulas (MathML flattened to text reads as noise), code, outputs or tab
    labels."""
    text = " ".join(html.unescape(_TAGS.sub(" ", _NOT_PROSE.sub(" ", markup))).split())
    return _short(_SPACE_BEFORE_PUNCTUATION.sub(r"\1", text), limit)


def plain_markdown(text: str, limit: int = 200) -> str:
    """A front matter ``description`` written in Markdown, as plain text: formulas
    dropped, links and images by their text, emphasis and heading marks removed."""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return _short(_SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split())), limit)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def listed_excerpt(excerpt_html: str, url: str) -> str:
    """An excerpt as a listing shows it under the title of the post at ``url``: its
    headings one level down (an ``<h2>`` of the excerpt would be as big as the title and
    beside it in the outline) without their ``#`` links; its ids (and the ``for``,
    ``name`` and ARIA references to them) made its own, since every excerpt of a listing
    numbers its tab sets from 0; its ``#links`` pointing into the post."""
    text = _HEADER_ANCHOR.sub("", excerpt_html)
    text = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}>", text)
    prefix = "x" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:6] + "-"
    text = _ID_ATTR.sub(lambda m: f'{m[1]}="{prefix}{m[2]}"', text)
    return _SAME_PAGE_LINK.sub(lambda m: f'href="{html.escape(url)}#{m[1]}"', text)


_NOT_PROSE = re.compile(r"<(math|pre|output|script|style|label|h[1-6])\b.*?</\1\s*>", re.S | re.I)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?)\]，。、；：！？）」』])")
_HEADER_ANCHOR = re.compile(r"<a\b[^>]*\bclass=\"header-anchor\"[^>]*>.*?</a>", re.S)
_HEADING = re.compile(r"<(/?)h([1-6])\b[^>]*>", re.I)
_ID_ATTR = re.compile(r'\b(id|for|name|aria-controls|aria-labelledby)="([^"]*)"')
_SAME_PAGE_LINK = re.compile(r'href="#([^"]*)"')
_MARKDOWN = [
    (re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S), " "),  # formulas
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](url), ![alt](src)
    (re.compile(r"^\s{0,3}#{1,6}\s+|\*{1,3}|_{2,3}|`+|~~", re.M), ""),  # marks
]
