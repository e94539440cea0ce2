"""Running notebooks: a few workers, each notebook in a fresh kernel of its own.

A notebook's outputs must be those of a fresh kernel of its framework, so no
kernel ever runs two notebooks. To keep that cheap, kernels are forked from a
kernel parent per runtime that imported the framework once (``forking.py``);
``isolate: true`` starts a page's kernels from scratch instead. A dead or
timed-out kernel fails its notebook only, keeping the outputs of the cells that
ran and showing the failure under the cell where it happened.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from xint_site.config import SiteConfig
from xint_site.execute import groups
from xint_site.execute.forking import NO_PRELOAD, KernelParents, Preload
from xint_site.execute.kernel import KernelLost, KernelMissing, KernelSession
from xint_site.execute.outputs import strip_ansi
from xint_site.execute.progress import Progress
from xint_site.execute.results import CellFailure, NotebookRun
from xint_site.execute.runfiles import remove_run_folder
from xint_site.execute.schedule import JobQueue
from xint_site.kernels.kernelspecs import missing_kernel_message, missing_kernel_reason
from xint_site.model import Cell
from xint_site.plan import NotebookJob

T = TypeVar("T")


class KernelPool:
    """Kernel parents kept across builds, for the preview server: one loop in a thread.

    A code edit then costs a fork, not a framework import.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="kernels", daemon=True)
        self.thread.start()
        self.parents = self.run(_new_parents())

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def submit(
        self, jobs: list[NotebookJob], config: SiteConfig, workers: int = 1
    ) -> concurrent.futures.Future[list[NotebookRun]]:
        """Run ``jobs`` on the pool's kernels without waiting (a cluster worker's task):
        cancelling the future stops their kernels."""
        coro = _run_all(jobs, config, max(1, workers), None, self.parents)
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def close(self) -> None:
        if self.loop.is_running():
            with contextlib.suppress(Exception):
                self.run(self.parents.close())
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
        groups.kill_all()
        remove_run_folder()


async def _new_parents() -> KernelParents:
    return KernelParents()


def run_notebooks(
    jobs: list[NotebookJob],
    config: SiteConfig,
    workers: int,
    progress: Progress | None = None,
    pool: KernelPool | None = None,
) -> list[NotebookRun]:
    """Run every job; without a pool, leave no process behind, even when interrupted."""
    if pool is not None:
        return pool.run(_run_all(jobs, config, max(1, workers), progress, pool.parents))
    try:
        return asyncio.run(_run_once(jobs, config, max(1, workers), progress))
    finally:
        groups.kill_all()
        remove_run_folder()


async def _run_once(
    jobs: list[NotebookJob], config: SiteConfig, workers: int, progress: Progress | None
) -> list[NotebookRun]:
    parents = KernelParents()
    try:
        return await _run_all(jobs, config, workers, progress, parents)
    finally:
        await parents.close()


def preload_of(job: NotebookJob, config: SiteConfig) -> Preload:
    """What the kernel parent of this job's framework imports before forking."""
    fw = next((f for f in config.frameworks if f.id == job.framework), None)
    if fw is None:
        return NO_PRELOAD
    if fw.preload is not None:
        return Preload(modules=fw.preload)
    return Preload(requirements=tuple(_dist_name(r) for r in fw.requirements))


def _dist_name(requirement: str) -> str:
    """``torch==2.13.0`` -> ``torch``; ``tensorflow-cpu[extra]>=2`` -> ``tensorflow-cpu``."""
    name = requirement.strip()
    for stop in "[=<>!~;@ ":
        name = name.split(stop, 1)[0]
    return name


async def _run_all(
    jobs: list[NotebookJob],
    config: SiteConfig,
    workers: int,
    progress: Progress | None,
    parents: KernelParents,
) -> list[NotebookRun]:
    forked = [j for j in jobs if not j.isolate]
    for job in {j.runtime: j for j in reversed(forked)}.values():
        parents.warm(job.kernel, dict(job.env), preload_of(job, config))
    queue = JobQueue(list(jobs))
    runs: list[NotebookRun] = []
    # kernels started ahead for the next jobs, so a worker rarely waits for one
    ahead: dict[tuple[str, str | None], asyncio.Task[KernelSession]] = {}

    def ready(job: NotebookJob) -> bool:
        return job.isolate or parents.ready(job.kernel, dict(job.env), preload_of(job, config))

    def start(job: NotebookJob) -> asyncio.Task[KernelSession]:
        return asyncio.ensure_future(_start(job, config, queue, parents))

    def start_ahead() -> None:
        for job in queue.jobs:
            if len(ahead) >= workers:
                return
            if job.key not in ahead and not job.isolate and ready(job):
                ahead[job.key] = start(job)

    async def next_job() -> NotebookJob | None:
        while queue.jobs:
            job = queue.take(lambda j: j.key in ahead) or queue.take(ready)
            if job is not None:
                return job
            await parents.wait_any()
            if not any(ready(j) for j in queue.jobs):
                return queue.take(lambda j: True)  # nothing will be ready: wait in the job
        return None

    async def worker() -> None:
        while (job := await next_job()) is not None:
            starting = ahead.pop(job.key, None) or start(job)
            start_ahead()
            if progress:
                progress.started(job)
            run = await _run_job(job, starting, config)
            runs.append(run)
            if progress:
                progress.finished(run)

    try:
        await asyncio.gather(*(worker() for _ in range(min(workers, len(jobs)) or 1)))
    finally:
        for task in ahead.values():
            task.cancel()
            with contextlib.suppress(BaseException):
                await (await task).shutdown()
    order = {job.key: i for i, job in enumerate(jobs)}
    return sorted(runs, key=lambda r: order[r.job.key])


async def _start(
    job: NotebookJob, config: SiteConfig, queue: JobQueue, parents: KernelParents
) -> KernelSession:
    """A kernel for ``job``: forked, or from scratch when the page is isolated."""
    if job.kernel in queue.missing:
        raise KernelMissing(job.kernel)
    session = KernelSession(job.kernel, dict(job.env))
    try:
        await session.start(job.cwd, None if job.isolate else parents, preload_of(job, config))
    except KernelMissing:
        queue.missing.add(job.kernel)
        raise
    except BaseException:
        await session.shutdown()
        raise
    return session


async def _run_job(
    job: NotebookJob, starting: asyncio.Task[KernelSession], config: SiteConfig
) -> NotebookRun:
    started = time.perf_counter()
    try:
        session = await starting
    except KernelMissing:
        return _failed(job, _missing(job, config), started)
    except KernelLost as exc:
        return _failed(job, str(exc), started)
    try:
        return await _execute(job, session, started)
    finally:
        await session.shutdown()


async def _execute(job: NotebookJob, session: KernelSession, started: float) -> NotebookRun:
    deadline = time.monotonic() + job.notebook_timeout
    sources = [c.code for c in job.cells]
    may_fail = ["raises" in c.options for c in job.cells]
    try:
        replies = await session.run_cells(sources, job.cell_timeout, deadline, may_fail)
    except KernelLost as exc:
        return _lost(job, exc, started)
    outputs: dict[int, list[dict[str, Any]]] = {}
    failures: list[CellFailure] = []
    for cell, reply in zip(job.cells, replies, strict=False):
        outputs[cell.index] = reply.outputs
        error = next((o for o in reply.outputs if o.get("output_type") == "error"), None)
        if error or "raises" in cell.options:
            failures.append(_failure(cell, error))
    return NotebookRun(
        job=job,
        outputs=outputs,
        failures=tuple(failures),
        seconds=time.perf_counter() - started,
    )


def _lost(job: NotebookJob, exc: KernelLost, started: float) -> NotebookRun:
    """The cells that ran keep their outputs; the lost cell shows what it printed and
    why it stopped, with the kernel's last words."""
    outputs = {
        cell.index: reply.outputs for cell, reply in zip(job.cells, exc.replies, strict=False)
    }
    cell = job.cells[exc.cell_index] if exc.cell_index is not None else None
    if cell is not None:
        reason = str(exc)
        error = {
            "output_type": "error",
            "ename": "KernelLost",
            "evalue": reason.splitlines()[0],
            "traceback": reason.splitlines(),
        }
        outputs[cell.index] = [*exc.partial, error]
    return NotebookRun(
        job=job,
        outputs=outputs,
        problem=str(exc),
        problem_line=cell.line if cell else (job.cells[0].line if job.cells else 1),
        seconds=time.perf_counter() - started,
    )


def _failure(cell: Cell, error: dict[str, Any] | None) -> CellFailure:
    return CellFailure(
        cell=cell,
        ename=error.get("ename", "") if error else "",
        evalue=error.get("evalue", "") if error else "",
        traceback=strip_ansi("\n".join(error.get("traceback", []))) if error else "",
        expected="raises" in cell.options,
    )


def _failed(job: NotebookJob, message: str, started: float, line: int = 0) -> NotebookRun:
    return NotebookRun(
        job=job,
        problem=message,
        problem_line=line or (job.cells[0].line if job.cells else 1),
        seconds=time.perf_counter() - started,
    )


def _missing(job: NotebookJob, config: SiteConfig) -> str:
    content_dir = job.path.parents[len(Path(job.rel).parts) - 1]
    fw = next((f for f in config.frameworks if f.id == job.framework), None)
    if fw is None:  # the site's default kernel: the message names it
        return missing_kernel_message(job.kernel, content_dir)
    return missing_kernel_reason(fw, content_dir)


__all__ = ["KernelPool", "run_notebooks"]
