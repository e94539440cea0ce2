"""The files a run of kernels needs (connection files, logs), in one folder per process.

jupyter_client would put connection files in the user's Jupyter runtime folder,
where a build killed with ``kill -9`` leaves them forever. Ours go into
``<tmp>/xint-site-run-<pid>-<random>``, removed when the run ends; a folder whose
process is gone is removed by the next run that starts.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

PREFIX = "xint-site-run-"
_folder: Path | None = None


def run_folder() -> Path:
    """This process's folder, made (and stale ones of dead processes removed) on first use."""
    global _folder
    if _folder is None or not _folder.is_dir():
        remove_stale()
        _folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    return _folder


def remove_run_folder() -> None:
    global _folder
    if _folder is not None:
        shutil.rmtree(_folder, ignore_errors=True)
        _folder = None


def remove_stale() -> list[Path]:
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*-*"):
        pid = folder.name.removeprefix(PREFIX).split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):  # a zombie is gone for our purpose
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True
