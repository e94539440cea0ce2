"""The preview server under a client that opens connections and sends nothing.

Real sockets against a real ``xint-site serve``: idle connections must not lock a
reader out, the server's threads stay bounded, and open pages keep their event
streams (they are long-lived by design and counted apart).
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.conftest import write_tree
from tests.serve.client import Server
from tests.serve.conftest import edit, page
from xint_site.serve.http import MAX_HANDLERS, MAX_STREAMS

pytestmark = pytest.mark.slow

SITE = {
    "xint.yml": "title: Limits\n",
    "about.md": page("About", "About this site."),
}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    content = write_tree(tmp_path / "content", SITE)
    running = Server(content, tmp_path / "out", "--no-execute")
    yield running
    try:
        running.interrupt()
    finally:
        running.kill()


@pytest.fixture
def sockets() -> Iterator[list[socket.socket]]:
    opened: list[socket.socket] = []
    yield opened
    for sock in opened:
        sock.close()


def threads(server: Server) -> int:
    return psutil.Process(server.proc.pid).num_threads()


def idle_connections(server: Server, count: int, opened: list[socket.socket]) -> None:
    """Connections that send nothing, and some that send half a request and stall."""
    for n in range(count):
        sock = socket.create_connection((server.host, server.port), timeout=30)
        if n % 3 == 0:
            sock.sendall(b"GET /about/ HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        opened.append(sock)


def timed_get(server: Server, path: str) -> tuple[int, float]:
    started = time.monotonic()
    status, _, _ = server.get(path)
    return status, time.monotonic() - started


def test_idle_connections_do_not_block_a_reader(server: Server, sockets) -> None:
    stream = server.events()  # an open page, there before the idle connections
    assert server.get("/about/")[0] == 200
    before = threads(server)
    idle_connections(server, 4 * MAX_HANDLERS, sockets)
    time.sleep(0.5)
    status, seconds = timed_get(server, "/about/")
    assert status == 200
    assert seconds < 10, f"a reader waited {seconds:.1f} s behind idle connections"
    # a few more for threads of closed connections that are just ending
    assert threads(server) <= before + MAX_HANDLERS + 4, (before, threads(server))
    # idle connections were closed to make room: reading one gives EOF or a reset
    closed = 0
    for sock in sockets:
        sock.settimeout(0.01)
        with contextlib.suppress(TimeoutError, BlockingIOError):
            try:
                closed += sock.recv(1) == b""
            except ConnectionResetError:
                closed += 1
    assert closed >= MAX_HANDLERS, closed
    # the open page still hears about rebuilds
    edit(server.content / "about.md", "About this site.", "About this site, edited.")
    stream.next("reload", timeout=60)
    assert "edited" in server.text("/about/")
    stream.close()


def test_event_streams_are_bounded_apart_from_requests(server: Server) -> None:
    streams = [server.events() for _ in range(MAX_STREAMS)]
    before = threads(server)
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    conn.request("GET", "/__xint__/events")
    refused = conn.getresponse()
    assert refused.status == 503
    assert b"too many open pages" in refused.read()
    conn.close()
    status, seconds = timed_get(server, "/about/")  # streams hold no request handler
    assert status == 200 and seconds < 10
    assert threads(server) <= before + 2
    edit(server.content / "about.md", "About this site.", "About, once more.")
    for stream in streams:  # every open page still hears about rebuilds
        stream.next("reload", timeout=60)
        stream.close()
