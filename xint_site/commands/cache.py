"""``xint-site cache prune [CONTENT_DIR]``: drop stored outputs no page uses any more."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xint_site.build import parse_documents, read_sources
from xint_site.commands.report import print_errors
from xint_site.config import load_config
from xint_site.errors import site_error
from xint_site.execute.pipeline import prune_cache
from xint_site.render.site_parser import parser_for


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cache", help="manage stored cell outputs (<content>/_freeze)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    prune = actions.add_parser("prune", help="remove entries that no current notebook uses")
    prune.add_argument("content", nargs="?", default="content", type=Path, help="content folder")
    prune.set_defaults(run=run_prune)


def run_prune(args: argparse.Namespace) -> int:
    content: Path = args.content
    if not content.is_dir():
        print_errors([site_error(content, 0, "content folder not found")])
        return 1
    config, errors = load_config(content)
    sources, read_errors = read_sources(content, drafts=True)
    documents, parse_errors = parse_documents(parser_for(config), sources)
    errors += read_errors + parse_errors
    if errors:
        print_errors(errors)
        return 1
    removed, kept, errors = prune_cache(documents, config, content)
    if print_errors(errors):
        return 1
    print(
        f"removed {len(removed)} cache entr{'y' if len(removed) == 1 else 'ies'}, kept {kept}",
        file=sys.stderr,
    )
    return 0
