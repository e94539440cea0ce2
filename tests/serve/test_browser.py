"""In Chromium: an open page reloads by itself, where the reader was, on the chosen framework."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import CONTENT, SEED
from tests.serve.client import Server
from tests.serve.conftest import edit

pytestmark = pytest.mark.slow

SEED_PATH = "2021/05/04/seed/"
PROSE = "下面看一个例子："


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Server]:
    """``content/`` and the seed page, served without kernels (outputs from the source)."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content, ignore=shutil.ignore_patterns("_freeze"))
    shutil.copy(SEED, content / "seed.md")
    server = Server(content, tmp_path / "out", "--no-execute")
    yield server
    try:
        server.interrupt()
    finally:
        server.kill()


@pytest.fixture
def page(browser: Browser, site: Server) -> Iterator[Page]:
    context = browser.new_context(base_url=site.url, viewport={"width": 1100, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def shown(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        ".tab-set",
        """sets => sets.map(s => [...s.querySelectorAll(':scope > .tab-content')]
            .find(p => p.checkVisibility())?.dataset.framework)""",
    )


def test_a_save_reloads_the_page_in_place(page: Page, site: Server) -> None:
    page.goto(SEED_PATH)
    page.locator("#tab-set--3").get_by_role("tab", name="PyTorch", exact=True).click()
    assert set(shown(page)) == {"pytorch"}
    page.evaluate("window.scrollTo(0, 1500)")
    y = page.evaluate("scrollY")
    assert y > 1000
    with page.expect_event("load", timeout=15000):
        edit(site.content / "seed.md", PROSE, "下面看一个新的例子：")
    expect(page.locator("main")).to_contain_text("下面看一个新的例子")
    page.wait_for_function(f"Math.abs(scrollY - {y}) <= 2", timeout=5000)
    assert set(shown(page)) == {"pytorch"}


def test_a_broken_save_shows_the_overlay_until_fixed(page: Page, site: Server) -> None:
    page.goto(SEED_PATH)
    overlay = page.locator("#xint-serve .overlay")
    expect(overlay).to_be_hidden()
    edit(site.content / "seed.md", "tags: 深度学习", "tags: [深度学习")
    expect(overlay).to_be_visible(timeout=15000)
    expect(overlay).to_contain_text("seed.md:")
    expect(overlay).to_contain_text("invalid front matter")
    expect(page.locator("main")).to_contain_text(PROSE)  # the last good page under it
    page.reload()  # a page opened while the build is broken shows it at once
    expect(overlay).to_be_visible(timeout=15000)
    edit(site.content / "seed.md", "tags: [深度学习", "tags: 深度学习")
    expect(overlay).to_be_hidden(timeout=15000)
