"""Faults: failing cells, missing and dying kernels, timeouts, and no orphan kernels."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import REPO, write_tree
from tests.execute.conftest import TWO_FRAMEWORKS, Built, build_in, page

pytestmark = pytest.mark.slow

FAILING = "intro\n\n```python alpha\nimport math\ntf.constant(1)\n```\n```python beta\n1 + 1\n```\n"


def test_failing_cell_is_reported_with_path_line_framework_and_traceback(build) -> None:
    built = build({"p.md": page(FAILING)})
    assert built.result.returncode == 1
    assert not re.search(r"^Traceback", built.stderr, re.M)  # xint-site itself did not crash
    path = built.root / "content" / "p.md"
    assert f"{path}:10: [Alpha] NameError: name 'tf' is not defined\n" in built.stderr
    assert "----> 2 tf.constant(1)" in built.stderr  # the traceback's last lines
    assert not built.out.exists()


DIES = "```python alpha\nimport os\nos._exit(1)\n```\n```python beta\nprint('beta ok')\n```\n"


@pytest.fixture(scope="module")
def kept_going(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """One ``--keep-going`` build, a notebook at a time, of pages whose failures must not
    stop the others: a failing cell, a kernel that dies, and a page after them."""
    pages = {
        "failing.md": page(FAILING),
        "p.md": page(DIES),
        "q.md": page("```python alpha\nprint('q ok')\n```\n"),
    }
    return build_in(tmp_path_factory.mktemp("kept-going"), pages, "--keep-going", "-j", "1")


def test_keep_going_writes_the_page_with_the_error_in_place(kept_going: Built) -> None:
    built = kept_going
    assert built.result.returncode == 0, built.stderr
    assert "failing.md:10: [Alpha] NameError: name 'tf' is not defined (kept going)" in (
        built.stderr
    )
    soup = built.page("failing")
    assert (
        "NameError" in soup.select_one('div[data-framework="alpha"] output.output-error').get_text()
    )
    assert soup.select_one('div[data-framework="beta"] output').get_text() == "2"


def test_expected_failure_does_not_fail_the_build(build) -> None:
    body = "```python alpha raises\nraise ValueError('on purpose')\n```\n"
    built = build({"p.md": page(body)})
    assert built.result.returncode == 0, built.stderr
    assert "ValueError: on purpose" in built.page().select_one("output.output-error").get_text()


def test_raises_marker_on_a_cell_that_succeeds_is_an_error(build) -> None:
    built = build({"p.md": page("```python alpha raises\n1\n```\n")})
    assert built.result.returncode == 1
    assert "[Alpha] cell is marked 'raises' but ran without an error" in built.stderr


def test_missing_kernel_names_framework_kernel_and_install_command(build) -> None:
    config = "frameworks:\n  - id: gone\n    label: Gone\n    kernel: xint-no-such-kernel\n"
    built = build({"p.md": page("```python gone\n1\n```\n")}, config=config)
    assert built.result.returncode == 1
    line = next(ln for ln in built.stderr.splitlines() if "xint-no-such-kernel" in ln)
    assert "[Gone]" in line and "xint-site kernels" in line
    assert "Traceback" not in built.stderr


def test_dead_kernel_fails_that_notebook_only(kept_going: Built) -> None:
    built = kept_going
    assert built.result.returncode == 0
    assert "p.md:6: [Alpha] the kernel died" in built.stderr
    assert built.page("p").select_one('div[data-framework="beta"] output').get_text() == "beta ok"
    assert built.page("q").find("output").get_text() == "q ok"


def test_cell_over_its_timeout_is_stopped_and_the_kernel_killed(build) -> None:
    body = "```python alpha\nimport time\ntime.sleep(60)\n```\n"
    started = time.monotonic()
    built = build({"p.md": page(body, "layout: page\ntimeout: 1")})
    assert time.monotonic() - started < 30
    assert built.result.returncode == 1
    assert "[Alpha] cell timed out after 1 s" in built.stderr


def test_notebook_timeout_bounds_the_whole_page(build) -> None:
    cells = "".join(f"```python\nimport time; time.sleep(0.5); {i}\n```\n\n" for i in range(8))
    body = "```python alpha\npass\n```\n\n" + cells  # each cell well within its own timeout
    built = build({"p.md": page(body, "layout: page\nnotebook_timeout: 1.5")})
    assert built.result.returncode == 1
    assert "notebook timed out" in built.stderr


def kernel_processes(build_process: psutil.Process) -> list[psutil.Process]:
    """The build's kernels and kernel parents (an exited process gives nothing)."""
    found = []
    try:
        children = build_process.children(recursive=True)
    except psutil.Error:
        return []
    for child in children:
        try:
            if any(word in " ".join(child.cmdline()) for word in ("ipykernel", "zygote.py")):
                found.append(child)
        except psutil.Error:
            continue
    return found


def running_notebooks(processes: list[psutil.Process]) -> int:
    """Kernels among them: children of a kernel parent (every notebook gets one)."""
    pids = {p.pid for p in processes}
    count = 0
    for process in processes:
        try:
            count += process.ppid() in pids
        except psutil.Error:
            continue
    return count


def start_build(tmp_path: Path) -> subprocess.Popen:
    """A build in the background whose two notebooks each touch ``running-<framework>``
    in ``tmp_path``, then wait (up to 60 s) for the test to create ``go`` there."""
    cell = (
        "import pathlib, time\n"
        "pathlib.Path({running!r}).touch()\n"
        "deadline = time.monotonic() + 60\n"
        "while not pathlib.Path({go!r}).exists() and time.monotonic() < deadline:\n"
        "    time.sleep(0.05)\n"
    )
    body = "".join(
        f"```python {fw}\n"
        + cell.format(running=str(tmp_path / f"running-{fw}"), go=str(tmp_path / "go"))
        + "```\n"
        for fw in ("alpha", "beta")
    )
    content = write_tree(tmp_path / "content", {"xint.yml": TWO_FRAMEWORKS, "p.md": page(body)})
    return subprocess.Popen(
        [sys.executable, "-m", "xint_site", "build", str(content), "-o", str(tmp_path / "out")],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stderr=subprocess.PIPE,
        text=True,
    )


def start_slow_build(tmp_path: Path) -> tuple[subprocess.Popen, list[psutil.Process]]:
    proc = start_build(tmp_path)
    deadline = time.monotonic() + 60
    kernels: list[psutil.Process] = []
    while time.monotonic() < deadline and running_notebooks(kernels) < 2:
        time.sleep(0.2)
        kernels = kernel_processes(psutil.Process(proc.pid))
    assert running_notebooks(kernels) == 2, "two kernels should be running"
    cells = [tmp_path / f"running-{fw}" for fw in ("alpha", "beta")]
    while time.monotonic() < deadline and not all(c.exists() for c in cells):
        time.sleep(0.05)
    assert all(c.exists() for c in cells), "both cells should be running"
    return proc, kernels


def assert_gone(kernels: list[psutil.Process]) -> None:
    _, alive = psutil.wait_procs(kernels, timeout=10)
    assert alive == [], f"orphan kernels: {alive}"


def test_ctrl_c_leaves_no_kernel_running(tmp_path: Path) -> None:
    proc, kernels = start_slow_build(tmp_path)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert_gone(kernels)
    assert not (tmp_path / "out").exists()


def test_sigterm_leaves_no_kernel_running(tmp_path: Path) -> None:
    proc, kernels = start_slow_build(tmp_path)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert_gone(kernels)


def test_a_finished_build_leaves_no_kernel_running(tmp_path: Path) -> None:
    proc = start_build(tmp_path)
    seen: dict[int, psutil.Process] = {}
    parent_of: dict[int, int] = {}
    deadline = time.monotonic() + 60
    while proc.poll() is None:
        for kernel in kernel_processes(psutil.Process(proc.pid)):
            seen[kernel.pid] = kernel
            with contextlib.suppress(psutil.Error):
                parent_of[kernel.pid] = kernel.ppid()
        if len(seen) >= 4 or time.monotonic() > deadline:
            (tmp_path / "go").touch()  # every process seen while the cells wait: let them end
        time.sleep(0.05)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    # two kernel parents and a kernel forked from each (a loaded machine once showed a
    # fifth, short-lived process among them: every one seen must be gone too)
    forked = {pid for pid, parent in parent_of.items() if parent in seen}
    assert len(seen) - len(forked) >= 2 and len(forked) >= 2, parent_of
    assert_gone(list(seen.values()))


def test_a_timed_out_cell_leaves_nothing_waiting_on_the_channels_it_closes(
    tmp_path: Path,
) -> None:
    """nbclient leaves a timed-out cell's output poller running; when the kill closed the
    kernel's channels under it, a loaded machine could run it once more on the closed
    channel and asyncio printed its failure as a traceback at the build's end (seen once
    in a full run of the suite). The pollers are stopped before the channels close."""
    import asyncio
    import time as clock
    from concurrent.futures import ThreadPoolExecutor

    from xint_site.execute.kernel import KernelLost, KernelSession

    waiting: list[str] = []

    async def run() -> str:
        session = KernelSession("python3")
        await session.start(tmp_path)
        assert session.kc is not None
        stop_channels = session.kc.stop_channels

        def stop_and_look() -> None:
            waiting.extend(
                t.get_coro().__qualname__  # type: ignore[union-attr]
                for t in asyncio.all_tasks()
                if not t.done() and t is not asyncio.current_task()
            )
            stop_channels()

        session.kc.stop_channels = stop_and_look  # type: ignore[method-assign]
        try:
            await session.run_cells(
                # deaf to the interrupt, as a cell stuck in native code is: the kill
                # comes while the cell's output is still awaited
                [
                    "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                    "print('started', flush=True)\ntime.sleep(30)"
                ],
                cell_timeout=1,
                deadline=clock.monotonic() + 60,
                may_fail=[False],
            )
        except KernelLost as exc:
            return str(exc)
        finally:
            await session.shutdown()
        return "no timeout"

    # in a thread of its own: Playwright's loop may be running in this one (browser tests)
    with ThreadPoolExecutor(1) as apart:
        assert "cell timed out after 1 s" in apart.submit(asyncio.run, run()).result()
    assert not [name for name in waiting if "poll_output_msg" in name], waiting
