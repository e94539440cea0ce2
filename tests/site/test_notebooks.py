"""Notebooks to download: every executed page has one ``.ipynb`` per framework, beside
it, with the page's prose, that framework's cells and the outputs the page shows.

Built through the CLI with real kernels: ``python3`` (a framework of its own here, and
the site's default kernel) and the repository's PyTorch kernel.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_cli, write_tree
from tests.notebook_outputs import notebook_outputs, page_outputs

pytestmark = pytest.mark.slow

CONFIG = """\
title: Notebooks
url: http://example.org/docs/
frameworks:
  - {id: numpy, label: NumPy, kernel: python3}
  - {id: pytorch, label: PyTorch, aliases: [torch], kernel: xint-pytorch}
"""

LESSON = """\
---
title: Lesson
layout: page
---

## Setup

Intro with $x^2$ and a [link](https://example.org).

```python numpy
import numpy as np
```
```python pytorch
import torch as np
```

A shared cell:

```python
x = np.arange(3)
print("hello from", type(x).__module__)
x
```

:::: tab-set
::: tab NumPy
NumPy prose, only in the NumPy notebook.

```python
y = x * 2
y
```
:::
::: tab PyTorch
PyTorch prose, only in the PyTorch notebook.

```python
y = x * 3
y
```
:::
::::

<output>
written by hand
</output>

```python skip
never_run()
```

```python hide-output
z = 41
z + 1
```

## Display

```python
from IPython.display import HTML, display
display(HTML("<b>bold</b> text"))
int(y.sum())
```
"""

SESSION = """\
---
title: Session
layout: page
execute: true
---

Runs once, in the site's kernel.

```python
print(6 * 7)
```
"""

BOOK_INI = """\
[project]
title = Tiny Book

[build]
notebooks = *.md */*.md
tabs = pytorch, numpy
"""

BOOK_INDEX = """\
Tiny Book
=========

```toc
:numbered:

chapter/intro
```
"""

BOOK_PAGE = """\
# Intro
:label:`sec_intro`

Text of the book.

```{.python .input}
#@tab all
import sys
print(tab.selected('numpy'))
```

```{.python .input}
%%tab pytorch
import torch
torch.ones(2)
```

```{.python .input}
%%tab numpy
import numpy
numpy.ones(2)
```
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("notebooks")
    content = write_tree(
        root / "content", {"xint.yml": CONFIG, "lesson.md": LESSON, "session.md": SESSION}
    )
    out = root / "out"
    result = run_cli("build", content, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return content, out


def read(path: Path) -> Any:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    return notebook


def markdown(notebook: Any) -> str:
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def sources(notebook: Any) -> list[str]:
    return [c.source for c in notebook.cells if c.cell_type == "code"]


def test_every_framework_gets_a_valid_notebook_beside_the_page(built: tuple[Path, Path]) -> None:
    _, out = built
    for framework, kernel, label in (
        ("numpy", "python3", "NumPy"),
        ("pytorch", "xint-pytorch", "PyTorch"),
    ):
        notebook = read(out / f"lesson/lesson.{framework}.ipynb")
        assert notebook.nbformat == 4
        assert notebook.metadata.kernelspec == {
            "name": kernel,
            "display_name": label,
            "language": "python",
        }
    session = read(out / "session/session.ipynb")
    assert session.metadata.kernelspec.name == "python3"
    assert notebook_outputs(session) == {"print(6 * 7)": ["42"]}


def test_a_notebook_holds_the_prose_and_its_own_frameworks_cells_in_page_order(
    built: tuple[Path, Path],
) -> None:
    _, out = built
    notebook = read(out / "lesson/lesson.pytorch.ipynb")
    prose = markdown(notebook)
    assert "## Setup" in prose and "## Display" in prose
    assert "Intro with $x^2$ and a [link](https://example.org)." in prose
    assert "PyTorch prose, only in the PyTorch notebook." in prose
    assert "NumPy" not in prose
    assert "written by hand" not in prose and "tab-set" not in prose and ":::" not in prose
    assert "```python skip\nnever_run()\n```" in prose  # shown, never run
    assert sources(notebook) == [
        "import torch as np",
        'x = np.arange(3)\nprint("hello from", type(x).__module__)\nx',
        "y = x * 3\ny",
        "z = 41\nz + 1",
        'from IPython.display import HTML, display\ndisplay(HTML("<b>bold</b> text"))\n'
        "int(y.sum())",
    ]
    kinds = [c.cell_type for c in notebook.cells]
    assert kinds == ["markdown", "code"] * 5
    counts = [c.execution_count for c in notebook.cells if c.cell_type == "code"]
    assert counts == [1, 2, 3, 4, 5]


def test_a_notebooks_outputs_are_the_ones_its_page_shows(built: tuple[Path, Path]) -> None:
    _, out = built
    page = BeautifulSoup((out / "lesson/index.html").read_text(encoding="utf-8"), "html.parser")
    for framework in ("numpy", "pytorch"):
        notebook = read(out / f"lesson/lesson.{framework}.ipynb")
        shown = page_outputs(page, framework)
        outputs = notebook_outputs(notebook)
        assert outputs == {code: shown[code] for code in outputs}, framework
    torch = notebook_outputs(read(out / "lesson/lesson.pytorch.ipynb"))
    assert torch["y = x * 3\ny"] == ["tensor([0, 3, 6])"]
    assert torch["z = 41\nz + 1"] == []  # hide-output: the page shows none
    numpy = notebook_outputs(read(out / "lesson/lesson.numpy.ipynb"))
    assert numpy[sources(read(out / "lesson/lesson.numpy.ipynb"))[1]] == [
        "hello from numpy",
        "array([0, 1, 2])",
    ]


def test_the_page_links_each_framework_notebook(built: tuple[Path, Path]) -> None:
    _, out = built
    page = BeautifulSoup((out / "lesson/index.html").read_text(encoding="utf-8"), "html.parser")
    links = page.select(".notebook-download a[download]")
    assert [(a["data-framework"], a["href"], a.get_text()) for a in links] == [
        ("numpy", "/docs/lesson/lesson.numpy.ipynb", "NumPy"),
        ("pytorch", "/docs/lesson/lesson.pytorch.ipynb", "PyTorch"),
    ]
    session = BeautifulSoup((out / "session/index.html").read_text(encoding="utf-8"), "html.parser")
    (link,) = session.select(".notebook-download a[download]")
    assert link["href"] == "/docs/session/session.ipynb"
    assert link.get_text() == "Download notebook"


def test_frozen_builds_the_same_notebooks_from_the_cache(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    content, out = built
    again = tmp_path / "frozen"
    result = run_cli("build", content, "-o", again, "--frozen")
    assert result.returncode == 0, result.stderr
    assert "3 from cache" in result.stderr + result.stdout
    for rel in (
        "lesson/lesson.numpy.ipynb",
        "lesson/lesson.pytorch.ipynb",
        "session/session.ipynb",
    ):
        assert (again / rel).read_bytes() == (out / rel).read_bytes(), rel


def test_a_page_that_runs_nothing_offers_no_notebook(tmp_path: Path) -> None:
    content = write_tree(
        tmp_path / "content",
        {"xint.yml": CONFIG, "plain.md": "---\ntitle: Plain\n---\n\n```python\nx = 1\n```\n"},
    )
    result = run_cli("build", content, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "out").rglob("*.ipynb")) == []
    assert "notebook-download" not in (tmp_path / "out/plain/index.html").read_text()


def test_a_book_page_gets_a_notebook_per_tab_with_its_setup_cell(tmp_path: Path) -> None:
    content = write_tree(
        tmp_path / "book",
        {
            "config.ini": BOOK_INI,
            "xint.yml": CONFIG,
            "index.md": BOOK_INDEX,
            "chapter/intro.md": BOOK_PAGE,
        },
    )
    out = tmp_path / "out"
    result = run_cli("build", content, "-o", out)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((out / "chapter/intro.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in page.select(".notebook-download a[download]")]
    assert hrefs == ["/docs/chapter/intro.pytorch.ipynb", "/docs/chapter/intro.numpy.ipynb"]
    for framework, selected, ones in (
        ("pytorch", "False", "tensor([1., 1.])"),
        ("numpy", "True", "array([1., 1.])"),
    ):
        notebook = read(out / f"chapter/intro.{framework}.ipynb")
        setup, *code = [c for c in notebook.cells if c.cell_type == "code"]
        assert setup.source.startswith("class tab:")  # d2l-book's tab helper, as it ran
        assert setup.metadata.jupyter.source_hidden is True
        outputs = notebook_outputs(notebook)
        assert outputs["import sys\nprint(tab.selected('numpy'))"] == [selected]
        assert [outputs[c.source.strip()] for c in code][-1] == [ones]
        assert "Text of the book." in markdown(notebook)
        assert "#@tab" not in "".join(sources(notebook))
    shutil.rmtree(out)
