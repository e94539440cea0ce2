"""The interface in the site's language, in a real browser: what scripts write (Copy,
Not available in …, the framework tab list, search messages) and what CSS shows (the
"Out" label) as well as what the templates write; English where a string is missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PAGES, build, serve_folder
from tests.conftest import write_tree

pytestmark = pytest.mark.slow

CELL = """---
title: Cell
date: 2024-01-02
---
Words.

```python
print(1)
```
<output>1</output>
"""
SITES = {
    "en": "title: T\n",  # no language: English
    "zh": "title: T\nlanguage: zh-Hans\n",
    "ja": "title: T\nlanguage: ja\n",  # no table in the theme: the site's own, then English
}
JA_TABLE = "copy: コピー\n"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One site per language under one server: /en/, /zh/, /ja/."""
    root = tmp_path_factory.mktemp("i18n")
    for name, config in SITES.items():
        config += f"url: http://localhost/{name}/\n"  # each site below its own folder
        content = write_tree(root / f"content-{name}", {"xint.yml": config, "cell.md": CELL})
        shutil.copy(PAGES / "partial.md", content / "partial.md")
        if name == "ja":
            write_tree(content, {"_theme/i18n/ja.yml": JA_TABLE})
        build(content, root / "out" / name)
    with serve_folder(root / "out") as url:
        yield url


def out_label(page: Page) -> str:
    return page.eval_on_selector(
        "output", "o => getComputedStyle(o, '::before').content.replace(/^\"|\"$/g, '')"
    )


EXPECTED = {
    "en": {
        "lang": "en",
        "skip": "Skip to content",
        "copy": "Copy",
        "out": "Out",
        "framework": "Framework",
        "dark": "Dark mode",
        "missing": "Not available in PyTorch",
        "search": "Search this site",
        "nothing": "No results for “qqqzx”",
    },
    "zh": {
        "lang": "zh-Hans",
        "skip": "跳到正文",
        "copy": "复制",
        "out": "输出",
        "framework": "框架",
        "dark": "深色模式",
        "missing": "暂无 PyTorch 版本",
        "search": "搜索本站",
        "nothing": "没有找到“qqqzx”",
    },
    "ja": {
        "lang": "ja",
        "skip": "Skip to content",
        "copy": "コピー",
        "out": "Out",
        "framework": "Framework",
        "dark": "Dark mode",
        "missing": "Not available in PyTorch",
        "search": "Search this site",
        "nothing": "No results for “qqqzx”",
    },
}


@pytest.mark.parametrize("site", list(SITES))
def test_every_interface_string_is_in_the_sites_language(new_page, sites: str, site: str) -> None:
    want = EXPECTED[site]
    page = new_page()
    page.goto(f"{sites}/{site}/2024/01/02/cell/")
    assert page.locator("html").get_attribute("lang") == want["lang"]
    expect(page.locator("a.skip-link")).to_have_text(want["skip"])
    expect(page.get_by_role("button", name=want["copy"], exact=True)).to_have_count(1)
    assert out_label(page) == want["out"]
    expect(page.get_by_role("combobox", name=want["framework"])).to_be_visible()
    expect(page.get_by_role("button", name=want["dark"])).to_be_visible()
    box = page.get_by_role("searchbox")
    expect(box).to_have_attribute("placeholder", want["search"])
    box.fill("qqqzx")
    expect(page.locator(".search-summary")).to_have_text(want["nothing"], timeout=15_000)

    page.goto(f"{sites}/{site}/2021/05/05/partial/")
    page.locator("#tab-set--0").get_by_role("tab", name="PyTorch", exact=True).click()
    expect(page.locator("#tab-set--1 .tab-missing")).to_have_text(want["missing"])
    expect(page.get_by_role("tablist", name=want["framework"]).first).to_be_visible()


def test_the_404_page_speaks_the_sites_language(new_page, sites: str) -> None:
    page = new_page()
    page.goto(f"{sites}/zh/404.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    expect(page.get_by_role("link", name="首页").last).to_have_attribute("href", "/zh/")
