"""The pool of open pages gives a page back as a fresh context's page would be.

Every browser test relies on it: a choice stored by one test must not show in the next.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import SEED_PATH, QuietHandler, serve_folder
from tests.browser.page_pool import PagePool
from tests.conftest import write_tree

pytestmark = pytest.mark.slow  # a browser

WIDE = {"width": 1100, "height": 900}


def test_a_reused_page_keeps_nothing_of_the_test_before(page_pool: PagePool, base_url) -> None:
    with page_pool.pages(base_url, {}) as make:
        page = make(viewport=WIDE)
        page.goto(SEED_PATH)
        page.evaluate("localStorage.setItem('left', 'behind')")
        page.context.add_cookies([{"name": "left", "value": "behind", "url": base_url}])
        page.emulate_media(media="print", color_scheme="dark")
        page.set_viewport_size({"width": 400, "height": 300})
        page.context.new_page()
    with page_pool.pages(base_url, {}) as make:
        again = make(viewport=WIDE)
        assert again is page  # the same tab, given back
        assert again.url == "about:blank" and again.context.pages == [again]
        again.goto(SEED_PATH)
        assert again.evaluate("localStorage.length") == 0
        assert again.context.cookies() == []
        assert not again.evaluate("matchMedia('print').matches")
        assert again.evaluate("matchMedia('(prefers-color-scheme: light)').matches")
        assert again.evaluate("[innerWidth, innerHeight]") == [1100, 900]


def test_the_same_options_twice_in_a_test_are_two_readers(page_pool: PagePool, base_url) -> None:
    with page_pool.pages(base_url, {}) as make:
        first, second = make(viewport=WIDE), make(viewport=WIDE)
        assert first.context is not second.context
        first.goto(SEED_PATH)
        first.evaluate("localStorage.setItem('mine', '1')")
        second.goto(SEED_PATH)
        assert second.evaluate("localStorage.getItem('mine')") is None


def test_events_go_to_the_test_that_holds_the_page(page_pool: PagePool, base_url) -> None:
    seen: list[str] = []
    with page_pool.pages(base_url, {"response": lambda r: seen.append(r.url)}) as make:
        make(viewport=WIDE).goto(SEED_PATH)
    assert any(url.endswith(SEED_PATH) for url in seen)
    count = len(seen)
    with page_pool.pages(base_url, {}) as make:
        make(viewport=WIDE).goto(SEED_PATH)
    assert len(seen) == count  # the first test's handler heard nothing more


def test_a_page_of_its_own_context_is_closed_after(page_pool: PagePool, base_url) -> None:
    with page_pool.pages(base_url, {}) as make:
        page = make(own_context=True, viewport=WIDE)
        page.goto(SEED_PATH)
    assert page.is_closed()


def test_every_load_fetches_what_a_first_visit_would(page_pool: PagePool, tmp_path) -> None:
    """The HTTP cache is off: a stylesheet the server says to keep for an hour is fetched
    again at each load, as a fresh context's first visit fetches it."""
    write_tree(tmp_path, {"index.html": '<link rel="stylesheet" href="s.css">hi', "s.css": "b{}"})
    requests: list[str] = []

    class CachedFiles(QuietHandler):
        """Files a browser may keep for an hour; every request is counted."""

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "max-age=3600")
            super().end_headers()

        def do_GET(self) -> None:
            requests.append(self.path)
            super().do_GET()

    with serve_folder(tmp_path, CachedFiles) as url:
        for _ in range(2):  # the second time, a page given back to the pool
            with page_pool.pages(url, {}) as make:
                page = make()
                page.goto("/")
                page.goto("about:blank")
                page.goto("/")
    assert requests.count("/s.css") == 4
