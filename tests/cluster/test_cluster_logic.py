"""The cluster's pure logic: scheduler addresses, their safety, placement, shipped files."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import CONTENT
from xint_site.config import Framework, load_config
from xint_site.dask.address import Scheduler, parse_scheduler, security_warning
from xint_site.dask.executor import _check_tls
from xint_site.dask.placement import Need, WorkerView, place
from xint_site.dask.plugin import needs_provisioning
from xint_site.dask.task import MAX_SHIPPED_BYTES, pack_files, place_files
from xint_site.execute.executor import ExecutorUnavailable
from xint_site.model import Cell
from xint_site.plan import NotebookJob


def test_scheduler_addresses() -> None:
    assert parse_scheduler("local:3") == Scheduler(local_workers=3)
    assert parse_scheduler("tcp://10.0.0.5:8786") == Scheduler(address="tcp://10.0.0.5:8786")
    assert parse_scheduler("gpu-head") == Scheduler(address="tcp://gpu-head:8786")
    assert parse_scheduler("tls://head:9000") == Scheduler(address="tls://head:9000")
    assert parse_scheduler("local:0") == "'local:0': local:N needs 1 to 256 workers"
    assert "is not a scheduler address" in str(parse_scheduler("http://head:8786"))
    assert "is not a scheduler address" in str(parse_scheduler("5"))  # `scheduler: 5`


def test_plain_tcp_to_another_host_is_warned_about() -> None:
    def warned(text: str) -> bool:
        found = parse_scheduler(text)
        assert isinstance(found, Scheduler)
        return security_warning(found) is not None

    assert warned("tcp://10.0.0.5:8786")
    assert not warned("tls://10.0.0.5:8786")
    assert not warned("tcp://127.0.0.1:8786")
    assert not warned("localhost:8786")
    assert not warned("local:2")


A = ("python3", (("XINT_FW", "alpha"),))
B = ("python3", (("XINT_FW", "beta"),))
G = ("xint-pytorch", ())


def test_a_framework_prefers_the_workers_where_it_is_warm() -> None:
    workers = [WorkerView("w1", warm=frozenset({B})), WorkerView("w2", warm=frozenset({A}))]
    placed = place({A: Need(5), B: Need(5)}, workers)
    assert placed == {A: ["w2"], B: ["w1"]}


def test_cold_frameworks_share_the_workers_by_their_notebooks() -> None:
    workers = [WorkerView(f"w{i}") for i in range(4)]
    placed = place({A: Need(30), B: Need(10)}, workers)
    assert len(placed[A]) == 3 and len(placed[B]) == 1
    assert not set(placed[A]) & set(placed[B])


def test_resources_choose_the_workers_and_none_means_no_worker() -> None:
    workers = [WorkerView("cpu"), WorkerView("gpu", resources={"GPU": 2})]
    placed = place({G: Need(4, {"GPU": 1}), A: Need(4, {"TPU": 1})}, workers)
    assert placed == {G: ["gpu"], A: []}
    assert place({G: Need(4, {"GPU": 1})}, []) == {}  # no worker yet: wait for one


def job(tmp_path: Path, files: tuple[str, ...]) -> NotebookJob:
    cell = Cell(0, "print(1)", None, 3, frozenset())
    return NotebookJob(
        tmp_path / "p.md", "p.md", None, "python3", "python3", tmp_path, (cell,), 1, 1, False,
        files=files,
    )  # fmt: skip


def test_files_are_shipped_and_placed_as_the_page_names_them(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/x.txt").write_text("x")
    (tmp_path.parent / "up.txt").write_text("up")
    files = pack_files(job(tmp_path, ("data.csv", "sub/x.txt", "../up.txt")))
    assert isinstance(files, dict)
    worker = tmp_path / "worker"
    cwd = place_files(worker, files)
    assert (cwd / "data.csv").read_text() == "a,b\n"
    assert (cwd / "sub/x.txt").read_text() == "x"
    assert (cwd / "../up.txt").resolve().read_text() == "up"
    assert (cwd / "../up.txt").resolve().is_relative_to(worker)


def test_files_too_big_to_ship_are_a_clear_error(tmp_path: Path) -> None:
    with open(tmp_path / "big.bin", "wb") as out:
        out.truncate(MAX_SHIPPED_BYTES + 1)
    why = pack_files(job(tmp_path, ("big.bin",)))
    assert why == (
        "front matter 'files': more than 64 MB to send to a Dask worker; put large data "
        "where every worker reads it (a shared filesystem, an absolute path)"
    )
    assert pack_files(job(tmp_path, ("gone.csv",))) == (
        "front matter 'files': cannot read 'gone.csv': No such file or directory"
    )


def test_a_worker_provisions_only_what_it_lacks() -> None:
    assert not needs_provisioning(Framework(id="plain", kernel="python3"))
    made_here = load_config(CONTENT)[0].framework("mxnet")
    assert made_here is not None
    assert not needs_provisioning(made_here)  # the kernelspec `make kernels` registered
    changed = Framework(id="mxnet", kernel="xint-mxnet", requirements=("mxnet==1.9.0",))
    assert needs_provisioning(changed)


def test_tls_without_dasks_tls_settings_says_what_to_set() -> None:
    scheduler = parse_scheduler("tls://head:8786")
    assert isinstance(scheduler, Scheduler)
    with pytest.raises(ExecutorUnavailable) as raised:
        _check_tls(scheduler)
    assert str(raised.value).startswith("tls://head:8786 needs Dask's TLS settings: ")


def test_the_preload_gives_a_worker_the_plugin_of_the_content_folder(tmp_path: Path) -> None:
    """`dask worker --preload xint_site.dask.preload --xint-content DIR`."""
    from xint_site.dask.plugin import XintSiteWorker
    from xint_site.dask.preload import dask_setup

    (tmp_path / "xint.yml").write_text("frameworks:\n  - {id: a, kernel: python3}\n")
    added: list[tuple[object, str]] = []

    class Worker:
        async def plugin_add(self, plugin: object, name: str) -> None:
            added.append((plugin, name))

    context = dask_setup.make_context("dask_setup", ["--xint-content", str(tmp_path)])
    # in a thread of its own: Playwright's loop may be running in this one (browser tests)
    with ThreadPoolExecutor(1) as apart:
        apart.submit(asyncio.run, dask_setup.callback(Worker(), **context.params)).result()
    ((plugin, name),) = added
    assert name == "xint-site"
    assert isinstance(plugin, XintSiteWorker)
    assert [f.id for f in plugin.frameworks] == ["a"]


def test_scheduler_in_xint_yml_and_the_option_that_overrides_it(tmp_path: Path) -> None:
    from xint_site.dask.executor import ClusterExecutor
    from xint_site.pipeline.options import BuildOptions
    from xint_site.pipeline.stages import execute_options

    (tmp_path / "xint.yml").write_text(
        "scheduler: tls://head:8786\nframeworks:\n  - {id: g, kernel: python3, resources: {GPU: 1}}\n"
    )
    config, errors = load_config(tmp_path)
    assert errors == []
    assert config.frameworks[0].resources == {"GPU": 1.0}
    base = BuildOptions(content_dir=tmp_path, out_dir=tmp_path / "out")
    chosen = execute_options(base, None, config).executor
    assert isinstance(chosen, ClusterExecutor) and str(chosen.scheduler) == "tls://head:8786"
    option = BuildOptions(content_dir=tmp_path, out_dir=tmp_path / "out", scheduler="local:2")
    chosen = execute_options(option, None, config).executor
    assert isinstance(chosen, ClusterExecutor) and str(chosen.scheduler) == "local:2"
    assert execute_options(base, None, load_config(tmp_path / "none")[0]).executor is None
