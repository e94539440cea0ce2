"""From rendered entries to every file of the site: pages, listings, 404, assets."""

from __future__ import annotations

import datetime as dt
import math
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from xint_site.config import SiteConfig
from xint_site.errors import SiteError, site_error
from xint_site.render.highlight import highlight_css
from xint_site.site.entries import Entry, plain_text
from xint_site.site.fonts import MATH_FONT_NAME, math_font_woff2
from xint_site.site.theme import Theme, make_environment
from xint_site.site.urls import file_for, href, slugify

LIGHT_STYLE, DARK_STYLE = "default", "monokai"


@dataclass(frozen=True)
class Listing:
    """A group of posts: the index, one tag or one category."""

    kind: str  # "index", "tag" or "category"
    name: str
    path: str
    posts: tuple[Entry, ...]


class TemplateProblem(Exception):
    """A theme template that does not parse or fails while rendering."""

    def __init__(self, error: SiteError) -> None:
        super().__init__(str(error))
        self.error = error


def _template_error(exc: jinja2.TemplateError, template: str) -> SiteError:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return site_error(exc.filename or template, exc.lineno or 0, f"template: {exc.message}")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
    if frames:
        return site_error(frames[-1].filename, frames[-1].lineno or 0, f"template: {exc}")
    return site_error(template, 0, f"template: {exc}")


class Composer:
    """Renders every file of the site, and only re-renders a file when what it was made
    from changed (the same entry objects, neighbours and site lists give the same bytes).

    A full build uses a fresh composer; the preview server keeps one between rebuilds,
    so a prose edit re-renders that page, its neighbours and the listings it is in.
    """

    def __init__(self, config: SiteConfig, theme: Theme) -> None:
        self.config = config
        self.theme = theme
        self.env = make_environment(theme)
        self._memo: dict[str, tuple[tuple, bytes]] = {}
        self._assets: dict[str, bytes | Path] | None = None

    def compose(self, entries: list[Entry], static: dict[str, Path]) -> dict[str, bytes | Path]:
        config = self.config
        posts = sorted((e for e in entries if e.is_post), key=_newest_first)
        tags = _group(posts, "tag")
        categories = _group(posts, "category")
        context = _site_context(config, tags, categories)
        site_key = tuple((g.kind, g.name, len(g.posts)) for g in [*tags, *categories])
        files: dict[str, bytes | Path] = dict(static)
        position = {post.rel: i for i, post in enumerate(posts)}
        for entry in entries:
            neighbours = _neighbours(posts, position.get(entry.rel))
            files[file_for(entry.path)] = self._render(
                file_for(entry.path),
                (entry, neighbours["newer"], neighbours["older"], site_key),
                _template_name(self.env, entry),
                lambda entry=entry, neighbours=neighbours: {
                    **context,
                    **neighbours,
                    "page": _page_view(config, entry),
                },
            )
        listings = [
            *_paginate(config, Listing("index", config.title, "", tuple(posts))),
            *(p for group in tags for p in _paginate(config, group)),
            *(p for group in categories for p in _paginate(config, group)),
        ]
        for listing in listings:
            name = file_for(listing["path"])
            files[name] = self._render(
                name,
                (*listing["entries"], listing["number"], listing["pages"], site_key),
                "index.html" if listing["kind"] == "index" else "listing.html",
                lambda listing=listing: {**context, "listing": _listing_view(config, listing)},
            )
        for kind, path in (("tag", "tags/"), ("category", "categories/")):
            name = file_for(path)
            files[name] = self._render(
                name, site_key, "groups.html", lambda kind=kind: {**context, "kind": kind}
            )
        files["404.html"] = self._render("404.html", (), "404.html", lambda: context)
        if self._assets is None:
            self._assets = _theme_assets(self.theme)
        files.update(self._assets)
        return files

    def forget_assets(self) -> None:
        """The theme's static files changed: read them again on the next compose."""
        self._assets = None

    def _render(
        self, name: str, key: tuple, template: str, values: Callable[[], dict[str, Any]]
    ) -> bytes:
        """The file's bytes: remembered if ``key`` holds the same things as last time."""
        known = self._memo.get(name)
        if known and _same(known[0], key):
            return known[1]
        try:
            data = self.env.get_template(template).render(**values()).encode("utf-8")
        except jinja2.TemplateError as exc:
            raise TemplateProblem(_template_error(exc, template)) from None
        self._memo[name] = (key, data)
        return data


def _same(old: tuple, new: tuple) -> bool:
    if len(old) != len(new):
        return False
    return all(
        a is b or (not isinstance(a, Entry) and a == b) for a, b in zip(old, new, strict=True)
    )


def _template_name(env: jinja2.Environment, entry: Entry) -> str:
    fallback = "post.html" if entry.is_post else "page.html"
    if not entry.layout:
        return fallback
    name = f"{entry.layout}.html"
    try:
        env.get_template(name)
    except jinja2.TemplateNotFound:
        return fallback
    return name


def _newest_first(entry: Entry) -> tuple[float, str]:
    date = entry.date or dt.datetime.min
    return (-date.replace(tzinfo=None).timestamp() if entry.date else math.inf, entry.rel)


def _group(posts: list[Entry], kind: str) -> list[Listing]:
    groups: dict[str, list[Entry]] = {}
    for post in posts:
        for name in post.tags if kind == "tag" else post.categories:
            groups.setdefault(name, []).append(post)
    base = "tags" if kind == "tag" else "categories"
    return [
        Listing(kind, name, f"{base}/{slugify(name)}/", tuple(items))
        for name, items in sorted(groups.items(), key=lambda kv: kv[0].casefold())
    ]


def _paginate(config: SiteConfig, listing: Listing) -> Iterable[dict[str, Any]]:
    size = config.per_page or max(1, len(listing.posts))
    pages = max(1, math.ceil(len(listing.posts) / size))
    paths = [listing.path if n == 1 else f"{listing.path}page/{n}/" for n in range(1, pages + 1)]
    for n in range(1, pages + 1):
        yield {
            "kind": listing.kind,
            "name": listing.name,
            "path": paths[n - 1],
            "entries": listing.posts[(n - 1) * size : n * size],
            "number": n,
            "pages": pages,
            "previous": href(config.root, paths[n - 2]) if n > 1 else None,
            "next": href(config.root, paths[n]) if n < pages else None,
        }


def _listing_view(config: SiteConfig, listing: dict[str, Any]) -> dict[str, Any]:
    return {**listing, "posts": [_post_view(config, p) for p in listing["entries"]]}


def _site_context(
    config: SiteConfig, tags: list[Listing], categories: list[Listing]
) -> dict[str, Any]:
    root = config.root
    return {
        "site": {
            "title": config.title,
            "description": config.description,
            "author": config.author,
            "language": config.language,
            "root": root,
            "url": config.url,
            "frameworks": [{"id": f.id, "label": f.label} for f in config.frameworks],
            "tags": [
                {"name": t.name, "url": href(root, t.path), "count": len(t.posts)} for t in tags
            ],
            "categories": [
                {"name": c.name, "url": href(root, c.path), "count": len(c.posts)}
                for c in categories
            ],
        },
        "url_for": lambda path: href(root, path),
        "asset": lambda name: href(root, "assets/" + name),
    }


def _post_view(config: SiteConfig, entry: Entry) -> dict[str, Any]:
    root = config.root
    return {
        "title": entry.title,
        "url": href(root, entry.path),
        "date": entry.date,
        "updated": entry.updated,
        "excerpt": entry.excerpt_html,
        "tags": [{"name": t, "url": href(root, f"tags/{slugify(t)}/")} for t in entry.tags],
        "categories": [
            {"name": c, "url": href(root, f"categories/{slugify(c)}/")} for c in entry.categories
        ],
    }


def _page_view(config: SiteConfig, entry: Entry) -> dict[str, Any]:
    view = _post_view(config, entry)
    labels = {f.id: f.label for f in config.frameworks}
    view.update(
        content=entry.body_html,
        layout=entry.layout,
        is_post=entry.is_post,
        description=entry.description or plain_text(entry.excerpt_html),
        author=entry.author or config.author,
        toc=[h for h in entry.headings if h.level in (2, 3) and h.anchor],
        frameworks=[{"id": f, "label": labels.get(f, f)} for f in entry.frameworks],
        path=entry.path,
        extra=entry.extra,
    )
    return view


def _neighbours(posts: list[Entry], i: int | None) -> dict[str, Any]:
    if i is None:
        return {"newer": None, "older": None}
    newer = posts[i - 1] if i > 0 else None
    older = posts[i + 1] if i + 1 < len(posts) else None
    return {"newer": newer, "older": older}


def _theme_assets(theme: Theme) -> dict[str, bytes | Path]:
    css = (
        highlight_css(LIGHT_STYLE, ":root")
        + "\n@media (prefers-color-scheme: dark) {\n"
        + highlight_css(DARK_STYLE, ":root:not([data-theme=light])")
        + "\n}\n"
        + highlight_css(DARK_STYLE, ":root[data-theme=dark]")
    )
    files: dict[str, bytes | Path] = {
        f"assets/{name}": path for name, path in theme.static_files().items()
    }
    files["assets/pygments.css"] = css.encode()
    files[f"assets/fonts/{MATH_FONT_NAME}"] = math_font_woff2()
    return files
