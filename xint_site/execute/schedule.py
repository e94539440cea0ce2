"""Which notebook a free worker runs next: one whose kernel can start right away.

Every notebook gets a fresh kernel, forked from its runtime's kernel parent,
so a worker is never tied to a framework. What still costs seconds is each
parent's first imports (TensorFlow: about 4 s); they all start at once when the
build begins, and until a runtime's parent is ready its notebooks wait while the
workers run those of runtimes that are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from xint_site.plan import NotebookJob


def runtime_name(job: NotebookJob) -> str:
    return job.kernel + "".join(f" {k}={v}" for k, v in job.env)


@dataclass
class JobQueue:
    """Jobs in page order; ``missing`` holds kernels found not to be installed."""

    jobs: list[NotebookJob]
    missing: set[str] = field(default_factory=set)

    def take(self, wanted: Callable[[NotebookJob], bool]) -> NotebookJob | None:
        """The first job that is ``wanted`` (one whose kernel can start now, say), or None."""
        job = next((j for j in self.jobs if wanted(j)), None)
        if job is not None:
            self.jobs.remove(job)
        return job
