"""``xint-site build [CONTENT_DIR] [-o OUT] [--no-execute] [--keep-going] [-j N]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xint_site.commands.progress import ProgressReport
from xint_site.commands.report import print_errors, print_warnings, stop_on_sigterm
from xint_site.pipeline import BuildOptions, build_site


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("build", help="build the site into an output folder")
    add_site_options(p)
    p.add_argument("-o", "--out", default=Path("_site"), type=Path, help="output folder")
    p.add_argument("--frozen", action="store_true", help="use stored outputs only; start no kernel")
    p.add_argument("--refresh", action="store_true", help="ignore stored outputs; run everything")
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


def run(args: argparse.Namespace) -> int:
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
        progress=progress,
    )
    try:
        with stop_on_sigterm():
            report = build_site(options)
    finally:
        progress.close()
    print_warnings(report.warnings)
    if print_errors(report.errors):
        return 1
    print(progress.summary(report.pages, str(args.out)), file=sys.stderr)
    return 0
