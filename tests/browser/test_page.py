"""Reading comfort in a real browser: dark mode, contrast, copy buttons, phone width,
and screenshots of the seed page saved to ``tests/artifacts/`` for a human to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PARTIAL_PATH, SEED_PATH, shown

pytestmark = pytest.mark.slow

# Contrast ratio (WCAG 2) of each visible text element against the background it
# is painted on; the worst few come back.
CONTRASTS_JS = """
sel => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  };
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    if (!el.checkVisibility() || !el.textContent.trim()) continue;
    const style = getComputedStyle(el);
    if (style.opacity === '0') continue;
    const [a, b] = [lum(rgb(style.color)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    out.push([Math.round(ratio * 100) / 100, el.className || el.tagName, el.textContent.slice(0, 30)]);
  }
  return out.sort((x, y) => x[0] - y[0]).slice(0, 5);
}
"""
PHONE = {"width": 390, "height": 844}
TEXT = (
    "p, li, a, h1, h2, h3, label, select, button, output, time, summary,"
    " .tab-missing, .highlight span, .highlight code"
)


def luminance_of_body(page: Page) -> float:
    return page.evaluate(
        """() => {
        const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    }"""
    )


def theme_button(page: Page):
    return page.get_by_role("button", name="深色模式")


def test_dark_mode_follows_the_system_until_toggled(new_page) -> None:
    page = new_page(color_scheme="dark")
    page.goto(SEED_PATH)
    assert luminance_of_body(page) < 0.15
    expect(theme_button(page)).to_have_attribute("aria-pressed", "true")
    theme_button(page).click()
    assert luminance_of_body(page) > 0.9
    expect(theme_button(page)).to_have_attribute("aria-pressed", "false")
    page.reload()  # the reader's choice is kept
    assert luminance_of_body(page) > 0.9
    theme_button(page).click()  # back to what the system says: follow it again
    assert luminance_of_body(page) < 0.15
    page.emulate_media(color_scheme="light")
    assert luminance_of_body(page) > 0.9
    expect(theme_button(page)).to_have_attribute("aria-pressed", "false")


def test_dark_mode_toggle_from_a_light_system_persists_across_pages(page: Page) -> None:
    page.goto(SEED_PATH)
    assert luminance_of_body(page) > 0.9
    theme_button(page).click()
    assert luminance_of_body(page) < 0.15
    page.goto(PARTIAL_PATH)
    assert luminance_of_body(page) < 0.15
    expect(theme_button(page)).to_have_attribute("aria-pressed", "true")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_has_enough_contrast(new_page, scheme: str) -> None:
    page = new_page(color_scheme=scheme)
    page.goto(PARTIAL_PATH)
    page.get_by_role("tab", name="PyTorch").first.click()  # shows a "not available" note
    worst = page.evaluate(CONTRASTS_JS, TEXT)
    page.goto(SEED_PATH)  # comments, strings, numbers, outputs, math
    worst = sorted(worst + page.evaluate(CONTRASTS_JS, TEXT + ", math"))
    assert worst[0][0] >= 4.5, worst


def test_copy_button_copies_the_code_not_the_output(new_page) -> None:
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(SEED_PATH)
    block = page.locator("#tab-set--3-panel--1 .highlight")
    expect(page.locator("#tab-set--3-panel--1 output")).to_contain_text("array")
    button = block.get_by_role("button", name="复制")
    expect(button).to_have_css("opacity", "0")
    block.hover()
    expect(button).to_have_css("opacity", "1")
    button.click()
    expect(block.get_by_role("button", name="已复制")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == "y.backward()\nx.grad"
    # said to screen readers too (every <output> is also a status region, hence the filter)
    expect(page.get_by_role("status").filter(has_text="代码已复制")).to_have_count(1)


def test_copy_button_leaves_out_prompts_and_printed_output(new_page) -> None:
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(PARTIAL_PATH)
    block = page.locator(".highlight", has_text=">>> x = 1")
    block.get_by_role("button", name="复制").focus()  # keyboard users see it too
    expect(block.get_by_role("button", name="复制")).to_have_css("opacity", "1")
    page.keyboard.press("Enter")
    expect(block.get_by_role("button", name="已复制")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == "x = 1\nfor i in range(2):\n    print(i + x)"


def test_phone_width_has_no_sideways_scrolling(new_page) -> None:
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(SEED_PATH)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    for n in range(7):  # every tab of every set fits on the screen
        for box in page.locator(f"#tab-set--{n} [role=tab]").evaluate_all(
            "ts => ts.map(t => t.getBoundingClientRect().right)"
        ):
            assert box <= 390
    expect(page.get_by_role("combobox", name="框架")).to_be_in_viewport()
    expect(theme_button(page)).to_be_in_viewport()


def _shoot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=folder / f"seed-{name}.png", full_page=True)


def test_screenshots_of_the_seed_page(new_page, artifacts: Path) -> None:
    for scheme in ("light", "dark"):
        page = new_page(color_scheme=scheme)
        page.goto(SEED_PATH)
        _shoot(page, artifacts, scheme)
        if scheme == "light":
            for label in ("MXNet", "TensorFlow", "PyTorch"):
                page.get_by_role("combobox", name="框架").select_option(label=label)
                assert set(shown(page)) == {label.lower()}
                _shoot(page, artifacts, label.lower())
            page.emulate_media(media="print")
            _shoot(page, artifacts, "print")
        phone = new_page(color_scheme=scheme, viewport=PHONE, is_mobile=True, has_touch=True)
        phone.goto(SEED_PATH)
        _shoot(phone, artifacts, f"phone-{scheme}")
    partial = new_page()
    partial.goto(PARTIAL_PATH + "?framework=pytorch")
    partial.screenshot(path=artifacts / "partial-pytorch.png", full_page=True)
    assert sorted(p.name for p in artifacts.glob("seed-*.png")) == sorted(
        f"seed-{n}.png"
        for n in (
            "light",
            "dark",
            "mxnet",
            "tensorflow",
            "pytorch",
            "print",
            "phone-light",
            "phone-dark",
        )
    )
