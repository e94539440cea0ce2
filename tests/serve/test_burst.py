"""Readers during a rebuild: no 5xx, never half a page, the old page or the new one."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.serve.conftest import edit, page

pytestmark = pytest.mark.slow

POSTS = 60
WORKERS = 24
MINIMUM = 200


def post_path(n: int) -> str:
    return f"/2021/03/{1 + n % 28:02d}/p{n:02d}/"


def site(marker: str) -> dict[str, str]:
    files = {"xint.yml": "title: Burst\nper_page: 5\n"}
    for n in range(POSTS):
        front = f"date: 2021-03-{1 + n % 28:02d} 10:00:00\ntags: [t{n % 5}, all]"
        body = f"{marker} {n}. " + "Some prose with $x^{n}$ math. " * 40
        files[f"p{n:02d}.md"] = page(f"Post {n}", body, front)
    return files


def burst(
    server, paths: list[str], stop: threading.Event
) -> list[tuple[float, float, str, int, bytes]]:
    """GET pages from many threads until ``stop`` is set and at least MINIMUM were made."""
    results: list[tuple[float, float, str, int, bytes]] = []
    lock = threading.Lock()

    def worker(k: int) -> None:
        i = k
        while not (stop.is_set() and len(results) >= MINIMUM):
            path = paths[i % len(paths)]
            i += WORKERS
            started = time.perf_counter()
            status, _, body = server.get(path)
            with lock:
                results.append((started, time.perf_counter(), path, status, body))

    with ThreadPoolExecutor(WORKERS) as pool:
        for future in [pool.submit(worker, k) for k in range(WORKERS)]:
            future.result()
    return results


@pytest.mark.parametrize("change", ["prose", "config"])
def test_a_burst_of_requests_during_a_rebuild(serve, change: str) -> None:
    server = serve(site("Version A"), "--no-execute")
    paths = [
        "/",
        post_path(7),
        post_path(33),
        "/tags/all/",
        "/tags/all/page/3/",
        "/assets/xint.css",
    ]
    for path in paths:
        assert server.get(path)[0] == 200, path
    events = server.events()
    stop = threading.Event()
    out: list = []
    thread = threading.Thread(target=lambda: out.extend(burst(server, paths, stop)))
    thread.start()
    time.sleep(0.2)
    if change == "prose":
        for n in (7, 33):
            edit(server.content / f"p{n:02d}.md", "Version A", "Version B")
    else:  # a config edit rebuilds everything and swaps the whole folder
        edit(server.content / "xint.yml", "title: Burst", "title: Burst again")
    _, building_at = events.next_timed("building")[1:]
    _, reload_at = events.next_timed("reload")[1:]
    time.sleep(0.2)
    stop.set()
    thread.join()
    assert len(out) >= MINIMUM
    during = [r for r in out if r[0] < reload_at and r[1] > building_at]
    assert during, "no request overlapped the rebuild"
    for _, _, path, status, body in out:
        assert status == 200, (path, status)
        if not path.endswith(".css"):
            assert body.rstrip().endswith(b"</html>"), path
            assert body.count(b"/__xint__/live.js") == 1, path
    for _, _, path, _, body in out:
        if path == post_path(7):  # whole, old or new
            assert (b"Version A 7." in body) != (b"Version B 7." in body)
    if change == "prose":
        assert b"Version B 7." in server.get(post_path(7))[2]
    else:
        assert b"Burst again" in server.get(post_path(7))[2]
