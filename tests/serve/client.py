"""A real ``xint-site serve`` in a subprocess, real HTTP to it, a real event-stream client.

Shared by the tests and ``bench/serve.py``.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import psutil

from tests.conftest import REPO, require_slow

STARTUP = 120.0  # the first build may run kernels


class EventStream:
    """A server-sent-events client: each event lands in a queue, read with ``next``."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.conn.request("GET", "/__xint__/events")
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"
        self.events: queue.Queue[tuple[str, dict, float]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name, data = "message", ""
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[len("event: ") :]
                elif line.startswith("data: "):
                    data = line[len("data: ") :]
                elif not line and data:
                    self.events.put((name, json.loads(data), time.perf_counter()))
                    name, data = "message", ""
        except (OSError, ValueError):
            pass

    def next(self, *names: str, timeout: float = 60) -> tuple[str, dict]:
        """The next event among ``names`` (any when none), skipping the others."""
        name, data, _ = self.next_timed(*names, timeout=timeout)
        return name, data

    def next_timed(self, *names: str, timeout: float = 60) -> tuple[str, dict, float]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {names or 'event'} within {timeout} s")
            try:
                name, data, at = self.events.get(timeout=left)
            except queue.Empty:
                continue
            if not names or name in names:
                return name, data, at

    def close(self) -> None:
        self.conn.close()


class Server:
    """``python -m xint_site serve`` on a free port; its log is collected as it comes."""

    def __init__(self, content: Path, out: Path, *args: str) -> None:
        require_slow("a server")
        self.content = content
        self.out = out
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "xint_site",
                "serve",
                str(content),
                "-o",
                str(out),
                "--port",
                "0",
                *args,
            ],
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.log: list[str] = []  # stderr: what was built, the errors
        self.stdout: list[str] = []
        self._changed = threading.Condition()
        self._readers = [
            threading.Thread(target=self._collect, args=(stream, lines), daemon=True)
            for stream, lines in ((self.proc.stderr, self.log), (self.proc.stdout, self.stdout))
        ]
        for reader in self._readers:
            reader.start()
        match = self._wait(self.stdout, r"Serving (http://\S+)", 0, STARTUP)
        self.url = match.group(1)
        parts = urlsplit(self.url)
        self.host, self.port = parts.hostname or "", parts.port or 0

    def _collect(self, stream, lines: list[str]) -> None:
        for line in stream:
            with self._changed:
                lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    @property
    def log_text(self) -> str:
        return "\n".join(self.log)

    def wait_log(self, pattern: str, start: int = 0, timeout: float = 60) -> re.Match:
        """The first log line from index ``start`` on that matches ``pattern``."""
        return self._wait(self.log, pattern, start, timeout)

    def _wait(self, lines: list[str], pattern: str, start: int, timeout: float) -> re.Match:
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in lines[start:]:
                    if m := regex.search(line):
                        return m
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise AssertionError(f"no line like {pattern!r}; log:\n{self.log_text}")
                self._changed.wait(min(left, 0.5))

    def get(self, path: str = "/", method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request(method, path)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def text(self, path: str = "/") -> str:
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        return body.decode("utf-8")

    def raw_status(self, target: bytes) -> int:
        """Send a request line as given (http.client refuses NUL and such), return the status."""
        with socket.create_connection((self.host, self.port), timeout=30) as sock:
            sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            reply = b""
            while chunk := sock.recv(65536):
                reply += chunk
        return int(reply.split(b" ", 2)[1])

    def events(self) -> EventStream:
        stream = EventStream(self.url)
        name, _ = stream.next(timeout=10)
        assert name == "hello"
        return stream

    def processes(self) -> list[psutil.Process]:
        """The server and everything it started (kernels)."""
        me = psutil.Process(self.proc.pid)
        return [me, *me.children(recursive=True)]

    def kernels(self) -> set[int]:
        return {
            p.pid
            for p in psutil.Process(self.proc.pid).children(recursive=True)
            if any(word in " ".join(_cmdline(p)) for word in ("ipykernel", "zygote.py"))
        }

    def interrupt(self, timeout: float = 30, sig: int = signal.SIGINT) -> tuple[int, str]:
        """Ctrl-C (or ``sig``); the exit status and all of stdout."""
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:  # never left for later tests to meet
            self.kill()
            raise AssertionError(f"the server did not stop in {timeout} s") from None
        for reader in self._readers:
            reader.join(timeout=10)
        return self.proc.returncode, "\n".join(self.stdout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            for p in reversed(self.processes()):
                with contextlib.suppress(psutil.Error):
                    p.kill()
            self.proc.wait(timeout=10)


def _cmdline(p: psutil.Process) -> list[str]:
    try:
        return p.cmdline()
    except psutil.Error:
        return []
