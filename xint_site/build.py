"""``build``: the stages from a content folder to a written site.

    config -> pages -> documents -> (execute) -> entries -> site files -> write

Every stage returns values and the problems it found; the site is written only
when no stage found any.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from markdown_it import MarkdownIt

from xint_site.config import CONFIG_NAME, SiteConfig, load_config
from xint_site.errors import SiteError, site_error
from xint_site.execute.pipeline import ExecuteOptions, Execution, execute_pages
from xint_site.execute.results import PageOutputs, page_outputs
from xint_site.execute.runner import KernelPool, Progress
from xint_site.model import Document
from xint_site.pages.source import ContentTree, walk_content
from xint_site.render.bodies import Scan, page_bodies, scan_pages
from xint_site.render.site_parser import parser_for
from xint_site.site.compose import Composer, TemplateProblem
from xint_site.site.entries import Entry, excerpt_of
from xint_site.site.out_dir import refusal
from xint_site.site.routes import Routes, plan_site
from xint_site.site.theme import Theme, find_theme
from xint_site.site.urls import PagePlace, place_page
from xint_site.site.writer import WriteProblem, write_site


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    out_dir: Path
    execute: bool = True
    drafts: bool = False
    jobs: int = 0  # 0: one per CPU
    keep_going: bool = False  # failing cells are reported but do not fail the build
    frozen: bool = False  # use stored outputs only; start no kernel
    refresh: bool = False  # ignore stored outputs
    progress: Progress | None = None


@dataclass(frozen=True)
class BuildReport:
    pages: int = 0
    files: int = 0
    errors: list[SiteError] = field(default_factory=list)
    warnings: list[SiteError] = field(default_factory=list)
    execution: Execution = field(default_factory=Execution)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class SiteState:
    """Everything a successful build made, kept by the preview server between rebuilds."""

    config: SiteConfig
    theme: Theme
    md: MarkdownIt
    composer: Composer
    documents: dict[str, Document]  # by page path relative to the content folder
    outputs: dict[str, PageOutputs]
    entries: dict[str, Entry]
    static: dict[str, Path]
    files: dict[str, bytes | Path]  # what is in the output folder


def build_site(options: BuildOptions) -> BuildReport:
    """Build the whole site and, if nothing is wrong, replace the output folder with it."""
    report, state = build_state(options)
    if state is not None:
        try:
            write_site(options.out_dir, state.files)
        except WriteProblem as exc:  # refused at the last moment, or a full disk
            return replace(report, errors=[exc.error])
    return report


def build_state(
    options: BuildOptions, pool: KernelPool | None = None
) -> tuple[BuildReport, SiteState | None]:
    """Every stage, in order; the state is None when any stage found a problem."""
    content = options.content_dir
    if not content.is_dir():
        return BuildReport(errors=[site_error(content, 0, "content folder not found")]), None
    refused = refusal(options.out_dir, content)  # before any kernel: a refusal costs nothing
    if refused is not None:
        return BuildReport(errors=[refused]), None
    config, errors = load_config(content)
    theme = find_theme(config.theme, content, content / CONFIG_NAME)
    if isinstance(theme, SiteError):
        return BuildReport(errors=[*errors, theme]), None
    jobs = options.jobs or cpu_count()
    tree = walk_content(content)
    scan = Scan(config, content, options.drafts, options.execute)
    scanned = [s for s in scan_pages(scan, tree.pages, jobs) if s.document or s.errors]
    errors += [e for s in scanned for e in s.errors]
    documents = [s.document for s in scanned if s.document is not None]
    composer = Composer(config, theme)
    static = content_files(tree, content, options.out_dir)
    places, routes, url_errors = plan_urls(config, documents, static, composer)
    errors += url_errors
    if errors:  # running kernels for a build that fails anyway would only cost time
        report = BuildReport(pages=len(scanned), errors=sorted(errors), warnings=tree.skipped)
        return report, None
    execution = execute_pages(documents, config, content, execute_options(options, pool))
    more, warnings = execution.problems(options.keep_going)
    errors += more
    report = BuildReport(
        pages=len(documents),
        errors=sorted(errors),
        warnings=sorted([*tree.skipped, *warnings]),
        execution=execution,
    )
    if errors:
        return report, None
    outputs = page_outputs(execution.runs, config)
    bodies = page_bodies(scan, scanned, outputs, jobs)
    entries = make_entries(places, documents, bodies)
    try:
        files = composer.compose(routes, entries)
    except TemplateProblem as exc:
        return replace(report, errors=[exc.error]), None
    state = SiteState(
        config=config,
        theme=theme,
        md=parser_for(config),
        composer=composer,
        documents={d.page.rel: d for d in documents},
        outputs=outputs,
        entries=entries,
        static=static,
        files=files,
    )
    return replace(report, pages=len(entries), files=len(files)), state


def execute_options(options: BuildOptions, pool: KernelPool | None = None) -> ExecuteOptions:
    return ExecuteOptions(
        enabled=options.execute,
        frozen=options.frozen,
        refresh=options.refresh,
        workers=options.jobs or cpu_count(),
        progress=options.progress,
        pool=pool,
    )


def plan_urls(
    config: SiteConfig, documents: list[Document], static: dict[str, Path], composer: Composer
) -> tuple[dict[str, PagePlace], Routes, list[SiteError]]:
    """Every page's URL and every file of the site, from front matter alone: a URL that
    leaves the site or is taken twice is an input problem, found before any kernel starts."""
    places: dict[str, PagePlace] = {}
    errors: list[SiteError] = []
    for document in documents:
        place = place_page(document.page, config.permalink)
        if isinstance(place, list):
            errors += place
        else:
            places[document.page.rel] = place
    routes, taken = plan_site(config, places.values(), static, composer.asset_names())
    return places, routes, errors + taken


def make_entries(
    places: dict[str, PagePlace], documents: list[Document], bodies: list[str]
) -> dict[str, Entry]:
    """Each page, rendered, at the place :func:`plan_urls` gave it (by source path)."""
    return {
        d.page.rel: entry_for(places[d.page.rel], d, body)
        for d, body in zip(documents, bodies, strict=True)
    }


def entry_for(place: PagePlace, document: Document, body: str) -> Entry:
    meta = document.page.meta
    return Entry(
        place=place,
        title=document.title,
        layout=meta.layout,
        updated=meta.updated,
        description=meta.description,
        excerpt_html=excerpt_of(body, meta.excerpt or meta.description),
        body_html=body,
        headings=document.headings,
        frameworks=document.frameworks,
        author=meta.author,
        extra=meta.extra,
    )


def content_files(tree: ContentTree, content: Path, out_dir: Path) -> dict[str, Path]:
    """Files other than pages and config, copied as they are (images, data); an output
    folder inside the content folder is not content."""
    out = out_dir.resolve()
    files: dict[str, Path] = {}
    for path in tree.files:
        rel = path.relative_to(content).as_posix()
        if rel != CONFIG_NAME and not path.resolve().is_relative_to(out):
            files[rel] = path
    return files


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
