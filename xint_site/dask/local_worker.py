"""Preloaded into the workers of ``local:N``: Ctrl-C is the build's to handle.

A terminal sends Ctrl-C to every process of the build's group, the local workers
included. The build cancels its notebooks and closes the cluster itself; a worker
stopped by the signal at the same time would only print Dask's tracebacks.
"""

from __future__ import annotations

import signal
from typing import Any


def dask_setup(worker: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
