"""One notebook as one Dask task, run on a worker in the worker's own kernels.

A worker keeps one kernel pool for its whole life (kernel parents stay warm between
tasks and between builds), runs each notebook in a folder of its own holding the
page's ``files:`` as the build sent them, and sends back the run with the identity
of the kernel that made it: the cache keys the outputs by the worker's packages, not
the client's. A build that is interrupted cancels its tasks here
(:func:`cancel_build`), which stops their kernels.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from xint_site.config import SiteConfig
from xint_site.execute.results import NotebookRun
from xint_site.kernels.identity import kernel_identity
from xint_site.plan import NotebookJob

if TYPE_CHECKING:  # the runner imports Jupyter: a worker imports it with its first task
    from xint_site.execute.runner import KernelPool

# what one notebook may carry to a worker: its page's `files:`
MAX_SHIPPED_BYTES = 64 * 2**20

Runtime = tuple[str, tuple[tuple[str, str], ...]]  # a job's kernel and environment


@dataclass(frozen=True)
class TaskResult:
    run: NotebookRun
    identity: dict[str, str] | None  # the worker's kernel, for the cache key
    worker: str  # the worker's address


class _Worker:
    """This worker process's kernels, warm runtimes and running notebooks (by build)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pool: KernelPool | None = None  # a KernelPool, made when the first task runs
        self.warm: set[Runtime] = set()
        self.running: dict[str, set[concurrent.futures.Future[list[NotebookRun]]]] = {}
        self.provision_errors: dict[str, str] = {}  # framework id -> why it has no kernel


WORKER = _Worker()


def run_notebook(
    build: str, job: NotebookJob, config: SiteConfig, files: dict[str, bytes]
) -> TaskResult:
    """The Dask task: run ``job`` in a fresh kernel of this worker, in a folder holding
    ``files`` (page-relative names), and return the run as the client planned it."""
    from distributed import get_worker

    address = get_worker().address
    why = WORKER.provision_errors.get(job.framework or "")
    if why is not None:
        return TaskResult(_failed(job, why), None, address)
    with tempfile.TemporaryDirectory(prefix="xint-site-task-") as folder:
        here = replace(job, cwd=place_files(Path(folder), files))
        future = worker_pool().submit([here], config)
        with WORKER.lock:
            WORKER.running.setdefault(build, set()).add(future)
        try:
            (run,) = future.result()
        finally:
            with WORKER.lock:
                WORKER.running.get(build, set()).discard(future)
    WORKER.warm.add(job.runtime)
    return TaskResult(replace(run, job=job), kernel_identity(job.kernel), address)


def cancel_build(build: str) -> int:
    """Stop every notebook of ``build`` running on this worker (their kernels are shut
    down as their tasks end); how many there were. Run on each worker by the client."""
    with WORKER.lock:
        futures = WORKER.running.pop(build, set())
    for future in futures:
        future.cancel()
    return len(futures)


def warm_up(jobs: list[NotebookJob], config: SiteConfig) -> None:
    """Start the kernel parents of ``jobs``' runtimes now, all at once, as a local build
    does when execution begins: this worker is preferred for their notebooks."""
    from xint_site.execute.runner import preload_of

    pool = worker_pool()
    parents = pool.parents

    async def start() -> None:
        for job in jobs:
            if not job.isolate:
                parents.warm(job.kernel, dict(job.env), preload_of(job, config))

    pool.run(start())
    WORKER.warm.update(job.runtime for job in jobs)


def worker_identities(kernels: list[str]) -> dict[str, dict[str, str] | None]:
    """This worker's identity of each kernel (None: not installed here)."""
    kernel_identity.cache_clear()  # provisioning may have changed a kernel since
    return {kernel: kernel_identity(kernel) for kernel in kernels}


def warm_runtimes() -> list[Runtime]:
    """The runtimes this worker has run notebooks of, or was asked to warm up: their
    kernel parents are started."""
    return sorted(WORKER.warm)


def place_files(root: Path, files: dict[str, bytes]) -> Path:
    """The notebook's folder under ``root``, with each file at its page-relative name; a
    name that climbs out of the page's folder (``../data.csv``) lands inside ``root`` too."""
    depth = max((_climbs(name) for name in files), default=0)
    cwd = root.joinpath(*["page"] * (depth + 1))
    cwd.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = Path(os.path.normpath(cwd / name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return cwd


def pack_files(job: NotebookJob) -> dict[str, bytes] | str:
    """The page's ``files:`` to send with its notebook, or why they cannot go (too big,
    unreadable). Absolute names are left out: the worker reads them where they are."""
    files: dict[str, bytes] = {}
    total = 0
    for name in job.files:
        if Path(name).is_absolute():
            continue
        try:
            data = (job.cwd / name).read_bytes()
        except OSError as exc:
            return f"front matter 'files': cannot read '{name}': {exc.strerror or exc}"
        total += len(data)
        if total > MAX_SHIPPED_BYTES:
            return (
                f"front matter 'files': more than {MAX_SHIPPED_BYTES // 2**20} MB to send to "
                "a Dask worker; put large data where every worker reads it (a shared "
                "filesystem, an absolute path)"
            )
        files[name] = data
    return files


def _climbs(name: str) -> int:
    parts = Path(os.path.normpath(name)).parts
    return sum(1 for p in parts if p == "..")


def worker_pool() -> KernelPool:
    """This worker's kernels, made once: its kernel parents stay warm between tasks."""
    from xint_site.execute.runner import KernelPool

    with WORKER.lock:
        if WORKER.pool is None:
            WORKER.pool = KernelPool()
        return WORKER.pool


def close_pool() -> None:
    """Stop this worker's kernels and kernel parents (the worker is closing)."""
    with WORKER.lock:
        pool, WORKER.pool = WORKER.pool, None
        WORKER.warm.clear()
    if pool is not None:
        with contextlib.suppress(Exception):
            pool.run(_cancel_leftovers())
        pool.close()


async def _cancel_leftovers() -> None:
    """nbclient leaves its kernel poll running when a cell's execution is cancelled (an
    interrupted build): cancel those, so the loop stops without "Task was destroyed but
    it is pending" on the worker's stderr."""
    current = asyncio.current_task()
    left = [
        t
        for t in asyncio.all_tasks()
        if t is not current and "poll_kernel_alive" in getattr(t.get_coro(), "__qualname__", "")
    ]
    for leftover in left:
        leftover.cancel()
    await asyncio.gather(*left, return_exceptions=True)


def _failed(job: NotebookJob, why: str) -> NotebookRun:
    line = job.cells[0].line if job.cells else 1
    return NotebookRun(job=job, problem=why, problem_line=line)
