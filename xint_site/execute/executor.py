"""Where the notebooks that missed the cache run: this machine's kernels, or a cluster.

The execute stage plans and looks up the cache itself; an executor only runs the
misses and hands each run to ``done`` the moment it finishes, with the identity of
the kernel that ran it when that kernel lives elsewhere (a cluster worker). So an
interrupted build keeps in the cache every notebook that finished.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from xint_site.config import SiteConfig
from xint_site.execute.progress import Progress
from xint_site.execute.results import NotebookRun
from xint_site.kernels.identity import kernel_identity
from xint_site.plan import NotebookJob

if TYPE_CHECKING:  # the runner imports Jupyter: only a build that runs cells needs it
    from xint_site.execute.runner import KernelPool

# a finished run, and the identity of the kernel that made it (None: this machine's)
Done = Callable[[NotebookRun, dict[str, str] | None], None]


class ExecutorUnavailable(Exception):
    """The executor cannot run anything (a scheduler that cannot be reached): one line."""


class Executor(Protocol):
    warnings: list[str]  # said once per build (an unsafe scheduler address)

    def identities(self, kernels: list[str]) -> dict[str, dict[str, str] | None]:
        """Each kernel's identity where the notebooks would run (None: not installed),
        which the cache is looked up with."""
        ...

    def run(
        self, jobs: list[NotebookJob], config: SiteConfig, progress: Progress | None, done: Done
    ) -> list[NotebookRun]: ...


class LocalExecutor:
    """This machine's kernels: ``workers`` notebooks at once (``-j N``)."""

    def __init__(self, workers: int, pool: KernelPool | None = None) -> None:
        self.workers = workers
        self.pool = pool
        self.warnings: list[str] = []

    def identities(self, kernels: list[str]) -> dict[str, dict[str, str] | None]:
        return {kernel: kernel_identity(kernel) for kernel in kernels}

    def run(
        self, jobs: list[NotebookJob], config: SiteConfig, progress: Progress | None, done: Done
    ) -> list[NotebookRun]:
        from xint_site.execute.runner import run_notebooks

        return run_notebooks(jobs, config, self.workers, _Reporting(progress, done), self.pool)


class _Reporting:
    """The runner's progress, with each finished run handed to ``done`` first."""

    def __init__(self, progress: Progress | None, done: Done) -> None:
        self.progress = progress
        self.done = done

    def planned(self, total: int, cached: int) -> None:
        if self.progress:
            self.progress.planned(total, cached)

    def started(self, job: NotebookJob) -> None:
        if self.progress:
            self.progress.started(job)

    def finished(self, run: NotebookRun) -> None:
        self.done(run, None)
        if self.progress:
            self.progress.finished(run)
