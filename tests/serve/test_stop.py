"""Ctrl-C stops the server, its open event streams and every kernel it started."""

from __future__ import annotations

import signal
import socket
import time

import psutil
import pytest

from tests.conftest import run_cli
from tests.execute.conftest import TWO_FRAMEWORKS
from tests.serve.conftest import edit, page

pytestmark = pytest.mark.slow

CODE = "```python alpha\nimport os\nprint(os.getpid())\n```\n```python beta\nprint(2)\n```\n"


def assert_gone(processes: list[psutil.Process]) -> None:
    _, alive = psutil.wait_procs(processes, timeout=15)
    assert alive == [], f"left running: {alive}"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_ctrl_c_stops_the_server_and_its_warm_kernels(serve, sig: int) -> None:
    server = serve({"xint.yml": TWO_FRAMEWORKS, "p.md": page("P", CODE)})
    server.wait_log(r"notebooks executed")
    kernels = server.kernels()
    assert kernels, "the preview keeps its kernels warm"
    events = server.events()  # an open event stream must not hold the server up
    everything = server.processes()
    started = time.monotonic()
    status, _ = server.interrupt(sig=sig)
    assert status == 0, server.log_text
    assert time.monotonic() - started < 15
    assert_gone(everything)
    assert "Traceback" not in server.log_text
    events.close()


def test_ctrl_c_during_a_running_cell(serve, tmp_path) -> None:
    server = serve({"xint.yml": TWO_FRAMEWORKS, "p.md": page("P", CODE)})
    server.wait_log(r"notebooks executed")
    running = tmp_path / "running"
    cell = f"import pathlib, time\npathlib.Path({str(running)!r}).touch()\ntime.sleep(120)"
    edit(server.content / "p.md", "print(2)", cell)
    deadline = time.monotonic() + 60
    while not running.exists() and time.monotonic() < deadline:  # the cell has started
        time.sleep(0.05)
    assert running.exists(), server.log_text
    everything = server.processes()
    assert len(server.kernels()) >= 1
    status, _ = server.interrupt()
    assert status == 0, server.log_text
    assert_gone(everything)


def test_a_taken_port_is_an_error_before_building(tmp_path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = run_cli("serve", tmp_path, "--port", port, timeout=60)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert time.monotonic() - started < 30


def test_a_missing_content_folder_is_an_error(tmp_path) -> None:
    result = run_cli("serve", tmp_path / "nothing", "--port", "0", timeout=60)
    assert result.returncode == 1
    assert f"{tmp_path / 'nothing'}: content folder not found" in result.stderr
