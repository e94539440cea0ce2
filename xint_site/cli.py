"""``xint-site``: the command line. Each subcommand lives in ``commands/``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

from xint_site import __version__

COMMANDS = ("build", "kernels", "serve", "cache")  # each a module of xint_site.commands


def make_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with ``only`` that command's part (so that a command
    imports nothing the others need: an up-to-date build answers at once)."""
    parser = argparse.ArgumentParser(
        prog="xint-site",
        description="Build tabbed, multi-framework deep-learning docs whose code really runs.",
    )
    parser.add_argument("--version", action="version", version=f"xint-site {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS if only is None else (only,):
        import_module(f"xint_site.commands.{name}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    command = words[0] if words and words[0] in COMMANDS else None
    args = make_parser(command).parse_args(words)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("xint-site: interrupted", file=sys.stderr)
        return 130
