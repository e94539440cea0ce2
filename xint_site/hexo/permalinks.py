"""The URLs Hexo gives posts and pages, so a blog that moves keeps every one of them.

A post (a file under ``source/_posts/`` or ``_drafts/``) gets the site's ``permalink``
with Hexo's tokens filled in (its ``post_permalink`` filter): ``:title`` is the file's
path below ``_posts/`` without its extension, ``:category`` the path of its last
category, ``:hash`` a digest of the title and the date, and any other ``:name`` the
front-matter field of that name (``:abbrlink``, as the hexo-abbrlink plugin writes it).
Any other Markdown file is a page at its own path, ``about/index.md`` -> ``about/`` and
``links.md`` -> ``links.html``, whatever its front matter says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import re
from dataclasses import dataclass

from xint_site.config import SiteConfig
from xint_site.hexo.config import DRAFTS_DIR, POSTS_DIR, HexoSite
from xint_site.hexo.slugs import slugize
from xint_site.pages.source import SourcePage

# hexo-util's Permalink: a name of ASCII word characters that does not end in '_'
_TOKEN = re.compile(r":([A-Za-z0-9_]*[A-Za-z0-9])")
_POST_FOLDERS = (POSTS_DIR + "/", DRAFTS_DIR + "/")


class MissingToken(ValueError):
    """A token of the permalink that the post has no value for."""


def is_post_file(rel: str) -> bool:
    """A file under ``_posts/`` or ``_drafts/`` is a post, whatever its front matter."""
    return rel.startswith(_POST_FOLDERS)


def post_slug(rel: str) -> str:
    """Hexo's ``:title``: the path below ``_posts/`` without the extension."""
    inner = rel.split("/", 1)[1]
    return posixpath.splitext(inner)[0]


def asset_folder(rel: str) -> str:
    """The folder of a post's own files: ``_posts/my-post.md`` -> ``_posts/my-post/``."""
    return posixpath.splitext(rel)[0] + "/"


@dataclass(frozen=True)
class HexoUrls:
    """Hexo's rules for one site: its permalink pattern and what shapes it."""

    permalink: str = ":year/:month/:day/:title/"
    default_category: str = "uncategorized"
    post_asset_folder: bool = False

    @classmethod
    def of(cls, config: SiteConfig, site: HexoSite) -> HexoUrls:
        return cls(config.permalink, config.default_category, site.post_asset_folder)

    def post_path(self, page: SourcePage, date: dt.datetime) -> str:
        """The URL path of a post below the site root (``2021/05/04/autograd/``); raises
        :class:`MissingToken` for a token the post has no value for."""
        given = page.meta.permalink
        path = given if given else self._expand(page, date)
        if self.post_asset_folder and not path.endswith(("/", ".html")):
            path += "/"
        return url_path(path)

    def page_path(self, page: SourcePage) -> str:
        """The URL path of a page: its file's path, or its front matter's ``permalink``
        (``about/`` is ``about/index.html``, ``about`` is ``about.html``)."""
        path = page.meta.permalink
        if path:
            if path.endswith("/"):
                path += "index"
            if not posixpath.splitext(path)[1]:
                path += ".html"
        else:
            path = posixpath.splitext(page.rel)[0] + ".html"
        return url_path(path)

    def _expand(self, page: SourcePage, date: dt.datetime) -> str:
        values = _token_values(page, date, self.default_category)

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            found = values.get(name)
            if found is None:
                found = _field(page, name)
            if found is None:
                raise MissingToken(
                    f"the permalink '{self.permalink}' needs ':{name}', and this post has no "
                    f"'{name}' in its front matter"
                )
            return found

        return _TOKEN.sub(value, self.permalink)


def url_path(route: str) -> str:
    """A Hexo route as a URL path below the site root: no leading ``/``, no query, and
    ``x/index.html`` written ``x/`` (the same file)."""
    path = route.replace("\\", "/").lstrip("/").split("?", 1)[0]
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path


def _token_values(page: SourcePage, date: dt.datetime, default_category: str) -> dict[str, str]:
    meta = page.meta
    slug = post_slug(page.rel)
    stamp = int(date.timestamp())  # a date without a zone is local time, as in Hexo
    chains = meta.category_chains
    return {
        "id": slug,
        "title": slug,
        "name": posixpath.basename(slug),
        "post_title": slugize(meta.title, lower=True),
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "day": f"{date.day:02d}",
        "hour": f"{date.hour:02d}",
        "minute": f"{date.minute:02d}",
        "second": f"{date.second:02d}",
        "i_month": str(date.month),
        "i_day": str(date.day),
        "timestamp": str(stamp),
        "hash": hashlib.sha1(f"{slug}{stamp}".encode()).hexdigest()[:12],
        "category": "/".join(slugize(n) for n in chains[-1]) if chains else default_category,
    }


def _field(page: SourcePage, name: str) -> str | None:
    """A front-matter field as a token's text (as JavaScript writes it), or None."""
    meta = page.meta
    value = meta.extra.get(name, getattr(meta, name, None) if name in _TEXT_FIELDS else None)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | list | dict):
        return None
    return str(value)


_TEXT_FIELDS = {"layout", "author", "description", "excerpt"}
