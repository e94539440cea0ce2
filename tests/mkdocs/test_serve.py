"""``mkdocs serve`` with the plugin: one plugin object (and warm kernel parents) for the
whole session; a prose edit runs nothing, a cell edit runs that notebook only."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.conftest import REPO, require_slow
from tests.mkdocs.conftest import copy_example

pytestmark = pytest.mark.slow


class Server:
    """``mkdocs serve`` in a project, its log read as it comes."""

    def __init__(self, project: Path, entry_points: Path) -> None:
        require_slow("mkdocs serve")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(REPO), str(entry_points)]),
            "NO_MKDOCS_2_WARNING": "1",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def wait_for(self, text: str, after: int = 0, timeout: float = 300) -> int:
        """The index of the first log line from ``after`` on that holds ``text``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, line in enumerate(self.lines[after:], start=after):
                if text in line:
                    return i
            assert self.process.poll() is None, "".join(self.lines)
            time.sleep(0.1)
        raise AssertionError(f"no {text!r} in:\n" + "".join(self.lines))

    def get(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as r:
            return r.read().decode()

    def stop(self) -> int:
        """Ctrl-C; a server that does not stop in time fails the test and is killed with
        its kernels, so no later test meets them."""
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            tree = psutil.Process(self.process.pid).children(recursive=True)
            for proc in [*tree, psutil.Process(self.process.pid)]:
                with contextlib.suppress(psutil.NoSuchProcess):
                    proc.kill()
            self.process.wait(timeout=30)
            lines = "".join(self.lines)
            raise AssertionError(f"mkdocs serve did not stop on Ctrl-C:\n{lines}") from None


def test_serve_reruns_only_the_edited_notebook(
    example: Path, entry_points: Path, tmp_path: Path
) -> None:
    project = copy_example(tmp_path / "site", example / "_freeze")
    index = project / "docs" / "index.md"
    source = index.read_text(encoding="utf-8")
    server = Server(project, entry_points)
    try:
        first = server.wait_for("xint: 4 notebooks: 4 from the cache, 0 run")
        served = server.wait_for("Serving on", first)
        index.write_text(source.replace("The same four numbers", "Four numbers"), "utf-8")
        prose = server.wait_for("xint: 4 notebooks", served)
        assert "4 from the cache, 0 run" in server.lines[prose]
        built = server.wait_for("Documentation built", prose)
        assert "Four numbers" in server.get("/")
        edited = source.replace("x = torch.arange(4.0)\n", "x = torch.arange(4.0) * 2\n")
        index.write_text(edited, encoding="utf-8")
        cell = server.wait_for("xint: 4 notebooks", built)
        assert "3 from the cache, 1 run" in server.lines[cell]
        server.wait_for("Documentation built", cell)
        assert "tensor([0., 2., 4., 6.])" in server.get("/")
        kernels = psutil.Process(server.process.pid).children(recursive=True)
    finally:
        status = server.stop()
    assert status == 0, "".join(server.lines)
    assert "Traceback" not in "".join(server.lines)
    psutil.wait_procs(kernels, timeout=30)
    assert not [k for k in kernels if k.is_running() and k.status() != psutil.STATUS_ZOMBIE]
