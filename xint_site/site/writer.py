"""Writing the output folder all at once: the new site replaces the old only on success.

The new site is written into a staging folder beside the output folder as it is made
(by the build's worker processes too), then swapped in with two renames. Staging
folders carry the writing process's id in their name (``.<out>.new-<pid>-<random>``),
so the next build can remove those a killed build left behind without touching a live
build's.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from xint_site.problems import Problem, problem_at
from xint_site.site.out_dir import MARKER, marker_bytes, refusal


class WriteProblem(Exception):
    """The site was not written (a refused folder, a full disk); the old site is intact."""

    def __init__(self, error: Problem) -> None:
        super().__init__(str(error))
        self.error = error

    def __reduce__(self) -> tuple[type[WriteProblem], tuple[Problem]]:
        return WriteProblem, (self.error,)  # raised in a worker, re-raised in the build


@dataclass(frozen=True, slots=True)
class Written:
    """A file of the output folder known by its digest, not its bytes."""

    digest: str


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Staging:
    """The new site, file by file, in a fresh folder beside the output folder: ``commit``
    swaps it in; leaving the ``with`` block without committing removes it."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._folder: Path | None = None  # while entered and not committed

    @property
    def folder(self) -> Path:
        if self._folder is None:
            raise RuntimeError("the staging folder is used outside its with block")
        return self._folder

    def __enter__(self) -> Staging:
        _check(self.out_dir)
        target = self.out_dir.resolve()
        with writing(self.out_dir):
            target.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_staging(target)
            self._folder = Path(tempfile.mkdtemp(prefix=_prefix(target, "new"), dir=target.parent))
        return self

    def write(self, rel: str, content: bytes | Path) -> None:
        """One file of the site, written (or copied) in place; from worker processes too."""
        target = self.folder / rel
        with writing(self.out_dir):
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            else:
                target.write_bytes(content)

    def commit(self) -> None:
        """Mark the new site as xint-site's and swap it in for the output folder."""
        with writing(self.out_dir):
            (self.folder / MARKER).write_bytes(marker_bytes())
            os.chmod(self.folder, 0o755)
            _check(self.out_dir)  # the last line of defence: the folder may have changed meanwhile
            _swap(self.folder, self.out_dir.resolve())
        self._folder = None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._folder is not None:  # not committed: a problem, an interrupt
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """An operating system error (a full disk, a read-only folder) as the one-line
    ``path: cannot write the site: reason``."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise WriteProblem(problem_at(path, 0, f"cannot write the site: {reason}")) from exc


def remove_stale_staging(target: Path) -> None:
    """Remove the staging folders of builds that died (``kill -9``) beside ``target``."""
    name = re.escape(target.name)
    remove_dead_folders(target.parent, rf"\.{name}\.(?:new|old)-(\d+)-[a-z0-9_]{{8}}")


def remove_dead_folders(parent: Path, pattern: str) -> None:
    """Remove the folders in ``parent`` named by ``pattern`` with the id (its group 1) of a
    process that is gone."""
    try:
        siblings = list(parent.iterdir())
    except OSError:
        return
    for path in siblings:
        found = re.fullmatch(pattern, path.name)
        if found and not path.is_symlink() and path.is_dir() and not _alive(int(found[1])):
            shutil.rmtree(path, ignore_errors=True)


def _check(out_dir: Path) -> None:
    problem = refusal(out_dir)
    if problem is not None:
        raise WriteProblem(problem)


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
