"""``run_cli``'s process maker: a Python that has imported the CLI once and forks a child
for each run, the way the build's own kernel parent forks kernels.

Each child is a whole process of its own: it gets the caller's argv, working folder,
environment and standard streams (real file descriptors, so what its own children print
is caught too), runs ``xint_site.cli.main`` as ``python -m xint_site`` would, and exits
through the interpreter's normal shutdown (atexit, threads joined, streams flushed). What
it saves is the start: ~0.45 s of imports per run, paid ~300 times by the suite.

The server is started by ``python -c`` (no ``__main__`` file), so a process a child
spawns (Dask's workers) imports nothing of this module.
"""

from __future__ import annotations

import io
import json
import locale
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from importlib import import_module
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parent.parent
# What every run would import: the CLI, its commands, and what a build with cells loads.
PRELOAD = (
    "xint_site.cli",
    "xint_site.commands.build",
    "xint_site.commands.cache",
    "xint_site.commands.kernels",
    "xint_site.commands.serve",
    "jupyter_client",
    "jupyter_client.kernelspec",
    "nbformat",
)
_MAX_REQUEST = 1 << 20


def serve(fd: int) -> None:
    """Answer runs asked on the socket ``fd`` until it closes; a forked child leaves this
    function only by raising ``SystemExit`` out of it (the interpreter then exits)."""
    for name in PRELOAD:
        import_module(name)
    # Pygments turns a lexer's rules into regular expressions at its first use (0.15 s
    # for Python's), once per process: once here, not in every forked build.
    from xint_site.render.highlight import highlight_code

    highlight_code("x = 1\n", "python")
    conn = socket.socket(fileno=fd)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(conn, _MAX_REQUEST, 3)
        except OSError:
            return
        if not message:
            return
        request = json.loads(message)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            conn.close()
            _become_cli(request, fds)  # raises SystemExit
        for passed in fds:
            os.close(passed)
        conn.sendall(f"{pid}\n".encode())
        _, status = os.waitpid(pid, 0)
        conn.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())


def _become_cli(request: dict[str, object], fds: list[int]) -> None:
    for target, passed in enumerate(fds):
        os.dup2(passed, target)
        os.close(passed)
    os.chdir(str(request["cwd"]))
    env = request["env"]
    assert isinstance(env, dict)
    os.environ.clear()
    os.environ.update(env)
    args = request["args"]
    assert isinstance(args, list)
    sys.argv = [str(REPO / "xint_site" / "__main__.py"), *args]
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from xint_site.cli import main

    raise SystemExit(main(args))


class Client:
    """One server per test process, started at its first run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: socket.socket | None = None
        self._server: subprocess.Popen[bytes] | None = None

    def _connect(self) -> socket.socket:
        if self._conn is None or self._server is None or self._server.poll() is not None:
            mine, theirs = socket.socketpair()
            self._server = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    f"from tests.cli_server import serve; serve({theirs.fileno()})",
                ],
                pass_fds=[theirs.fileno()],
                cwd=REPO,
                env={**os.environ, "PYTHONPATH": str(REPO)},
                stdin=subprocess.DEVNULL,
            )
            theirs.close()
            self._conn = mine
        return self._conn

    def start(self) -> None:
        """Start the server now, if it is not running (a test that tells the processes
        it started from those already running takes its snapshot after this)."""
        with self._lock:
            self._connect()

    def run(
        self, args: list[str], cwd: Path | None, env: dict[str, str], timeout: float
    ) -> subprocess.CompletedProcess[str] | None:
        """The finished run, or None when another thread is using the server (the
        caller then starts a process of its own)."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            return self._run(args, cwd, env, timeout)
        finally:
            self._lock.release()

    def _run(
        self, args: list[str], cwd: Path | None, env: dict[str, str], timeout: float
    ) -> subprocess.CompletedProcess[str]:
        conn = self._connect()
        request = {"args": args, "cwd": str(cwd or Path.cwd()), "env": env}
        # nameless files: the child writes its streams there, read once it has ended
        with (
            open(os.devnull, "rb") as stdin,
            tempfile.TemporaryFile() as out,
            tempfile.TemporaryFile() as err,
        ):
            fds = [stdin.fileno(), out.fileno(), err.fileno()]
            socket.send_fds(conn, [json.dumps(request).encode()], fds)
            pid = int(_line(conn))
            conn.settimeout(timeout)
            try:
                line = _line(conn)
            except TimeoutError:
                os.kill(pid, signal.SIGKILL)
                conn.settimeout(None)
                _line(conn)  # the server has reaped it
                raise subprocess.TimeoutExpired(["xint-site", *args], timeout) from None
            finally:
                conn.settimeout(None)
            return subprocess.CompletedProcess(
                ["xint-site", *args], int(line), _text(out), _text(err)
            )

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._server is not None:
            try:
                self._server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._server.kill()
                self._server.wait()


def _line(conn: socket.socket) -> bytes:
    """One line the server sent (a few bytes: a pid or an exit status)."""
    line = b""
    while not line.endswith(b"\n"):
        byte = conn.recv(1)
        if not byte:
            raise RuntimeError("the CLI server ended")
        line += byte
    return line


def _text(stream: IO[bytes]) -> str:
    """As ``subprocess.run(text=True)`` decodes: the locale's encoding, universal newlines."""
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=locale.getpreferredencoding(False))
    try:
        return text.read()
    finally:
        text.detach()  # the caller closes the file
