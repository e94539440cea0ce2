"""``--check-external``: external links fetched only when asked, a few at a time, each
with a timeout. Against a local server on 127.0.0.1, never the internet."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_tree
from xint_site.site.external import MAX_CONCURRENT

pytestmark = pytest.mark.slow


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []
        self.running = 0
        self.most = 0  # requests answered at once, at most

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Server

    def do_HEAD(self) -> None:
        self.answer("HEAD")

    def do_GET(self) -> None:
        self.answer("GET")

    def answer(self, method: str) -> None:
        server = self.server
        with server.lock:
            server.requests.append((method, self.path))
            server.running += 1
            server.most = max(server.most, server.running)
        try:
            if self.path.startswith("/slow"):
                time.sleep(0.3)
            if self.path == "/hang":
                time.sleep(3)
        finally:
            # Counted as done before the answer leaves: once the client has its answer
            # it may ask again at once, before this thread would otherwise count down.
            with server.lock:
                server.running -= 1
        if self.path == "/no-head" and method == "HEAD":
            self.send_response(405)
        elif self.path == "/missing":
            self.send_response(404)
        else:
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def site(root: Path, base: str, body: str) -> None:
    write_tree(root / "content", {"a.md": "---\ntitle: A\n---\n\n" + body.format(base=base)})


BODY = """\
[ok]({base}/ok) and [missing]({base}/missing)

[no head]({base}/no-head#part) then [hangs]({base}/hang)

[missing again]({base}/missing)
"""


def test_external_links_are_not_fetched_by_default(server: Server, tmp_path: Path) -> None:
    site(tmp_path, server.url, BODY)
    result = run_cli("build", "content", "-o", "out", "--no-execute", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert server.requests == []


def test_check_external_reports_each_failing_link_at_its_line(
    server: Server, tmp_path: Path
) -> None:
    site(tmp_path, server.url, BODY)
    started = time.monotonic()
    result = run_cli(
        "build", "content", "-o", "out", "--no-execute", "--check-external",
        "--external-timeout", "1", cwd=tmp_path,
    )  # fmt: skip
    took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    url = server.url
    assert [ln for ln in result.stderr.splitlines() if "does not resolve" in ln] == [
        f"content/a.md:5: link to '{url}/missing' does not resolve: 404 Not Found",
        f"content/a.md:7: link to '{url}/hang' does not resolve: no answer within 1 s",
        f"content/a.md:9: link to '{url}/missing' does not resolve: 404 Not Found",
    ]
    assert took < 15, "the timeout bounds a hanging server"
    assert server.requests.count(("HEAD", "/missing")) == 1, "each URL is asked once"
    assert ("GET", "/no-head") in server.requests, "a server refusing HEAD is asked with GET"
    strict = run_cli(
        "build", "content", "-o", "out", "--no-execute", "--check-external",
        "--external-timeout", "1", "--strict", cwd=tmp_path,
    )  # fmt: skip
    assert strict.returncode == 1
    assert "xint-site: 3 errors; nothing written" in strict.stderr


def test_requests_are_bounded(server: Server, tmp_path: Path) -> None:
    links = "\n\n".join(f"[{n}]({{base}}/slow/{n})" for n in range(3 * MAX_CONCURRENT))
    site(tmp_path, server.url, links + "\n")
    result = run_cli("build", "content", "-o", "out", "--no-execute", "--check-external",
                     cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(server.requests) == 3 * MAX_CONCURRENT
    assert 1 < server.most <= MAX_CONCURRENT
