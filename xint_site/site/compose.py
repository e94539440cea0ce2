"""From rendered entries to every file of the site: pages, listings, 404, assets."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from xint_site.config import SiteConfig
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


def compose_site(
    config: SiteConfig, theme: Theme, entries: list[Entry], static: dict[str, Path]
) -> dict[str, bytes | Path]:
    env = make_environment(theme)
    posts = sorted((e for e in entries if e.is_post), key=_newest_first)
    tags = _group(posts, "tag")
    categories = _group(posts, "category")
    context = _site_context(config, tags, categories)
    files: dict[str, bytes | Path] = dict(static)
    position = {post.rel: i for i, post in enumerate(posts)}
    for entry in entries:
        template = _template_for(env, entry.layout, "page" if not entry.is_post else "post")
        neighbours = _neighbours(posts, position.get(entry.rel))
        files[file_for(entry.path)] = _render(
            template, context, page=_page_view(config, entry), **neighbours
        )
    for listing in [
        *_paginate(config, Listing("index", config.title, "", tuple(posts))),
        *(p for group in tags for p in _paginate(config, group)),
        *(p for group in categories for p in _paginate(config, group)),
    ]:
        files[file_for(listing["path"])] = _render(
            env.get_template("index.html" if listing["kind"] == "index" else "listing.html"),
            context,
            listing=listing,
        )
    for kind, groups in (("tag", tags), ("category", categories)):
        path = "tags/" if kind == "tag" else "categories/"
        files[file_for(path)] = _render(
            env.get_template("groups.html"), context, kind=kind, groups=groups, path=path
        )
    files["404.html"] = _render(env.get_template("404.html"), context)
    files.update(_theme_assets(theme))
    return files


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
            "posts": [_post_view(config, p) for p in listing.posts[(n - 1) * size : n * size]],
            "number": n,
            "pages": pages,
            "previous": href(config.root, paths[n - 2]) if n > 1 else None,
            "next": href(config.root, paths[n]) if n < pages else None,
        }


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
    )
    return view


def _neighbours(posts: list[Entry], i: int | None) -> dict[str, Any]:
    if i is None:
        return {"newer": None, "older": None}
    newer = posts[i - 1] if i > 0 else None
    older = posts[i + 1] if i + 1 < len(posts) else None
    return {"newer": newer, "older": older}


def _template_for(env: jinja2.Environment, layout: str, fallback: str) -> jinja2.Template:
    try:
        return env.get_template(f"{layout}.html")
    except jinja2.TemplateNotFound:
        return env.get_template(f"{fallback}.html")


def _render(template: jinja2.Template, context: dict[str, Any], **values: Any) -> bytes:
    return template.render(**context, **values).encode("utf-8")


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
