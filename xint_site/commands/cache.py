"""``xint-site cache prune [CONTENT_DIR]``: drop stored outputs no page uses any more."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xint_site.commands.report import print_errors
from xint_site.execute.pipeline import prune_cache
from xint_site.pipeline import BuildOptions
from xint_site.pipeline.stages import load_site, read_pages


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("cache", help="manage stored cell outputs (<content>/_freeze)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    prune = actions.add_parser("prune", help="remove entries that no current notebook uses")
    prune.add_argument("content", nargs="?", default="content", type=Path, help="content folder")
    prune.set_defaults(run=run_prune)


def run_prune(args: argparse.Namespace) -> int:
    # the pages as a build reads them (drafts too: their notebooks are kept); no site written
    options = BuildOptions(content_dir=args.content, out_dir=args.content / "_site", drafts=True)
    site, errors = load_site(options, writes=False)
    if site is None:
        print_errors(errors)
        return 1
    pages = read_pages(site, options, render=False)
    if print_errors([*errors, *pages.errors]):
        return 1
    removed, kept, errors = prune_cache(pages.documents, site.config, site.content)
    if print_errors(errors):
        return 1
    print(
        f"removed {len(removed)} cache entr{'y' if len(removed) == 1 else 'ies'}, kept {kept}",
        file=sys.stderr,
    )
    return 0
