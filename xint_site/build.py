"""``build``: the stages from a content folder to a written site.

    config -> pages -> documents -> (execute) -> entries -> site files -> write

Every stage returns values and the problems it found; the site is written only
when no stage found any.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from markdown_it import MarkdownIt

from xint_site.config import CONFIG_NAME, SiteConfig, load_config
from xint_site.errors import SiteError, site_error
from xint_site.execute.pipeline import ExecuteOptions, Execution, execute_pages
from xint_site.execute.results import PageOutputs, page_outputs
from xint_site.execute.runner import KernelPool, Progress
from xint_site.model import Document
from xint_site.pages.source import find_pages, is_hidden
from xint_site.render.bodies import Scan, page_bodies, scan_pages
from xint_site.render.site_parser import parser_for
from xint_site.site.compose import Composer, TemplateProblem
from xint_site.site.entries import Entry, excerpt_of
from xint_site.site.out_dir import refusal
from xint_site.site.theme import Theme, find_theme
from xint_site.site.urls import file_for, is_post, page_path, unsafe_reason
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
    scan = Scan(config, content, options.drafts, options.execute)
    scanned = [s for s in scan_pages(scan, find_pages(content), jobs) if s.document or s.errors]
    errors += [e for s in scanned for e in s.errors]
    documents = [s.document for s in scanned if s.document is not None]
    if errors:  # running kernels for a build that fails anyway would only cost time
        return BuildReport(pages=len(scanned), errors=sorted(errors)), None
    execution = execute_pages(documents, config, content, execute_options(options, pool))
    more, warnings = execution.problems(options.keep_going)
    errors += more
    outputs = page_outputs(execution.runs, config)
    bodies = page_bodies(scan, scanned, outputs, jobs)
    entries, entry_errors = make_entries(config, documents, bodies)
    errors += entry_errors
    report = BuildReport(
        pages=len(documents), errors=sorted(errors), warnings=sorted(warnings), execution=execution
    )
    if errors:
        return report, None
    composer = Composer(config, theme)
    static = content_files(content, options.out_dir)
    try:
        files = composer.compose(entries, static)
    except TemplateProblem as exc:
        return replace(report, errors=[exc.error]), None
    state = SiteState(
        config=config,
        theme=theme,
        md=parser_for(config),
        composer=composer,
        documents={d.page.rel: d for d in documents},
        outputs=outputs,
        entries={e.rel: e for e in entries},
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


def make_entries(
    config: SiteConfig, documents: list[Document], bodies: list[str]
) -> tuple[list[Entry], list[SiteError]]:
    """Each page with its URL; a URL that escapes the site or is taken twice is an error."""
    entries: list[Entry] = []
    errors: list[SiteError] = []
    owners: dict[str, Entry] = {}
    for document, body in zip(documents, bodies, strict=True):
        entry = entry_for(config, document, body)
        if isinstance(entry, SiteError):
            errors.append(entry)
            continue
        owner = owners.setdefault(file_for(entry.path), entry)
        if owner is not entry:
            errors.append(_taken(document, entry, owner))
            continue
        entries.append(entry)
    return entries, errors


def entry_for(config: SiteConfig, document: Document, body: str) -> Entry | SiteError:
    path = page_path(document.page, config.permalink)
    reason = unsafe_reason(path)
    if reason:
        return site_error(document.page.path, 1, f"permalink '{path}' {reason}")
    return _entry(document, path, body)


def url_problem(
    entry: Entry | SiteError, others: Iterable[Entry], document: Document
) -> SiteError | None:
    """Why this page cannot have its URL (unsafe, or another page's), or None."""
    if isinstance(entry, SiteError):
        return entry
    target = file_for(entry.path)
    for other in others:
        if other.rel != entry.rel and file_for(other.path) == target:
            return _taken(document, entry, other)
    return None


def _taken(document: Document, entry: Entry, owner: Entry) -> SiteError:
    return site_error(document.page.path, 1, f"URL /{entry.path} is taken by {owner.rel} too")


def _entry(document: Document, path: str, body: str) -> Entry:
    meta = document.page.meta
    return Entry(
        rel=document.page.rel,
        path=path,
        title=document.title,
        layout=meta.layout,
        is_post=is_post(document.page),
        date=meta.date,
        updated=meta.updated,
        tags=meta.tags,
        categories=meta.categories,
        description=meta.description,
        excerpt_html=excerpt_of(body, meta.excerpt or meta.description),
        body_html=body,
        headings=document.headings,
        frameworks=document.frameworks,
        author=meta.author,
        extra=meta.extra,
    )


def content_files(content: Path, out_dir: Path) -> dict[str, Path]:
    """Files other than pages and config, copied as they are (images, data); an output
    folder inside the content folder is not content."""
    files: dict[str, Path] = {}
    out = out_dir.resolve()
    for path in sorted(content.rglob("*")):
        rel = path.relative_to(content)
        if is_hidden(rel) or not path.is_file():
            continue
        if path.resolve().is_relative_to(out):
            continue
        if path.suffix == ".md" or rel.as_posix() == CONFIG_NAME:
            continue
        files[rel.as_posix()] = path
    return files


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
