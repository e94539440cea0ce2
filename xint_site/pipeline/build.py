"""A full build: every stage, in order, and the output folder replaced on success.

Pages are written into a staging folder as they are rendered (by the worker
processes), so the build's memory does not grow with the site; the staging folder
replaces the output folder only when every stage succeeded, and is removed otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from xint_site.book.index import BookIndex
from xint_site.execute.agree import disagreements
from xint_site.execute.pipeline import execute_pages
from xint_site.model import Document
from xint_site.pipeline.checks import check_site, strictly
from xint_site.pipeline.options import BuildOptions, BuildReport, SiteState
from xint_site.pipeline.stages import (
    Site,
    execute_options,
    index_pages,
    load_site,
    plan_urls,
    read_pages,
    render_pages,
    resolve_references,
    write_files,
)
from xint_site.render.shown import PageOutputs, page_outputs
from xint_site.render.site_parser import parser_for
from xint_site.site.bodies import BodyStore
from xint_site.site.compose import Composer, TemplateProblem
from xint_site.site.entries import Entry
from xint_site.site.notebooks import runs_by_page
from xint_site.site.routes import Routes
from xint_site.site.search import index_site
from xint_site.site.writer import Staging, WriteProblem

if TYPE_CHECKING:  # the runner imports Jupyter: only a build that runs cells needs it
    from xint_site.execute.runner import KernelPool


def build_state(
    options: BuildOptions, pool: KernelPool | None = None, bodies: BodyStore | None = None
) -> tuple[BuildReport, SiteState | None]:
    """Every stage, in order, and the output folder replaced; the state is None (and the
    output folder untouched) when any stage found a problem, and when ``bodies`` is not
    given (the state renders from the store, removed on return). Rendered bodies go to
    ``bodies``, which the caller keeps (the preview server re-renders pages from it), or
    to a store removed on return. A kept store also gets each page's highlighted code,
    so that an edited page is rendered again without highlighting what did not change."""
    try:
        if bodies is None:
            with BodyStore.create() as temporary:
                report, state = _build(options, pool, temporary, kept=False)
        else:
            report, state = _build(options, pool, bodies, kept=True)
    except WriteProblem as exc:  # a body that could not be stored
        return BuildReport(errors=[exc.error]), None
    return strictly(report, options.strict), state


@dataclass(frozen=True)
class _Held:
    """What the preview server keeps of the stages besides what writing needs: it
    compares and re-renders pages and entries between saves."""

    entries: dict[str, Entry]
    documents: dict[str, Document]
    static: dict[str, Path]
    outputs: dict[str, PageOutputs]
    index: BookIndex | None


@dataclass(frozen=True)
class _Rendered:
    """What writing the site needs of the stages before it; ``held`` only in a build
    whose store is kept (a command's build writes its pages without the parsed pages,
    their places or outputs in memory, and its entries on disk)."""

    site: Site
    composer: Composer
    routes: Routes
    entries: Mapping[str, Entry]
    held: _Held | None


def _build(
    options: BuildOptions, pool: KernelPool | None, bodies: BodyStore, kept: bool
) -> tuple[BuildReport, SiteState | None]:
    report, rendered = _render(options, pool, bodies, kept)
    if rendered is None:
        return report, None
    site, composer, routes, entries = (
        rendered.site,
        rendered.composer,
        rendered.routes,
        rendered.entries,
    )
    try:
        with Staging(options.out_dir) as staging:
            files = write_files(staging, composer, routes, entries, bodies, options.workers)
            if site.config.search:  # Pagefind reads the pages just written
                labels = {f.id: f.label for f in site.config.frameworks}
                search = index_site(staging.folder, site.config.language, labels, options.out_dir)
                if search:
                    return replace(report, errors=search), None
            report = check_site(
                report, options, site.config, staging.folder, files, entries, routes.pages
            )
            if not report.ok:  # --strict: a warning leaves the output folder as it was
                return report, None
            staging.commit()
    except (TemplateProblem, WriteProblem) as exc:  # a template, a full disk, a refusal
        return replace(report, errors=[exc.error]), None
    report = replace(report, pages=len(entries), files=len(files))
    held = rendered.held
    if held is None:  # nothing could be rendered again from a store removed on return
        return report, None
    state = SiteState(
        content=site.content.resolve(),
        config=site.config,
        theme=site.theme,
        md=parser_for(site.config, d2l=site.book is not None),
        composer=composer,
        documents=held.documents,
        outputs=held.outputs,
        entries=held.entries,
        static=held.static,
        bodies=bodies,
        files=files,
        book=held.index,
        hexo=site.hexo,
        routes=routes,
    )
    return report, state


def _render(
    options: BuildOptions, pool: KernelPool | None, bodies: BodyStore, kept: bool
) -> tuple[BuildReport, _Rendered | None]:
    """Every stage before writing: pages read, URLs planned, cells run, bodies and entries
    in the store. Its values are freed on return but for what :class:`_Rendered` holds."""
    site, errors = load_site(options)
    if site is None:
        return BuildReport(errors=errors), None
    pages = read_pages(site, options, bodies=bodies, blocks=kept)
    composer = Composer(site.config, site.theme, remember=kept)
    places, routes, url_errors = plan_urls(
        site.config, pages.documents, pages.static, composer, site.book, site.hexo_urls
    )
    errors += [*pages.errors, *url_errors]
    if errors:  # running kernels for a build that fails anyway would only cost time
        report = BuildReport(
            pages=len(pages.scanned),
            errors=sorted(errors),
            warnings=sorted([*pages.skipped, *pages.warnings]),
        )
        return report, None
    index, pages, book_warnings = index_pages(site, pages, places)  # pass one: labels, numbers
    execution = execute_pages(
        pages.documents, site.config, site.content, execute_options(options, pool, site.config)
    )
    more, warnings = execution.problems(options.keep_going)
    warnings += disagreements(pages.documents, execution.runs, site.config)
    report = BuildReport(
        pages=len(pages.documents),
        errors=sorted(more),
        warnings=sorted([*pages.skipped, *pages.warnings, *warnings, *book_warnings]),
        execution=execution,
    )
    if more:
        return report, None
    outputs = page_outputs(execution.runs, site.config)
    runs = runs_by_page(execution.runs)  # each run is a notebook to download
    made = render_pages(pages, places, outputs, options.workers, runs)  # kept on disk
    stored, reference_warnings = resolve_references(pages, index, made, options.workers)
    report = replace(report, warnings=sorted([*report.warnings, *reference_warnings]))
    if not kept:
        return report, _Rendered(site, composer, routes, stored, None)
    documents = {d.page.rel: d for d in pages.documents}
    held = _Held(dict(stored), documents, pages.static, outputs, index)
    return report, _Rendered(site, composer, routes, held.entries, held)
