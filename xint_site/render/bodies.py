"""Rendering every page body, on all cores when there are enough pages.

Pygments dominates rendering, so bodies are rendered in worker processes. A
worker re-parses its pages (as cheap as shipping tokens between processes)
and keeps its own highlight cache for the pages it gets.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from markdown_it import MarkdownIt

from xint_site.config import SiteConfig
from xint_site.document import parse_document
from xint_site.execute.results import PageOutputs
from xint_site.model import Document
from xint_site.pages.source import SourcePage
from xint_site.render.page import render_body

MIN_PAGES_PER_WORKER = 16

_worker_md: MarkdownIt | None = None


def render_bodies(
    config: SiteConfig,
    md: MarkdownIt,
    documents: list[Document],
    outputs: dict[str, PageOutputs],
    jobs: int,
    make_parser: Callable[[SiteConfig], MarkdownIt],
) -> list[str]:
    """HTML of each document's body, in order."""
    workers = min(jobs, len(documents) // MIN_PAGES_PER_WORKER)
    if workers < 2:
        return [render_body(md, d, outputs.get(d.page.rel)) for d in documents]
    tasks = [(d.page, outputs.get(d.page.rel)) for d in documents]
    chunk = max(1, len(tasks) // (workers * 4))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, context, initializer=_start, initargs=(config, make_parser)
    ) as pool:
        return list(pool.map(_render, tasks, chunksize=chunk))


def _start(config: SiteConfig, make_parser: Callable[[SiteConfig], MarkdownIt]) -> None:
    global _worker_md
    _worker_md = make_parser(config)


def _render(task: tuple[SourcePage, PageOutputs | None]) -> str:
    assert _worker_md is not None
    page, outputs = task
    document, _ = parse_document(_worker_md, page)
    return render_body(_worker_md, document, outputs)
