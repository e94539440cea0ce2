"""A rendered page as templates and listings see it (its body stays on disk)."""

from __future__ import annotations

import datetime as dt
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


@dataclass(frozen=True)
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
    links: tuple[SourceLink, ...] = ()  # its body's links and their lines, for the link check
    notebooks: tuple[PageNotebook, ...] = ()  # one per framework run, to download

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
    text = " ".join(html.unescape(_TAGS.sub(" ", markup)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
