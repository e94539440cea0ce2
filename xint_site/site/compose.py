"""From rendered entries to every file of the site: pages, listings, 404, assets.

``Composer.plan`` lists every file: a ``FileJob`` (a template and the values it gets)
for each file to render, unless it would be made from the same things as the file
last written there. A job is small and holds no page body (the body store holds
those), so a full build sends jobs to worker processes that render and write the
files themselves; the preview server renders them in its own process (``compose``).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from xint_site.config import SiteConfig
from xint_site.problems import Problem, problem_at
from xint_site.render.highlight import highlight_css
from xint_site.site.bodies import BodyStore
from xint_site.site.entries import Entry, listed_excerpt, plain_markdown, plain_text
from xint_site.site.feeds import ATOM, feeds_enabled, site_feeds
from xint_site.site.fonts import MATH_FONT_NAME, math_font_woff2
from xint_site.site.routes import (
    NOT_FOUND,
    Listing,
    ListingPage,
    Routes,
    categories_path,
    post_listings,
    tags_path,
)
from xint_site.site.theme import Theme, make_environment
from xint_site.site.urls import file_for, href
from xint_site.site.writer import Written, digest

LIGHT_STYLE, DARK_STYLE = "default", "monokai"
PYGMENTS_CSS = "assets/pygments.css"
MATH_FONT = f"assets/fonts/{MATH_FONT_NAME}"


class TemplateProblem(Exception):
    """A theme template that does not parse or fails while rendering."""

    def __init__(self, error: Problem) -> None:
        super().__init__(str(error))
        self.error = error

    def __reduce__(self) -> tuple[type[TemplateProblem], tuple[Problem]]:
        return TemplateProblem, (self.error,)  # raised in a worker, re-raised in the build


def _template_error(exc: jinja2.TemplateError, template: str) -> Problem:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return problem_at(exc.filename or template, exc.lineno or 0, f"template: {exc.message}")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
    if frames:
        return problem_at(frames[-1].filename, frames[-1].lineno or 0, f"template: {exc}")
    return problem_at(template, 0, f"template: {exc}")


@dataclass(frozen=True)
class FileJob:
    """One file to render: its template, the values it gets besides the site's, and for
    a page the key of its body, read from the body store only when rendering."""

    name: str
    template: str
    values: dict[str, Any]
    body: str | None = None


@dataclass(frozen=True)
class ToRender:
    """A file to render, whose job is made only when it is rendered (the jobs of a whole
    site at once would fill the memory a build is meant to keep small)."""

    job: Callable[[], FileJob]


Planned = ToRender | bytes | Path | Written  # a file to render, to write or copy, or as it is


class FileRenderer:
    """Renders file jobs with the site's context, in this process or in a worker forked
    from it (the context holds functions: it is inherited, never sent)."""

    def __init__(self, env: jinja2.Environment, context: dict[str, Any], bodies: BodyStore):
        self.env = env
        self.context = context
        self.bodies = bodies

    def render(self, job: FileJob) -> bytes:
        values = job.values
        if job.body is not None:
            page = {**values["page"], "content": self.bodies.get(job.body)}
            values = {**values, "page": page}
        try:
            html = self.env.get_template(job.template).render({**self.context, **values})
        except jinja2.TemplateError as exc:
            raise TemplateProblem(_template_error(exc, job.template)) from None
        return html.encode("utf-8")


class Composer:
    """Plans and renders every file of the site, and only re-renders a file when what it
    was made from changed (the same entry objects, neighbours and site lists give the
    same bytes).

    A full build uses a fresh composer; the preview server keeps one between rebuilds,
    so a prose edit re-renders that page, its neighbours and the listings it is in. A
    composer that is not kept (``remember=False``: the build of a command) keeps nothing
    of the files it plans, and reads each entry only when a file that shows it is
    rendered, so entries kept on disk (``site/entry_store.py``) stay there.
    """

    def __init__(self, config: SiteConfig, theme: Theme, remember: bool = True) -> None:
        self.config = config
        self.theme = theme
        self.remembers = remember
        self.env = make_environment(theme)
        self._memo: dict[str, tuple[tuple[object, ...], str]] = {}  # made from, digest
        self._made: dict[str, tuple[object, ...]] = {}  # planned, until written
        self._assets: dict[str, bytes | Path] | None = None
        self._font: tuple[str, bytes] = ("", b"")  # the math font for these characters

    def asset_names(self) -> list[str]:
        """The files the theme puts under ``assets/``, known without making them."""
        if self._assets is not None:  # the math font is cut for the pages, not a theme file
            return list(dict.fromkeys([MATH_FONT, *self._assets]))
        return [PYGMENTS_CSS, MATH_FONT, *(f"assets/{n}" for n in self.theme.static_files())]

    def plan(self, routes: Routes, entries: Mapping[str, Entry]) -> dict[str, Planned]:
        """Every file the routes plan, by output path: each file to render (unless it is
        made from the same things as when it was last written: its digest then), the
        bytes or the file to copy for the rest."""
        config = self.config
        site_key = tuple((g.kind, g.name, len(g.posts)) for g in [*routes.tags, *routes.categories])
        files: dict[str, Planned] = dict(routes.static)
        position = {rel: i for i, rel in enumerate(routes.posts)}
        self._made = {}
        shown: set[str] = set()  # the characters of every page's formulas
        for rel, name in routes.pages.items():
            entry = entries[rel]  # read once here: with entries on disk, each read costs
            shown.update(entry.math_chars)
            newer, older = _neighbours(routes.posts, position.get(rel))
            files[name] = self._job(
                name,
                partial(_page_key, entries, rel, newer, older, site_key),
                partial(_page_job, self.env, config, name, entries, rel, newer, older),
            )
            for notebook in entry.notebooks:  # beside the page; a file of the site's own wins
                files.setdefault(notebook.file, notebook.stored)
        for page in routes.listing_pages:
            name = file_for(page.path)
            files[name] = self._job(
                name,
                partial(_listing_key, entries, page, site_key),
                partial(_listing_job, config, name, page, entries),
            )
        for kind, path in (("tag", tags_path(config)), ("category", categories_path(config))):
            name = file_for(path)
            files[name] = self._job(
                name,
                partial(tuple, site_key),
                partial(FileJob, name, "groups.html", {"kind": kind}),
            )
        files[NOT_FOUND] = self._job(
            NOT_FOUND, partial(tuple, ()), partial(FileJob, NOT_FOUND, "404.html", {})
        )
        lists = [p.path for p in routes.listing_pages]
        lists += [tags_path(config), categories_path(config)]
        files.update(
            site_feeds(config, entries, routes.posts, routes.pages, lists, taken=routes.static)
        )
        if self._assets is None:
            self._assets = _theme_assets(self.theme)
        files[MATH_FONT] = self._math_font("".join(sorted(shown)))
        files.update(self._assets)  # a theme's own font file wins
        return files

    def _math_font(self, chars: str) -> bytes:
        """The math font cut to the characters of every page's formulas (made again only
        when they change)."""
        if not self._font[1] or chars != self._font[0]:
            self._font = (chars, math_font_woff2(chars))
        return self._font[1]

    def renderer(self, routes: Routes, bodies: BodyStore) -> FileRenderer:
        context = _site_context(self.config, routes.tags, routes.categories)
        context["t"] = self.theme.strings(self.config.language)  # t("copy"): the theme's i18n
        feed = feeds_enabled(self.config) and routes.posts and ATOM not in routes.static
        context["site"]["feed"] = href(self.config.root, ATOM) if feed else None
        return FileRenderer(self.env, context, bodies)

    def remember(self, name: str, written: str) -> None:
        """The file last planned as ``name`` is written, with this digest: later plans
        skip it while it would be made from the same things."""
        if self.remembers:
            self._memo[name] = (self._made.pop(name), written)

    def compose(
        self, routes: Routes, entries: Mapping[str, Entry], bodies: BodyStore
    ) -> dict[str, bytes | Path | Written]:
        """Every file, rendered in this process where it has to be (the preview server);
        pass what was then written to :meth:`written`."""
        renderer = self.renderer(routes, bodies)
        return {
            name: renderer.render(item.job()) if isinstance(item, ToRender) else item
            for name, item in self.plan(routes, entries).items()
        }

    def compose_pages(
        self,
        routes: Routes,
        entries: Mapping[str, Entry],
        bodies: BodyStore,
        rels: Iterable[str],
    ) -> dict[str, bytes | Path | Written]:
        """Only these pages' files (and their notebooks), for an edit that changed nothing
        another file shows (title, dates, excerpt, URL, formulas' characters): the
        preview's prose edit costs the same in a site of any size."""
        renderer = self.renderer(routes, bodies)
        site_key = tuple((g.kind, g.name, len(g.posts)) for g in [*routes.tags, *routes.categories])
        files: dict[str, bytes | Path | Written] = {}
        for rel in rels:
            entry, name = entries[rel], routes.pages[rel]
            newer, older = _neighbours(
                routes.posts, routes.posts.index(rel) if entry.is_post else None
            )
            item = self._job(
                name,
                partial(_page_key, entries, rel, newer, older, site_key),
                partial(_page_job, self.env, self.config, name, entries, rel, newer, older),
            )
            files[name] = renderer.render(item.job()) if isinstance(item, ToRender) else item
            for notebook in entry.notebooks:
                if notebook.file not in routes.static:  # a file of the site's own wins
                    files.setdefault(notebook.file, notebook.stored)
        return files

    def written(self, files: Mapping[str, bytes | Path | Written]) -> dict[str, Written | Path]:
        """The composed files, now in the output folder, as digests (not bytes); the ones
        rendered are remembered."""
        kept: dict[str, Written | Path] = {}
        for name, content in files.items():
            if isinstance(content, bytes):
                known = kept[name] = Written(digest(content))
                if name in self._made:
                    self.remember(name, known.digest)
            else:
                kept[name] = content
        return kept

    def forget_assets(self) -> None:
        """The theme's static files changed: read them again on the next compose."""
        self._assets = None

    def _job(
        self, name: str, key: Callable[[], tuple[object, ...]], make: Callable[[], FileJob]
    ) -> ToRender | Written:
        """The file to render, or its digest when the file last written there was made
        from the same things (``key``: what it is made from, asked only when remembering)."""
        if not self.remembers:
            return ToRender(make)
        made = key()
        known = self._memo.get(name)
        if known and _same(known[0], made):
            return Written(known[1])
        self._made[name] = made
        return ToRender(make)


# what each file is made from (see _job), and its job: made only when it is rendered
def _page_key(
    entries: Mapping[str, Entry],
    rel: str,
    newer: str | None,
    older: str | None,
    site_key: tuple[object, ...],
) -> tuple[object, ...]:
    return (entries[rel], _entry(entries, newer), _entry(entries, older), site_key)


def _page_job(
    env: jinja2.Environment,
    config: SiteConfig,
    name: str,
    entries: Mapping[str, Entry],
    rel: str,
    newer: str | None,
    older: str | None,
) -> FileJob:
    entry = entries[rel]
    values = {
        "newer": _entry(entries, newer),
        "older": _entry(entries, older),
        "page": _page_view(config, entry),
    }
    return FileJob(name, _template_name(env, entry), values, entry.body)


def _listing_key(
    entries: Mapping[str, Entry], page: ListingPage, site_key: tuple[object, ...]
) -> tuple[object, ...]:
    return (*(entries[rel] for rel in page.posts), page.number, page.pages, site_key)


def _listing_job(
    config: SiteConfig, name: str, page: ListingPage, entries: Mapping[str, Entry]
) -> FileJob:
    template = "index.html" if page.listing.kind == "index" else "listing.html"
    shown = tuple(entries[rel] for rel in page.posts)
    return FileJob(name, template, {"listing": _listing_view(config, page, shown)})


def _entry(entries: Mapping[str, Entry], rel: str | None) -> Entry | None:
    return entries[rel] if rel is not None else None


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
    except jinja2.TemplateError as exc:  # the layout's template does not parse
        raise TemplateProblem(_template_error(exc, name)) from None
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
            "subtitle": config.subtitle,
            "author": config.author,
            "language": config.language,
            "search": config.search,
            "root": root,
            "url": config.url,
            "frameworks": [
                {"id": f.id, "label": f.label, "aliases": list(f.aliases)}
                for f in config.frameworks
            ],
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
    tags, categories = post_listings(config, entry.place)
    return {
        "title": entry.title,
        "url": href(root, entry.path),
        "date": entry.date,
        "updated": entry.updated,
        "excerpt": listed_excerpt(entry.excerpt_html, href(root, entry.path)),
        "tags": [{"name": name, "url": href(root, path)} for name, path in tags],
        "categories": [{"name": name, "url": href(root, path)} for name, path in categories],
    }


def _page_view(config: SiteConfig, entry: Entry) -> dict[str, Any]:
    view = _post_view(config, entry)
    labels = {f.id: f.label for f in config.frameworks}
    view.update(
        content="",  # the body, read from the body store when the page is rendered
        layout=entry.layout,
        is_post=entry.is_post,
        description=plain_markdown(entry.description) or plain_text(entry.excerpt_html),
        author=entry.author or config.author,
        toc=[h for h in entry.headings if h.level in (2, 3) and h.anchor],
        frameworks=[{"id": f, "label": labels.get(f, f)} for f in entry.frameworks],
        path=entry.path,
        extra=entry.extra,
        notebooks=[
            {"framework": n.framework, "label": n.label, "url": href(config.root, n.file)}
            for n in entry.notebooks
        ],
    )
    return view


def _neighbours(posts: tuple[str, ...], i: int | None) -> tuple[str | None, str | None]:
    """The newer and older post beside the ``i``th post (none for a page)."""
    if i is None:
        return None, None
    newer = posts[i - 1] if i > 0 else None
    older = posts[i + 1] if i + 1 < len(posts) else None
    return newer, older


def _theme_assets(theme: Theme) -> dict[str, bytes | Path]:
    """The highlighting CSS, then the theme's static files, which may replace it (a
    site's ``_theme/static/pygments.css`` wins)."""
    css = (
        highlight_css(LIGHT_STYLE, ":root")
        + "\n@media (prefers-color-scheme: dark) {\n"
        + highlight_css(DARK_STYLE, ":root:not([data-theme=light])")
        + "\n}\n"
        + highlight_css(DARK_STYLE, ":root[data-theme=dark]")
    )
    files: dict[str, bytes | Path] = {PYGMENTS_CSS: css.encode()}
    files.update({f"assets/{name}": path for name, path in theme.static_files().items()})
    return files
