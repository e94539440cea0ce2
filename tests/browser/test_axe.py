"""axe-core, the accessibility engine, run inside real Chromium on the built pages: no
violation of impact serious or critical on the home page, a post, a book's pages and a
page showing search results, in light and in dark mode.

axe-core comes from npm (pinned in tests/browser/axe/package-lock.json), installed
into tests/browser/axe/node_modules by ``make test`` or, when missing, by this test.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SEED_PATH, build, serve_folder
from tests.conftest import REPO

pytestmark = pytest.mark.slow

AXE_DIR = Path(__file__).parent / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
MINI_BOOK = REPO / "tests" / "books" / "mini"
SERIOUS = ("serious", "critical")
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary.replace(/\\n/g, " ")),
  }));
}"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, installed from npm on first use (``npm ci``, pinned)."""
    if not AXE_JS.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is missing: `make browser` installs Debian's nodejs and npm")
        subprocess.run(
            [npm, "ci", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund", "--loglevel=error"],
            check=True,
            timeout=600,
        )
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def book_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The mini book (tests/books/mini) built without running cells, served over http."""
    out = tmp_path_factory.mktemp("axe-book") / "out"
    build(MINI_BOOK, out)
    with serve_folder(out) as url:
        yield url


def serious_violations(page: Page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in SERIOUS]


def show_search_results(page: Page) -> None:
    page.get_by_role("searchbox").fill("梯度")
    expect(page.locator(".search-hit").first).to_be_visible(timeout=15_000)


SCHEMES = ["light", "dark"]
SITE_PAGES = {"home": "/", "post": SEED_PATH, "search results": SEED_PATH}
BOOK_PAGES = {"book front page": "/", "book chapter": "/chapter_basics/"}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", list(SITE_PAGES))
def test_site_pages_have_no_serious_accessibility_violation(
    new_page, axe_source: str, scheme: str, name: str
) -> None:
    page = new_page(color_scheme=scheme)
    page.goto(SITE_PAGES[name])
    if name == "search results":
        show_search_results(page)
    assert serious_violations(page, axe_source) == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", list(BOOK_PAGES))
def test_book_pages_have_no_serious_accessibility_violation(
    new_page, axe_source: str, book_url: str, scheme: str, name: str
) -> None:
    page = new_page(color_scheme=scheme)
    page.goto(book_url + BOOK_PAGES[name])
    assert serious_violations(page, axe_source) == []
    section = page.locator(".book-sidebar a[href$='.html']").first  # a section of the book
    section.click()
    page.wait_for_load_state()
    assert serious_violations(page, axe_source) == []


def test_axe_finds_what_it_should(new_page, axe_source: str) -> None:
    """The check can fail: a low-contrast text and an unnamed button are reported."""
    page = new_page()
    page.goto(SEED_PATH)
    page.evaluate(
        """() => {
        const p = document.createElement('p');
        p.textContent = 'faint'; p.style.color = '#eee';
        const b = document.createElement('button');
        document.querySelector('main').append(p, b);
    }"""
    )
    found = {v["id"] for v in serious_violations(page, axe_source)}
    assert {"color-contrast", "button-name"} <= found
