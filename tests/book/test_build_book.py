"""A small d2l-book builds as one numbered, cross-referenced book (stages wired in).

The d2l Markdown plugins (part A) are stood in for by ``fake_d2l.py``, which makes the
tokens of the shared contract; nothing runs (``execute=False``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.book.fake_d2l import fake_d2l_plugin
from tests.conftest import write_tree
from xint_site.book.resolve import references_plugin
from xint_site.pipeline import build_site, scan
from xint_site.pipeline.options import BuildOptions

pytestmark = pytest.mark.slow  # a whole build, in this process

CONFIG = """\
[project]
name = tiny
title = A Tiny Book
author = Ada Lovelace, and Alan Turing
copyright = 2024, the authors
release = 0.1

[build]
notebooks = *.md */*.md
exclusions = README.md
tabs = pytorch, mxnet

[pdf]
bibfile = d2l.bib
"""

BOOK = {
    "config.ini": CONFIG,
    "README.md": "# Not part of the book\n",
    "index.md": """\
# A Tiny Book

```toc
:maxdepth: 1

chapter_preface/index
```

```toc
:maxdepth: 2
:numbered:

chapter_basics/index
```

```toc
:maxdepth: 1

chapter_references/zreferences
```
""",
    "chapter_preface/index.md": "# Preface\n\nStart with :numref:`sec_linear`.\n",
    "chapter_basics/index.md": """\
# Basics
:label:`chap_basics`

This chapter.

```toc
:maxdepth: 2

linear
softmax
```
""",
    "chapter_basics/linear.md": """\
# Linear Regression
:label:`sec_linear`

Next comes :numref:`sec_softmax`, see :eqref:`eq_linear` and :cite:`Zhang.2021`.
Also :numref:`sec_nowhere`.

## The Model

![A line](../img/line.svg)
:label:`fig_line`

$$y = wx + b$$
:eqlabel:`eq_linear`
""",
    "chapter_basics/softmax.md": """\
# Softmax Regression
:label:`sec_softmax`

As :numref:`fig_line` and :ref:`sec_linear` showed, in :numref:`chap_basics`;
see :numref:`tab_loss` and :cite:`Lin.Wu.2019,Zhang.2021`.

: Losses

| loss | value |
|---|---|
| a | 1 |

:label:`tab_loss`
""",
    "chapter_references/zreferences.md": "# References\n\n:bibliography:`../d2l.bib`\n",
    "d2l.bib": """\
@article{Zhang.2021,
  author = {Zhang, Aston and Lipton, Zachary C. and Li, Mu},
  title = {Dive into Deep Learning},
  journal = {arXiv},
  year = {2021}
}
@inproceedings{Lin.Wu.2019,
  author = {Lin, Qi and Wu, Jun},
  title = {A Paper},
  booktitle = {NeurIPS},
  year = {2019}
}
""",
    "img/line.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
}


def _d2l_plugins_exist() -> bool:
    try:
        from xint_site.markdown.d2l import d2l_plugin  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(
    scope="module",
    params=[
        "contract-tokens",
        pytest.param(
            "d2l-plugins",
            marks=pytest.mark.skipif(not _d2l_plugins_exist(), reason="no d2l plugins yet"),
        ),
    ],
)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The book built with the site's d2l plugins, and with ``fake_d2l`` making the
    same tokens (so the book's side is tested on the contract alone)."""
    root = tmp_path_factory.mktemp("book")
    content = write_tree(root / "content", BOOK)
    out = root / "out"
    patch = pytest.MonkeyPatch()
    real = scan.parser_for

    def parser_for(config, d2l=False):
        md = real(config, d2l=False)
        return md.use(fake_d2l_plugin).use(references_plugin) if d2l else md

    if request.param == "contract-tokens":
        patch.setattr(scan, "parser_for", parser_for)
    try:
        report = build_site(BuildOptions(content, out, execute=False, jobs=1))
    finally:
        patch.undo()
    return content, out, report


def page(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def test_the_book_builds_with_d2l_book_urls(built):
    content, out, report = built
    assert report.ok, [str(e) for e in report.errors]
    for rel in [
        "index.html",
        "chapter_preface/index.html",
        "chapter_basics/index.html",
        "chapter_basics/linear.html",
        "chapter_basics/softmax.html",
        "chapter_references/zreferences.html",
        "img/line.svg",
    ]:
        assert (out / rel).is_file(), rel
    assert not (out / "README.html").exists()  # [build] exclusions
    assert not (out / "config.ini").exists()
    assert (content / "config.ini").is_file() and (content / "README.md").is_file()


def test_broken_references_are_warnings_with_path_and_line(built):
    content, _, report = built
    assert [str(w) for w in report.warnings] == [
        f"{content}/chapter_basics/linear.md:5: unknown label 'sec_nowhere'"
    ]


def test_references_across_files_both_ways_show_numbers(built):
    _, out, _ = built
    linear = page(out, "chapter_basics/linear.html")
    links = {a.get_text(): a["href"] for a in linear.select("a.reference")}
    assert links["Section 1.2"] == "/chapter_basics/softmax.html"
    assert links["(1.1.1)"] == "/chapter_basics/linear.html#eq_linear"
    softmax = page(out, "chapter_basics/softmax.html")
    links = {a.get_text(): a["href"] for a in softmax.select("a.reference")}
    assert links == {
        "Fig. 1.1.1": "/chapter_basics/linear.html#fig_line",
        "Linear Regression": "/chapter_basics/linear.html",
        "Section 1": "/chapter_basics/index.html",
        "Table 1.2.1": "/chapter_basics/softmax.html#tab_loss",
    }
    preface = page(out, "chapter_preface/index.html")
    assert preface.select_one("a.reference").get_text() == "Section 1.1"


def test_a_page_shows_its_own_numbers(built):
    _, out, _ = built
    linear = page(out, "chapter_basics/linear.html")
    body = linear.select_one(".post-body")
    assert body.h1.get_text() == "1.1. Linear Regression"
    assert body.h2.get_text(" ", strip=True).startswith("1.1.1. The Model")
    assert linear.select_one("figure#fig_line figcaption").get_text() == "Fig. 1.1.1 A line"
    assert linear.select_one(".eqno").get_text() == "(1.1.1)"
    assert page(out, "chapter_basics/softmax.html").caption.get_text() == "Table 1.2.1 Losses"


def test_unknown_labels_show_as_marked_text_never_raw_roles(built):
    _, out, _ = built
    html = (out / "chapter_basics/linear.html").read_text(encoding="utf-8")
    assert (
        '<span class="d2l-unresolved numref" title="unknown numref target">sec_nowhere</span>'
        in html
    )
    assert ":numref:" not in html and "\x00" not in html


def test_citations_link_to_the_bibliography_page(built):
    _, out, _ = built
    softmax = page(out, "chapter_basics/softmax.html")
    cites = [(a.get_text(), a["href"]) for a in softmax.select("a.cite")]
    assert cites == [
        ("Lin and Wu, 2019", "/chapter_references/zreferences.html#bib-Lin.Wu.2019"),
        ("Zhang et al., 2021", "/chapter_references/zreferences.html#bib-Zhang.2021"),
    ]
    refs = page(out, "chapter_references/zreferences.html")
    listed = [p["id"] for p in refs.select(".bibliography .citation")]
    assert listed == ["bib-Lin.Wu.2019", "bib-Zhang.2021"]


def test_the_sidebar_lists_the_book_numbered_with_the_page_marked(built):
    _, out, _ = built
    linear = page(out, "chapter_basics/linear.html")
    sidebar = linear.select_one("nav.book-sidebar")
    assert sidebar.select_one(".book-title").get_text(strip=True) == "A Tiny Book"
    assert sidebar.select_one(".book-authors").get_text() == "Ada Lovelace, Alan Turing"
    entries = [a.get_text(" ", strip=True) for a in sidebar.select("a")][1:]
    assert entries == [
        "Preface",
        "1. Basics",
        "1.1. Linear Regression",
        "1.2. Softmax Regression",
        "References",
    ]
    current = sidebar.select_one("li.current > a")
    assert current.get_text(" ", strip=True) == "1.1. Linear Regression"
    assert current["aria-current"] == "page"


def test_previous_and_next_follow_the_toc(built):
    _, out, _ = built
    pager = page(out, "chapter_basics/linear.html").select_one("nav.book-pager")
    assert pager.select_one("a[rel=prev]")["href"] == "/chapter_basics/index.html"
    assert (
        pager.select_one("a[rel=next]").get_text(" ", strip=True) == "Next 1.2. Softmax Regression"
    )
    first = page(out, "index.html").select_one("nav.book-pager")
    assert first.select_one("a[rel=prev]") is None


def test_toc_blocks_become_numbered_lists_of_links(built):
    _, out, _ = built
    chapter = page(out, "chapter_basics/index.html").select_one(".post-body nav.book-toc")
    items = [a.get_text(" ", strip=True) for a in chapter.select("a")]
    assert items == ["1.1. Linear Regression", "1.1.1. The Model", "1.2. Softmax Regression"]
    root = page(out, "index.html").select(".post-body nav.book-toc")
    assert [len(n.select("a")) for n in root] == [1, 3, 1]  # maxdepth 2: chapters, sections


def test_site_title_and_tabs_come_from_config_ini(built):
    _, out, _ = built
    index = page(out, "index.html")
    assert index.select_one(".site-title").get_text() == "A Tiny Book"
    picker = [o["value"] for o in index.select("#xint-framework option")]
    assert picker[:2] == ["pytorch", "mxnet"]
