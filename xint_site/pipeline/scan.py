"""The per-page stages on every core: read, parse, render page bodies, write files.

Pygments dominates a build, so pages go to worker processes: ``scan_pages`` reads
and parses each page and, when none of its cells will run, renders its body at
once; ``page_entries`` renders the rest once their outputs are known;
``resolve_pages`` fills in a book's references once the whole book is numbered;
``render_files`` renders pages and listings through the theme into the staging
folder. Bodies and each page's entry (``site/entry_store.py``) go to the body store
and files to the staging folder as they are made, so only keys and digests come back
to the parent. A worker re-parses a page rather than receiving its tokens (shipping
tokens between processes costs as much as parsing them).
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TypeVar

from markdown_it import MarkdownIt

from xint_site.book.config import BookConfig
from xint_site.book.index import BookIndex
from xint_site.book.nav import BookNav
from xint_site.book.outline import Outline, outline_of
from xint_site.book.resolve import resolve
from xint_site.config import SiteConfig
from xint_site.document import parse_document
from xint_site.execute.results import NotebookRun
from xint_site.hexo.permalinks import HexoUrls, is_draft
from xint_site.model import Document
from xint_site.pages.source import read_page
from xint_site.plan import plan_page
from xint_site.problems import Problem
from xint_site.render.highlight import page_blocks
from xint_site.render.links import source_links
from xint_site.render.page import render_body
from xint_site.render.shown import PageOutputs
from xint_site.render.site_parser import parser_for
from xint_site.site.bodies import BodyStore
from xint_site.site.compose import FileRenderer, ToRender
from xint_site.site.entries import Entry, excerpt_of
from xint_site.site.entry_store import StoredEntries, load_entry, store_entry
from xint_site.site.fonts import math_chars
from xint_site.site.notebooks import page_notebooks
from xint_site.site.urls import PagePlace, place_page
from xint_site.site.writer import Staging, digest

MIN_PAGES_PER_WORKER = 16
CHUNKS_PER_WORKER = 16  # chunks small enough to share the work evenly
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Scan:
    """What the workers need to know, the same for every page of a build."""

    config: SiteConfig
    content: Path
    drafts: bool
    execute: bool
    bodies: BodyStore | None = None  # where bodies go; None: parse only (cache prune)
    book: BookConfig | None = None  # a book's pages are in d2l-book's Markdown
    hexo: HexoUrls | None = None  # a Hexo blog's pages get Hexo's URLs
    blocks: bool = False  # store each page's highlighted code (the preview renders it again)


@dataclass(frozen=True, slots=True)
class ScannedPage:
    document: Document | None  # None: a draft left out; once rendered, see _rendered
    entry_key: str | None  # its entry in the body store; None: not rendered (its cells
    # run first, or it has problems)
    errors: tuple[Problem, ...]  # none: the one empty tuple, not a list per page
    outline: Outline | None = None  # what the book numbers and labels (tokens stay here)


@dataclass
class _Worker:
    """What this process renders with: set before a pass, inherited by forked workers."""

    scan: Scan | None = None
    md: MarkdownIt | None = None
    index: BookIndex | None = None
    renderer: FileRenderer | None = None
    staging: Staging | None = None
    files: Mapping[str, ToRender] | None = None


_worker = _Worker()


def scan_pages(scan: Scan, paths: list[Path], jobs: int) -> list[ScannedPage]:
    return _map(partial(_start, scan), _scan_one, paths, len(paths), jobs)


def page_entries(
    scan: Scan,
    scanned: list[ScannedPage],
    places: dict[str, PagePlace],
    outputs: dict[str, PageOutputs],
    jobs: int,
    runs: Mapping[str, list[NotebookRun]] | None = None,
) -> StoredEntries:
    """Entries in page order: rendered during the scan, or now that outputs are known
    (with a notebook to download per run of the page)."""
    assert scan.bodies is not None
    ran = runs or {}
    waiting = [
        (d, places[d.page.rel], outputs.get(d.page.rel), ran.get(d.page.rel, []))
        for s in scanned
        if s.entry_key is None and (d := s.document) is not None
    ]
    later = iter(_map(partial(_start, scan), _render_one, waiting, len(waiting), jobs))
    keys = {
        d.page.rel: s.entry_key if s.entry_key is not None else next(later)
        for s in scanned
        if (d := s.document) is not None
    }
    return StoredEntries(scan.bodies, keys)


def resolve_pages(
    scan: Scan, index: BookIndex, entries: StoredEntries, jobs: int
) -> tuple[StoredEntries, list[Problem]]:
    """Pass two of a book: each page's references, numbers and toc blocks filled in
    from the whole book (a new body, and the excerpt taken from it), and what the book
    shows around it; an unknown label or citation key is a ``path:line`` warning."""
    start = partial(_start, scan, index=index)
    keys = list(entries.by_page.values())
    resolved = _map(start, _resolve_one, keys, len(keys), jobs)
    stored = dict(zip(entries.by_page, (key for key, _ in resolved), strict=True))
    return StoredEntries(entries.bodies, stored), [w for _, found in resolved for w in found]


def render_files(
    renderer: FileRenderer, staging: Staging, files: Mapping[str, ToRender], jobs: int
) -> list[str]:
    """Render each file and write it into the staging folder; their digests, in order.
    A worker makes each file's job itself (reading the entries it shows from the store),
    from the ``files`` it inherited: only names are sent to it."""
    start = partial(_start_files, renderer, staging, files)
    return _map(start, _write_one, files, len(files), jobs)


def _map(
    start: Callable[[], None], fn: Callable[[T], R], items: Iterable[T], count: int, jobs: int
) -> list[R]:
    """``fn`` over the ``count`` items, in order, in this process and ``jobs - 1`` forked
    workers (so ``-j 2`` is two processes, not a third that only waits). Items are
    taken in chunks as workers are ready, so they may be made as they are taken."""
    start()  # before forking: the workers inherit the parser and whatever start made
    workers = min(jobs, count // MIN_PAGES_PER_WORKER)
    if workers < 2:
        return [fn(item) for item in items]
    gc.freeze()  # the workers share these objects' pages instead of copying them
    pool = ProcessPoolExecutor(workers - 1, multiprocessing.get_context("fork"))
    done: dict[int, list[R]] = {}
    sent: dict[int, Future[list[R]]] = {}
    try:
        for n, chunk in enumerate(_chunks(items, count, workers)):
            if len(sent) < 2 * (workers - 1):  # one running and one waiting per worker
                sent[n] = pool.submit(_each, fn, chunk)
            else:
                done[n] = _each(fn, chunk)  # while the workers are busy, work here
            for k in [k for k, future in sent.items() if future.done()]:
                done[k] = sent.pop(k).result()
        for k, future in sent.items():
            done[k] = future.result()
    finally:  # on a problem, chunks not begun are not run
        pool.shutdown(cancel_futures=True)
        gc.unfreeze()
    return [result for k in sorted(done) for result in done[k]]


def _chunks(items: Iterable[T], count: int, workers: int) -> Iterator[list[T]]:
    """Chunks that shrink towards the end, so no process waits long for another's last
    chunk: a share of what is left, at most 1/CHUNKS_PER_WORKER of a worker's part."""
    largest = max(1, count // (workers * CHUNKS_PER_WORKER))
    left = count
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= min(largest, max(1, left // (4 * workers))):
            left -= len(chunk)
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _each(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(item) for item in chunk]


def _start(scan: Scan, index: BookIndex | None = None) -> None:
    if _worker.scan is None or _worker.scan.config is not scan.config:
        _worker.md = parser_for(scan.config, d2l=scan.book is not None)
    _worker.scan = scan
    _worker.index = index


def _start_files(renderer: FileRenderer, staging: Staging, files: Mapping[str, ToRender]) -> None:
    _worker.renderer = renderer
    _worker.staging = staging
    _worker.files = files


def _scan_one(path: Path) -> ScannedPage:
    scan, md = _worker.scan, _worker.md
    assert scan is not None and md is not None
    page = read_page(path, scan.content)
    if isinstance(page, list):
        return ScannedPage(None, None, tuple(page))
    if is_draft(page, scan.hexo) and not scan.drafts:
        return ScannedPage(None, None, ())
    document, errors = parse_document(md, page)
    outline = outline_of(document.tokens, page.rel, page.body_line)
    runs = scan.execute and bool(plan_page(document, scan.config))
    place = place_page(page, scan.config.permalink, scan.book is not None, scan.hexo)
    if runs or errors or scan.bodies is None or isinstance(place, list):
        # rendered later (or never: the build fails); the parent re-parses if it renders
        return ScannedPage(replace(document, tokens=()), None, tuple(errors), outline)
    rendered = _rendered(document)
    entry = _render(scan, md, document, replace(place, page=rendered.page), None)
    return ScannedPage(rendered, store_entry(scan.bodies, entry), tuple(errors), outline)


def _render_one(
    task: tuple[Document, PagePlace, PageOutputs | None, list[NotebookRun]],
) -> str:
    scan, md = _worker.scan, _worker.md
    assert scan is not None and scan.bodies is not None and md is not None
    document, place, outputs, runs = task
    if not document.tokens:
        document, _ = parse_document(md, document.page)
    notebooks = page_notebooks(document, runs, place.path, scan.config, scan.bodies)
    place = replace(place, page=_rendered(document).page)  # the entry keeps no page text
    entry = _render(scan, md, document, place, outputs)
    return store_entry(scan.bodies, replace(entry, notebooks=notebooks) if notebooks else entry)


def _render(
    scan: Scan,
    md: MarkdownIt,
    document: Document,
    place: PagePlace,
    outputs: PageOutputs | None,
) -> Entry:
    assert scan.bodies is not None
    if not scan.blocks:
        return entry_for(place, document, render_body(md, document, outputs), scan.bodies)
    with page_blocks() as made:
        body = render_body(md, document, outputs)
    entry = entry_for(place, document, body, scan.bodies)
    return replace(entry, blocks=scan.bodies.put_blocks(made))


def _rendered(document: Document) -> Document:
    """What later stages read of a page whose body is rendered: its file, front matter,
    title and headings (the text, tokens, cells and tab sets would only take memory;
    its entry keeps the frameworks)."""
    page = replace(document.page, body="")
    return replace(document, page=page, tokens=(), cells=(), tab_sets=())


def entry_for(place: PagePlace, document: Document, body: str, bodies: BodyStore) -> Entry:
    """The page as templates and listings see it, its body put in the store."""
    meta = document.page.meta
    return Entry(
        place=place,
        title=document.title,
        layout=meta.layout,
        updated=meta.updated,
        description=meta.description,
        excerpt_html=excerpt_of(body, meta.excerpt or meta.description),
        body=bodies.put(body),
        math_chars=math_chars(body),
        headings=document.headings,
        frameworks=document.frameworks,
        author=meta.author,
        extra=meta.extra,
        links=source_links(document.tokens, document.page.body_line),
    )


def _in_book(entry: Entry, book: BookNav) -> Entry:
    """A book's page gets the ``book`` layout, and what it shows around the page (the
    toc with the page marked, previous and next, title and authors) as ``extra.book``."""
    if entry.is_post:
        return entry
    meta = entry.place.page.meta
    extra = {**meta.extra, "book": book.page_view(entry.rel)}
    return replace(entry, layout=meta.layout or "book", extra=extra)


def _resolve_one(key: str) -> tuple[str, list[Problem]]:
    scan, index = _worker.scan, _worker.index
    assert scan is not None and scan.bodies is not None and index is not None
    entry, warnings = resolve_entry(load_entry(scan.bodies, key), index, scan.bodies)
    return store_entry(scan.bodies, entry), warnings


def resolve_entry(entry: Entry, index: BookIndex, bodies: BodyStore) -> tuple[Entry, list[Problem]]:
    """A book's page with its references, numbers and toc blocks filled in from ``index``
    (a new body, and the excerpt taken from it), and what the book shows around it."""
    body = bodies.get(entry.body)
    markup, warnings = resolve(body, index.inventory, index.citations, entry.place.page)
    if markup != body:
        meta = entry.place.page.meta
        excerpt = excerpt_of(markup, meta.excerpt or meta.description)
        entry = replace(entry, body=bodies.put(markup), excerpt_html=excerpt)
    nav = index.nav
    return (_in_book(entry, nav) if nav is not None else entry), warnings


def _write_one(name: str) -> str:
    renderer, staging, files = _worker.renderer, _worker.staging, _worker.files
    assert renderer is not None and staging is not None and files is not None
    job = files[name].job()
    data = renderer.render(job)
    staging.write(job.name, data)
    return digest(data)
