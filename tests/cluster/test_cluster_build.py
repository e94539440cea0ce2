"""Builds whose notebooks run on a real Dask cluster, against the local build."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from bs4 import BeautifulSoup

from tests.cluster.conftest import ENV_AT_START, WORKER_ONLY, descendants, is_kernel, wait_for
from tests.conftest import REPO, run_cli, write_tree
from tests.execute.conftest import TWO_FRAMEWORKS, page

pytestmark = pytest.mark.slow

SHARED = (
    "```python\nimport os\nprint(os.environ['XINT_FW'], open('data.txt').read().strip())\n```\n"
)


def pages(count: int) -> dict[str, str]:
    files: dict[str, str] = {"xint.yml": TWO_FRAMEWORKS, "data.txt": "shipped\n"}
    for i in range(count):
        body = (
            SHARED
            + f"```python alpha\nprint('alpha {i}', sum(range({i})))\n```\n"
            + f"```python beta\nraise_here = {i}\n1 / 0\n```\n"
        )
        files[f"p{i}.md"] = page(body, "layout: page\nfiles: [data.txt]")
    files["p0.md"] = (
        files["p0.md"]
        .replace("1 / 0", "1 / 0  # ok")
        .replace("```python beta\n", "```python beta raises\n")
    )
    return files


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a built site, but the search index: Pagefind's files differ from one
    local build of the same pages to the next."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and "pagefind" not in p.relative_to(folder).parts
    }


def entries(content: Path) -> list[Path]:
    return sorted((content / "_freeze").glob("*/*.json"))


def test_a_cluster_build_writes_what_a_local_build_writes(tmp_path: Path, cluster: str) -> None:
    """Same pages, local -j 2 and on the cluster: the same files, byte for byte, a failing
    cell included (the same `path:line: [Beta]` error), and the same cache entries."""
    files = pages(3)
    files["p2.md"] = files["p2.md"].replace("1 / 0", "1 / 1")
    content = write_tree(tmp_path / "content", files)
    here = run_cli("build", content, "-o", tmp_path / "out-local", "-j", "2", "--keep-going")
    assert here.returncode == 0, here.stderr
    shutil.rmtree(content / "_freeze")  # everything runs again, on the cluster
    there = run_cli(
        "build", content, "-o", tmp_path / "out-cluster", "--keep-going", "--scheduler", cluster
    )
    assert there.returncode == 0, there.stderr
    error = f"{content / 'p1.md'}:16: [Beta] ZeroDivisionError: division by zero (kept going)\n"
    assert error in there.stderr, there.stderr
    assert "6 notebooks: 6 executed, 0 from cache, 1 failed" in there.stderr
    assert tree(tmp_path / "out-cluster") == tree(tmp_path / "out-local")
    assert len(entries(content)) == 5  # every notebook but the failed one
    # a scheduler that cannot be reached is one clear line
    missing = run_cli("build", content, "-o", tmp_path / "out-3", "--scheduler", "127.0.0.1:1")
    assert missing.returncode == 1
    assert missing.stderr.splitlines()[-2:] == [
        f"{content}: cannot reach the Dask scheduler at tcp://127.0.0.1:1: Connection refused",
        "xint-site: 1 error; nothing written",
    ]


def test_kernels_on_the_workers_see_the_machines_environment_not_dasks(
    tmp_path: Path, cluster: str
) -> None:
    """A kernel on a worker is a fresh kernel of the machine: it does not see the
    variables Dask's nanny sets (one thread for PyTorch and NumPy, a fixed hash seed)."""
    import dask

    # what the nanny sets for itself and its workers (distributed/nanny.py)
    dasks = (*dask.config.get("distributed.nanny.pre-spawn-environ"), "PYTHONHASHSEED")
    assert "OMP_NUM_THREADS" in dasks
    expected = {name: ENV_AT_START.get(name) for name in dasks}
    # the process that started the cluster got its own environment back
    assert {name: os.environ.get(name) for name in dasks} == expected
    cell = f"```python alpha\nimport os\nprint({{k: os.environ.get(k) for k in {dasks!r}}})\n```\n"
    content = write_tree(
        tmp_path / "content",
        {"xint.yml": TWO_FRAMEWORKS, "env.md": page(cell, "layout: page")},
    )
    there = run_cli("build", content, "-o", tmp_path / "out", "--scheduler", cluster)
    assert there.returncode == 0, there.stderr
    html = (tmp_path / "out" / "env" / "index.html").read_text(encoding="utf-8")
    printed = BeautifulSoup(html, "html.parser").select_one("output").get_text()
    assert printed == repr(expected)


def test_the_cache_keys_outputs_by_the_workers_kernel(tmp_path: Path, cluster: str) -> None:
    """A kernel only the workers have runs there, and its identity comes back with the
    outputs; a framework asking for resources no worker has fails at once."""
    config = (
        "frameworks:\n"
        f"  - {{id: probe, label: Probe, kernel: {WORKER_ONLY}, resources: {{GPU: 1}}}}\n"
        "  - {id: tpu, label: TPU, kernel: python3, resources: {TPU: 1}}\n"
    )
    body = "```python probe\nimport mxnet\nprint(mxnet.__version__)\n```\n```python tpu\n1\n```\n"
    content = write_tree(tmp_path / "content", {"xint.yml": config, "p.md": page(body)})
    result = run_cli("build", content, "-o", tmp_path / "out", "--scheduler", cluster)
    assert result.returncode == 1
    assert (
        f"{content / 'p.md'}:10: [TPU] no worker of the cluster has the resources this "
        "framework needs (TPU: 1)\n"
    ) in result.stderr
    (entry,) = entries(content)
    stored = json.loads(entry.read_text())
    assert stored["cells"] == [[{"name": "stdout", "output_type": "stream", "text": "1.9.1\n"}]]
    assert stored["kernel"]["kernel"] == WORKER_ONLY
    assert "/envs/mxnet-" in stored["kernel"]["argv0"]  # the worker's MXNet environment
    # the next build looks the cache up with the workers' kernels: the probe is not run again
    again = run_cli("build", content, "-o", tmp_path / "out", "--scheduler", cluster)
    assert "2 notebooks: 1 from cache, 1 to run" in again.stderr


def start_build(content: Path, out: Path, scheduler: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "xint_site", "build", content, "-o", out, "--scheduler", scheduler],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group of its own, as a terminal gives a command
    )


def worker_of(kernel: int) -> psutil.Process:
    """The worker process a kernel runs under (a child of this test, where the nannies live)."""
    for process in psutil.Process(kernel).parents():
        if process.ppid() == os.getpid():
            return process
    raise AssertionError(f"kernel {kernel} runs under no worker of the cluster")


def test_a_worker_killed_mid_notebook_is_retried(tmp_path: Path, cluster: str) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    body = (
        "```python alpha\nimport os, pathlib, time\n"
        f"mark = pathlib.Path({str(marks)!r}) / 'first-try'\n"
        "if not mark.exists():\n    mark.write_text(str(os.getpid()))\n    time.sleep(120)\n"
        "print('ran to the end')\n```\n"
    )
    content = write_tree(tmp_path / "content", {"xint.yml": TWO_FRAMEWORKS, "w.md": page(body)})
    build = start_build(content, tmp_path / "out", cluster)
    kernel = psutil.Process(int(wait_for(marks / "first-try")))
    parent = kernel.parent()  # the worker's kernel parent
    assert parent is not None
    worker_of(kernel.pid).kill()
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 0, stderr
    assert "ran to the end" in (tmp_path / "out/w/index.html").read_text()
    # the dead worker's kernel parent and kernel went with it
    _, alive = psutil.wait_procs([kernel, parent], timeout=15)
    assert alive == []


@pytest.mark.parametrize("how", ["Ctrl-C on local:2", "SIGTERM"])
def test_an_interrupted_cluster_build_stops_its_kernels_and_keeps_the_cache(
    tmp_path: Path, request: pytest.FixtureRequest, how: str
) -> None:
    """Ctrl-C in a terminal (SIGINT to the build's whole process group, its local
    workers included), or SIGTERM to a build on a cluster it shares: exit 130 at once,
    the notebook that finished stays in the cache, no kernel runs on."""
    local = how.startswith("Ctrl-C")
    scheduler = "local:2" if local else request.getfixturevalue("cluster")
    marks = tmp_path / "marks"
    marks.mkdir()
    slow = (
        "```python beta\nimport os, pathlib, time\n"
        f"pathlib.Path({str(marks)!r}, 'running').write_text(str(os.getpid()))\n"
        "time.sleep(120)\n```\n"
    )
    files = {"xint.yml": TWO_FRAMEWORKS, "q.md": page("```python alpha\nprint('quick')\n```\n")}
    content = write_tree(tmp_path / "content", {**files, "s.md": page(slow)})
    build = start_build(content, tmp_path / "out", scheduler)
    kernel = psutil.Process(int(wait_for(marks / "running")))
    deadline = time.monotonic() + 60
    while not entries(content) and time.monotonic() < deadline:
        time.sleep(0.1)
    (stored,) = entries(content)  # the quick page, stored as it arrived
    started = descendants(build.pid)
    if local:
        os.killpg(build.pid, signal.SIGINT)
    else:
        build.send_signal(signal.SIGTERM)
    _, stderr = build.communicate(timeout=30)
    assert build.returncode == 130, stderr
    assert stderr.splitlines()[2:] == ["xint-site: interrupted"]  # after the plan, q.md ran
    _, alive = psutil.wait_procs([kernel, *started], timeout=15)
    assert alive == [], "left running after the interrupted build"
    assert json.loads(stored.read_text())["cells"][0][0]["text"] == "quick\n"
    assert not (tmp_path / "out").exists()
    # the shared cluster's workers run nothing more: only their idle kernel parents are left
    left = [p for p in descendants() if is_kernel(p) and "zygote.py" not in " ".join(p.cmdline())]
    assert left == []


def test_a_local_cluster_listens_on_loopback_only(cluster: str) -> None:
    """local:N (the same function made this cluster): the scheduler, the nannies, the
    workers and their HTTP routes accept connections from this machine only."""
    listening = [
        c.laddr.ip
        for p in [psutil.Process(), *descendants()]
        for c in p.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    ]
    assert len(listening) >= 6
    assert set(listening) == {"127.0.0.1"}


def test_a_notebook_that_kills_its_worker_twice_fails_with_its_page(
    tmp_path: Path, cluster: str
) -> None:
    """Retried once on another worker, then reported like any failed notebook."""
    body = (
        "```python alpha\nimport os, signal, time\n"
        "parent = open(f'/proc/{os.getppid()}/stat').read().rsplit(')', 1)[1].split()[1]\n"
        "os.kill(int(parent), signal.SIGKILL)  # the kernel parent's parent: the worker\n"
        "time.sleep(60)\n```\n"
    )
    content = write_tree(tmp_path / "content", {"xint.yml": TWO_FRAMEWORKS, "k.md": page(body)})
    result = run_cli("build", content, "-o", tmp_path / "out", "--scheduler", cluster)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-2:] == [
        f"{content / 'k.md'}:6: [Alpha] the Dask worker running this notebook died, twice "
        "(retried once)",
        "xint-site: 1 error; nothing written",
    ]


def make_certificates(folder: Path) -> dict[str, Path]:
    """A CA and one certificate for 127.0.0.1 that it signed (the scheduler's, the
    workers' and the build's), made with the openssl command."""
    folder.mkdir()
    ca, key, csr, cert = (folder / n for n in ("ca.pem", "ca.key", "node.csr", "node.pem"))
    node_key, ext = folder / "node.key", folder / "ext.cnf"
    ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    for command in (
        f"req -x509 -newkey rsa:2048 -nodes -keyout {key} -out {ca} -days 2 -subj /CN=test-CA",
        f"req -newkey rsa:2048 -nodes -keyout {node_key} -out {csr} -subj /CN=127.0.0.1",
        f"x509 -req -in {csr} -CA {ca} -CAkey {key} -CAcreateserial -out {cert} -days 2 "
        f"-extfile {ext}",
    ):
        subprocess.run(["openssl", *command.split()], check=True, capture_output=True)
    return {"ca": ca, "cert": cert, "key": node_key}


def test_a_tls_cluster_with_dasks_own_settings(tmp_path: Path) -> None:
    """The way to run a shared cluster: tls:// and Dask's TLS settings (here from the
    environment, as Dask's config reads them); the scheduler accepts TLS only."""
    from distributed.security import Security

    from xint_site.dask.executor import local_cluster

    tls = make_certificates(tmp_path / "tls")
    security = Security(
        tls_ca_file=str(tls["ca"]),
        **{f"tls_{who}_{what}": str(tls[what]) for who in ("scheduler", "worker", "client")
           for what in ("cert", "key")},
        require_encryption=True,
    )  # fmt: skip
    content = write_tree(tmp_path / "content", pages(1))
    with local_cluster(1, security=security, protocol="tls://") as cluster:
        assert cluster.scheduler_address.startswith("tls://127.0.0.1:")
        env = {
            "DASK_DISTRIBUTED__COMM__TLS__CA_FILE": str(tls["ca"]),
            "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT": str(tls["cert"]),
            "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY": str(tls["key"]),
        }
        args = ("build", content, "-o", tmp_path / "out", "--scheduler", cluster.scheduler_address)
        result = run_cli(*args, env=env)
        assert result.returncode == 0, result.stderr
        assert "2 notebooks: 2 executed" in result.stderr
        assert "shipped" in (tmp_path / "out/p0/index.html").read_text()
