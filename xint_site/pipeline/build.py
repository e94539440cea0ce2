"""A full build: every stage, in order, and the output folder replaced on success."""

from __future__ import annotations

from dataclasses import replace

from xint_site.execute.pipeline import execute_pages
from xint_site.execute.runner import KernelPool
from xint_site.pipeline.options import BuildOptions, BuildReport, SiteState
from xint_site.pipeline.stages import (
    execute_options,
    index_pages,
    load_site,
    make_entries,
    plan_urls,
    read_pages,
    render_pages,
    resolve_references,
)
from xint_site.render.shown import page_outputs
from xint_site.render.site_parser import parser_for
from xint_site.site.compose import Composer, TemplateProblem
from xint_site.site.writer import WriteProblem, write_site


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
    site, errors = load_site(options)
    if site is None:
        return BuildReport(errors=errors), None
    pages = read_pages(site, options)
    composer = Composer(site.config, site.theme)
    places, routes, url_errors = plan_urls(
        site.config, pages.documents, pages.static, composer, site.book
    )
    errors += [*pages.errors, *url_errors]
    if errors:  # running kernels for a build that fails anyway would only cost time
        report = BuildReport(
            pages=len(pages.scanned), errors=sorted(errors), warnings=pages.tree.skipped
        )
        return report, None
    index, book_warnings = index_pages(site, pages, places)  # pass one: labels and numbers
    execution = execute_pages(
        pages.documents, site.config, site.content, execute_options(options, pool)
    )
    more, warnings = execution.problems(options.keep_going)
    report = BuildReport(
        pages=len(pages.documents),
        errors=sorted(more),
        warnings=sorted([*pages.tree.skipped, *warnings, *book_warnings]),
        execution=execution,
    )
    if more:
        return report, None
    outputs = page_outputs(execution.runs, site.config)
    bodies = render_pages(pages, outputs, options.workers)
    bodies, reference_warnings = resolve_references(index, pages.documents, bodies)
    report = replace(report, warnings=sorted([*report.warnings, *reference_warnings]))
    entries = make_entries(places, pages.documents, bodies, index.nav)
    try:
        files = composer.compose(routes, entries)
    except TemplateProblem as exc:
        return replace(report, errors=[exc.error]), None
    state = SiteState(
        config=site.config,
        theme=site.theme,
        md=parser_for(site.config, d2l=site.book is not None),
        composer=composer,
        documents={d.page.rel: d for d in pages.documents},
        outputs=outputs,
        entries=entries,
        static=pages.static,
        files=files,
        book=index if site.book is not None else None,
    )
    return replace(report, pages=len(entries), files=len(files)), state
