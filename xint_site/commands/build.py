"""``xint-site build [CONTENT_DIR] [-o OUT] [--no-execute] [--keep-going] [-j N]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from xint_site.build import BuildOptions, build_site
from xint_site.commands.report import print_errors, print_warnings, stop_on_sigterm
from xint_site.execute.plan import NotebookJob
from xint_site.execute.results import NotebookRun


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the site into an output folder")
    p.add_argument("content", nargs="?", default="content", type=Path, help="content folder")
    p.add_argument("-o", "--out", default=Path("_site"), type=Path, help="output folder")
    p.add_argument(
        "--no-execute",
        action="store_true",
        help="run no kernel; show outputs written in the source",
    )
    p.add_argument(
        "--keep-going", action="store_true", help="report failing cells but still write the site"
    )
    p.add_argument("--drafts", action="store_true", help="include pages marked draft: true")
    p.add_argument("-j", "--jobs", type=int, default=0, help="parallel kernels (default: CPUs)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    options = BuildOptions(
        content_dir=args.content,
        out_dir=args.out,
        execute=not args.no_execute,
        drafts=args.drafts,
        jobs=args.jobs,
        keep_going=args.keep_going,
        progress=_progress,
    )
    with stop_on_sigterm():
        report = build_site(options)
    print_warnings(report.warnings)
    if print_errors(report.errors):
        return 1
    seconds = time.perf_counter() - started
    ran = len(report.runs)
    note = f", {ran} notebook{'s' if ran != 1 else ''} run" if ran else ""
    print(f"built {report.pages} pages{note} into {args.out} in {seconds:.2f} s", file=sys.stderr)
    return 0


def _progress(event: str, job: NotebookJob, run: NotebookRun | None) -> None:
    if event == "done" and run is not None:
        state = "ok" if run.ok else "FAILED"
        print(f"  ran {job.rel} [{job.label}] {state} in {run.seconds:.1f} s", file=sys.stderr)
