"""The execution cache: outputs of successful notebooks, in ``<content>/_freeze``.

An entry is a JSON file named by two hashes: the notebook's (page, framework,
kernel name and environment variables, the ordered code of its cells, the
contents of the files the page declares) and the kernel's identity (see
``identity.py``). Prose, front matter and other frameworks' cells are not in
the key, so editing them never re-runs anything. ``--frozen`` matches on the
notebook hash alone, so a machine without the frameworks can still build.
Failed runs are never stored; a corrupt entry is reported, ignored and re-run.
Entries are written atomically, so an interrupted build cannot leave half a file.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from xint_site.execute.outputs import is_output
from xint_site.files import write_file_atomic
from xint_site.kernels.identity import kernel_identity
from xint_site.paths import freeze_dir
from xint_site.plan import NotebookJob
from xint_site.problems import Problem, warning_at

# 2: every notebook in a fresh kernel (entries of format 1 may hold outputs leaked
# from the page run before them in a reused kernel: never trust them)
FORMAT = 2


@dataclass(frozen=True)
class Entry:
    path: Path
    cells: list[list[dict[str, Any]]]  # raw nbformat outputs, one list per notebook cell


@dataclass
class Lookup:
    hits: dict[tuple[str, str | None], Entry] = field(default_factory=dict)
    misses: list[NotebookJob] = field(default_factory=list)
    corrupt: list[Path] = field(default_factory=list)


def notebook_key(job: NotebookJob, file_hashes: dict[str, str]) -> str:
    data = {
        "format": FORMAT,
        "page": job.rel,
        "framework": job.framework,
        "kernel": job.kernel,
        "env": list(job.env),
        "isolate": job.isolate,  # kernels from scratch: asking for it runs the page again
        "cells": [c.code for c in job.cells],
        "files": file_hashes,
    }
    return _hash(data)


def identity_key(kernel: str) -> str | None:
    identity = kernel_identity(kernel)
    return _hash(identity)[:16] if identity else None


def _hash(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


class ExecutionCache:
    def __init__(self, content_dir: Path, root: Path | None = None) -> None:
        self.root = root or freeze_dir(content_dir)  # an MkDocs site keeps it elsewhere

    def _folder(self, key: str) -> Path:
        return self.root / key[:2]

    def lookup(
        self,
        jobs: list[NotebookJob],
        keys: dict[tuple[str, str | None], str],
        frozen: bool,
        identities: Mapping[str, dict[str, str] | None] | None = None,
    ) -> Lookup:
        """Stored outputs of ``jobs``, made by the kernels ``identities`` describes (those
        where the notebooks would run, a cluster's workers; else this machine's)."""
        found = Lookup()
        for job in jobs:
            key = keys[job.key]
            if identities is None:
                identity = identity_key(job.kernel)
            else:
                made_by = identities.get(job.kernel)
                identity = _hash(made_by)[:16] if made_by else None
            if frozen:
                path = self._find_any(key)
            else:  # a kernel that is not installed has no identity: nothing can match
                path = self._find(key, identity) if identity else None
            entry = self._read(path, found) if path else None
            if entry is not None and len(entry.cells) == len(job.cells):
                found.hits[job.key] = entry
            else:
                found.misses.append(job)
        return found

    def _find(self, key: str, identity: str) -> Path | None:
        path = self._folder(key) / f"{key}.{identity}.json"
        return path if path.is_file() else None

    def _find_any(self, key: str) -> Path | None:
        """The newest entry for this notebook, whatever kernel made it (``--frozen``)."""
        candidates = sorted(self._folder(key).glob(f"{key}.*.json"), key=_mtime, reverse=True)
        return candidates[0] if candidates else None

    def _read(self, path: Path, found: Lookup) -> Entry | None:
        """The entry at ``path``; None, and the path in ``found.corrupt``, when it cannot
        be read or is not what ``store`` writes (valid JSON of another shape included):
        a bad entry is run again, never trusted and never a traceback."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            data = None
        cells = data.get("cells") if isinstance(data, dict) else None
        if not (isinstance(data, dict) and data.get("format") == FORMAT and _are_cells(cells)):
            found.corrupt.append(path)
            return None
        return Entry(path, cells)

    def store(
        self,
        job: NotebookJob,
        key: str,
        cells: list[list[dict[str, Any]]],
        identity: dict[str, str] | None = None,
    ) -> Problem | None:
        """Keep a successful notebook's outputs, under the identity of the kernel that ran
        them (``identity``, sent back by a cluster worker; else this machine's). A cache that
        cannot be written (a read-only content folder, a full disk) is a warning: the outputs
        are still good for this build."""
        identity = identity or kernel_identity(job.kernel)
        if identity is None:
            return None
        path = self._folder(key) / f"{key}.{_hash(identity)[:16]}.json"
        record = {
            "format": FORMAT,
            "page": job.rel,
            "framework": job.framework,
            "kernel": identity,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "code": [c.code for c in job.cells],
            "cells": cells,
        }
        data = (json.dumps(record, indent=1, sort_keys=True) + "\n").encode()
        try:
            write_file_atomic(path, data)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            return warning_at(self.root, 0, f"cannot store outputs in the cache: {reason}")
        return None

    def entries(self) -> list[Path]:
        return sorted(self.root.glob("*/*.json")) if self.root.is_dir() else []

    def prune(self, live: dict[str, str | None]) -> tuple[list[Path], int]:
        """Drop entries no current notebook uses; ``live`` maps notebook keys to the
        current kernel identity (None when that kernel is not installed here: keep all)."""
        removed: list[Path] = []
        kept = 0
        for path in self.entries():
            key, _, rest = path.name.partition(".")
            identity = rest.removesuffix(".json")
            if key in live and live[key] in (None, identity):
                kept += 1
                continue
            path.unlink(missing_ok=True)
            removed.append(path)
        for folder in self.root.glob("*/") if self.root.is_dir() else []:
            if not any(folder.iterdir()):
                folder.rmdir()
        return removed, kept


def _are_cells(cells: object) -> TypeGuard[list[list[dict[str, Any]]]]:
    """One list of nbformat outputs per cell, each of the shape the renderer reads."""
    return isinstance(cells, list) and all(
        isinstance(outputs, list) and all(is_output(o) for o in outputs) for outputs in cells
    )


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
