"""Knowing that a build would change nothing, as ``make`` knows it: by the inputs' stamps.

A successful build records a fingerprint of everything its output depends on (each
file of the content folder and of the theme by path, size and modification time, the
Hexo configuration beside the content folder, xint-site's own code, the options, and
the identity of every kernel when cells run) with a fingerprint of the output folder
it wrote, and the warnings it reported. The next build with the same fingerprints,
while the output folder is still exactly as written, does nothing and reports the
same warnings: an unchanged rebuild costs a walk of the folders (``make``, Sphinx and
Hugo's ``--renderToMemory``-less rebuilds do the same). Any difference, including a
touched file, falls back to the full build, so a skipped build can never show stale
output. Records live in the cache folder, never in the published output.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import xint_site
from xint_site.config import load_config
from xint_site.paths import builtin_themes_dir, cache_dir
from xint_site.pipeline.options import BuildOptions, BuildReport
from xint_site.problems import Problem, Severity

FORMAT = 1
_NOT_INPUTS = frozenset({"progress", "jobs"})  # how a build runs, not what it makes
_NEVER_READ = frozenset({"__pycache__", "node_modules"})  # a Hexo blog's node_modules
_HEXO_FILES = ("_config.yml", "xint.yml")  # a Hexo blog's configuration sits beside source/


def inputs_digest(options: BuildOptions) -> str | None:
    """One digest of everything the output folder is made from; None when the build must
    not be skipped: it must look outside (external links), was told to run everything
    again, or its configuration cannot be read (the full build reports why)."""
    if options.refresh or options.check_external:
        return None
    digest = hashlib.sha256(f"xint-site uptodate {FORMAT} {xint_site.__version__}\n".encode())
    for field in dataclasses.fields(options):
        if field.name not in _NOT_INPUTS:
            digest.update(f"{field.name}={getattr(options, field.name)!r}\n".encode())
    content = options.content_dir.resolve()
    out = options.out_dir.resolve()
    _stamp_tree(digest, content, skip=out)
    for name in _HEXO_FILES:
        _stamp_file(digest, content.parent / name)
    _stamp_tree(digest, builtin_themes_dir().resolve(), skip=out)  # others are in content
    _stamp_tree(digest, Path(xint_site.__file__).resolve().parent, skip=out)
    if options.execute and not options.frozen:  # a new package version changes outputs
        kernels = _kernels(content)
        if kernels is None:
            return None
        from xint_site.kernels.identity import kernel_identity

        for kernel in kernels:
            digest.update(json.dumps([kernel, kernel_identity(kernel)], sort_keys=True).encode())
    return digest.hexdigest()


def _kernels(content: Path) -> list[str] | None:
    """Every kernel the site's configuration names (a Hexo blog's is beside its source)."""
    names: set[str] = set()
    for folder in (content, content.parent):
        if folder == content or (folder / "_config.yml").is_file():
            config, errors = load_config(folder)
            if errors:
                return None
            names |= {config.kernel, *(f.kernel for f in config.frameworks)}
    return sorted(names)


def outputs_digest(out_dir: Path) -> str:
    """The output folder as written: every file's path, size and modification time."""
    digest = hashlib.sha256()
    _stamp_tree(digest, out_dir.resolve(), skip=None, hidden=True)
    return digest.hexdigest()


def previous_report(options: BuildOptions, inputs: str) -> BuildReport | None:
    """The report of the last build into the same folder when nothing it depends on has
    changed since and the folder is as it left it; None otherwise."""
    record = _read(_record_path(options.out_dir))
    if record is None or record.get("inputs") != inputs or not options.out_dir.is_dir():
        return None
    if record.get("outputs") != outputs_digest(options.out_dir):
        return None
    try:
        warnings = [_problem(p) for p in record["warnings"]]
        return BuildReport(
            pages=int(record["pages"]), files=int(record["files"]), warnings=warnings
        )
    except (KeyError, TypeError, ValueError):
        return None


def remember(options: BuildOptions, inputs: str, report: BuildReport) -> None:
    """Record a successful build (one whose every notebook ran or came from the cache);
    a record that cannot be written only costs the next build its shortcut."""
    if not report.ok or report.execution.cell_errors or report.execution.errors:
        forget(options.out_dir)
        return
    record = {
        "format": FORMAT,
        "inputs": inputs,
        "outputs": outputs_digest(options.out_dir),
        "pages": report.pages,
        "files": report.files,
        "warnings": [_plain(w) for w in report.warnings],
    }
    path = _record_path(options.out_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(record), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        forget(options.out_dir)


def forget(out_dir: Path) -> None:
    """No shortcut for this folder: the next build is a full one."""
    with contextlib.suppress(OSError):
        _record_path(out_dir).unlink(missing_ok=True)


def _record_path(out_dir: Path) -> Path:
    name = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / "builds" / f"{name}.json"


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def _stamp_tree(digest: Any, root: Path, skip: Path | None, hidden: bool = False) -> None:
    """Each file under ``root`` by relative path, size and modification time, in a fixed
    order; folders named ``.*`` (``.git``) are left out unless ``hidden``, and ``skip``
    (the output folder inside the content folder) always is."""
    digest.update(f"tree {root}\n".encode(errors="surrogateescape"))
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if (hidden or not d.startswith(".")) and d not in _NEVER_READ and here / d != skip
        )
        rel = here.relative_to(root).as_posix()
        for name in sorted(files):
            _stamp_file(digest, here / name, f"{rel}/{name}")


def _stamp_file(digest: Any, path: Path, label: str | None = None) -> None:
    try:
        st = path.stat()
    except OSError:
        digest.update(f"{label or path} -\n".encode(errors="surrogateescape"))
        return
    digest.update(
        f"{label or path} {st.st_size} {st.st_mtime_ns}\n".encode(errors="surrogateescape")
    )


def _plain(problem: Problem) -> dict[str, Any]:
    data = dataclasses.asdict(problem)
    data["severity"] = problem.severity.value
    return data


def _problem(data: dict[str, Any]) -> Problem:
    return Problem(**{**data, "severity": Severity(data["severity"])})
