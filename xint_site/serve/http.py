"""The preview's HTTP server: files of the output folder, the event stream, the script.

Stdlib ``ThreadingHTTPServer``: one thread per connection, so the long-lived
event streams never block page loads. Closing shuts every open connection down
and joins its thread, so nothing is left running after Ctrl-C.
"""

from __future__ import annotations

import contextlib
import html
import mimetypes
import socket
import sys
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from xint_site.serve.hub import ReloadHub
from xint_site.serve.paths import Found, Redirect, locate, split_target, wanted_file

PREFIX = "/__xint__/"
EVENTS = PREFIX + "events"
SCRIPT = PREFIX + "live.js"
LIVE_JS = (Path(__file__).with_name("live.js")).read_bytes()
KEEPALIVE = 15.0  # seconds between comments on an idle event stream
RETRY_MS = 1000  # how soon a page reconnects after the server went away

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


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = False  # joined by server_close(), after close() ended their connections
    block_on_close = True
    request_queue_size = 512  # a burst of page loads must queue, not be refused

    def __init__(self, address: tuple[str, int], site: SiteView, hub: ReloadHub) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.site = site
        self.hub = hub
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        super().__init__(address, PreviewHandler)

    def process_request(self, request, client_address) -> None:  # type: ignore[override]
        with self._lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:  # type: ignore[override]
        with self._lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:  # type: ignore[override]
        """A reader that went away mid-answer is normal; anything else is a bug to show."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def close(self) -> None:
        """Stop accepting, end every open connection (event streams too), join the threads."""
        self.hub.close()
        self.shutdown()
        with self._lock:
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
        if path == EVENTS:
            self._stream_events()
        elif path == SCRIPT:
            self._send(HTTPStatus.OK, content_type(SCRIPT), LIVE_JS, head)
        else:
            self._send_site_file(head)

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
