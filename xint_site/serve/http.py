"""The preview's HTTP server: files of the output folder, the event stream, the script.

Stdlib ``ThreadingHTTPServer``: one thread per connection, so the long-lived
event streams never block page loads. The threads are bounded: at most
:data:`MAX_HANDLERS` connections are answered or kept alive at once, and when
all are taken, the one idle the longest (no request for :data:`IDLE_GRACE`
seconds) is closed for the newcomer, so a client holding idle connections open
cannot lock readers out; any idle connection is closed after ``timeout``
seconds anyway. Event streams are counted apart (:data:`MAX_STREAMS`): an open
page keeps its stream. Closing shuts every open connection down and joins its
thread, so nothing is left running after Ctrl-C.
"""

from __future__ import annotations

import contextlib
import html
import mimetypes
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xint_site.serve.hub import ReloadHub
from xint_site.serve.paths import Found, Redirect, locate, split_target, wanted_file

if TYPE_CHECKING:
    from socketserver import _RequestType  # what typeshed says a server's request is

PREFIX = "/__xint__/"
EVENTS = PREFIX + "events"
SCRIPT = PREFIX + "live.js"
LIVE_JS = (Path(__file__).with_name("live.js")).read_bytes()
KEEPALIVE = 15.0  # seconds between comments on an idle event stream
RETRY_MS = 1000  # how soon a page reconnects after the server went away
MAX_HANDLERS = 32  # connections answered or kept alive at once (a browser opens ~6)
MAX_STREAMS = 32  # open event streams, one per open page
IDLE_GRACE = 1.0  # seconds without a request before a connection may be closed for another

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
}
NOT_FOUND = b"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Not found</title></head>
<body><h1>Not found</h1><p>Nothing here (yet): the site has not been built.</p></body></html>
"""


def content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


@dataclass(frozen=True)
class SiteView:
    """What the server serves; replaced whole when a build changes the site root."""

    out_dir: Path
    root: str = "/"


@dataclass
class Connection:
    """What one open connection is doing, for the bound on threads."""

    idle_since: float = field(default_factory=time.monotonic)
    busy: bool = False  # a request is being answered
    stream: bool = False  # an event stream: long-lived, counted apart
    evicted: bool = False  # closed to make room; its thread is ending


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = False  # joined by server_close(), after close() ended their connections
    block_on_close = True
    request_queue_size = 512  # a burst of page loads must queue, not be refused

    def __init__(self, address: tuple[str, int], site: SiteView, hub: ReloadHub) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.site = site
        self.hub = hub
        self._open: dict[socket.socket, Connection] = {}
        self._changed = threading.Condition()
        self._closing = False
        super().__init__(address, PreviewHandler)

    def process_request(self, request: _RequestType, client_address: Any) -> None:
        assert isinstance(request, socket.socket)  # TCP: every request is a connection
        if not self._admit(request):
            super().shutdown_request(request)
            return
        super().process_request(request, client_address)

    def _admit(self, request: socket.socket) -> bool:
        """Wait for a free handler, closing the longest-idle connection if one is due."""
        with self._changed:
            while sum(not c.stream for c in self._open.values()) >= MAX_HANDLERS:
                if self._closing:
                    return False
                idle = self._longest_idle()
                if idle is not None:
                    self._open[idle].evicted = True
                    with contextlib.suppress(OSError):
                        idle.shutdown(socket.SHUT_RDWR)  # its thread reads EOF and ends
                self._changed.wait(timeout=0.05 if idle is not None else IDLE_GRACE / 4)
            self._open[request] = Connection()
            return True

    def _longest_idle(self) -> socket.socket | None:
        due = time.monotonic() - IDLE_GRACE
        idle = [
            (c.idle_since, id(sock), sock)
            for sock, c in self._open.items()
            if not (c.busy or c.stream or c.evicted) and c.idle_since <= due
        ]
        return min(idle)[2] if idle else None

    def answering(self, request: socket.socket, busy: bool) -> None:
        """A request on this connection started (True) or was answered (False)."""
        with self._changed:
            conn = self._open.get(request)
            if conn is not None:
                conn.busy = busy
                conn.idle_since = time.monotonic()

    def start_stream(self, request: socket.socket) -> bool:
        """Count this connection as an event stream; False when there are too many."""
        with self._changed:
            conn = self._open.get(request)
            if conn is None or sum(c.stream for c in self._open.values()) >= MAX_STREAMS:
                return False
            conn.stream = True
            self._changed.notify_all()  # it no longer holds a handler
            return True

    def shutdown_request(self, request: _RequestType) -> None:
        assert isinstance(request, socket.socket)
        with self._changed:
            self._open.pop(request, None)
            self._changed.notify_all()
        super().shutdown_request(request)

    def handle_error(self, request: _RequestType, client_address: Any) -> None:
        """A reader that went away mid-answer is normal; anything else is a bug to show."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def close(self) -> None:
        """Stop accepting, end every open connection (event streams too), join the threads."""
        self.hub.close()
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self.shutdown()
        with self._changed:
            open_now = list(self._open)
        for sock in open_now:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.server_close()


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle keep-alive connection is closed after this
    server_version = "xint-site"

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the preview logs builds, not requests

    def _answer(self, head: bool) -> None:
        path = split_target(self.path)[0]
        self.server.answering(self.connection, busy=True)
        try:
            if path == EVENTS:
                self._stream_events()
            elif path == SCRIPT:
                self._send(HTTPStatus.OK, content_type(SCRIPT), LIVE_JS, head)
            else:
                self._send_site_file(head)
        finally:
            self.server.answering(self.connection, busy=False)

    def _send_site_file(self, head: bool) -> None:
        hub = self.server.hub
        version = hub.version  # read before the file: a page is never newer than it claims
        site = self.server.site
        found = locate(site.out_dir, site.root, self.path)
        body = _read(found)
        if body is None and hub.building:
            hub.wait_built(timeout=60)  # a whole-folder swap can hide a file for a moment
            version, site = hub.version, self.server.site
            found = locate(site.out_dir, site.root, self.path)
            body = _read(found)
        if isinstance(found, Redirect):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", found.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif isinstance(found, Found) and body is not None:
            kind = content_type(found.rel)
            if kind.startswith("text/html"):
                body = inject(body, version, found.rel)
            self._send(HTTPStatus.OK, kind, body, head)
        else:
            page = _read(locate(site.out_dir, "/", "/404.html")) or NOT_FOUND
            page = inject(page, version, wanted_file(site.root, self.path))
            self._send(HTTPStatus.NOT_FOUND, content_type("404.html"), page, head)

    def _send(self, status: HTTPStatus, kind: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _stream_events(self) -> None:
        hub = self.server.hub
        self.close_connection = True  # the body ends when the connection does
        if not self.server.start_stream(self.connection):
            body = b"too many open pages: close some and reload\n"
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", body, False)
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        hello = hub.hello()
        self.wfile.write(f"retry: {RETRY_MS}\n".encode() + hello.encode())
        seen = hello.seq
        while not hub.closed:
            events = hub.wait(seen, KEEPALIVE)
            if hub.closed:
                break
            if not events:
                self.wfile.write(b": keep-alive\n\n")
                continue
            self.wfile.write(b"".join(e.encode() for e in events))
            seen = max(e.seq for e in events)


def inject(page: bytes, version: int, file: str) -> bytes:
    """The page with the reload script before ``</body>`` (served only, never written)."""
    tag = (
        f'<script src="{SCRIPT}" data-version="{version}" '
        f'data-file="{html.escape(file, quote=True)}" data-events="{EVENTS}" defer></script>\n'
    ).encode()
    lower = page.lower()
    at = lower.rfind(b"</body>")
    if at < 0:
        at = lower.rfind(b"</html>")
    if at < 0:
        return page + tag
    return page[:at] + tag + page[at:]


def _read(found: Found | Redirect | None) -> bytes | None:
    if isinstance(found, Redirect):
        return b""
    if found is None:
        return None
    try:
        return found.file.read_bytes()  # one open: the old file or the new one, never half
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
