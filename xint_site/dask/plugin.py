"""Workers get the frameworks' kernels: what ``xint-site kernels`` does, on each worker.

The build registers :class:`XintSiteWorker` with the scheduler, so every worker, and
every worker that joins later, makes the environments and kernelspecs of the
frameworks it is sent (``environments.provision``), unless it already has that
framework's kernel made from the same requirements. A framework that cannot be made
fails its notebooks on that worker with the reason. The kernel pool lives as long as
the worker (a new build re-registering the plugin keeps it warm).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin
from distributed.core import Status

from xint_site.config import Framework
from xint_site.dask import task
from xint_site.kernels.environments import ProvisionError, env_hash, provision
from xint_site.kernels.identity import kernel_identity
from xint_site.kernels.kernelspecs import read_kernelspec

NAME = "xint-site"
logger = logging.getLogger("xint_site.dask")


def needs_provisioning(framework: Framework) -> bool:
    """A framework with requirements whose kernel is not registered here from those same
    requirements (or whose Python is gone)."""
    if not framework.requirements:
        return False
    spec = read_kernelspec(framework.kernel) or {}
    made = spec.get("metadata", {}).get("xint_site", {})
    argv = spec.get("argv") or [""]
    return made.get("env_hash") != env_hash(framework) or not Path(str(argv[0])).exists()


def provision_all(frameworks: tuple[Framework, ...]) -> dict[str, str]:
    """Make what is missing; why each framework that could not be made has no kernel."""
    errors: dict[str, str] = {}
    for framework in frameworks:
        if not needs_provisioning(framework):
            continue
        try:
            provision(framework, log=_logger_of(framework))
        except ProvisionError as exc:
            errors[framework.id] = f"{exc} (on this worker)" + (
                f":\n{exc.detail}" if exc.detail else ""
            )
    return errors


def _logger_of(framework: Framework) -> Callable[[str], None]:
    return lambda line: logger.info("[%s] %s", framework.id, line)


class XintSiteWorker(WorkerPlugin):
    name = NAME

    def __init__(self, frameworks: tuple[Framework, ...]) -> None:
        self.frameworks = frameworks

    async def setup(self, worker: Any) -> None:
        # pip can take minutes: in a thread, so the worker keeps answering the scheduler
        errors = await asyncio.to_thread(provision_all, self.frameworks)
        task.WORKER.provision_errors = errors
        kernel_identity.cache_clear()  # a kernel just made has a new identity
        await asyncio.to_thread(task.worker_pool)  # Jupyter imported before the first task

    def teardown(self, worker: Any) -> None:
        if worker.status in (Status.closing, Status.closing_gracefully, Status.closed):
            task.close_pool()
