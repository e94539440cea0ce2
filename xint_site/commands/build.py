"""``xint-site build [CONTENT_DIR] [-o OUT] [--no-execute] [--keep-going] [--strict] [-j N]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from xint_site.commands.annotations import FORMATS, annotation_format, github_annotations
from xint_site.commands.progress import ProgressReport
from xint_site.commands.report import print_errors, print_warnings, stop_on_sigterm
from xint_site.commands.report_file import report_data, write_report
from xint_site.hexo.config import unused_keys_note
from xint_site.pipeline import BuildOptions, build_site


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("build", help="build the site into an output folder")
    add_site_options(p)
    p.add_argument("-o", "--out", default=Path("_site"), type=Path, help="output folder")
    p.add_argument("--frozen", action="store_true", help="use stored outputs only; start no kernel")
    p.add_argument("--refresh", action="store_true", help="ignore stored outputs; run everything")
    p.add_argument(
        "--scheduler",
        type=_scheduler,
        metavar="ADDRESS",
        help="run notebooks on a Dask cluster: tls://HOST:8786, tcp://HOST:8786 or local:N",
    )
    p.add_argument(
        "--strict", action="store_true", help="every warning is an error (all are reported)"
    )
    p.add_argument(
        "--check-external", action="store_true", help="fetch external links (off by default)"
    )
    p.add_argument(
        "--external-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="seconds each external link may take (default 10)",
    )
    p.add_argument(
        "--annotate",
        choices=FORMATS,
        help="also print problems as CI annotations (default: github when GITHUB_ACTIONS=true)",
    )
    p.add_argument("--report", type=Path, metavar="FILE", help="write a JSON report of the build")
    p.set_defaults(run=run)


def add_site_options(p: argparse.ArgumentParser) -> None:
    """The options ``build`` and ``serve`` share."""
    p.add_argument("content", nargs="?", default="content", type=Path, help="content folder")
    p.add_argument(
        "--no-execute",
        action="store_true",
        help="run no kernel; show outputs written in the source",
    )
    p.add_argument(
        "--keep-going", action="store_true", help="show failing cells in the page, not as errors"
    )
    p.add_argument("--drafts", action="store_true", help="include pages marked draft: true")
    p.add_argument("-j", "--jobs", type=int, default=0, help="parallel workers (default: CPUs)")
    p.add_argument(
        "-v", "--verbose", action="store_true", help="also say what of the site's config is unused"
    )


def print_site_notes(content: Path) -> None:
    """``-v``: the keys of a Hexo blog's ``_config.yml`` that mean nothing here, once."""
    note = unused_keys_note(content)
    if note:
        print(note, file=sys.stderr)


def _scheduler(text: str) -> str:
    from xint_site.dask.address import parse_scheduler

    if isinstance(found := parse_scheduler(text), str):
        raise argparse.ArgumentTypeError(found)
    return text


def run(args: argparse.Namespace) -> int:
    if args.verbose:
        print_site_notes(args.content)
    progress = ProgressReport()
    options = BuildOptions(
        content_dir=args.content,
        out_dir=args.out,
        execute=not args.no_execute,
        drafts=args.drafts,
        jobs=args.jobs,
        keep_going=args.keep_going,
        frozen=args.frozen,
        refresh=args.refresh,
        scheduler=args.scheduler,
        progress=progress,
        strict=args.strict,
        check_external=args.check_external,
        external_timeout=args.external_timeout,
    )
    started = time.monotonic()
    try:
        with stop_on_sigterm():
            report = build_site(options)
    finally:
        progress.close()
    if args.report is not None:
        unwritten = write_report(
            args.report, report_data(report, args.out, time.monotonic() - started)
        )
        if unwritten is not None:
            report.errors.append(unwritten)
    if annotation_format(args.annotate) == "github":
        for line in github_annotations([*report.errors, *report.warnings]):
            print(line, flush=True)
    print_warnings(report.warnings)
    if print_errors(report.errors):
        return 1
    if report.up_to_date:
        print(f"{args.out} is up to date: {report.pages} pages, nothing changed", file=sys.stderr)
    else:
        print(progress.summary(report.pages, str(args.out)), file=sys.stderr)
    return 0
