"""Which worker runs which notebook: few kernel starts, the longest work first.

Starting a kernel and importing a framework costs seconds; a notebook in a warm
kernel often costs milliseconds. So a worker keeps to its framework; a free
worker takes the framework nobody runs yet with the most work left, and joins
one already running only when what is left of it outweighs another kernel
start. The costs are measured as the build goes and remembered between builds
(in the user cache), so the first choices are informed too: TensorFlow, the
slowest to start, goes first while the other worker does the rest.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from xint_site.execute.plan import NotebookJob
from xint_site.execute.results import NotebookRun
from xint_site.files import write_file_atomic
from xint_site.site.fonts import cache_dir

JOIN_WITHOUT_TIMINGS = 4  # notebooks per worker that justify a kernel when nothing is known


def runtime_name(job: NotebookJob) -> str:
    return job.kernel + "".join(f" {k}={v}" for k, v in job.env)


@dataclass
class Timings:
    """Seconds per runtime: a new kernel's first notebook, and a notebook in a warm one."""

    start: dict[str, float] = field(default_factory=dict)
    warm: dict[str, list[float]] = field(default_factory=dict)
    path: Path | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> Timings:
        path = path or cache_dir() / "timings.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            start = {str(k): float(v) for k, v in data["start"].items()}
            warm = {str(k): [float(v)] for k, v in data["warm"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(path=path)
        return cls(start, warm, path)

    def save(self) -> None:
        if self.path is None:
            return
        data = {"start": self.start, "warm": {k: _mean(v) for k, v in self.warm.items() if v}}
        # timings only make scheduling smarter: never fail a build for them
        with contextlib.suppress(OSError):
            write_file_atomic(self.path, json.dumps(data, indent=1, sort_keys=True).encode())

    def record(self, name: str, seconds: float, fresh_kernel: bool, first_of_run: bool) -> None:
        if fresh_kernel:
            self.start[name] = seconds
        else:
            costs = self.warm.setdefault(name, [])
            if first_of_run:
                costs.clear()  # this build's measurements replace remembered ones
            costs.append(seconds)

    def estimate(self, name: str) -> tuple[float, float] | None:
        """(start, warm) seconds for a runtime; others' averages stand in for unknowns."""
        start = self.start.get(name, _mean(list(self.start.values())))
        warm = _mean(self.warm.get(name) or [c for v in self.warm.values() for c in v])
        return (start, warm) if start is not None and warm is not None else None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass
class JobQueue:
    jobs: list[NotebookJob]
    timings: Timings = field(default_factory=Timings)
    missing: set[str] = field(default_factory=set)
    active: Counter = field(default_factory=Counter)  # runtime name -> workers on it
    _measured: set[str] = field(default_factory=set)

    def take(self, held: str | None) -> NotebookJob | None:
        """The next job for a worker whose kernel runs ``held`` (or None)."""
        job = next((j for j in self.jobs if runtime_name(j) == held), None) if held else None
        if job is None:
            job = self._new_runtime()
            if held is not None:
                self.active[held] -= 1
            if job is not None:
                self.active[runtime_name(job)] += 1
        if job is not None:
            self.jobs.remove(job)
        return job

    def record(self, run: NotebookRun, fresh_kernel: bool) -> None:
        name = runtime_name(run.job)
        first = not fresh_kernel and name not in self._measured
        if not fresh_kernel:
            self._measured.add(name)
        self.timings.record(name, run.seconds, fresh_kernel, first)

    def _new_runtime(self) -> NotebookJob | None:
        left = Counter(runtime_name(j) for j in self.jobs)
        if not left:
            return None
        free = [r for r in left if not self.active[r]]
        name = (
            max(free, key=lambda r: self._cost(r, left[r])) if free else self._worth_joining(left)
        )
        return next((j for j in self.jobs if runtime_name(j) == name), None)

    def _cost(self, name: str, count: int) -> float:
        known = self.timings.estimate(name)
        return known[0] + count * known[1] if known else float(count)

    def _worth_joining(self, left: Counter) -> str | None:
        def gain(name: str) -> float:
            share = left[name] / (self.active[name] + 1)
            known = self.timings.estimate(name)
            if known is None:
                return share - JOIN_WITHOUT_TIMINGS
            return share * known[1] - known[0]

        best = max(left, key=gain)
        return best if gain(best) > 0 else None
