"""The notebooks that missed the cache, run as Dask tasks: one notebook, one task.

The client (this build) does the planning, the cache and the rendering; it submits
the misses, stores each result as it arrives (``as_completed``), and counts them on
the progress bar. A worker that dies mid-notebook makes the scheduler run it again on
another worker (once on a ``local:N`` cluster, whose scheduler is ours; as its
``allowed-failures`` says on someone else's), after which it fails with its page and
framework. Ctrl-C (or SIGTERM) cancels every task of the build and stops their kernels
on the workers before the build exits.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from xint_site.config import Framework, SiteConfig
from xint_site.dask.address import Scheduler, parse_scheduler, security_warning
from xint_site.dask.local_worker import KERNEL_ENV, replace_environ
from xint_site.dask.placement import Need, Runtime, WorkerView, place
from xint_site.dask.task import (
    TaskResult,
    cancel_build,
    pack_files,
    run_notebook,
    warm_runtimes,
    warm_up,
    worker_identities,
)
from xint_site.execute.executor import Done, ExecutorUnavailable
from xint_site.execute.progress import Progress
from xint_site.execute.results import NotebookRun
from xint_site.kernels.identity import kernel_identity
from xint_site.plan import NotebookJob

if TYPE_CHECKING:
    from distributed import Client, Future, LocalCluster

T = TypeVar("T")

CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler
LOCAL_HOST = "127.0.0.1"  # local:N listens here only


class ClusterExecutor:
    """Runs notebooks on the Dask cluster ``scheduler`` names (``local:N`` or an address)."""

    def __init__(self, scheduler: str) -> None:
        parsed = parse_scheduler(scheduler)
        self.scheduler = parsed if isinstance(parsed, Scheduler) else None
        self.invalid = parsed if isinstance(parsed, str) else ""
        warning = security_warning(self.scheduler) if self.scheduler else None
        self.warnings = [warning] if warning else []
        self.build = uuid.uuid4().hex[:12]
        self._session = contextlib.ExitStack()  # the client, from the first call that needs it
        self._client: Client | None = None

    def identities(self, kernels: list[str]) -> dict[str, dict[str, str] | None]:
        """The workers' kernels, for looking up the cache: the identity most workers report
        for each kernel (a local:N cluster's workers share this machine's environment)."""
        scheduler = self._valid()
        if scheduler.local:
            return {kernel: kernel_identity(kernel) for kernel in kernels}
        client = self._connected()
        reports = _on_workers(lambda: client.run(worker_identities, kernels))
        return {kernel: _most_common(r.get(kernel) for r in reports.values()) for kernel in kernels}

    def run(
        self, jobs: list[NotebookJob], config: SiteConfig, progress: Progress | None, done: Done
    ) -> list[NotebookRun]:
        self._valid()
        with self._session:
            return self._run(jobs, config, progress, done) if jobs else []

    def _run(
        self, jobs: list[NotebookJob], config: SiteConfig, progress: Progress | None, done: Done
    ) -> list[NotebookRun]:
        runs: list[NotebookRun] = []

        def finish(run: NotebookRun, identity: dict[str, str] | None) -> None:
            done(run, identity)
            runs.append(run)
            if progress:
                progress.finished(run)

        sendable: list[tuple[NotebookJob, dict[str, bytes]]] = []
        for job in jobs:
            files = pack_files(job)
            if isinstance(files, str):
                finish(_failed(job, files), None)
            else:
                sendable.append((job, files))
        self._run_on(self._connected(), sendable, config, finish)
        order = {job.key: i for i, job in enumerate(jobs)}
        return sorted(runs, key=lambda r: order[r.job.key])

    def _valid(self) -> Scheduler:
        if self.scheduler is None:
            raise ExecutorUnavailable(f"scheduler {self.invalid}")
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise ExecutorUnavailable(
                "--scheduler needs Dask's distributed: pip install 'xint-site[cluster]'"
            ) from None
        return self.scheduler

    def _connected(self) -> Client:
        if self._client is None:
            self._client = self._session.enter_context(connect(self._valid()))
        return self._client

    def _run_on(
        self,
        client: Client,
        jobs: list[tuple[NotebookJob, dict[str, bytes]]],
        config: SiteConfig,
        finish: Done,
    ) -> None:
        from distributed import as_completed

        frameworks = {f.id: f for f in config.frameworks}
        used = tuple(frameworks[i] for i in dict.fromkeys(j.framework for j, _ in jobs) if i)
        _on_workers(lambda: _register(client, used))
        preferred = _on_workers(lambda: _placement(client, [j for j, _ in jobs], frameworks))
        _warm_up(client, [j for j, _ in jobs], preferred, config)
        futures: dict[Future[Any], NotebookJob] = {}
        try:
            for job, files in jobs:
                workers = preferred.get(job.runtime)
                if workers == []:  # no worker has what this framework needs
                    finish(_failed(job, _no_worker(frameworks[job.framework or ""])), None)
                    continue
                future = client.submit(
                    run_notebook,
                    self.build,
                    job,
                    config,
                    files,
                    key=f"notebook {job.rel} [{job.label}] {self.build}",
                    workers=workers or None,
                    allow_other_workers=True,
                    resources=dict(_resources(job, frameworks)) or None,
                    retries=1,
                    pure=False,
                )
                futures[future] = job
            for future in as_completed(list(futures), loop=client.loop):
                job = futures.pop(future)
                result = _result(future, job)
                future.release()  # the worker may forget the outputs: they are ours now
                if isinstance(result, TaskResult):
                    finish(result.run, result.identity)
                else:
                    finish(result, None)
        except BaseException:  # Ctrl-C, SIGTERM: no task or kernel of ours left running
            _cancel(client, list(futures), self.build)
            raise


@contextlib.contextmanager
def connect(scheduler: Scheduler) -> Iterator[Client]:
    """A client of the scheduler (``local:N``: of a new cluster on the loopback interface,
    closed on exit); :class:`ExecutorUnavailable` with one line when it cannot be had."""
    from distributed import Client

    if scheduler.local:
        with (
            local_cluster(scheduler.local_workers) as cluster,
            Client(cluster, set_as_default=False) as client,
        ):
            yield client
        return
    _probe(scheduler)
    _check_tls(scheduler)
    try:
        client = Client(scheduler.address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:  # whatever answered there is no scheduler we can use
        reason = str(exc).strip() or type(exc).__name__
        raise ExecutorUnavailable(
            f"cannot reach the Dask scheduler at {scheduler.address}: {reason}"
        ) from None
    with client:
        yield client


def local_cluster(workers: int, **worker_options: Any) -> LocalCluster:
    """``local:N``: N worker processes, one notebook at a time each, listening on the
    loopback interface only, without dashboards; a notebook whose worker dies is run once
    more, then fails.

    Dask's nanny writes its own variables into this process's environment and its
    workers' (``OMP_NUM_THREADS=1`` and the other ``distributed.nanny.pre-spawn-environ``,
    ``PYTHONHASHSEED=6640``). A kernel that saw them would not be a fresh kernel of this
    machine (one thread for PyTorch, a fixed order for sets of strings): this process gets
    its environment back, and each worker sets its own to it (``local_worker``), plus the
    ``env`` asked for here."""
    import dask
    from distributed import LocalCluster

    before = dict(os.environ)
    asked = {str(k): str(v) for k, v in (worker_options.pop("env", None) or {}).items()}
    kernel_env = json.dumps({**before, **asked})
    try:
        with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
            return LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host=LOCAL_HOST,
                scheduler_port=0,
                dashboard_address=None,
                worker_dashboard_address=None,
                memory_limit=0,  # the kernels are other processes: nothing to count here
                silence_logs=logging.ERROR,
                # the scheduler's HTTP routes (health, metrics) on a free loopback port
                scheduler_kwargs={"dashboard_address": f"{LOCAL_HOST}:0"},
                # Ctrl-C stops the build, not its workers; the environment kernels get
                preload=["xint_site.dask.local_worker"],
                env={**asked, KERNEL_ENV: kernel_env},
                **worker_options,
            )
    finally:
        replace_environ(before)


def _probe(scheduler: Scheduler) -> None:
    """Fail in one line, at once, when nothing listens at a TCP or TLS address (Dask
    itself would retry until its timeout)."""
    if not scheduler.address.startswith(("tcp://", "tls://")):
        return
    try:
        socket.create_connection((scheduler.host, scheduler.port), timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise ExecutorUnavailable(
            f"cannot reach the Dask scheduler at {scheduler.address}: {reason}"
        ) from None


def _on_workers(call: Callable[[], T]) -> T:
    """``call``, which asks every worker; a worker without xint-site cannot answer."""
    try:
        return call()
    except (ImportError, OSError, TimeoutError) as exc:
        raise ExecutorUnavailable(
            f"the Dask workers cannot run xint-site ({type(exc).__name__}: {exc}); install "
            "xint-site with its [cluster] extra where every worker runs"
        ) from None


def _check_tls(scheduler: Scheduler) -> None:
    """A ``tls://`` scheduler needs Dask's TLS settings (its CA and this client's
    certificate and key); without them Dask fails with a TypeError, so say what to set."""
    from distributed.security import Security

    if not scheduler.address.startswith("tls://"):
        return
    if Security().get_connection_args("client").get("ssl_context") is None:
        raise ExecutorUnavailable(
            f"{scheduler.address} needs Dask's TLS settings: the CA file and this client's "
            "certificate and key in Dask's config (distributed.comm.tls.ca-file, "
            "distributed.comm.tls.client.cert, distributed.comm.tls.client.key)"
        )


def _register(client: Client, frameworks: tuple[Framework, ...]) -> None:
    """Every worker (and every worker that joins) gets the kernels of ``frameworks``."""
    from xint_site.dask.plugin import XintSiteWorker

    client.register_plugin(XintSiteWorker(frameworks))


def _placement(
    client: Client, jobs: list[NotebookJob], frameworks: dict[str, Framework]
) -> dict[Runtime, list[str]]:
    info = client.scheduler_info(n_workers=-1)["workers"]
    warm = client.run(warm_runtimes)
    workers = [
        WorkerView(
            address, w.get("resources", {}), frozenset(_runtime(r) for r in warm.get(address, []))
        )
        for address, w in info.items()
    ]
    needs: dict[Runtime, Need] = {}
    for job in jobs:
        before = needs.get(job.runtime)
        count = before.notebooks + 1 if before else 1
        needs[job.runtime] = Need(count, _resources(job, frameworks))
    return place(needs, workers)


def _warm_up(
    client: Client,
    jobs: list[NotebookJob],
    preferred: dict[Runtime, list[str]],
    config: SiteConfig,
) -> None:
    """Each worker starts the kernel parents of the frameworks it is preferred for."""
    sample = {job.runtime: job for job in reversed(jobs)}
    by_worker: dict[str, list[NotebookJob]] = {}
    for runtime, workers in preferred.items():
        for address in workers:
            by_worker.setdefault(address, []).append(sample[runtime])
    for address, runtimes in by_worker.items():
        client.run(warm_up, runtimes, config, workers=[address])


def _runtime(value: Any) -> Runtime:
    """A runtime as it comes back from a worker (tuples become lists on the way)."""
    kernel, env = value
    return (str(kernel), tuple((str(k), str(v)) for k, v in env))


def _resources(job: NotebookJob, frameworks: dict[str, Framework]) -> dict[str, float]:
    framework = frameworks.get(job.framework or "")
    return dict(framework.resources) if framework else {}


def _no_worker(framework: Framework) -> str:
    wanted = ", ".join(f"{k}: {v:g}" for k, v in framework.resources.items())
    return f"no worker of the cluster has the resources this framework needs ({wanted})"


def _result(future: Future[Any], job: NotebookJob) -> TaskResult | NotebookRun:
    from distributed import KilledWorker

    try:
        result = future.result()
    except KilledWorker:
        return _failed(job, "the Dask worker running this notebook died, twice (retried once)")
    except Exception as exc:
        return _failed(job, f"the Dask cluster could not run this notebook: {exc}")
    if not isinstance(result, TaskResult):
        return _failed(job, "the Dask worker sent back something that is no notebook run")
    return result


def _cancel(client: Client, futures: list[Future[Any]], build: str) -> None:
    with contextlib.suppress(Exception):
        client.cancel(futures, force=True)
    with contextlib.suppress(Exception):
        client.run(cancel_build, build)


def _most_common(identities: Iterable[dict[str, str] | None]) -> dict[str, str] | None:
    known = [json.dumps(i, sort_keys=True) for i in identities if i]
    return json.loads(Counter(known).most_common(1)[0][0]) if known else None


def _failed(job: NotebookJob, why: str) -> NotebookRun:
    line = job.cells[0].line if job.cells else 1
    return NotebookRun(job=job, problem=why, problem_line=line)
