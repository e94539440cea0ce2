"""Framework tabs in a real browser: sync, persistence, URL, keyboard, no jump, no JS."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    OTHER_SITE_PATH,
    PARTIAL_PATH,
    POST_PATH,
    SEED_PATH,
    notes,
    shown,
)

pytestmark = pytest.mark.slow

SEED_SETS = 7


def picker(page: Page):
    return page.get_by_role("combobox", name="框架")


def tab(page: Page, n: int, label: str):
    """The tab (the label a reader clicks) named ``label`` of tab set ``n``."""
    return page.locator(f"#tab-set--{n}").get_by_role("tab", name=label, exact=True)


def test_first_tabs_show_until_the_reader_chooses(page: Page) -> None:
    page.goto(SEED_PATH)
    assert shown(page) == ["mxnet"] * SEED_SETS
    expect(picker(page)).to_have_value("mxnet")


def test_choosing_a_tab_switches_every_tab_set_of_the_page(page: Page) -> None:
    page.goto(SEED_PATH)
    tab(page, 3, "PyTorch").click()
    assert shown(page) == ["pytorch"] * SEED_SETS
    expect(page.locator("#tab-set--0-panel--3")).to_contain_text("from xint import utils")
    tab(page, 6, "TensorFlow").click()
    assert shown(page) == ["tensorflow"] * SEED_SETS
    expect(picker(page)).to_have_value("tensorflow")


def test_a_set_without_the_framework_says_so_and_keeps_its_tab(page: Page) -> None:
    page.goto(PARTIAL_PATH)
    notebook = "Jupyter Notebook"
    assert shown(page) == ["mxnet", "mxnet", notebook] and notes(page) == ["", "", ""]
    tab(page, 0, "PyTorch").click()
    assert shown(page) == ["pytorch", "mxnet", notebook]
    assert notes(page) == ["", "暂无 PyTorch 版本", ""]  # prose tabs: no framework
    tab(page, 1, "TensorFlow").click()
    assert shown(page) == ["pytorch", "tensorflow", notebook]
    assert notes(page) == ["暂无 TensorFlow 版本", "", ""]
    tab(page, 0, "PyTorch").click()  # the tab it already shows: picks PyTorch again
    assert notes(page) == ["", "暂无 PyTorch 版本", ""]
    tab(page, 2, "Python Shell").click()  # a prose tab switches its own set only
    assert shown(page) == ["pytorch", "tensorflow", "Python Shell"]
    expect(picker(page)).to_have_value("pytorch")


def test_the_choice_survives_reloads_and_other_pages(page: Page) -> None:
    page.goto(SEED_PATH)
    tab(page, 1, "TensorFlow").click()
    page.reload()
    assert shown(page) == ["tensorflow"] * SEED_SETS
    page.goto(POST_PATH)
    assert shown(page) == ["tensorflow"] * SEED_SETS
    expect(picker(page)).to_have_value("tensorflow")


def test_the_stored_choice_belongs_to_one_site_of_the_origin(page: Page) -> None:
    page.goto(SEED_PATH)
    tab(page, 0, "PyTorch").click()
    page.goto(OTHER_SITE_PATH + POST_PATH.lstrip("/"))
    assert shown(page) == ["mxnet"] * SEED_SETS
    tab(page, 0, "TensorFlow").click()
    page.goto(SEED_PATH)
    assert shown(page) == ["pytorch"] * SEED_SETS


def test_the_header_picker_switches_the_whole_site(page: Page) -> None:
    page.goto(POST_PATH)
    picker(page).select_option(label="PyTorch")
    assert shown(page) == ["pytorch"] * SEED_SETS
    page.goto(SEED_PATH)
    assert shown(page) == ["pytorch"] * SEED_SETS


def test_the_url_parameter_selects_a_framework_and_stays_true(page: Page) -> None:
    page.goto(SEED_PATH + "?framework=pytorch")
    assert shown(page) == ["pytorch"] * SEED_SETS
    tab(page, 2, "TensorFlow").click()
    assert page.url.endswith("?framework=tensorflow")  # the link to share follows
    page.goto(POST_PATH)  # a shared link's choice is the reader's choice from then on
    assert shown(page) == ["tensorflow"] * SEED_SETS
    page.goto(POST_PATH + "?framework=MXNet")  # a label works too, in any case
    assert shown(page) == ["mxnet"] * SEED_SETS
    page.goto(POST_PATH + "?framework=jax")  # unknown: ignored
    assert shown(page) == ["mxnet"] * SEED_SETS


def test_a_link_to_an_anchor_inside_a_tab_opens_that_tab(page: Page) -> None:
    heading = page.get_by_role("heading", name="TensorFlow tape")
    toc_link = page.get_by_role("navigation", name="本页目录").get_by_role(
        "link", name="TensorFlow tape"
    )
    page.goto(PARTIAL_PATH + "#tensorflow-tape")
    assert shown(page)[:2] == ["mxnet", "tensorflow"]
    expect(heading).to_be_in_viewport()
    page.goto(PARTIAL_PATH)
    assert shown(page)[:2] == ["mxnet", "mxnet"]
    toc_link.click()
    assert shown(page)[:2] == ["mxnet", "tensorflow"]
    expect(heading).to_be_in_viewport()
    tab(page, 1, "MXNet").click()
    page.evaluate("window.scrollTo(0, 0)")
    toc_link.click()  # the same #hash again: no hashchange, the tab opens all the same
    assert shown(page)[:2] == ["mxnet", "tensorflow"]
    expect(heading).to_be_in_viewport()


def test_tabs_have_tab_roles_and_follow_the_keyboard(page: Page) -> None:
    page.goto(SEED_PATH)
    tablists = page.get_by_role("tablist", name="框架")
    expect(tablists).to_have_count(SEED_SETS)
    expect(page.get_by_role("tabpanel")).to_have_count(SEED_SETS)  # hidden ones are hidden
    first = tab(page, 0, "MXNet")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(first).to_have_attribute("aria-controls", "tab-set--0-panel--1")
    expect(tab(page, 0, "PyTorch")).to_have_attribute("aria-selected", "false")

    page.get_by_role("link", name="一个例子").first.focus()
    for _ in range(20):  # Tab from the heading before set 0 to its selected tab
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('role')") == "tab":
            break
    expect(first).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    presses = [
        ("ArrowRight", "TensorFlow"),
        ("End", "PyTorch"),
        ("ArrowRight", "MXNet"),  # wraps around
        ("ArrowLeft", "PyTorch"),
        ("Home", "MXNet"),
    ]
    for key, label in presses:
        page.keyboard.press(key)
        expect(tab(page, 0, label)).to_be_focused()
        expect(tab(page, 0, label)).to_have_attribute("aria-selected", "true")
        assert shown(page)[0] == label.lower()
    page.keyboard.press("ArrowLeft")
    assert shown(page) == ["pytorch"] * SEED_SETS
    page.keyboard.press("Tab")  # out of the tablist: into the panel, not the next tab
    expect(page.locator("#tab-set--0-panel--3")).to_be_focused()


def _label_top(page: Page, n: int, label: str) -> float:
    return tab(page, n, label).bounding_box()["y"]


def _heights(page: Page) -> list[float]:
    return page.eval_on_selector_all(".tab-set", "s => s.map(e => e.offsetHeight)")


def test_the_clicked_tab_stays_put_when_sets_above_change_height(page: Page) -> None:
    page.goto(SEED_PATH)
    page.locator("#tab-set--5").evaluate("e => window.scrollTo(0, e.offsetTop - 300)")
    before, heights = _label_top(page, 5, "TensorFlow"), _heights(page)
    tab(page, 5, "TensorFlow").click()
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    after = _label_top(page, 5, "TensorFlow")
    grew = sum(_heights(page)[:5]) - sum(heights[:5])
    assert abs(grew) > 10, "the sets above must change height for this test to mean anything"
    assert abs(after - before) < 1, f"the clicked tab moved by {after - before:.0f}px"

    tab(page, 5, "TensorFlow").focus()
    before = _label_top(page, 5, "TensorFlow")
    page.keyboard.press("ArrowRight")  # PyTorch, by keyboard
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert abs(_label_top(page, 5, "PyTorch") - before) < 1


def test_without_javascript_each_tab_set_still_switches_by_itself(new_page) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(SEED_PATH)
    assert shown(page) == ["mxnet"] * SEED_SETS
    page.locator("label[for='tab-set--1-input--3']").click()
    assert shown(page) == ["mxnet", "pytorch", *["mxnet"] * 5]
    expect(page.get_by_role("radio", name="PyTorch").nth(1)).to_be_checked()
    page.get_by_role("radio", name="MXNet").first.focus()
    page.keyboard.press("ArrowRight")  # radios move by arrow keys, focus drawn on the label
    assert shown(page)[:2] == ["tensorflow", "pytorch"]
    label = page.locator("label[for='tab-set--0-input--2']")
    expect(label).not_to_have_css("outline-style", "none")
    expect(page.get_by_role("tab")).to_have_count(0)
    expect(picker(page)).to_be_hidden()
    expect(page.get_by_role("button")).to_have_count(0)  # no dead copy or theme buttons


def test_print_shows_every_tab_under_its_framework_name(page: Page) -> None:
    page.goto(SEED_PATH)
    tab(page, 0, "PyTorch").click()
    page.emulate_media(media="print")
    panels = page.locator(".tab-set > .tab-content")
    expect(panels).to_have_count(SEED_SETS * 3)
    names = panels.evaluate_all(
        "ps => ps.map(p => p.checkVisibility() && getComputedStyle(p, '::before').content)"
    )
    assert names == ['"MXNet"', '"TensorFlow"', '"PyTorch"'] * SEED_SETS
    expect(page.get_by_role("tab").first).to_be_hidden()
    tops = [b["y"] for b in (p.bounding_box() for p in panels.all()[:3])]
    assert tops == sorted(tops), "tabs are printed one under another"


def test_print_without_javascript_shows_every_tab_too(new_page) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(PARTIAL_PATH)
    page.emulate_media(media="print")
    panels = page.locator(".tab-set > .tab-content")
    texts = panels.evaluate_all(
        "ps => ps.map(p => p.checkVisibility() && getComputedStyle(p, '::before').content)"
    )
    assert texts == [
        *('"MXNet"', '"PyTorch"', '"MXNet"', '"TensorFlow"'),
        *('"Jupyter Notebook"', '"Python Shell"'),
    ]
    expect(page.locator(".tab-set > label").first).to_have_css("display", "none")
