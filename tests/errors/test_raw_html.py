"""Raw HTML that would quietly break a page: a tab set left unread, an id of our own tab
sets, a stylesheet from another host (Hexo pages link W3.CSS)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_cli, write_tree

pytestmark = pytest.mark.slow

FRONT = "---\ntitle: t\nlayout: page\n---\n"  # the body starts on line 5
W3 = '<link rel="stylesheet" href="https://www.w3schools.com/w3css/4/w3.css">'
SET = """\
<div class="tab-set w3-light-grey">
    <input checked="True" id="tab-set--0-input--1" name="tab-set--0" type="radio">
    <label for="tab-set--0-input--1">MXNet</label>
    <div class="tab-content w3-padding">
        ```python
        x = 1
        ```
    </div>
    <input id="tab-set--0-input--2" name="tab-set--0" type="radio">
    <label for="tab-set--0-input--2">PyTorch</label>
    <div class="tab-content w3-padding">
        ```python
        x = 2
        ```
    </div>
</div>
"""
SHORTHAND = "```python mxnet\ny = 1\n```\n```python pytorch\ny = 2\n```\n"


def build(tmp_path: Path, body: str):
    content = write_tree(tmp_path / "content", {"p.md": FRONT + body})
    result = run_cli("build", content, "-o", tmp_path / "out", "--no-execute")
    assert "Traceback" not in result.stderr
    assert (content / "p.md").is_file()
    return result


def page(tmp_path: Path) -> BeautifulSoup:
    html = (tmp_path / "out" / "p" / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def test_a_set_after_a_link_line_in_an_article_is_read_and_the_link_dropped(tmp_path):
    result = build(tmp_path, f"<article>\n{W3}\n{SET}</article>\n\n{SHORTHAND}")
    assert result.returncode == 0, result.stderr
    assert (
        f"{tmp_path / 'content' / 'p.md'}:6: <link> to another host dropped"
        " (https://www.w3schools.com/w3css/4/w3.css): the site loads nothing from another host"
    ) in result.stderr
    soup = page(tmp_path)
    body = soup.select_one("main")
    assert body.select("link") == []
    assert [s["id"] for s in body.select("div.tab-set")] == ["tab-set--0", "tab-set--1"]
    ids = [e["id"] for e in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    names = [i["name"] for i in body.select("input[type=radio]")]
    assert names == ["tab-set--0"] * 2 + ["tab-set--1"] * 2


def test_a_link_before_the_article_is_dropped_too_and_a_local_one_kept(tmp_path):
    local = '<link rel="stylesheet" href="/extra.css">'
    result = build(tmp_path, f"{local}\n{W3}\n<article>\n{SET}</article>\n")
    assert result.returncode == 0, result.stderr
    assert "p.md:6: <link> to another host dropped" in result.stderr
    hrefs = [link["href"] for link in page(tmp_path).select("main link")]
    assert hrefs == ["/extra.css"]


def test_a_tab_set_that_is_not_read_is_an_error_with_its_line(tmp_path):
    result = build(tmp_path, f"intro\n\n<section>\n{SET}</section>\n")
    assert result.returncode == 1
    assert result.stderr.startswith(
        f'{tmp_path / "content" / "p.md"}:8: this <div class="tab-set"> is not read as a'
        " tab set: start it on a line of its own, after a blank line, an <article> or a"
        " <link> line\n"
    ), result.stderr
    assert not (tmp_path / "out").exists()


def test_an_id_of_our_tab_sets_in_raw_html_is_an_error(tmp_path):
    result = build(tmp_path, f'<p id="tab-set--0-panel--1">x</p>\n\n{SHORTHAND}')
    assert result.returncode == 1
    assert (
        "p.md:5: id 'tab-set--0-panel--1' is one xint-site gives its tab sets: rename it"
    ) in result.stderr


def test_links_between_the_sets_of_one_article_are_handled_alike(tmp_path):
    result = build(tmp_path, f"<article>\n{SET}{W3}\n\n{SET}</article>\n")
    assert result.returncode == 0, result.stderr
    assert "p.md:22: <link> to another host dropped" in result.stderr
    body = page(tmp_path).select_one("main")
    assert [s["id"] for s in body.select("div.tab-set")] == ["tab-set--0", "tab-set--1"]
    assert body.select("link") == []


def test_a_set_that_cannot_be_read_after_a_link_is_reported_once(tmp_path):
    broken = SET.replace("    </div>\n</div>\n", "")  # its last tab and the set never close
    result = build(tmp_path, f"<article>\n{W3}\n{broken}")
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if "p.md:" in line]
    assert sum("dropped" in p for p in problems) == 1  # the link is read once, too
    assert [p for p in problems if "dropped" not in p] == [
        f"{tmp_path / 'content' / 'p.md'}:17: a tab's content <div> is never closed"
    ]
