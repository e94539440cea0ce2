"""The checks of a built site before it replaces the output folder, and ``--strict``.

The link check reads the staging folder (what the build really wrote) and adds its
warnings to the report; ``--strict`` (or ``strict: true`` in ``xint.yml``) then turns
every warning of the build into an error, so the site is not written and all of them
are reported at once, as Sphinx's ``-W --keep-going`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from xint_site.config import SiteConfig
from xint_site.pipeline.options import BuildOptions, BuildReport
from xint_site.problems import Severity
from xint_site.site.entries import Entry
from xint_site.site.link_check import check_links


def check_site(
    report: BuildReport,
    options: BuildOptions,
    config: SiteConfig,
    folder: Path,
    names: Iterable[str],
    entries: Mapping[str, Entry],
    pages_of: Mapping[str, str],
) -> BuildReport:
    """The report with the link check's warnings (and, with ``--check-external``, the
    external links'), made strict when the build or the site asks for it."""
    links = check_links(
        folder, names, entries, pages_of, config.url, options.out_dir, options.workers
    )
    found = links.problems
    if options.check_external:  # urllib.request: imported only when links are fetched
        from xint_site.site.external import check_external

        found = [*found, *check_external(links.external, options.external_timeout)]
    report = replace(report, warnings=sorted([*report.warnings, *found]))
    return strictly(report, options.strict or config.strict)


def strictly(report: BuildReport, strict: bool) -> BuildReport:
    """Under ``--strict``, every warning as an error (the report then fails the build)."""
    if not strict or not report.warnings:
        return report
    errors = [replace(w, severity=Severity.ERROR) for w in report.warnings]
    return replace(report, errors=sorted([*report.errors, *errors]), warnings=[])
