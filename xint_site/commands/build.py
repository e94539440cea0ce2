"""``xint-site build [CONTENT_DIR] [-o OUT] [--no-execute]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from xint_site.build import BuildOptions, build_site
from xint_site.commands.report import print_errors


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the site into an output folder")
    p.add_argument("content", nargs="?", default="content", type=Path, help="content folder")
    p.add_argument("-o", "--out", default=Path("_site"), type=Path, help="output folder")
    p.add_argument(
        "--no-execute", action="store_true", help="show the outputs written in the source"
    )
    p.add_argument("--drafts", action="store_true", help="include pages marked draft: true")
    p.add_argument("-j", "--jobs", type=int, default=0, help="parallel workers (default: CPUs)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    options = BuildOptions(
        content_dir=args.content,
        out_dir=args.out,
        execute=not args.no_execute,
        drafts=args.drafts,
        jobs=args.jobs,
    )
    report = build_site(options)
    if print_errors(report.errors):
        return 1
    seconds = time.perf_counter() - started
    print(f"built {report.pages} pages into {args.out} in {seconds:.2f} s", file=sys.stderr)
    return 0
