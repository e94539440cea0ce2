"""The execute stage of a build: plan, look in the cache, run what is missing, store.

Returns the runs (from the cache or from kernels) and the problems found, for the
build to render and report. ``frozen`` starts no kernel; ``refresh`` ignores the cache.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xint_site.config import SiteConfig
from xint_site.execute.cache import ExecutionCache, Lookup, identity_key, notebook_key
from xint_site.execute.executor import Executor, ExecutorUnavailable, LocalExecutor
from xint_site.execute.progress import Progress
from xint_site.execute.results import NotebookRun, run_errors
from xint_site.model import Document
from xint_site.plan import NotebookJob, plan_notebooks
from xint_site.problems import Problem, problem_at, warning_at

if TYPE_CHECKING:  # the runner imports Jupyter: only a build that runs cells needs it
    from xint_site.execute.runner import KernelPool


@dataclass(frozen=True)
class ExecuteOptions:
    enabled: bool = True
    frozen: bool = False  # stored outputs only, start no kernel
    refresh: bool = False  # ignore stored outputs
    workers: int = 1
    progress: Progress | None = None
    pool: KernelPool | None = None  # warm kernels kept across builds (preview server)
    cache_dir: Path | None = None  # None: <content>/_freeze
    executor: Executor | None = None  # None: this machine's kernels (a cluster's otherwise)


@dataclass
class Execution:
    runs: list[NotebookRun] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # input problems, frozen misses
    cell_errors: list[Problem] = field(default_factory=list)  # failing cells, dead kernels
    warnings: list[Problem] = field(default_factory=list)  # corrupt cache entries
    planned: int = 0
    from_cache: int = 0

    def problems(self, keep_going: bool) -> tuple[list[Problem], list[Problem]]:
        """(errors, warnings): failing cells are warnings only with ``--keep-going``, and
        then say so; other warnings (an unreadable cache entry) need no option."""
        if keep_going:
            kept = [e.as_warning(" (kept going)") for e in self.cell_errors]
            return list(self.errors), [*self.warnings, *kept]
        return [*self.errors, *self.cell_errors], list(self.warnings)


def execute_pages(
    documents: list[Document], config: SiteConfig, content_dir: Path, options: ExecuteOptions
) -> Execution:
    result = Execution()
    if not options.enabled:
        return result
    jobs = plan_notebooks(documents, config)
    result.planned = len(jobs)
    keys, result.errors = _keys(jobs)
    if result.errors:
        return result
    cache = ExecutionCache(content_dir, options.cache_dir)
    executor = options.executor or LocalExecutor(options.workers, options.pool)
    result.warnings += [warning_at(content_dir, 0, w) for w in executor.warnings]
    try:
        found = _look_up(cache, jobs, keys, options, executor)
    except ExecutorUnavailable as exc:
        result.errors.append(problem_at(content_dir, 0, str(exc)))
        return result
    result.warnings += [
        warning_at(path, 0, "cache entry is unreadable; ignored and run again")
        for path in found.corrupt
    ]
    cached = [_from_cache(job, found) for job in jobs if job.key in found.hits]
    result.from_cache = len(cached)
    if options.progress:
        options.progress.planned(len(jobs), len(cached))
    if options.frozen:
        result.errors += [_not_stored(job) for job in found.misses]
        result.runs = cached
        return result

    def done(run: NotebookRun, identity: dict[str, str] | None) -> None:
        """Store each good run as it arrives: an interrupted build keeps what finished."""
        if run.ok:
            outputs = [_stable(run.outputs.get(c.index, [])) for c in run.job.cells]
            problem = cache.store(run.job, keys[run.job.key], outputs, identity)
            if problem is not None and problem not in result.warnings:
                result.warnings.append(problem)

    try:
        ran = executor.run(found.misses, config, options.progress, done)
    except ExecutorUnavailable as exc:
        result.errors.append(problem_at(content_dir, 0, str(exc)))
        return result
    for run in ran:
        result.cell_errors += run_errors(run)
    order = {job.key: i for i, job in enumerate(jobs)}
    result.runs = sorted([*cached, *ran], key=lambda r: order[r.job.key])
    return result


def _look_up(
    cache: ExecutionCache,
    jobs: list[NotebookJob],
    keys: dict[tuple[str, str | None], str],
    options: ExecuteOptions,
    executor: Executor,
) -> Lookup:
    """What the cache holds for ``jobs``, made by the kernels the notebooks would run in
    (``--frozen``: by any kernel)."""
    if options.refresh:
        return Lookup(misses=list(jobs))
    if options.frozen:
        return cache.lookup(jobs, keys, frozen=True)
    identities = executor.identities(sorted({job.kernel for job in jobs}))
    return cache.lookup(jobs, keys, frozen=False, identities=identities)


def prune_cache(
    documents: list[Document], config: SiteConfig, content_dir: Path
) -> tuple[list[Path], int, list[Problem]]:
    """Remove stored outputs that no notebook of the site would use now."""
    jobs = plan_notebooks(documents, config)
    keys, errors = _keys(jobs)
    if errors:
        return [], 0, errors
    live = {keys[job.key]: identity_key(job.kernel) for job in jobs}
    removed, kept = ExecutionCache(content_dir).prune(live)
    return removed, kept, []


def _keys(jobs: list[NotebookJob]) -> tuple[dict[tuple[str, str | None], str], list[Problem]]:
    keys: dict[tuple[str, str | None], str] = {}
    errors: list[Problem] = []
    for job in jobs:
        hashes: dict[str, str] = {}
        for name in job.files:
            path = job.cwd / name
            try:
                hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                errors.append(
                    problem_at(job.path, 1, f"front matter 'files': cannot read '{name}'")
                )
        keys[job.key] = notebook_key(job, hashes)
    return keys, list(dict.fromkeys(errors))


def _from_cache(job: NotebookJob, found: Lookup) -> NotebookRun:
    entry = found.hits[job.key]
    outputs = {cell.index: entry.cells[i] for i, cell in enumerate(job.cells)}
    return NotebookRun(job=job, outputs=outputs, from_cache=True)


def _not_stored(job: NotebookJob) -> Problem:
    line = job.cells[0].line if job.cells else 1
    message = "no stored outputs for this notebook (--frozen runs nothing)"
    return problem_at(job.path, line, message, framework=job.label)


def _stable(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Outputs without what differs from run to run of the same code (execution counts)."""
    return [{k: v for k, v in o.items() if k != "execution_count"} for o in outputs]
