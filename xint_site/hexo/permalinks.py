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
from zoneinfo import ZoneInfo

from xint_site.hexo.slugs import slugize
from xint_site.pages.source import SourcePage

POSTS_DIR = "_posts"
DRAFTS_DIR = "_drafts"
# hexo-util's Permalink: a name of ASCII word characters that does not end in '_'
_TOKEN = re.compile(r":([A-Za-z0-9_]*[A-Za-z0-9])")
_POST_FOLDERS = (POSTS_DIR + "/", DRAFTS_DIR + "/")


class MissingToken(ValueError):
    """A token of the permalink that the post has no value for."""


def is_post_file(rel: str) -> bool:
    """A file under ``_posts/`` or ``_drafts/`` is a post, whatever its front matter."""
    return rel.startswith(_POST_FOLDERS)


def post_name(rel: str, new_post_name: str = ":title.md") -> dict[str, str]:
    """What a post's file name says, read with ``new_post_name`` as Hexo reads it:
    ``title`` (Hexo's ``:title``, the path below ``_posts/`` without the extension) and
    any date in it (``:year-:month-:day-:title.md`` and ``2021-05-04-autograd.md``)."""
    path = posixpath.splitext(rel.split("/", 1)[1])[0]
    rule = new_post_name[: len(new_post_name) - len(posixpath.splitext(new_post_name)[1])]
    names: list[str] = []

    def segment(match: re.Match[str]) -> str:
        names.append(match.group(1))
        return _NAME_SEGMENTS.get(match.group(1), "(.+?)")

    found = re.fullmatch(_TOKEN.sub(segment, re.escape(rule)), path)
    if found is None:
        return {"title": slugize(path)}
    data = dict(zip(names, found.groups(), strict=True))
    data.setdefault("title", slugize(path))
    return data


_NAME_SEGMENTS = {
    "year": r"(\d{4})",
    "month": r"(\d{2})",
    "day": r"(\d{2})",
    "i_month": r"(\d{1,2})",
    "i_day": r"(\d{1,2})",
    "hash": r"([0-9a-f]{12})",
}


def name_date(name: dict[str, str]) -> dt.datetime | None:
    """The day a post's file name gives (Hexo's date for a post whose front matter has
    none), or None."""
    month, day = name.get("month") or name.get("i_month"), name.get("day") or name.get("i_day")
    if not (name.get("year") and month and day):
        return None
    try:
        return dt.datetime(int(name["year"]), int(month), int(day))
    except ValueError:
        return None


def asset_folder(rel: str) -> str:
    """The folder of a post's own files: ``_posts/my-post.md`` -> ``_posts/my-post/``."""
    return posixpath.splitext(rel)[0] + "/"


def url_path(route: str) -> str:
    """A Hexo route as a URL path below the site root: no leading ``/``, no query, and
    ``x/index.html`` written ``x/`` (the same file)."""
    path = route.replace("\\", "/").lstrip("/").split("?", 1)[0]
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path


@dataclass(frozen=True)
class HexoUrls:
    """Hexo's rules for one blog's URLs: its permalink pattern and what shapes it, from
    ``_config.yml`` (``permalink`` and ``default_category`` as ``xint.yml`` may set them)."""

    permalink: str = ":year/:month/:day/:title/"
    default_category: str = "uncategorized"
    post_asset_folder: bool = False
    new_post_name: str = ":title.md"
    filename_case: int = 0  # tag and category slugs: 1 lower case, 2 upper case
    tag_map: tuple[tuple[str, str], ...] = ()  # a tag's name -> the name its slug is made of
    category_map: tuple[tuple[str, str], ...] = ()
    timezone: str = ""
    per_page: tuple[tuple[str, int], ...] = ()  # a listing kind's own posts per page
    archives: str = "yearly monthly"  # archives besides all posts': yearly, monthly, daily
    home: str = ""  # the home page's folder (index_generator.path)
    home_pages: str = ""  # its further pages' folder (index_generator.pagination_dir)

    def local_date(self, date: dt.datetime) -> dt.datetime:
        """A post's date as Hexo shows it and puts it in URLs: this machine's time, with
        its clock reading taken as ``timezone``'s when the site sets one (Hexo's
        ``adjustDateForTimezone``)."""
        if date.tzinfo is not None:
            date = date.astimezone().replace(tzinfo=None)
        if not self.timezone:
            return date
        zoned = date.replace(tzinfo=ZoneInfo(self.timezone))
        return zoned.astimezone().replace(tzinfo=None)

    def slug(self, name: str, kind: str) -> str:
        """A tag's (``kind`` "tag") or a category's URL segment: its name, or the one
        ``tag_map``/``category_map`` gives it, slugized."""
        names = dict(self.tag_map if kind == "tag" else self.category_map)
        slug = slugize(names.get(name, name))
        return {1: slug.lower(), 2: slug.upper()}.get(self.filename_case, slug)

    def is_draft(self, page: SourcePage) -> bool:
        """Hexo's drafts: ``_drafts/`` and ``published: false`` (its ``draft:`` is no key:
        such a post is published)."""
        return page.rel.startswith(DRAFTS_DIR + "/") or page.meta.extra.get("published") is False

    def name(self, page: SourcePage) -> dict[str, str]:
        return post_name(page.rel, self.new_post_name)

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
        values = {**self.name(page), **self._token_values(page, date)}

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

    def _token_values(self, page: SourcePage, date: dt.datetime) -> dict[str, str]:
        meta = page.meta
        slug = self.name(page)["title"]
        stamp = int(date.timestamp())  # a date without a zone is local time, as in Hexo
        chains = meta.category_chains
        last = "/".join(self.slug(n, "category") for n in chains[-1]) if chains else ""
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
            "category": last or self.default_category,
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


def is_draft(page: SourcePage, hexo: HexoUrls | None) -> bool:
    """Whether a page is left out without ``--drafts``: ``draft: true``; in a Hexo blog
    (``hexo``), Hexo's own rule instead (:meth:`HexoUrls.is_draft`)."""
    return hexo.is_draft(page) if hexo is not None else page.meta.draft
