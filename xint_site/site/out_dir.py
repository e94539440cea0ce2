"""Which folders a build may replace: never the user's own files.

A build swaps the whole output folder, so a slip in ``-o`` (the content folder,
``.``, the home folder) would delete real work. Every folder xint-site writes
holds a small marker file; an existing folder without it is taken only when
empty. The user adopts a folder by deleting it or by creating the marker.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from xint_site import __version__
from xint_site.problems import Problem, problem_at

MARKER = ".xint-site"


def marker_bytes() -> bytes:
    """What the marker holds: which tool wrote the folder (any content adopts a folder)."""
    return (json.dumps({"generator": "xint-site", "version": __version__}) + "\n").encode()


def refusal(out_dir: Path, content_dir: Path | None = None) -> Problem | None:
    """Why the site must not replace ``out_dir``, as ``out: message``; None when it may."""
    reason = _reason(out_dir, content_dir)
    if reason is None:
        return None
    return problem_at(out_dir, 0, f"refusing to write the site here: {reason}")


def _reason(out_dir: Path, content_dir: Path | None) -> str | None:
    out = out_dir.resolve()
    content = content_dir.resolve() if content_dir is not None else None
    cwd = Path.cwd().resolve()
    if out == content:
        return "it is the content folder"
    if out == Path(out.anchor) or os.path.ismount(out):
        return "it is a filesystem root"
    if out == _home():
        return "it is your home folder"
    if out == cwd:
        return "it is the current folder"
    if content is not None and content.is_relative_to(out):
        return "it contains the content folder"
    if cwd.is_relative_to(out):
        return "it contains the current folder"
    return _not_a_folder(out_dir) or _not_ours(out, out_dir)


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError):  # no HOME and no password entry
        return None


def _not_a_folder(out_dir: Path) -> str | None:
    """The output path, or the nearest existing folder above it, is a file."""
    for path in (out_dir, *out_dir.parents):
        if path.exists():
            if path.is_dir():
                return None
            return "it is a file, not a folder" if path == out_dir else f"{path} is a file"
    return None


def _not_ours(out: Path, out_dir: Path) -> str | None:
    """An existing folder with files in it that xint-site did not write."""
    if not out.is_dir() or (out / MARKER).is_file():
        return None
    try:
        empty = next(out.iterdir(), None) is None
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
    if empty:
        return None
    return (
        "it is a folder xint-site did not write; to let xint-site replace it, "
        f"delete it or create {out_dir / MARKER}"
    )
