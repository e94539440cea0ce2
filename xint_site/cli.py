"""``xint-site``: the command line. Each subcommand lives in ``commands/``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from xint_site import __version__
from xint_site.commands import build as build_command
from xint_site.commands import cache as cache_command
from xint_site.commands import kernels as kernels_command
from xint_site.commands import serve as serve_command


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xint-site",
        description="Build tabbed, multi-framework deep-learning docs whose code really runs.",
    )
    parser.add_argument("--version", action="version", version=f"xint-site {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_command.add_parser(sub)
    kernels_command.add_parser(sub)
    serve_command.add_parser(sub)
    cache_command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("xint-site: interrupted", file=sys.stderr)
        return 130
