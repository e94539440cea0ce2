"""Excerpts on listings and descriptions in ``<meta>``: what a reader of the home page and
a search engine get from the top of a post."""

from __future__ import annotations

from bs4 import BeautifulSoup

from xint_site.config import SiteConfig
from xint_site.render.site_parser import parser_for
from xint_site.site.entries import listed_excerpt, plain_markdown, plain_text

TOP = """\
## Theory

For $\\mathbf{A} \\in \\mathbb{R}^{m \\times n}$, see [below](#more).

```python mxnet
x = 1
```
```python pytorch
x = 2
```

### Step
"""


def rendered(markdown: str) -> str:
    return parser_for(SiteConfig()).render(markdown)


def test_an_excerpt_is_listed_under_its_title_with_ids_of_its_own() -> None:
    one = BeautifulSoup(listed_excerpt(rendered(TOP), "/2021/one/"), "html.parser")
    two = BeautifulSoup(listed_excerpt(rendered(TOP), "/2021/two/"), "html.parser")
    assert [h.name for h in one.find_all(["h2", "h3", "h4"])] == ["h3", "h4"]
    assert one.select(".header-anchor") == [] and one.h3.get_text().strip() == "Theory"
    ids = [e["id"] for soup in (one, two) for e in soup.select("[id]")]
    assert len(ids) == len(set(ids)) == 2 * (1 + 2 * 3)  # a set, a radio/label/panel per tab
    for soup in (one, two):  # every label and radio group still belongs to its own set
        names = {i["name"] for i in soup.select("input")}
        assert len(names) == 1 and all(soup.find(id=lb["for"]) for lb in soup.select("label"))
    assert one.find("a", string="below")["href"] == "/2021/one/#more"


def test_a_description_is_prose_without_heading_marks_formulas_or_code() -> None:
    assert plain_text(rendered(TOP)) == "For, see below."
    chinese = rendered("有矩阵 $\\mathbf{A}$，和向量 $\\mathbf{x}$，则有：")
    assert plain_text(chinese) == "有矩阵，和向量，则有："


def test_a_description_from_front_matter_loses_its_markdown() -> None:
    text = "# A **bold** [claim](https://x.org) about $x^2$ and `code`, in snake_case"
    assert plain_markdown(text) == "A bold claim about and code, in snake_case"
