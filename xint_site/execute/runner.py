"""Running notebooks: a few workers, each keeping one warm kernel.

Jobs are taken framework by framework, so a worker reuses its kernel (namespace
reset between pages) and each framework is imported once per worker. A page
that asks to be isolated gets a fresh kernel. A dead or timed-out kernel fails
its notebook only; the worker starts a new one for the next.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, Protocol, TypeVar

from xint_site.config import SiteConfig
from xint_site.execute.kernel import KernelLost, KernelMissing, KernelSession, kill_all_kernels
from xint_site.execute.kernelspecs import missing_kernel_message, missing_kernel_reason
from xint_site.execute.outputs import strip_ansi
from xint_site.execute.plan import NotebookJob
from xint_site.execute.results import CellFailure, NotebookRun
from xint_site.execute.schedule import JobQueue, Timings, runtime_name
from xint_site.model import Cell

T = TypeVar("T")


class Progress(Protocol):
    """Where the runner says what it is doing (a progress bar, log lines, a server)."""

    def planned(self, total: int, cached: int) -> None: ...
    def started(self, job: NotebookJob) -> None: ...
    def finished(self, run: NotebookRun) -> None: ...


class SessionShelf:
    """Idle kernels between notebooks, by runtime; bound to one event loop.

    ``keep`` is how many idle kernels may wait for later use (the preview server
    keeps one per framework warm); a build keeps none, so a worker that moves on
    to another framework stops its kernel and memory stays bounded by the workers.
    """

    def __init__(self, keep: int = 0) -> None:
        self.keep = keep
        self.idle: list[KernelSession] = []

    def take(self, runtime: object) -> KernelSession | None:
        for i, session in enumerate(self.idle):
            if session.runtime == runtime and session.alive:
                return self.idle.pop(i)
        return None

    async def put(self, session: KernelSession) -> None:
        if not session.alive:
            return
        self.idle.append(session)
        while len(self.idle) > self.keep:
            await self.idle.pop(0).shutdown()

    async def close(self) -> None:
        idle, self.idle = self.idle, []
        for session in idle:
            await session.shutdown()


class KernelPool:
    """Warm kernels kept across builds, for the preview server: one loop in a thread."""

    def __init__(self, keep: int = 4) -> None:
        self.shelf = SessionShelf(keep)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="kernels", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def close(self) -> None:
        if self.loop.is_running():
            with contextlib.suppress(Exception):
                self.run(self.shelf.close())
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
        kill_all_kernels()


def run_notebooks(
    jobs: list[NotebookJob],
    config: SiteConfig,
    workers: int,
    progress: Progress | None = None,
    pool: KernelPool | None = None,
) -> list[NotebookRun]:
    """Run every job; without a pool, leave no kernel behind, even when interrupted."""
    if pool is not None:
        return pool.run(_run_all(jobs, config, max(1, workers), progress, pool.shelf))
    try:
        return asyncio.run(_run_once(jobs, config, max(1, workers), progress))
    finally:
        kill_all_kernels()


async def _run_once(
    jobs: list[NotebookJob], config: SiteConfig, workers: int, progress: Progress | None
) -> list[NotebookRun]:
    shelf = SessionShelf()
    try:
        return await _run_all(jobs, config, workers, progress, shelf)
    finally:
        await shelf.close()


async def _run_all(
    jobs: list[NotebookJob],
    config: SiteConfig,
    workers: int,
    progress: Progress | None,
    shelf: SessionShelf,
) -> list[NotebookRun]:
    timings = Timings.load()
    queue = JobQueue(sorted(jobs, key=lambda j: (j.runtime, j.rel)), timings)
    runs: list[NotebookRun] = []
    finished = asyncio.Condition()  # a notebook finished: new timings, maybe worth joining

    async def next_job(held: str | None) -> NotebookJob | None:
        """A job, or None when none is left; a worker not worth a new kernel yet
        waits for the next finished notebook and asks again."""
        while (job := queue.take(held)) is None and queue.jobs:
            held = None
            async with finished:
                await finished.wait()
        return job

    async def worker() -> None:
        session: KernelSession | None = None
        try:
            held: str | None = None
            while (job := await next_job(held)) is not None:
                held = runtime_name(job)
                if progress:
                    progress.started(job)
                if session and (session.runtime != job.runtime or job.isolate):
                    await shelf.put(session)
                    session = None
                if session is None and not job.isolate:
                    session = shelf.take(job.runtime)
                fresh = session is None
                run, session = await _run_job(job, session, config, queue)
                queue.record(run, fresh)
                async with finished:
                    finished.notify_all()
                if job.isolate and session:
                    await session.shutdown()
                    session = None
                runs.append(run)
                if progress:
                    progress.finished(run)
        finally:
            if session:
                await shelf.put(session)

    await asyncio.gather(*(worker() for _ in range(min(workers, len(jobs)) or 1)))
    timings.save()
    order = {job.key: i for i, job in enumerate(jobs)}
    return sorted(runs, key=lambda r: order[r.job.key])


async def _run_job(
    job: NotebookJob,
    session: KernelSession | None,
    config: SiteConfig,
    queue: JobQueue,
) -> tuple[NotebookRun, KernelSession | None]:
    started = time.perf_counter()
    if job.kernel in queue.missing:
        return _failed(job, _missing(job, config), started), None
    try:
        if session is None:
            session = KernelSession(job.kernel, dict(job.env))
            await session.start(job.cwd)
        elif session.notebooks:
            await session.reset(job.cwd)
    except KernelMissing:
        queue.missing.add(job.kernel)
        return _failed(job, _missing(job, config), started), None
    except KernelLost as exc:
        return _failed(job, str(exc), started), None
    return await _execute(job, session, config, started)


async def _execute(
    job: NotebookJob, session: KernelSession, config: SiteConfig, started: float
) -> tuple[NotebookRun, KernelSession | None]:
    deadline = time.monotonic() + job.notebook_timeout
    sources = [c.code for c in job.cells]
    outputs: dict[int, list[dict]] = {}
    failures: list[CellFailure] = []
    may_fail = ["raises" in c.options for c in job.cells]
    try:
        replies = await session.run_cells(sources, job.cell_timeout, deadline, may_fail)
    except KernelLost as exc:
        cell = job.cells[exc.cell_index] if exc.cell_index is not None else None
        return _failed(job, str(exc), started, cell.line if cell else 0), None
    for cell, reply in zip(job.cells, replies, strict=False):
        outputs[cell.index] = reply.outputs
        error = next((o for o in reply.outputs if o.get("output_type") == "error"), None)
        if error or "raises" in cell.options:
            failures.append(_failure(cell, error))
    run = NotebookRun(
        job=job,
        outputs=outputs,
        failures=tuple(failures),
        seconds=time.perf_counter() - started,
    )
    return run, session


def _failure(cell: Cell, error: dict | None) -> CellFailure:
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


__all__ = ["kill_all_kernels", "run_notebooks"]
