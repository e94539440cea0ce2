"""What goes into a page's notebook, from pages read and parsed as a build does: prose
from every tab-set form, cells wherever they sit, outputs in nbformat's own shape.
No kernel: the runs are made here, with outputs as nbclient and the cache give them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import nbformat

from tests.documents import CONFIG, page_text, parse, read
from xint_site.config import SiteConfig
from xint_site.execute.results import NotebookRun
from xint_site.model import Document
from xint_site.plan import plan_page
from xint_site.site.notebooks import notebook_file, notebook_text

RAW_HTML = """\
Before the tabs.

<article>
    <div class="tab-set w3-light-grey">
        <input checked="True" id="a1" name="s" type="radio">
        <label for="a1">Alpha</label>
        <div class="tab-content w3-padding">
            Alpha's **own** words:

                indented code, kept as code

            ```python
            x = 1
            x
            ```
        </div>
        <input id="a2" name="s" type="radio">
        <label for="a2">Beta</label>
        <div class="tab-content w3-padding">
            Beta's words.

            ```python
            x = 2
            ```
        </div>
    </div>
</article>

After the tabs.
"""

IN_A_LIST = """\
1. First step:

   ```python
   y = 3
   print(y)
   ```

2. Second step.
"""


def notebook(
    document: Document,
    framework: str,
    outputs: dict[int, list[dict[str, Any]]],
    config: SiteConfig = CONFIG,
) -> Any:
    job = next(j for j in plan_page(document, config) if j.framework == framework)
    text = notebook_text(document, NotebookRun(job=job, outputs=outputs), config)
    parsed = nbformat.reads(text, as_version=4)
    nbformat.validate(parsed)
    return parsed


def test_raw_html_tabs_give_their_frameworks_prose_without_the_markup(tmp_path: Path) -> None:
    document = parse(read(tmp_path, "p.md", page_text(RAW_HTML)))
    alpha = notebook(document, "alpha", {0: [_result("1")]})
    cells = [(c.cell_type, c.source) for c in alpha.cells]
    assert cells == [
        (
            "markdown",
            "Before the tabs.\n\nAlpha's **own** words:\n\n    indented code, kept as code",
        ),
        ("code", "x = 1\nx"),
        ("markdown", "After the tabs."),
    ]
    assert alpha.cells[1].outputs[0].data == {"text/plain": "1"}
    beta = notebook(document, "beta", {})
    assert "Beta's words." in beta.cells[0].source and "Alpha" not in beta.cells[0].source


def test_a_cell_inside_a_list_is_still_a_code_cell(tmp_path: Path) -> None:
    document = parse(read(tmp_path, "p.md", page_text(IN_A_LIST, "execute: true")))
    jobs = plan_page(document, CONFIG)
    assert [j.framework for j in jobs] == [None]
    text = notebook_text(document, NotebookRun(job=jobs[0], outputs={}), CONFIG)
    cells = [(c.cell_type, c.source) for c in nbformat.reads(text, as_version=4).cells]
    assert ("code", "y = 3\nprint(y)") in cells
    assert any("Second step." in source for kind, source in cells if kind == "markdown")


def test_outputs_take_nbformats_shape_and_the_pages_rules(tmp_path: Path) -> None:
    body = "```python alpha\nimport sys\n```\n```python beta\nimport os\n```\n"
    document = parse(read(tmp_path, "p.md", page_text(body)))
    live = {  # as a kernel gives them: an execution count, fields nbformat does not allow
        0: [
            {"output_type": "stream", "name": "stderr", "text": "a warning\n"},
            {"output_type": "stream", "name": "stdout", "text": ["one ", "line\n"]},
            {
                "output_type": "execute_result",
                "data": {"text/plain": "42"},
                "metadata": {},
                "execution_count": 7,
            },
            {"output_type": "display_data", "data": {"text/html": "<b>b</b>"}, "transient": {}},
        ]
    }
    shown = notebook(document, "alpha", live)
    (cell,) = [c for c in shown.cells if c.cell_type == "code"]
    assert [o.output_type for o in cell.outputs] == [
        "stream",
        "stream",
        "execute_result",
        "display_data",
    ]
    assert cell.outputs[2].execution_count == cell.execution_count == 1
    quiet = notebook(document, "alpha", live, replace(CONFIG, show_stderr=False))
    (cell,) = [c for c in quiet.cells if c.cell_type == "code"]
    assert [o.get("name") for o in cell.outputs][:1] == ["stdout"]  # stderr: not shown


def test_notebooks_sit_beside_their_page() -> None:
    assert notebook_file("2021/05/04/autograd/", "posts/autograd.md", "pytorch") == (
        "2021/05/04/autograd/autograd.pytorch.ipynb"
    )
    assert notebook_file("chapter_x/intro.html", "chapter_x/intro.md", "mxnet") == (
        "chapter_x/intro.mxnet.ipynb"
    )
    assert notebook_file("about/", "about.md", None) == "about/about.ipynb"
    assert notebook_file("", "index.md", "alpha") == "index.alpha.ipynb"


def _result(text: str) -> dict[str, Any]:
    return {"output_type": "execute_result", "data": {"text/plain": text}, "metadata": {}}
