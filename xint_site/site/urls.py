"""Where each page lives: Hexo-style permalinks, pretty URLs, no escaping the output."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote

from xint_site.hexo.permalinks import HexoUrls, MissingToken, is_post_file, name_date
from xint_site.pages.names import path_problem
from xint_site.pages.source import SourcePage
from xint_site.problems import Problem, problem_at

_TOKEN = re.compile(r":(year|month|day|i_month|i_day|hour|minute|second|title|name|category|id)")
_UNSAFE = re.compile(r"[\s?#%\\\"'<>|*]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # whitespace ones become '-'


@dataclass(frozen=True, slots=True)
class PagePlace:
    """Where a page goes: known from its file name and front matter alone, so URL
    problems are found before any kernel starts."""

    page: SourcePage
    path: str  # URL path below the site root, e.g. ``2021/05/04/autograd/``
    is_post: bool
    hexo: HexoUrls | None = None  # a Hexo blog's page: Hexo's slugs and nested categories
    own_date: dt.datetime | None = None  # a Hexo post's date when its front matter has none

    @property
    def listed_categories(self) -> tuple[tuple[str, ...], ...]:
        """The categories whose listings show this post, each as its path of names: in a
        Hexo blog ``[a, b]`` is ``a`` and ``a/b``; elsewhere each name is one category."""
        if self.hexo is None:
            return tuple((name,) for name in self.categories)
        listed: dict[tuple[str, ...], None] = {}
        for chain in self.page.meta.category_chains:
            listed.update((chain[:i], None) for i in range(1, len(chain) + 1))
        return tuple(listed)

    def slug(self, name: str, kind: str) -> str:
        """A tag's (``kind`` "tag") or category's URL segment: Hexo's in a Hexo blog, else
        ours."""
        return self.hexo.slug(name, kind) if self.hexo is not None else slugify(name)

    @property
    def rel(self) -> str:
        return self.page.rel

    @property
    def date(self) -> dt.datetime | None:
        return self.own_date or self.page.meta.date

    @property
    def tags(self) -> tuple[str, ...]:
        return self.page.meta.tags

    @property
    def categories(self) -> tuple[str, ...]:
        return self.page.meta.categories

    @property
    def line(self) -> int:
        """The line that gives the page its URL: ``permalink``, else a post's ``date``
        (the site's pattern), else 1 (the file's own path)."""
        meta = self.page.meta
        if meta.permalink:
            return meta.line("permalink")
        return meta.line("date") if self.is_post else 1


def place_page(
    page: SourcePage, pattern: str, book: bool = False, hexo: HexoUrls | None = None
) -> PagePlace | list[Problem]:
    """The page's place, or why it has none: a URL that leaves the site, a tag or a
    category that cannot be a folder name. A ``book`` page keeps d2l-book's URL, a page
    of a Hexo blog the one Hexo gives it."""
    errors = [
        problem_at(page.path, page.meta.line(key), f"{kind} {name!r} cannot be a URL")
        for key, kind, names in (
            ("tags", "tag", page.meta.tags),
            ("categories", "category", page.meta.categories),
        )
        for name in names
        if not name_is_url(name)
    ]
    if errors:
        return errors
    if hexo is not None:
        hexo_place = _hexo_place(page, hexo)
        if isinstance(hexo_place, Problem):
            return [hexo_place]
        place = hexo_place
    else:
        place = PagePlace(page, page_path(page, pattern, book), is_post(page))
    reason = unsafe_reason(place.path)
    if reason:
        return [problem_at(page.path, place.line, f"permalink '{place.path}' {reason}")]
    return place


def _hexo_place(page: SourcePage, hexo: HexoUrls) -> PagePlace | Problem:
    """Files under ``_posts/`` and ``_drafts/`` are posts; a post without a date has the
    one its file name gives (``new_post_name``) or its file's time; dates are in this
    machine's time, read in the site's ``timezone`` when it sets one, as Hexo does."""
    if not is_post_file(page.rel):
        return PagePlace(page, hexo.page_path(page), False, hexo=hexo)
    given = page.meta.date or name_date(hexo.name(page))
    if given is not None:
        date = hexo.local_date(given)
    else:
        try:
            date = dt.datetime.fromtimestamp(page.path.stat().st_mtime)
        except OSError:  # removed since it was read (the preview server): it goes next time
            date = dt.datetime.now()
    try:
        path = hexo.post_path(page, date)
    except MissingToken as exc:
        line = page.meta.line("permalink") if page.meta.permalink else 1
        return problem_at(page.path, line, str(exc))
    return PagePlace(page, path, True, hexo=hexo, own_date=date)


def name_is_url(name: str) -> bool:
    """Whether a tag or category can name a folder: not only dots, no NUL or other
    control character (tabs and newlines are spaces)."""
    return bool(name.strip(".")) and not _CONTROL.search(name)


def slugify(name: str) -> str:
    """A URL segment for a tag or category: spaces and URL-special characters become '-',
    leading dots go (``.NET`` is ``NET``: a hidden folder is not published everywhere)."""
    return _UNSAFE.sub("-", name.replace("/", "-")).lstrip(".").strip("-") or "-"


def is_post(page: SourcePage) -> bool:
    return page.meta.date is not None and page.meta.layout != "page"


def page_path(page: SourcePage, pattern: str, book: bool = False) -> str:
    """The page's URL path below the site root, e.g. ``2021/05/04/autograd/``; a page of
    a book keeps d2l-book's: ``chapter_x/section.md`` is ``chapter_x/section.html``."""
    if page.meta.permalink:
        path = page.meta.permalink
    elif is_post(page):
        path = _expand(pattern, page)
    elif book:
        path = page.slug + ".html"
    else:
        stem = page.slug
        path = stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
    path = path.lstrip("/")
    if path and not path.endswith("/") and not posixpath.splitext(path)[1]:
        path += "/"
    return path


def unsafe_reason(path: str) -> str | None:
    """Why a URL path would write outside the output folder, or None."""
    if "\\" in path or "\x00" in path:
        return "contains a backslash or NUL"
    parts = path.split("/")
    if any(p in ("..", ".") for p in parts):
        return "contains '..' or '.'"
    normalized = posixpath.normpath("/" + path)
    if not normalized.startswith("/"):
        return "leaves the site"
    return path_problem(path)  # a part over 255 bytes (names.py)


def _expand(pattern: str, page: SourcePage) -> str:
    date = page.meta.date
    assert date is not None
    values = {
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "day": f"{date.day:02d}",
        "i_month": str(date.month),
        "i_day": str(date.day),
        "hour": f"{date.hour:02d}",
        "minute": f"{date.minute:02d}",
        "second": f"{date.second:02d}",
        "title": page.slug,
        "name": page.slug.rsplit("/", 1)[-1],
        "category": slugify(page.meta.categories[0]) if page.meta.categories else "uncategorized",
        "id": page.slug,
    }
    return _TOKEN.sub(lambda m: values[m.group(1)], pattern)


def href(root: str, path: str) -> str:
    """A link to a URL path, percent-encoded (Chinese tags stay readable on disk)."""
    return root + quote(path, safe="/:@!$&'()*+,;=-._~")


def file_for(path: str) -> str:
    """The file inside the output folder that serves a URL path."""
    if not path or path.endswith("/"):
        return path + "index.html"
    return path
