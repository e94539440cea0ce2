"""Which file answers a request: a file inside the output folder, or nothing.

Every request path is decoded once, split into segments and resolved with its
symlinks; anything that is not then inside the output folder is a miss, so
``..``, ``%2e%2e``, ``//``, backslashes, NUL and links pointing out all get 404.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote


@dataclass(frozen=True)
class Found:
    file: Path
    rel: str  # output-relative posix path, e.g. "2021/05/04/seed/index.html"


@dataclass(frozen=True)
class Redirect:
    location: str


def locate(out_dir: Path, root: str, target: str) -> Found | Redirect | None:
    """The file for a request target (``/a/b/?q``) of a site whose URLs start with ``root``."""
    if not target.startswith("/"):
        return None  # absolute-form ("http://..."), "*" or garbage
    raw, query = split_target(target)
    path = _decode(raw)
    if path is None:
        return None
    root = unquote(root)
    query = f"?{query}" if query else ""
    if path in ("/", root.rstrip("/")) and root != "/":
        return Redirect(_href(root, [], True) + query)
    if not path.startswith(root):
        return None
    segments = [s for s in path[len(root) :].split("/") if s]
    if any(s.startswith(".") for s in segments):
        return None  # "..", "." and hidden files (such as half-written temporaries)
    base = os.path.realpath(out_dir)
    real = os.path.realpath(os.path.join(base, *segments))
    if not _inside(real, base):
        return None
    if os.path.isdir(real):
        if not path.endswith("/"):
            return Redirect(_href(root, segments, True) + query)
        index = os.path.realpath(os.path.join(real, "index.html"))
        if not (_inside(index, base) and os.path.isfile(index)):
            return None
        return Found(Path(index), "/".join([*segments, "index.html"]))
    if path.endswith("/") or not os.path.isfile(real):
        return None
    return Found(Path(real), "/".join(segments))


def wanted_file(root: str, target: str) -> str:
    """The output-relative file a request asked for, found or not (for reloading 404s)."""
    path = _decode(split_target(target)[0]) or "/"
    rel = path.removeprefix(unquote(root)).lstrip("/")
    return rel + "index.html" if not rel or rel.endswith("/") else rel


def split_target(target: str) -> tuple[str, str]:
    """Path and query of a request target; ``//a`` stays a path (urlsplit sees a host)."""
    path, _, query = target.partition("#")[0].partition("?")
    return path, query


def _decode(path: str) -> str | None:
    if "\\" in path or "\x00" in path:
        return None
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in decoded or "\x00" in decoded:
        return None
    return decoded


def _inside(real: str, base: str) -> bool:
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _href(root: str, segments: list[str], folder: bool) -> str:
    """A clean, re-encoded URL path: never ``//host`` (an open redirect), never ``..``."""
    path = "/".join(quote(s, safe="") for s in segments)
    return quote(root) + path + ("/" if folder and path else "")
