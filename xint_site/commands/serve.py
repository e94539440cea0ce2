"""``xint-site serve [CONTENT_DIR] [--host H] [--port N] [-o OUT] [--no-execute]``."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from xint_site.commands.build import add_site_options, print_site_notes
from xint_site.commands.report import stop_on_sigterm
from xint_site.pipeline import BuildOptions, SiteBuilder
from xint_site.serve.preview import LogProgress, Preview
from xint_site.site.out_dir import refusal


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on every save")
    add_site_options(p)
    p.add_argument(
        "-o", "--out", type=Path, help="output folder (default: a temporary one, removed on exit)"
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free one)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.content.is_dir():  # nothing to watch: a typo, not a build to wait for
        print(f"{args.content}: content folder not found", file=sys.stderr)
        return 1
    if not 0 <= args.port <= 65535:
        print("xint-site: --port must be between 0 and 65535", file=sys.stderr)
        return 1
    refused = refusal(args.out, args.content) if args.out else None
    if refused is not None:  # a server that would never write its site must not start
        print(refused, file=sys.stderr)
        return 1
    if args.verbose:
        print_site_notes(args.content)
    temporary = None if args.out else Path(tempfile.mkdtemp(prefix="xint-serve-"))
    options = BuildOptions(
        content_dir=args.content,
        out_dir=args.out if temporary is None else temporary / "site",
        execute=not args.no_execute,
        drafts=args.drafts,
        jobs=args.jobs,
        keep_going=args.keep_going,
        progress=LogProgress(sys.stderr),
    )
    try:
        preview = Preview(SiteBuilder(options), options, args.host, args.port, sys.stderr)
    except OSError as exc:
        print(
            f"xint-site: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr
        )
        _remove(temporary)
        return 1
    try:
        with stop_on_sigterm():
            preview.start()
            print(f"Serving {preview.url} (Ctrl-C to stop)", flush=True)
            preview.watch()
    except KeyboardInterrupt:
        pass
    finally:
        with _signals_ignored():  # a second Ctrl-C must not leave kernels behind
            preview.close()
            _remove(temporary)
    print("xint-site: stopped", file=sys.stderr)
    return 0


@contextlib.contextmanager
def _signals_ignored() -> Iterator[None]:
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _remove(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
