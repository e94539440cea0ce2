"""The stages of a build, as functions over frozen values.

    load_site -> read_pages -> plan_urls -> index_pages -> (execute) -> render_pages
    -> resolve_references -> write_files (compose and write)

A full build (``build.py``) runs them all; the preview server (``incremental.py``)
runs the ones a change reaches; ``cache prune`` reads pages only. Each stage
returns what it made and the problems it found; nothing runs after a stage whose
problems make the build fail anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from xint_site.book.config import BOOK_CONFIG_NAME, BookConfig, load_book_config, merge_site_config
from xint_site.book.index import BookIndex, index_book
from xint_site.book.outline import Outline
from xint_site.config import CONFIG_NAME, SiteConfig, load_config
from xint_site.execute.pipeline import ExecuteOptions
from xint_site.execute.results import NotebookRun
from xint_site.hexo.config import HexoSite, find_hexo_root, load_hexo_site
from xint_site.hexo.permalinks import HexoUrls
from xint_site.hexo.tree import place_assets, walk_hexo
from xint_site.model import Document
from xint_site.pages.source import ContentTree, walk_content
from xint_site.pipeline.options import BuildOptions
from xint_site.pipeline.scan import (
    Scan,
    ScannedPage,
    page_entries,
    render_files,
    resolve_pages,
    scan_pages,
)
from xint_site.problems import Problem, Severity, problem_at
from xint_site.render.shown import PageOutputs
from xint_site.site.bodies import BodyStore
from xint_site.site.compose import Composer, ToRender
from xint_site.site.entries import Entry
from xint_site.site.entry_store import StoredEntries
from xint_site.site.out_dir import refusal
from xint_site.site.routes import Routes, plan_site
from xint_site.site.theme import Theme, find_theme
from xint_site.site.urls import PagePlace, href, place_page
from xint_site.site.writer import Staging, Written, digest

if TYPE_CHECKING:  # the runner imports Jupyter: only a build that runs cells needs it
    from xint_site.execute.runner import KernelPool


@dataclass(frozen=True)
class Site:
    """What every later stage needs: where the content is, its config and theme."""

    content: Path
    config: SiteConfig
    theme: Theme
    book: BookConfig | None = None  # the content folder holds d2l-book's config.ini
    hexo: HexoSite | None = None  # a Hexo blog (content is its source folder)

    @property
    def hexo_urls(self) -> HexoUrls | None:
        return self.hexo.urls if self.hexo is not None else None


@dataclass(frozen=True)
class Pages:
    """The content folder read: pages parsed (bodies rendered where nothing runs)."""

    scan: Scan
    scanned: list[ScannedPage]
    documents: list[Document]
    static: dict[str, Path]  # files copied as they are, by output path
    errors: list[Problem]
    warnings: list[Problem] = field(default_factory=list)  # the pages are still built
    skipped: list[Problem] = field(default_factory=list)  # links left out of the content

    @property
    def outlines(self) -> dict[str, Outline]:
        """Each page's outline, until :func:`index_pages` (its index holds them then)."""
        return {s.outline.rel: s.outline for s in self.scanned if s.document and s.outline}


def load_site(options: BuildOptions, writes: bool = True) -> tuple[Site | None, list[Problem]]:
    """The content folder, the output folder's safety (when the front end ``writes`` a
    site), the config and the theme."""
    content = options.content_dir
    if not content.is_dir():
        return None, [problem_at(content, 0, "content folder not found")]
    refused = refusal(options.out_dir, content) if writes else None
    if refused is not None:  # before any kernel: a refusal costs nothing
        return None, [refused]
    hexo_root = find_hexo_root(content)  # a Hexo blog, or its source folder
    config, errors = load_config(hexo_root or content)
    hexo, config, hexo_errors = load_hexo_site(content, config)
    errors += hexo_errors
    if hexo is not None:
        content = hexo.source
    book, book_errors = load_book_config(content) if hexo is None else (None, [])
    errors += book_errors
    if book is not None:  # xint.yml describes the frameworks, config.ini orders the tabs
        config, merge_errors = merge_site_config(book, config)
        errors += merge_errors
    theme = find_theme(config.theme, content, (hexo_root or content) / CONFIG_NAME)
    if isinstance(theme, Problem):
        return None, [*errors, theme]
    return Site(content, config, theme, book, hexo), errors


def read_pages(
    site: Site,
    options: BuildOptions,
    render: bool = True,
    bodies: BodyStore | None = None,
    blocks: bool = False,
) -> Pages:
    """Every page read and parsed on all cores; bodies of pages that run nothing are
    rendered into ``bodies`` in the same pass (none given, or ``render=False``: parse
    only), with their highlighted code blocks if ``blocks`` (for the preview server)."""
    tree = walk_hexo(site.hexo, options.drafts) if site.hexo else walk_content(site.content)
    if site.book is not None:  # d2l-book's notebooks and exclusions globs
        book = site.book
        pages = [p for p in tree.pages if book.includes(p.relative_to(site.content).as_posix())]
        tree = ContentTree(pages, tree.files, tree.skipped)
    store = bodies if render else None
    scan = Scan(
        site.config,
        site.content,
        options.drafts,
        options.execute,
        store,
        site.book,
        hexo=site.hexo_urls,
        blocks=blocks,
    )
    scanned = [s for s in scan_pages(scan, tree.pages, options.workers) if s.document or s.errors]
    return Pages(  # not the tree: its list of paths would be held to the end for nothing
        scan=scan,
        scanned=scanned,
        documents=[s.document for s in scanned if s.document is not None],
        static=content_files(tree, site.content, options.out_dir),
        errors=[e for s in scanned for e in s.errors if e.severity is Severity.ERROR],
        warnings=[e for s in scanned for e in s.errors if e.severity is Severity.WARNING],
        skipped=list(tree.skipped),
    )


def plan_urls(
    config: SiteConfig,
    documents: list[Document],
    static: dict[str, Path],
    composer: Composer,
    book: BookConfig | None = None,
    hexo: HexoUrls | None = None,
) -> tuple[dict[str, PagePlace], Routes, list[Problem]]:
    """Every page's URL and every file of the site, from front matter alone: a URL that
    leaves the site or is taken twice is an input problem, found before any kernel starts.
    A book's pages keep d2l-book's URLs, and its root page is the home page; a Hexo blog's
    pages keep Hexo's, and each post's own files are published beside it."""
    places: dict[str, PagePlace] = {}
    errors: list[Problem] = []
    for document in documents:
        place = place_page(document.page, config.permalink, book is not None, hexo)
        if isinstance(place, list):
            errors += place
        else:
            places[document.page.rel] = place
    static = published_files(static, places.values(), hexo is not None)
    assets = composer.asset_names()
    routes, taken = plan_site(config, places.values(), static, assets, home=book is None)
    return places, routes, errors + taken


def published_files(
    static: dict[str, Path], places: Iterable[PagePlace], hexo: bool
) -> dict[str, Path]:
    """The copied files by output path; in a Hexo blog, a post's own files are published
    beside the post (and a file of no post is not published)."""
    if not hexo:
        return static
    return place_assets(static, {p.rel: p.path for p in places if p.is_post})


def index_pages(
    site: Site, pages: Pages, places: dict[str, PagePlace]
) -> tuple[BookIndex | None, Pages, list[Problem]]:
    """Pass one over every page: the book's toc and numbers, every label, the citations
    (warnings: broken toc entries, labels defined twice, unreadable BibTeX). The pages
    come back without their outlines, which the index holds; a site that is no book
    gets only the warnings (nothing later reads its index)."""
    hrefs = {rel: href(site.config.root, place.path) for rel, place in places.items()}
    index, warnings = index_book(site.book, pages.outlines, hrefs, site.content)
    scanned = [replace(s, outline=None) if s.outline else s for s in pages.scanned]
    return (index if site.book is not None else None), replace(pages, scanned=scanned), warnings


def resolve_references(
    pages: Pages, index: BookIndex | None, entries: StoredEntries, jobs: int
) -> tuple[StoredEntries, list[Problem]]:
    """Pass two of a book, on all cores: each rendered page's references, numbers and toc
    blocks filled in from the whole book; an unknown label or citation key is a
    ``path:line`` warning. Only a book's pages hold references (its parser marks them)."""
    if index is None:  # a site that is no book (index_pages gives it none)
        return entries, []
    return resolve_pages(pages.scan, index, entries, jobs)


def execute_options(
    options: BuildOptions, pool: KernelPool | None = None, config: SiteConfig | None = None
) -> ExecuteOptions:
    """How notebooks run: here, or on the Dask cluster ``--scheduler`` (or ``scheduler:``
    in ``xint.yml``) names."""
    scheduler = options.scheduler or (config.scheduler if config else None)
    executor = None
    if scheduler and pool is None:  # the preview server keeps its own warm kernels
        from xint_site.dask.executor import ClusterExecutor  # imports Dask: only when asked

        executor = ClusterExecutor(scheduler)
    return ExecuteOptions(
        enabled=options.execute,
        frozen=options.frozen,
        refresh=options.refresh,
        workers=options.workers,
        progress=options.progress,
        pool=pool,
        executor=executor,
    )


def render_pages(
    pages: Pages,
    places: dict[str, PagePlace],
    outputs: dict[str, PageOutputs],
    jobs: int,
    runs: Mapping[str, list[NotebookRun]] | None = None,
) -> StoredEntries:
    """Each page's entry (it and its body in the store), by source path: those rendered
    while reading, the rest now, with their outputs, at the places :func:`plan_urls`
    gave; a page's ``runs`` become its notebooks to download."""
    return page_entries(pages.scan, pages.scanned, places, outputs, jobs, runs)


def write_files(
    staging: Staging,
    composer: Composer,
    routes: Routes,
    entries: Mapping[str, Entry],
    bodies: BodyStore,
    jobs: int,
) -> dict[str, Written | Path]:
    """Every file of the site into the staging folder: pages and listings rendered
    through the theme and written on all cores, the rest written here. What the output
    folder will hold, by digest (the composer remembers each file for the preview
    server). ``composer`` must be new: it writes every file."""
    planned = composer.plan(routes, entries)
    renders = {name: item for name, item in planned.items() if isinstance(item, ToRender)}
    renderer = composer.renderer(routes, bodies)
    written = render_files(renderer, staging, renders, jobs)
    digests = dict(zip(renders, written, strict=True))
    files: dict[str, Written | Path] = {}
    for name, item in planned.items():
        if isinstance(item, ToRender):
            composer.remember(name, digests[name])
            files[name] = Written(digests[name])
        elif isinstance(item, Written):
            raise ValueError(f"{name}: a full build cannot keep a file of an old build")
        else:
            staging.write(name, item)
            files[name] = Written(digest(item)) if isinstance(item, bytes) else item
    return files


def content_files(tree: ContentTree, content: Path, out_dir: Path) -> dict[str, Path]:
    """Files other than pages and config, copied as they are (images, data); an output
    folder inside the content folder is not content."""
    out = out_dir.resolve()
    files: dict[str, Path] = {}
    for path in tree.files:
        rel = path.relative_to(content).as_posix()
        if rel not in (CONFIG_NAME, BOOK_CONFIG_NAME) and not path.resolve().is_relative_to(out):
            files[rel] = path
    return files
