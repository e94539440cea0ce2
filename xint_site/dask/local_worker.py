"""Preloaded into the workers of ``local:N``: Ctrl-C is the build's to handle, and the
environment is the build's.

A terminal sends Ctrl-C to every process of the build's group, the local workers
included. The build cancels its notebooks and closes the cluster itself; a worker
stopped by the signal at the same time would only print Dask's tracebacks.

Dask's nanny starts each worker with variables of its own (``OMP_NUM_THREADS=1`` and
the rest of ``distributed.nanny.pre-spawn-environ``, ``PYTHONHASHSEED=6640``). Kernels
take the environment of the process that starts them, so the worker sets its own to
the one the build had before the cluster (``KERNEL_ENV``, given by ``local_cluster``).
"""

from __future__ import annotations

import json
import os
import signal
from typing import Any

KERNEL_ENV = "XINT_SITE_KERNEL_ENV"  # the environment the workers' kernels get, as JSON


def dask_setup(worker: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    wanted = os.environ.pop(KERNEL_ENV, None)
    if wanted is not None:
        replace_environ(json.loads(wanted))


def replace_environ(env: dict[str, str]) -> None:
    """Make this process's environment ``env``, exactly, name by name: other threads
    (Dask's event loop) may read it meanwhile, so it is never empty, as after
    ``os.environ.clear()``."""
    for name in [name for name in os.environ if name not in env]:
        del os.environ[name]
    os.environ.update(env)
