"""Writing the output folder all at once: the new site replaces the old only on success.

The new site is written into a staging folder beside the output folder, then swapped
in with two renames. Staging folders carry the writing process's id in their name
(``.<out>.new-<pid>-<random>``), so the next build can remove those a killed build
left behind without touching a live build's.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from xint_site.problems import Problem, problem_at
from xint_site.site.out_dir import MARKER, marker_bytes, refusal

SiteFiles = Mapping[str, bytes | Path]  # relative posix path -> content or a file to copy


class WriteProblem(Exception):
    """The site was not written (a refused folder, a full disk); the old site is intact."""

    def __init__(self, error: Problem) -> None:
        super().__init__(str(error))
        self.error = error


def write_site(out_dir: Path, files: SiteFiles) -> None:
    """Write every file into a fresh folder beside ``out_dir``, then swap it in."""
    _check(out_dir)
    target = out_dir.resolve()
    staging: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(target)
        staging = Path(tempfile.mkdtemp(prefix=_prefix(target, "new"), dir=target.parent))
        _fill(staging, files)
        _check(out_dir)  # the last line of defence: the folder may have changed meanwhile
        _swap(staging, target)
    except BaseException as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            raise WriteProblem(problem_at(out_dir, 0, f"cannot write the site: {reason}")) from exc
        raise


def remove_stale_staging(target: Path) -> None:
    """Remove the staging folders of builds that died (``kill -9``) beside ``target``."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(?:new|old)-(\d+)-[a-z0-9_]{{8}}")
    try:
        siblings = list(target.parent.iterdir())
    except OSError:
        return
    for path in siblings:
        found = pattern.fullmatch(path.name)
        if found and not path.is_symlink() and path.is_dir() and not _alive(int(found[1])):
            shutil.rmtree(path, ignore_errors=True)


def _check(out_dir: Path) -> None:
    problem = refusal(out_dir)
    if problem is not None:
        raise WriteProblem(problem)


def _fill(staging: Path, files: SiteFiles) -> None:
    for rel, content in files.items():
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_bytes(content)
    (staging / MARKER).write_bytes(marker_bytes())
    os.chmod(staging, 0o755)


def _prefix(target: Path, kind: str) -> str:
    return f".{target.name}.{kind}-{os.getpid()}-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but belongs to someone else
        return True
    return True


def _swap(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=_prefix(out_dir, "old"), dir=out_dir.parent))
    os.rmdir(old)
    os.rename(out_dir, old)
    try:
        os.rename(staging, out_dir)
    except BaseException:
        os.rename(old, out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
