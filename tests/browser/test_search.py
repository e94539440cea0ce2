"""Search in a real browser: the header's box asks the Pagefind index the build wrote
into the site (served as static files), in Chinese and in code, and says which
frameworks' code holds a hit, the reader's framework first."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OTHER_SITE_PATH, PARTIAL_PATH, SEED_PATH, shown

pytestmark = pytest.mark.slow


def search(page: Page, term: str) -> list[dict]:
    """Type ``term`` into the search box; the hits shown, in order."""
    box = page.get_by_role("searchbox")
    box.fill(term)
    results = page.locator(f"#xint-search-results[data-term='{term}']")
    expect(results).to_be_visible(timeout=15_000)
    return page.eval_on_selector_all(
        ".search-hit",
        """hits => hits.map(h => ({
            title: h.querySelector('.search-hit-title').textContent,
            href: h.querySelector('.search-hit-title').getAttribute('href'),
            excerpt: h.querySelector('.search-excerpt').innerHTML,
            frameworks: h.dataset.frameworks ? h.dataset.frameworks.split(' ') : [],
            code: h.querySelector('.search-frameworks')?.textContent || '',
        }))""",
    )


def test_slash_focuses_the_search_box_and_escape_closes_the_results(page: Page) -> None:
    page.goto(SEED_PATH)
    box = page.get_by_role("searchbox", name="搜索本站")
    expect(box).to_be_visible()
    page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.type("梯度")
    expect(page.get_by_role("region", name="搜索")).to_be_visible(timeout=15_000)
    page.keyboard.press("Escape")
    expect(page.get_by_role("region", name="搜索")).to_be_hidden()
    expect(box).to_be_focused()
    page.keyboard.type("a/b")  # "/" typed in the box is text, not a shortcut
    expect(box).to_have_value("a/b")


def test_a_chinese_word_finds_the_pages_that_hold_it_with_an_excerpt(page: Page) -> None:
    page.goto(PARTIAL_PATH)
    hits = search(page, "梯度")
    pages = {re.split("[?#]", hit["href"])[0] for hit in hits}
    assert {SEED_PATH, "/2021/05/04/autograd/"} <= pages
    assert PARTIAL_PATH not in pages  # the partial page says nothing of gradients
    assert all("<mark>梯度</mark>" in hit["excerpt"] for hit in hits)
    assert "“梯度”的结果" in page.locator(".search-summary").inner_text()


def test_a_code_identifier_names_the_frameworks_whose_code_holds_it(page: Page) -> None:
    page.goto(PARTIAL_PATH)
    hits = search(page, "attach_grad")  # MXNet's call: no other framework has it
    assert hits and all(hit["frameworks"] == ["mxnet"] for hit in hits)
    assert all(hit["code"] == "出现在 MXNet 的代码中" for hit in hits)
    assert all("<mark>attach" in hit["excerpt"] for hit in hits)
    seed = next(hit for hit in hits if hit["href"].startswith(SEED_PATH))
    assert seed["href"] == SEED_PATH + "?framework=mxnet"
    page.locator(f".search-hit-title[href='{seed['href']}']").click()
    page.wait_for_url(f"**{SEED_PATH}?framework=mxnet")
    assert set(shown(page)) == {"mxnet"}  # the hit's code is on screen


def test_a_hit_in_a_section_links_to_its_heading(page: Page) -> None:
    page.goto(SEED_PATH)
    hits = search(page, "transcript")
    assert [(hit["title"], hit["href"]) for hit in hits] == [
        ("Partial tabs › A console transcript", PARTIAL_PATH + "#a-console-transcript")
    ]
    page.locator(".search-hit-title").click()
    page.wait_for_url(f"**{PARTIAL_PATH}#a-console-transcript")
    expect(page.get_by_role("heading", name="A console transcript")).to_be_in_viewport()


def test_nothing_found_says_so(page: Page) -> None:
    page.goto(SEED_PATH)
    assert search(page, "qwertyzx") == []
    expect(page.locator(".search-summary")).to_have_text("没有找到“qwertyzx”")


@pytest.mark.parametrize(
    ("framework", "term"), [("mxnet", "ones"), ("tensorflow", "np"), ("pytorch", "torch")]
)
def test_the_chosen_frameworks_hits_come_first(page: Page, framework: str, term: str) -> None:
    page.goto(f"{PARTIAL_PATH}?framework={framework}")  # the reader's choice, stored
    hits = search(page, term)
    has = [framework in hit["frameworks"] for hit in hits]
    assert True in has and False in has, hits  # the order says something
    assert has == sorted(has, reverse=True), hits
    chosen = [hit for hit in hits if framework in hit["frameworks"]]
    assert all(f"?framework={framework}" in hit["href"] for hit in chosen)


def test_without_a_choice_hits_keep_pagefinds_order(page: Page) -> None:
    page.goto(SEED_PATH)
    hits = search(page, "np")  # the partial page has no TensorFlow code, and ranks second
    has = ["tensorflow" in hit["frameworks"] for hit in hits]
    assert has != sorted(has, reverse=True), hits


def test_a_site_below_the_host_root_links_its_own_pages(page: Page) -> None:
    page.goto(OTHER_SITE_PATH + "2021/05/04/autograd/")
    hits = search(page, "梯度")
    assert hits and all(hit["href"].startswith(OTHER_SITE_PATH) for hit in hits)
    page.locator(".search-hit-title").first.click()
    page.wait_for_url(f"**{hits[0]['href']}")
    expect(page.locator("h1")).to_have_text("简单的梯度运算")


def test_without_javascript_there_is_no_search_box(new_page) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(SEED_PATH)
    expect(page.get_by_role("searchbox")).to_be_hidden()
