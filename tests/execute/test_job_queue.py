"""The scheduler's queue: a free worker takes the first job whose kernel can start now."""

from __future__ import annotations

from pathlib import Path

from xint_site.execute.schedule import JobQueue, runtime_name
from xint_site.plan import NotebookJob


def job(rel: str, kernel: str = "python3", env: tuple[tuple[str, str], ...] = ()) -> NotebookJob:
    return NotebookJob(
        path=Path(rel),
        rel=rel,
        framework=kernel,
        label=kernel,
        kernel=kernel,
        cwd=Path("."),
        cells=(),
        cell_timeout=1,
        notebook_timeout=1,
        isolate=False,
        env=env,
    )


def test_jobs_are_taken_in_page_order_when_every_kernel_is_ready() -> None:
    queue = JobQueue([job("a.md"), job("b.md"), job("c.md")])
    taken = [queue.take(lambda j: True) for _ in range(3)]
    assert [j.rel for j in taken if j] == ["a.md", "b.md", "c.md"]
    assert queue.jobs == [] and queue.take(lambda j: True) is None


def test_a_job_whose_kernel_is_not_ready_waits_while_others_go_first() -> None:
    tf, torch = job("a.md", "xint-tensorflow"), job("b.md", "xint-pytorch")
    queue = JobQueue([tf, torch, job("c.md", "xint-tensorflow")])
    ready = {"xint-pytorch"}
    assert queue.take(lambda j: j.kernel in ready) is torch
    assert queue.take(lambda j: j.kernel in ready) is None  # nothing is taken by force
    assert [j.rel for j in queue.jobs] == ["a.md", "c.md"]
    ready.add("xint-tensorflow")
    assert queue.take(lambda j: j.kernel in ready) is tf


def test_a_runtime_is_named_by_its_kernel_and_environment() -> None:
    assert runtime_name(job("a.md")) == "python3"
    env = (("A", "1"), ("B", "two"))
    assert runtime_name(job("a.md", "python3", env)) == "python3 A=1 B=two"
