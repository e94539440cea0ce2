"""The per-page stages on every core: read, parse, and render page bodies.

Pygments dominates a build, so pages go to worker processes in two passes:
``scan_pages`` reads and parses each page and, when none of its cells will run,
renders its body at once; ``render_pages`` renders the rest once their outputs
are known. A worker re-parses a page rather than receiving its tokens (shipping
tokens between processes costs as much as parsing them).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from markdown_it import MarkdownIt

from xint_site.book.config import BookConfig
from xint_site.book.outline import Outline, outline_of
from xint_site.config import SiteConfig
from xint_site.document import parse_document
from xint_site.model import Document
from xint_site.pages.source import read_page
from xint_site.plan import plan_page
from xint_site.problems import Problem
from xint_site.render.page import render_body
from xint_site.render.shown import PageOutputs
from xint_site.render.site_parser import parser_for

MIN_PAGES_PER_WORKER = 16
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Scan:
    """What the workers need to know, the same for every page of a build."""

    config: SiteConfig
    content: Path
    drafts: bool
    execute: bool
    render: bool = True  # False: parse only (the cache's prune needs no HTML)
    book: BookConfig | None = None  # a book's pages are in d2l-book's Markdown


@dataclass(frozen=True)
class ScannedPage:
    document: Document | None  # None: a draft left out
    body: str | None  # None: render once its cells have run
    errors: list[Problem]
    outline: Outline | None = None  # what the book numbers and labels (tokens stay here)


_scan: Scan | None = None
_md: MarkdownIt | None = None


def scan_pages(scan: Scan, paths: list[Path], jobs: int) -> list[ScannedPage]:
    return _map(scan, _scan_one, paths, jobs)


def page_bodies(
    scan: Scan, scanned: list[ScannedPage], outputs: dict[str, PageOutputs], jobs: int
) -> list[str]:
    """Bodies in page order: rendered during the scan, or now that outputs are known."""
    pages = [s for s in scanned if s.document is not None]
    waiting = [
        (document, outputs.get(document.page.rel))
        for s in pages
        if s.body is None and (document := s.document) is not None
    ]
    later = iter(_map(scan, _render_one, waiting, jobs))
    return [s.body if s.body is not None else next(later) for s in pages]


def _map(scan: Scan, fn: Callable[[T], R], items: Iterable[T], jobs: int) -> list[R]:
    items = list(items)
    workers = min(jobs, len(items) // MIN_PAGES_PER_WORKER)
    if workers < 2:
        _start(scan)
        return [fn(item) for item in items]
    chunk = max(1, len(items) // (workers * 4))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, context, initializer=_start, initargs=(scan,)) as pool:
        return list(pool.map(fn, items, chunksize=chunk))


def _start(scan: Scan) -> None:
    global _scan, _md
    if _scan is None or _scan.config is not scan.config:
        _md = parser_for(scan.config, d2l=scan.book is not None)
    _scan = scan


def _scan_one(path: Path) -> ScannedPage:
    assert _scan is not None and _md is not None
    page = read_page(path, _scan.content)
    if isinstance(page, list):
        return ScannedPage(None, None, page)
    if page.meta.draft and not _scan.drafts:
        return ScannedPage(None, None, [])
    document, errors = parse_document(_md, page)
    runs = _scan.execute and bool(plan_page(document, _scan.config))
    body = None if runs or errors or not _scan.render else render_body(_md, document)
    outline = outline_of(document.tokens, page.rel, page.body_line)
    if multiprocessing.parent_process() is not None:
        document = replace(document, tokens=[])  # the parent re-parses if it needs them
    return ScannedPage(document, body, errors, outline)


def _render_one(task: tuple[Document, PageOutputs | None]) -> str:
    assert _md is not None
    document, outputs = task
    if not document.tokens:
        document, _ = parse_document(_md, document.page)
    return render_body(_md, document, outputs)
