"""Outputs under their cells: the same outputs in every framework are shown once, different
ones as a tab per framework; hand-written outputs give way to executed ones.

The notebooks' results are made by hand (nbformat outputs, as a kernel sends them), then
grouped and rendered by the functions a build uses: no kernel runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from tests.documents import CONFIG, document
from xint_site.execute.results import NotebookRun
from xint_site.model import Document, Output
from xint_site.plan import plan_page
from xint_site.render.outputs import render_output
from xint_site.render.page import render_body
from xint_site.render.shown import page_outputs
from xint_site.render.site_parser import parser_for

SHARED_LAST = """\
```python alpha
import os
```
```python beta
import os
```

```python
os.environ["XINT_FW"]
```
"""


def result(text: str) -> dict[str, Any]:
    return {"output_type": "execute_result", "data": {"text/plain": text}, "metadata": {}}


def stream(text: str, name: str = "stdout") -> dict[str, Any]:
    return {"output_type": "stream", "name": name, "text": text}


def rendered(doc: Document, ran: dict[str | None, dict[int, list[dict]]], config=CONFIG):
    """The page body after each framework's notebook gave ``ran[framework]`` (cell -> raw
    outputs), listed in the order given."""
    jobs = {job.framework: job for job in plan_page(doc, config)}
    runs = [NotebookRun(jobs[fw], outputs) for fw, outputs in ran.items()]
    outputs = page_outputs(runs, config).get(doc.page.rel)
    html = render_body(parser_for(config), doc, outputs)
    return BeautifulSoup(html, "html.parser")


def texts(soup: BeautifulSoup, selector: str = "output") -> list[str]:
    return [o.get_text() for o in soup.select(selector)]


def test_the_same_outputs_in_every_framework_are_shown_once(tmp_path: Path) -> None:
    doc = document(tmp_path, SHARED_LAST)
    soup = rendered(doc, {"alpha": {2: [result("42")]}, "beta": {2: [result("42")]}})
    assert texts(soup) == ["42"]
    assert soup.select("div.output-tabs") == []
    assert soup.select_one("output")["class"] == ["output-text"]


def test_different_outputs_get_a_tab_per_framework_in_the_sites_order(tmp_path: Path) -> None:
    doc = document(tmp_path, SHARED_LAST)
    ran = {"beta": {2: [result("'beta'")]}, "alpha": {2: [result("'alpha'")]}}  # beta first
    soup = rendered(doc, ran)
    (tabs,) = soup.select("div.output-tabs")
    assert [lb.get_text() for lb in tabs.find_all("label", recursive=False)] == ["Alpha", "Beta"]
    panels = tabs.find_all("div", class_="tab-content", recursive=False)
    assert [(p["data-framework"], p.get_text().strip()) for p in panels] == [
        ("alpha", "'alpha'"),
        ("beta", "'beta'"),
    ]
    inputs = tabs.find_all("input", recursive=False)
    assert [i.has_attr("checked") for i in inputs] == [True, False]
    assert tabs["id"] == "cell-2-outputs"


def test_an_output_missing_in_one_framework_is_a_difference(tmp_path: Path) -> None:
    doc = document(tmp_path, SHARED_LAST)
    soup = rendered(doc, {"alpha": {2: [stream("printed\n")]}, "beta": {2: []}})
    (tabs,) = soup.select("div.output-tabs")
    assert texts(tabs) == ["printed"]
    assert tabs.select_one('div[data-framework="beta"]').find("output") is None


def test_a_framework_cell_shows_its_own_notebooks_outputs_in_its_tab(tmp_path: Path) -> None:
    body = "```python alpha\nprint('a')\n```\n```python beta\nprint('b')\n```\n"
    soup = rendered(document(tmp_path, body), {"alpha": {0: [stream("a\n")]}, "beta": {1: []}})
    assert texts(soup, 'div.tab-content[data-framework="alpha"] output') == ["a"]
    assert texts(soup, 'div.tab-content[data-framework="beta"] output') == []
    assert soup.select("div.output-tabs") == []


def test_executed_outputs_replace_hand_written_ones(tmp_path: Path) -> None:
    body = "```python alpha\n2 * 3\n```\n<output>5</output>\n\n```python beta\n7\n```\n"
    soup = rendered(document(tmp_path, body), {"alpha": {0: [result("6")]}, "beta": {1: []}})
    assert texts(soup) == ["6"]


def test_an_outputs_only_tab_set_gives_way_to_the_real_output_tabs(tmp_path: Path) -> None:
    stale = "".join(
        f'<input id="o{n}" name="o" type="radio">\n<label for="o{n}">{label}</label>\n'
        f"<div class=\"tab-content w3-padding\">\n<output>'stale'</output>\n</div>\n"
        for n, label in ((1, "Alpha"), (2, "Beta"))
    )
    body = SHARED_LAST + f'\n<div class="tab-set w3-light-grey">\n{stale}</div>\n'
    soup = rendered(
        document(tmp_path, body),
        {"alpha": {2: [result("'alpha'")]}, "beta": {2: [result("'beta'")]}},
    )
    assert texts(soup) == ["'alpha'", "'beta'"]
    assert len(soup.select("div.tab-set")) == 2  # the code tabs and the real output tabs


def test_hide_code_and_hide_output(tmp_path: Path) -> None:
    body = (
        "```python hide-code\nprint('seen')\n```\n\n```python hide-output\nprint('unseen')\n```\n"
    )
    doc = document(tmp_path, body, "layout: page\nexecute: true")
    soup = rendered(doc, {None: {0: [stream("seen\n")], 1: [stream("unseen\n")]}})
    assert texts(soup) == ["seen"]
    assert [c["data-cell"] for c in soup.select("div.highlight")] == ["1"]


def test_each_kind_of_output_is_escaped_or_kept_as_markup() -> None:
    assert render_output(Output("text", "<tf.Tensor>\n")) == (
        '<output class="output-text">&lt;tf.Tensor&gt;</output>\n'
    )
    assert render_output(Output("stderr", "a & b")) == (
        '<output class="output-stderr">a &amp; b</output>\n'
    )
    assert render_output(Output("html", "<b>x</b>")) == (
        '<output class="output-html"><b>x</b></output>\n'
    )
    assert render_output(Output("png", "iVBOR")) == (
        '<output class="output-image"><img alt="cell output" '
        'src="data:image/png;base64,iVBOR"></output>\n'
    )
    assert render_output(Output("math", "<math></math>")).startswith('<output class="output-math">')
