"""A real headless Chromium (Debian's package) against the built ``content/``.

One site is built per session from ``content/``, the seed page and the pages
under ``pages/``, served over http on 127.0.0.1; the session's one browser
(``tests/conftest.py``) gives every test a page as a fresh context's would be (fresh
localStorage), from pages kept open between tests (``page_pool.py``).
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.page_pool import PagePool
from tests.conftest import ARTIFACTS, CONTENT, SEED, made_once, run_cli

PAGES = Path(__file__).parent / "pages"
SEED_PATH = "/2021/05/04/seed/"
POST_PATH = "/2021/05/04/autograd/"
PARTIAL_PATH = "/2021/05/05/partial/"
OTHER_SITE_PATH = "/other/"  # a second site on the same origin


def build(content: Path, out: Path) -> None:
    result = run_cli("build", content, "-o", out, "--no-execute")
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``content/`` + seed + test pages at ``/``, and ``content/`` again at ``/other/``;
    built once per run, whichever worker of ``pytest -n`` asks first."""
    with made_once(tmp_path_factory, "browser") as (root, fresh):
        if fresh:
            content = root / "content"
            shutil.copytree(CONTENT, content)
            shutil.copy(SEED, content / "seed.md")
            for page in PAGES.glob("*.md"):
                shutil.copy(page, content / page.name)
            build(content, root / "out")
            other = root / "other-content"
            shutil.copytree(CONTENT, other)
            config = other / "xint.yml"
            config.write_text(
                config.read_text(encoding="utf-8").replace(
                    "url: http://localhost:8000/", "url: http://localhost:8000/other/"
                ),
                encoding="utf-8",
            )
            build(other, root / "out" / "other")
    return root / "out"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_folder(
    folder: Path, handler_class: type[SimpleHTTPRequestHandler] = QuietHandler
) -> Iterator[str]:
    """``folder`` over http on a free loopback port, as a static host serves a site."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def base_url(site_root: Path) -> Iterator[str]:
    with serve_folder(site_root) as url:
        yield url


@pytest.fixture
def new_page(page_pool: PagePool, base_url: str) -> Iterator:
    """Pages as in a fresh context (kept open between tests, see ``page_pool.py``); fail
    the test on any script error or 404."""
    problems: list[str] = []
    handlers = {
        "pageerror": lambda error: problems.append(f"script error: {error}"),
        "response": lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    }
    with page_pool.pages(base_url, handlers) as make:

        def new(own_context: bool = False, **options) -> Page:
            options.setdefault("viewport", {"width": 1100, "height": 900})
            return make(own_context, **options)

        yield new
    assert problems == []


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def shown(page: Page) -> list[str | None]:
    """Per tab set in page order, the framework (or label) of the tab a reader sees."""
    return page.eval_on_selector_all(
        ".tab-set",
        """sets => sets.map(s => {
            const panel = [...s.querySelectorAll(':scope > .tab-content')]
                .find(p => p.checkVisibility());
            return panel ? (panel.dataset.framework || panel.dataset.label) : null;
        })""",
    )


def notes(page: Page) -> list[str]:
    """Per tab set, the visible "not available" note ('' when none)."""
    return page.eval_on_selector_all(
        ".tab-set",
        """sets => sets.map(s => {
            const note = s.querySelector(':scope > .tab-bar > .tab-missing');
            return note && note.checkVisibility() ? note.textContent : '';
        })""",
    )
