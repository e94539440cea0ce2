"""``xint-site cache prune [CONTENT_DIR]``: drop stored outputs no page uses any more."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xint_site.build import cpu_count
from xint_site.commands.report import print_errors
from xint_site.config import load_config
from xint_site.errors import site_error
from xint_site.execute.pipeline import prune_cache
from xint_site.pages.source import find_pages
from xint_site.render.bodies import Scan, scan_pages


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
    scan = Scan(config, content, drafts=True, execute=True, render=False)
    scanned = scan_pages(scan, find_pages(content), cpu_count())
    errors += [e for s in scanned for e in s.errors]
    documents = [s.document for s in scanned if s.document is not None]
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
