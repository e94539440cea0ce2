"""'On this page' in a real browser: beside the text on wide screens, marking the
section being read as the reader scrolls; folded on phones; plain links without
JavaScript. Heading anchors show on focus and on touch, with a name to read out."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import POST_PATH

pytestmark = pytest.mark.slow

WIDE = {"width": 1300, "height": 800}
PHONE = {"width": 390, "height": 844}
SECTIONS = ["理论", "一个例子", "分离计算", "通用微分函数"]  # the post's h2, in order


def marked(page: Page) -> list[str]:
    """The toc entries marked as the section being read."""
    return page.eval_on_selector_all(
        ".page-toc a[aria-current='true']", "links => links.map(a => a.textContent)"
    )


def scroll_to(page: Page, heading: str) -> None:
    """Scroll as a reader would (wheel, not a jump) until ``heading`` is near the top."""
    top = page.evaluate(f"document.getElementById('{heading}').getBoundingClientRect().top")
    page.mouse.move(300, 400)
    page.mouse.wheel(0, top - 60)


def test_wide_screen_shows_the_list_beside_the_text_and_it_stays_in_view(new_page) -> None:
    page: Page = new_page(viewport=WIDE)
    page.goto(POST_PATH)
    toc = page.locator(".page-toc")
    links = toc.get_by_role("link")
    expect(links).to_have_text(SECTIONS)
    for link in links.all():
        expect(link).to_be_visible()
    body = page.locator(".post-body").bounding_box()
    box = toc.bounding_box()
    assert body and box and box["x"] >= body["x"] + body["width"]  # beside, not above
    scroll_to(page, "分离计算")
    page.wait_for_function("document.getElementById('分离计算').getBoundingClientRect().top < 120")
    box = toc.bounding_box()
    assert box and 0 <= box["y"] <= 40  # sticky: still at the top of the window


def test_the_mark_follows_scrolling_down_and_back_up(new_page) -> None:
    page: Page = new_page(viewport=WIDE)
    page.goto(POST_PATH)
    start = marked(page)
    assert start in (["理论"], [])  # the first section, when its heading shows near the top
    for heading in SECTIONS[1:3]:
        scroll_to(page, heading)
        expect(page.locator(".page-toc a[aria-current='true']")).to_have_text(heading)
    page.mouse.wheel(0, 100_000)  # the end: the last section, however short
    expect(page.locator(".page-toc a[aria-current='true']")).to_have_text(SECTIONS[-1])
    page.mouse.wheel(0, -100_000)
    page.wait_for_function("window.scrollY === 0")
    expect(page.locator(".page-toc a[aria-current='true']")).to_have_count(len(start))
    assert marked(page) == start
    page.locator(".page-toc").get_by_role("link", name="一个例子").click()
    expect(page.locator(".page-toc a[aria-current='true']")).to_have_text("一个例子")
    assert page.url.endswith("#%E4%B8%80%E4%B8%AA%E4%BE%8B%E5%AD%90")
    assert marked(page) == ["一个例子"]


def test_phone_width_folds_the_list_above_the_text(new_page) -> None:
    page: Page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(POST_PATH)
    summary = page.locator(".page-toc summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_text("本页目录")
    links = page.locator(".page-toc").get_by_role("link")
    expect(links.first).to_be_hidden()
    assert page.locator(".page-toc details").evaluate("d => d.open") is False
    toc = page.locator(".page-toc").bounding_box()
    body = page.locator(".post-body").bounding_box()
    assert toc and body and toc["y"] + toc["height"] <= body["y"]  # above the text
    summary.tap()
    expect(links.nth(2)).to_be_visible()
    links.nth(2).tap()  # following a link folds the list again
    expect(links.first).to_be_hidden()
    page.wait_for_function("document.getElementById('分离计算').getBoundingClientRect().top < 60")


def test_without_javascript_the_list_is_plain_links(new_page) -> None:
    page: Page = new_page(viewport=WIDE, java_script_enabled=False)
    page.goto(POST_PATH)
    links = page.locator(".page-toc").get_by_role("link")
    expect(links).to_have_text(SECTIONS)
    expect(links.first).to_be_visible()  # open beside the text, with no script to open it
    links.nth(3).click()
    assert page.url.endswith("#%E9%80%9A%E7%94%A8%E5%BE%AE%E5%88%86%E5%87%BD%E6%95%B0")
    narrow: Page = new_page(viewport=PHONE, java_script_enabled=False)
    narrow.goto(POST_PATH)
    expect(narrow.locator(".page-toc summary")).to_be_visible()
    narrow.locator(".page-toc summary").click()
    expect(narrow.locator(".page-toc").get_by_role("link").first).to_be_visible()


def test_heading_anchors_have_a_name_and_show_on_focus_and_on_touch(new_page) -> None:
    page: Page = new_page(viewport=WIDE)
    page.goto(POST_PATH)
    anchors = page.locator("h2 .header-anchor")
    expect(anchors).to_have_count(len(SECTIONS))
    for anchor, heading in zip(anchors.all(), SECTIONS, strict=True):
        expect(anchor).to_have_accessible_name(f"本节链接: {heading}")
    first = anchors.first
    assert first.evaluate("a => getComputedStyle(a).opacity") == "0"
    first.focus()
    assert float(first.evaluate("a => getComputedStyle(a).opacity")) >= 0.5
    phone: Page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    phone.goto(POST_PATH)
    touch = phone.locator("h2 .header-anchor").first
    assert float(touch.evaluate("a => getComputedStyle(a).opacity")) >= 0.5
