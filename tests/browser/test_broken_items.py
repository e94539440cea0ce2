"""What a reader saw broken (issue 12), checked in the real Chromium: output tab sets
labelled and tied together, the copy button off the code on phones, Hexo tab sets after
a ``<link>``, numbered formulas beside matrices, the home page's headings and "Read
more", tight code lines, a small math font, and framework aliases in the URL.

A small site of its own runs real cells (the python3 kernel, as two "frameworks" that
print different things) so that a shared cell has an output per framework.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fontTools.ttLib import TTFont
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import SEED_PATH, serve_folder, shown
from tests.browser.page_pool import PagePool
from tests.conftest import run_cli, write_tree
from xint_site.site.fonts import math_chars

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}
CONFIG = """\
title: Mini
description: Two frameworks, one page
url: http://localhost:8000/
frameworks:
  - {id: alpha, label: Alpha, aliases: [al], kernel: python3, env: {XINT_FW: alpha}}
  - {id: beta, label: Beta, aliases: [be], kernel: python3, env: {XINT_FW: beta}}
"""
W3 = '<link rel="stylesheet" href="https://www.w3schools.com/w3css/4/w3.css">'
HEXO_SET = """\
<article>
{link}
<div class="tab-set w3-light-grey">
    <input checked="True" id="tab-set--0-input--1" name="tab-set--0" type="radio">
    <label for="tab-set--0-input--1">Alpha</label>
    <div class="tab-content w3-padding">
        ```python
        name = "a"
        ```
    </div>
    <input id="tab-set--0-input--2" name="tab-set--0" type="radio">
    <label for="tab-set--0-input--2">Beta</label>
    <div class="tab-content w3-padding">
        ```python
        name = "b"
        ```
    </div>
</div>
</article>
"""
POST = f"""\
---
title: Outputs
date: 2021-05-04 10:00:00
---

## Theory

For a matrix $\\mathbf{{A}} \\in \\mathbb{{R}}^{{m \\times n}}$ the gradient of
$f\\(x\\)$ is below.

<!-- more -->

$$
\\mathbf{{A}} = \\begin{{bmatrix}} 1 & 2 \\\\ 3 & 4 \\end{{bmatrix}} \\tag{{1}}
$$

{HEXO_SET.format(link=W3)}

```python
import os
print(os.environ["XINT_FW"] + " prints a line long enough to reach the copy button")
```

```python alpha
x = "alpha"  # a comment at the end of a long first line, under the button
y = 2
```
```python beta
x = "beta"  # a comment at the end of a long first line, under the button
y = 3
```
"""
OTHER = """\
---
title: Second
date: 2021-05-03 10:00:00
---

## An excerpt heading

Words of the second post.

<!-- more -->

The rest.
"""


@pytest.fixture(scope="module")
def mini_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mini")
    content = write_tree(
        root / "content",
        {"xint.yml": CONFIG, "outputs.md": POST, "other.md": OTHER},
    )
    result = run_cli("build", content, "-o", root / "out")
    assert result.returncode == 0, result.stderr
    assert "outputs.md:18: <link> to another host dropped" in result.stderr
    return root / "out"


@pytest.fixture(scope="module")
def mini_url(mini_root: Path) -> Iterator[str]:
    with serve_folder(mini_root) as url:
        yield url


@pytest.fixture
def mini(page_pool: PagePool, mini_url: str) -> Iterator:
    """Pages of the mini site; fail on a script error, a 404 or a request to another host."""
    problems: list[str] = []
    handlers = {
        "pageerror": lambda error: problems.append(f"script error: {error}"),
        "request": lambda r: (
            None
            if urlsplit(r.url).hostname in ("127.0.0.1", None) or r.url.startswith("data:")
            else problems.append(f"loads from another host: {r.url}")
        ),
        "response": lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    }
    with page_pool.pages(mini_url, handlers) as make:

        def new(**options) -> Page:
            options.setdefault("viewport", {"width": 1100, "height": 900})
            return make(**options)

        yield new
    assert problems == []


POST_PATH = "/2021/05/04/outputs/"

REFERENCES_JS = """() => {
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  const refs = [...document.querySelectorAll('[aria-controls], [aria-labelledby]')]
    .flatMap(e => [e.getAttribute('aria-controls'), e.getAttribute('aria-labelledby')])
    .filter(v => v !== null);
  return {
    refs: refs.length,
    broken: refs.filter(r => !r || r.split(/\\s+/).some(id => !document.getElementById(id))),
    duplicates: ids.filter((id, i) => ids.indexOf(id) !== i),
    unlabelled: [...document.querySelectorAll('.tab-content')]
      .filter(p => !p.dataset.label).map(p => p.id || p.outerHTML.slice(0, 60)),
  };
}"""


def test_output_tab_sets_are_tied_together_like_every_tab_set(mini, new_page) -> None:
    page = mini()
    page.goto(POST_PATH)
    outputs = page.locator(".output-tabs")
    expect(outputs).to_have_count(1)
    expect(outputs.get_by_role("tab")).to_have_count(2)
    found = page.evaluate(REFERENCES_JS)
    assert found["refs"] >= 3 * 2 * 2  # three tab sets of two tabs: a tab and a panel each
    assert found == {**found, "broken": [], "duplicates": [], "unlabelled": []}
    outputs.get_by_role("tab", name="Beta").click()
    expect(outputs.get_by_role("tabpanel")).to_contain_text("beta prints a line")
    assert set(shown(page)) == {"beta"}  # the output set follows the others, and they it
    seed = new_page()
    seed.goto(SEED_PATH)
    found = seed.evaluate(REFERENCES_JS)
    assert found["refs"] and found == {**found, "broken": [], "duplicates": []}


def test_print_names_the_framework_of_every_output(mini) -> None:
    page = mini()
    page.goto(POST_PATH)
    page.emulate_media(media="print")
    labels = page.locator(".output-tabs > .tab-content").evaluate_all(
        """ps => ps.map(p => [p.checkVisibility(), getComputedStyle(p, '::before').content,
                              p.querySelector('output').checkVisibility()])"""
    )
    assert labels == [[True, '"Alpha"', True], [True, '"Beta"', True]]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf())).pages)
    text = " ".join(text.split())
    # each framework's name right above its output of the shared cell
    assert re.search(r"Alpha alpha prints a line.*Beta beta prints a line", text), text


FIRST_LINES_JS = """() => [...document.querySelectorAll('.highlight')]
  .filter(b => b.checkVisibility() && b.querySelector(':scope > .copy-button'))
  .map(block => {
    const code = block.querySelector('pre > code');
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    range.setStart(code, 0);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const end = node.textContent.indexOf('\\n');
      if (end >= 0) { range.setEnd(node, end); break; }
      range.setEnd(node, node.textContent.length);
    }
    const text = range.getBoundingClientRect();
    const button = block.querySelector(':scope > .copy-button').getBoundingClientRect();
    const opacity = getComputedStyle(block.querySelector(':scope > .copy-button')).opacity;
    const apart = button.bottom <= text.top || button.top >= text.bottom
      || button.right <= text.left || button.left >= text.right;
    return {line: range.toString(), apart, opacity};
  })"""


@pytest.mark.parametrize("touch", [True, False])
def test_on_a_phone_the_copy_button_covers_no_code(mini, new_page, touch: bool) -> None:
    for page, path in ((mini, POST_PATH), (new_page, SEED_PATH)):
        phone = page(viewport=PHONE, is_mobile=touch, has_touch=touch)
        phone.goto(path)
        blocks = phone.evaluate(FIRST_LINES_JS)
        assert len(blocks) >= 3
        assert [b for b in blocks if not b["apart"] or b["opacity"] != "1"] == []


def test_code_and_outputs_are_spaced_alike_and_tight(new_page) -> None:
    page = new_page()
    page.goto(SEED_PATH)
    spacing = page.evaluate(
        """() => {
      const gap = el => {  // px between the tops of its first two lines of text, per line
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        const tops = [];
        let line = 0, atStart = true;
        for (let node = walker.nextNode(); node && tops.length < 2; node = walker.nextNode()) {
          const t = node.textContent;
          for (let i = 0; i < t.length && tops.length < 2; i++) {
            if (t[i] === '\\n') { line += 1; atStart = true; continue; }
            if (!atStart || !t[i].trim()) continue;
            const r = document.createRange();
            r.setStart(node, i); r.setEnd(node, i + 1);
            tops.push([line, r.getBoundingClientRect().top]);
            atStart = false;
          }
        }
        const [[l0, t0], [l1, t1]] = tops;
        return [(t1 - t0) / (l1 - l0), parseFloat(getComputedStyle(el).fontSize)];
      };
      const shown = sel => [...document.querySelectorAll(sel)]
        .find(e => e.checkVisibility() && e.textContent.trim().includes('\\n'));
      return {code: gap(shown('.highlight code')), output: gap(shown('output.output-text'))};
    }"""
    )
    (code_gap, code_size), (out_gap, out_size) = spacing["code"], spacing["output"]
    assert code_size == out_size and abs(code_gap - out_gap) < 0.5, spacing
    assert 1.35 <= code_gap / code_size <= 1.5, spacing


def test_the_home_page_has_a_heading_and_excerpts_under_their_titles(mini) -> None:
    page = mini()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mini")
    items = page.locator(".post-item")
    expect(items).to_have_count(2)
    for n, (title, url) in enumerate([("Outputs", POST_PATH), ("Second", "/2021/05/03/other/")]):
        item = items.nth(n)
        sizes = item.evaluate(
            """li => [parseFloat(getComputedStyle(li.querySelector('.post-item-title')).fontSize),
                     ...[...li.querySelectorAll('.excerpt :is(h1,h2,h3,h4,h5,h6)')]
                        .map(h => parseFloat(getComputedStyle(h).fontSize))]"""
        )
        assert len(sizes) == 2 and sizes[1] < sizes[0], sizes  # one excerpt heading, smaller
        expect(item.locator(".excerpt h2")).to_have_count(0)
        more = item.get_by_role("link", name=re.compile(f"^Read more\\W+{title}$"))
        expect(more).to_have_attribute("href", url)
    expect(page.locator(".excerpt [id], .excerpt .header-anchor")).to_have_count(0)
    page.get_by_role("link", name=re.compile("Read more.*Second")).click()
    expect(page).to_have_url(re.compile(r".*/2021/05/03/other/$"))


def test_the_meta_description_is_prose_without_marks_or_flattened_math(mini) -> None:
    page = mini()
    page.goto(POST_PATH)
    description = page.locator("meta[name=description]").get_attribute("content")
    assert description == "For a matrix the gradient of is below."  # no "Theory #", no 𝐀∈ℝ


def test_a_numbered_formula_with_a_matrix_is_shown(mini) -> None:
    page = mini()
    page.goto(POST_PATH)
    formula = page.locator(".math-display math", has_text="(1)")
    expect(formula).to_be_visible()
    expect(page.locator(".math-error")).to_have_count(0)


def test_the_math_font_holds_every_glyph_of_the_page_and_is_small(new_page, site_root) -> None:
    page = new_page(own_context=True)  # it listens to responses itself
    fonts: dict[str, int] = {}
    page.on(
        "response",
        lambda r: fonts.__setitem__(r.url, len(r.body())) if r.url.endswith(".woff2") else None,
    )
    page.goto(SEED_PATH)
    page.wait_for_function("document.fonts.status === 'loaded'")
    assert page.evaluate("document.fonts.check('16px \"STIX Two Math\"')")
    assert len(fonts) == 1 and sum(fonts.values()) < 100_000, fonts
    html = (site_root / SEED_PATH.strip("/") / "index.html").read_text(encoding="utf-8")
    font = TTFont(io.BytesIO((site_root / "assets/fonts/STIXTwoMath.woff2").read_bytes()))
    cmap = font.getBestCmap()
    assert [c for c in math_chars(html) if ord(c) not in cmap] == []
    assert "MATH" in font  # stretchy brackets, radicals and big operators keep working


@pytest.mark.parametrize(("alias", "framework"), [("tf", "tensorflow"), ("TORCH", "pytorch")])
def test_framework_aliases_in_the_url_choose_the_framework(page, alias, framework) -> None:
    page.goto(f"{SEED_PATH}?framework={alias}")
    assert set(shown(page)) == {framework}
    expect(page.get_by_role("combobox", name="框架")).to_have_value(framework)
