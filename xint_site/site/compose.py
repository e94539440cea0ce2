"""From rendered entries to every file of the site: pages, listings, 404, assets."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from xint_site.config import SiteConfig
from xint_site.problems import Problem, problem_at
from xint_site.render.highlight import highlight_css
from xint_site.site.entries import Entry, plain_text
from xint_site.site.fonts import MATH_FONT_NAME, math_font_woff2
from xint_site.site.routes import (
    CATEGORIES,
    NOT_FOUND,
    TAGS,
    Listing,
    ListingPage,
    Routes,
    listing_path,
)
from xint_site.site.theme import Theme, make_environment
from xint_site.site.urls import file_for, href

LIGHT_STYLE, DARK_STYLE = "default", "monokai"
PYGMENTS_CSS = "assets/pygments.css"
MATH_FONT = f"assets/fonts/{MATH_FONT_NAME}"


class TemplateProblem(Exception):
    """A theme template that does not parse or fails while rendering."""

    def __init__(self, error: Problem) -> None:
        super().__init__(str(error))
        self.error = error


def _template_error(exc: jinja2.TemplateError, template: str) -> Problem:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return problem_at(exc.filename or template, exc.lineno or 0, f"template: {exc.message}")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
    if frames:
        return problem_at(frames[-1].filename, frames[-1].lineno or 0, f"template: {exc}")
    return problem_at(template, 0, f"template: {exc}")


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
        self._memo: dict[str, tuple[tuple[object, ...], bytes]] = {}
        self._assets: dict[str, bytes | Path] | None = None

    def asset_names(self) -> list[str]:
        """The files the theme puts under ``assets/``, known without making them."""
        if self._assets is not None:
            return list(self._assets)
        return [PYGMENTS_CSS, MATH_FONT, *(f"assets/{n}" for n in self.theme.static_files())]

    def compose(self, routes: Routes, entries: Mapping[str, Entry]) -> dict[str, bytes | Path]:
        """Every file the routes plan, rendered from the entries (by source path)."""
        config = self.config
        posts = [entries[rel] for rel in routes.posts]
        context = _site_context(config, routes.tags, routes.categories)
        site_key = tuple((g.kind, g.name, len(g.posts)) for g in [*routes.tags, *routes.categories])
        files: dict[str, bytes | Path] = dict(routes.static)
        position = {rel: i for i, rel in enumerate(routes.posts)}
        for rel, name in routes.pages.items():
            entry = entries[rel]
            neighbours = _neighbours(posts, position.get(rel))
            files[name] = self._render(
                name,
                (entry, neighbours["newer"], neighbours["older"], site_key),
                _template_name(self.env, entry),
                partial(_page_values, context, config, entry, neighbours),
            )
        for page in routes.listing_pages:
            name = file_for(page.path)
            shown = tuple(entries[rel] for rel in page.posts)
            files[name] = self._render(
                name,
                (*shown, page.number, page.pages, site_key),
                "index.html" if page.listing.kind == "index" else "listing.html",
                partial(_listing_values, context, config, page, shown),
            )
        for kind, path in (("tag", TAGS), ("category", CATEGORIES)):
            name = file_for(path)
            files[name] = self._render(
                name, site_key, "groups.html", partial(_groups_values, context, kind)
            )
        files[NOT_FOUND] = self._render(NOT_FOUND, (), "404.html", lambda: context)
        if self._assets is None:
            self._assets = _theme_assets(self.theme)
        files.update(self._assets)
        return files

    def forget_assets(self) -> None:
        """The theme's static files changed: read them again on the next compose."""
        self._assets = None

    def _render(
        self,
        name: str,
        key: tuple[object, ...],
        template: str,
        values: Callable[[], dict[str, Any]],
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


# what each template gets: built only when its file is rendered again (see _render)
def _page_values(
    context: dict[str, Any], config: SiteConfig, entry: Entry, neighbours: dict[str, Any]
) -> dict[str, Any]:
    return {**context, **neighbours, "page": _page_view(config, entry)}


def _listing_values(
    context: dict[str, Any], config: SiteConfig, page: ListingPage, shown: tuple[Entry, ...]
) -> dict[str, Any]:
    return {**context, "listing": _listing_view(config, page, shown)}


def _groups_values(context: dict[str, Any], kind: str) -> dict[str, Any]:
    return {**context, "kind": kind}


def _same(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
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


def _listing_view(
    config: SiteConfig, page: ListingPage, posts: tuple[Entry, ...]
) -> dict[str, Any]:
    root = config.root
    return {
        "kind": page.listing.kind,
        "name": page.listing.name,
        "path": page.path,
        "number": page.number,
        "pages": page.pages,
        "previous": href(root, page.previous) if page.previous is not None else None,
        "next": href(root, page.next) if page.next is not None else None,
        "posts": [_post_view(config, p) for p in posts],
    }


def _site_context(
    config: SiteConfig, tags: tuple[Listing, ...], categories: tuple[Listing, ...]
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
        "tags": [{"name": t, "url": href(root, listing_path("tag", t))} for t in entry.tags],
        "categories": [
            {"name": c, "url": href(root, listing_path("category", c))} for c in entry.categories
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
    """The highlighting CSS and the math font, then the theme's static files, which
    may replace them (a site's ``_theme/static/pygments.css`` wins)."""
    css = (
        highlight_css(LIGHT_STYLE, ":root")
        + "\n@media (prefers-color-scheme: dark) {\n"
        + highlight_css(DARK_STYLE, ":root:not([data-theme=light])")
        + "\n}\n"
        + highlight_css(DARK_STYLE, ":root[data-theme=dark]")
    )
    files: dict[str, bytes | Path] = {PYGMENTS_CSS: css.encode(), MATH_FONT: math_font_woff2()}
    files.update({f"assets/{name}": path for name, path in theme.static_files().items()})
    return files
