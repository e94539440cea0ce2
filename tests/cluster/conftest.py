"""A real Dask LocalCluster for the cluster tests: two worker processes on loopback.

It is made by the same function as ``--scheduler local:N``, with two additions a
test needs: every worker offers ``GPU: 1``, and the workers (only they) have a
kernel ``xint-worker-only``, the MXNet kernel under another name, so a test can tell
the worker's kernel identity from the client's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.conftest import require_slow, start_cli_server
from xint_site.kernels.kernelspecs import kernelspec_dir

WORKER_ONLY = "xint-worker-only"
# This worker's environment as the session started it, before any cluster: Dask's nanny
# writes variables of its own into the environment of the process that starts it.
ENV_AT_START = dict(os.environ)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The scheduler's address; at the end, no worker, kernel parent or kernel is left."""
    require_slow("a Dask cluster")
    from xint_site.dask.executor import local_cluster

    jupyter = tmp_path_factory.mktemp("worker-jupyter")
    spec = json.loads((kernelspec_dir("xint-mxnet") / "kernel.json").read_text())
    folder = jupyter / "kernels" / WORKER_ONLY
    folder.mkdir(parents=True)
    (folder / "kernel.json").write_text(json.dumps(spec))
    start_cli_server()  # run alone, this module's first run_cli would start it in the cluster's time
    before = {
        p.pid for p in descendants()
    }  # the session's own (Playwright's Chromium, the CLI server)
    cluster = local_cluster(2, resources={"GPU": 1}, env={"JUPYTER_PATH": str(jupyter)})
    try:
        yield cluster.scheduler_address
    finally:
        started = [p for p in _started_since(before) if not _resource_tracker(p)]
        cluster.close()
        _, alive = psutil.wait_procs(started, timeout=20)
        assert alive == [], f"left running after the cluster closed: {alive}"


def descendants(pid: int | None = None) -> list[psutil.Process]:
    try:
        return psutil.Process(pid or os.getpid()).children(recursive=True)
    except psutil.Error:
        return []


def _started_since(before: set[int]) -> list[psutil.Process]:
    """This process's descendants that are not, and do not descend from, one in ``before``.

    The session's own Chromium starts renderer processes of its own whenever it likes;
    they are its children, not the cluster's.
    """
    theirs = set(before)
    for pid in before:
        theirs.update(p.pid for p in descendants(pid))
    return [p for p in descendants() if p.pid not in theirs]


def _resource_tracker(process: psutil.Process) -> bool:
    """multiprocessing's helper process: it ends with the test session, not with the cluster."""
    try:
        return "resource_tracker" in " ".join(process.cmdline())
    except psutil.Error:
        return False


def is_kernel(process: psutil.Process) -> bool:
    try:  # a process may end between listing and asking
        command = " ".join(process.cmdline())
    except psutil.Error:
        return False
    return "zygote.py" in command or "ipykernel" in command


def wait_for(path: Path, timeout: float = 60) -> str:
    """The text of ``path`` once a cell has written it."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and (text := path.read_text()):
            return text
        time.sleep(0.1)
    raise AssertionError(f"{path} was never written")
