"""What the server answers: only files inside the output folder, with the right types."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import write_tree
from tests.serve.client import Server
from tests.serve.conftest import page
from xint_site.serve.paths import Found, Redirect, locate

SITE = {
    "xint.yml": "title: Served\n",
    "about.md": page("About", "About *this* site."),
    "post.md": page("Post", "A post.", "date: 2021-05-04 10:00:00\ntags: [深度学习]"),
    "img/pic.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server on SITE for the tests that only read from it."""
    root = tmp_path_factory.mktemp("served")
    server = Server(write_tree(root / "content", SITE), root / "out", "--no-execute")
    yield server
    try:
        server.interrupt()
    finally:
        server.kill()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A small output folder, with a secret beside it and links pointing in and out."""
    out = tmp_path / "out"
    (out / "a" / "b").mkdir(parents=True)
    (out / "a" / "b" / "index.html").write_text("<p>b</p>")
    (out / "a" / "page.html").write_text("<p>page</p>")
    (out / "empty").mkdir()
    (out / ".hidden").write_text("temporary")
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", out / "leak.txt")
    os.symlink(tmp_path, out / "leakdir")
    os.symlink(out / "a" / "page.html", out / "alias.html")
    return out


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/a/../../secret.txt",
        "/a/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "/a\\..\\..\\secret.txt",
        "/%00",
        "/a/page.html%00.css",
        "/%c0%ae%c0%ae/secret.txt",  # an overlong "..": not UTF-8
        "/%252e%252e/secret.txt",  # decoded once: a folder named "%2e%2e"
        "//" + "/".join(["..", "secret.txt"]),
        "/leak.txt",
        "/leakdir/secret.txt",
        "/leakdir/",
        "/.hidden",
        "/empty/",
        "/a/page.html/",
        "http://127.0.0.1/a/page.html",
        "*",
    ],
)
def test_nothing_outside_the_output_folder_is_found(out: Path, target: str) -> None:
    assert locate(out, "/", target) is None


def test_files_folders_and_links_inside(out: Path) -> None:
    assert locate(out, "/", "/a/page.html?x=1") == Found(out / "a/page.html", "a/page.html")
    assert locate(out, "/", "/a/b/") == Found(out / "a/b/index.html", "a/b/index.html")
    assert locate(out, "/", "//a//b//") == Found(out / "a/b/index.html", "a/b/index.html")
    assert locate(out, "/", "/alias.html") == Found(out / "a/page.html", "alias.html")
    assert locate(out, "/", "/a/b?q=1") == Redirect("/a/b/?q=1")


def test_a_redirect_never_leaves_the_host(out: Path) -> None:
    (out / "evil.com").mkdir()
    (out / "evil.com" / "index.html").write_text("x")
    assert locate(out, "/", "//evil.com") == Redirect("/evil.com/")


def test_site_root_below_the_host(out: Path) -> None:
    assert locate(out, "/blog/", "/") == Redirect("/blog/")
    assert locate(out, "/blog/", "/blog") == Redirect("/blog/")
    assert locate(out, "/blog/", "/blog/a/page.html") == Found(out / "a/page.html", "a/page.html")
    assert locate(out, "/blog/", "/a/page.html") is None


@pytest.mark.slow
def test_traversal_over_http_gets_404(served: Server) -> None:
    server = served
    tmp_path = server.out.parent
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", server.out / "leak.txt")
    os.symlink(tmp_path, server.out / "leakdir")
    for target in [
        b"/../secret.txt",
        b"/%2e%2e/secret.txt",
        b"/%2e%2e%2fsecret.txt",
        b"/about/../../secret.txt",
        b"/..%5csecret.txt",
        b"/..\\secret.txt",
        b"/%00",
        b"/about/%00",
        b"//" + str(tmp_path / "secret.txt").encode(),
        b"/" + str(tmp_path / "secret.txt").encode(),
        b"/leak.txt",
        b"/leakdir/secret.txt",
        b"/%c0%ae%c0%ae/secret.txt",
    ]:
        assert server.raw_status(target) == 404, target
    status, _, body = server.get("/about/")
    assert status == 200 and b"this" in body  # the server still answers


@pytest.mark.slow
def test_types_folders_and_404(served: Server) -> None:
    server = served
    expected = {
        "/": "text/html; charset=utf-8",
        "/about/": "text/html; charset=utf-8",
        "/assets/xint.css": "text/css; charset=utf-8",
        "/assets/js/tabs.js": "text/javascript; charset=utf-8",
        "/assets/fonts/STIXTwoMath.woff2": "font/woff2",
        "/img/pic.svg": "image/svg+xml",
        "/__xint__/live.js": "text/javascript; charset=utf-8",
    }
    for path, kind in expected.items():
        status, headers, _ = server.get(path)
        assert (status, headers["Content-Type"]) == (200, kind), path
    status, headers, _ = server.get("/about?x=1")
    assert (status, headers["Location"]) == (301, "/about/?x=1")
    status, _, body = server.get("/tags/%E6%B7%B1%E5%BA%A6%E5%AD%A6%E4%B9%A0/")
    assert status == 200 and "深度学习" in body.decode()
    status, headers, body = server.get("/no/such/page/")
    assert status == 404
    assert body.startswith((server.out / "404.html").read_bytes().split(b"</body>")[0])
    assert b"/__xint__/live.js" in body
    status, headers, body = server.get("/about/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


@pytest.mark.slow
def test_reload_script_is_served_not_written(served: Server) -> None:
    server = served
    served = server.text("/about/")
    assert served.count("/__xint__/live.js") == 1
    assert served.index("/__xint__/live.js") < served.index("</body>")
    on_disk = (server.out / "about" / "index.html").read_text(encoding="utf-8")
    assert "__xint__" not in on_disk
    assert (
        served.replace(served[served.index('<script src="/__xint__') : served.index("</body>")], "")
        == on_disk
    )


@pytest.mark.slow
def test_site_root_from_the_config(serve) -> None:
    server = serve(
        {**SITE, "xint.yml": "title: Served\nurl: https://example.org/blog/\n"}, "--no-execute"
    )
    assert server.url.endswith("/blog/")
    status, headers, _ = server.get("/")
    assert (status, headers["Location"]) == (301, "/blog/")
    assert "About" in server.text("/blog/about/")
    assert server.get("/about/")[0] == 404


@pytest.mark.slow
def test_loopback_by_default(served: Server) -> None:
    server = served
    assert server.host == "127.0.0.1"
