"""The example's Material tabs in a real Chromium: with ``content.tabs.link``, picking
a framework in one tab set picks it in every set of the page and of the next page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import serve_folder

pytestmark = pytest.mark.slow


@pytest.fixture
def site_url(example: Path) -> Iterator[str]:
    with serve_folder(example / "site") as url:
        yield url


@pytest.fixture
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=site_url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def chosen(page: Page) -> list[str]:
    """Per tab set of the article, the label of the tab a reader sees."""
    return page.eval_on_selector_all(
        "article .tabbed-set",
        """sets => sets.map(s => {
            const input = s.querySelector(':scope > input:checked');
            const block = [...s.querySelectorAll(':scope > .tabbed-content > .tabbed-block')]
                .find(b => b.checkVisibility());
            const label = s.querySelector(`label[for="${input.id}"]`).innerText.trim();
            return block ? label : `${label} (nothing shown)`;
        })""",
    )


def test_linked_tabs_switch_together_across_the_site(page: Page) -> None:
    page.goto("/")
    assert chosen(page) == ["NumPy", "NumPy"]
    first = page.locator("article .tabbed-set").first
    first.locator(".tabbed-labels label", has_text="PyTorch").click()
    page.wait_for_function(
        "document.querySelectorAll('article .tabbed-set > input:checked')[1].id.endsWith('_2')"
    )
    assert chosen(page) == ["PyTorch", "PyTorch"]
    assert page.locator("article .tabbed-set").nth(1).get_by_text("tensor(14.)").is_visible()
    page.goto("/gradients/")  # Material remembers the reader's framework
    page.wait_for_function(
        "[...document.querySelectorAll('article .tabbed-set > input:checked')]"
        ".every(i => i.id.endsWith('_2'))"
    )
    assert chosen(page) == ["PyTorch", "PyTorch"]
    assert page.get_by_text("tensor([ 0.,  4.,  8., 12.])").is_visible()
