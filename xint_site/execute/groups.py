"""Process groups a run started (kernels, kernel parents): none may outlive it.

Each kernel and kernel parent leads a process group of its own; they are
recorded here when started and forgotten when stopped, so that an interrupted
run (Ctrl-C, SIGTERM, an exception) can kill whatever is left.
"""

from __future__ import annotations

import contextlib
import os
import signal

_live: set[int] = set()


def started(pgid: int) -> None:
    _live.add(pgid)


def stopped(pgid: int) -> None:
    _live.discard(pgid)


def kill(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def kill_all() -> None:
    """Last resort after an interrupted run: nothing we started outlives us."""
    for pgid in list(_live):
        kill(pgid)
        _live.discard(pgid)
