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
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from xint_site.config import SiteConfig
from xint_site.execute.kernel import KernelLost, KernelMissing, KernelSession, kill_all_kernels
from xint_site.execute.kernelspecs import missing_kernel_message
from xint_site.execute.outputs import strip_ansi
from xint_site.execute.plan import NotebookJob
from xint_site.execute.results import CellFailure, NotebookRun
from xint_site.model import Cell

T = TypeVar("T")


class Progress(Protocol):
    """Where the runner says what it is doing (a progress bar, log lines, a server)."""

    def planned(self, total: int, cached: int) -> None: ...
    def started(self, job: NotebookJob) -> None: ...
    def finished(self, run: NotebookRun) -> None: ...


@dataclass
class _Queue:
    """Jobs waiting for a worker, handed out so that few kernels start.

    Starting a kernel and importing a framework costs seconds; a notebook in a warm
    kernel often costs milliseconds. So a worker keeps to its framework; a free worker
    takes a framework nobody runs yet, and joins one already running only when what is
    left of it outweighs a kernel start (measured as the build goes).
    """

    jobs: list[NotebookJob]
    missing: set[str] = field(default_factory=set)
    active: Counter = field(default_factory=Counter)  # runtime -> workers on it
    start_cost: dict[object, float] = field(default_factory=dict)  # first notebook, new kernel
    warm_costs: dict[object, list[float]] = field(default_factory=dict)

    def take(self, held: object) -> NotebookJob | None:
        """The next job for a worker whose kernel has runtime ``held`` (or None)."""
        job = next((j for j in self.jobs if j.runtime == held), None) if held else None
        if job is None:
            job = self._new_runtime()
            if held is not None:
                self.active[held] -= 1
            if job is not None:
                self.active[job.runtime] += 1
        if job is not None:
            self.jobs.remove(job)
        return job

    def record(self, run: NotebookRun, fresh_kernel: bool) -> None:
        runtime = run.job.runtime
        if fresh_kernel:
            self.start_cost.setdefault(runtime, run.seconds)
        else:
            self.warm_costs.setdefault(runtime, []).append(run.seconds)

    def _new_runtime(self) -> NotebookJob | None:
        left = Counter(j.runtime for j in self.jobs)
        if not left:
            return None
        free = [r for r in left if not self.active[r]]
        runtime = max(free, key=lambda r: left[r]) if free else self._worth_joining(left)
        return next((j for j in self.jobs if j.runtime == runtime), None)

    def _worth_joining(self, left: Counter) -> object | None:
        """A running framework whose remaining notebooks outweigh another kernel start;
        timings of other frameworks stand in for one not measured yet."""
        all_warm = [c for costs in self.warm_costs.values() for c in costs]
        all_start = list(self.start_cost.values())

        def gain(r: object) -> float:
            share = left[r] / (self.active[r] + 1)
            warm = self.warm_costs.get(r) or all_warm
            start = self.start_cost.get(r, sum(all_start) / len(all_start) if all_start else None)
            if not warm or start is None:
                return share - JOIN_WITHOUT_TIMINGS
            return share * (sum(warm) / len(warm)) - start

        best = max(left, key=gain)
        return best if gain(best) > 0 else None


JOIN_WITHOUT_TIMINGS = 4  # notebooks per worker before timings say whether to join


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
    queue = _Queue(sorted(jobs, key=lambda j: (j.runtime, j.rel)))
    runs: list[NotebookRun] = []

    async def worker() -> None:
        session: KernelSession | None = None
        try:
            held = None
            while (job := queue.take(held)) is not None:
                held = job.runtime
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
    order = {job.key: i for i, job in enumerate(jobs)}
    return sorted(runs, key=lambda r: order[r.job.key])


async def _run_job(
    job: NotebookJob,
    session: KernelSession | None,
    config: SiteConfig,
    queue: _Queue,
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
    message = missing_kernel_message(fw or job.kernel, content_dir)
    return message.removeprefix(f"[{job.label}] ")


__all__ = ["kill_all_kernels", "run_notebooks"]
