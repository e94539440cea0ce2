"""``mkdocs build`` of the example with the xint plugin: outputs per framework in
Material's content tabs, the cache, and problems as MkDocs errors (``--strict``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.mkdocs.conftest import copy_example, run_mkdocs

pytestmark = pytest.mark.slow

FAILING = """# Broken

```python numpy
1 / 0
```
```python pytorch
1 + 1
```
"""


def page(project: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((project / "site" / name).read_text(encoding="utf-8"), "html.parser")


def tab_sets(soup: BeautifulSoup) -> list[Tag]:
    return soup.select("article div.tabbed-set")


def tabs_of(tab_set: Tag) -> dict[str, Tag]:
    """Label -> block, checking the Material alternate-style structure on the way:
    the radio inputs first, then one label per input, then one block per label."""
    assert "tabbed-alternate" in tab_set["class"] and tab_set.has_attr("data-tabs")
    children = [c for c in tab_set.children if isinstance(c, Tag)]
    inputs = [c for c in children if c.name == "input"]
    assert children[: len(inputs)] == inputs and inputs
    assert all(i["type"] == "radio" and i["name"] == inputs[0]["name"] for i in inputs)
    assert sum(i.has_attr("checked") for i in inputs) == 1
    labels = children[len(inputs)].select(":scope > label")
    assert [label["for"] for label in labels] == [i["id"] for i in inputs]
    content = children[len(inputs) + 1]
    assert "tabbed-content" in content["class"]
    blocks = content.select(":scope > div.tabbed-block")
    assert len(blocks) == len(labels)
    return {label.get_text(): block for label, block in zip(labels, blocks, strict=True)}


def outputs(block: Tag) -> list[str]:
    return [o.get_text() for o in block.select("div.xint-output")]


def test_each_framework_shows_its_own_output_in_material_tabs(example: Path) -> None:
    soup = page(example, "index.html")
    first, second = tab_sets(soup)
    numpy, torch = tabs_of(first).values()
    assert list(tabs_of(first)) == ["NumPy", "PyTorch"]
    assert outputs(numpy) == ["array([0., 1., 2., 3.])"]
    assert outputs(torch) == ["tensor([0., 1., 2., 3.])"]
    assert numpy.select_one("div.language-python.highlight pre > code span.kn")  # Pygments
    # the container form: prose, math and the cell's output inside each tab
    prose = tabs_of(second)
    assert outputs(prose["NumPy"]) == ["np.float64(14.0)"]
    assert outputs(prose["PyTorch"]) == ["tensor(14.)"]
    assert prose["PyTorch"].select_one("p math")
    # a shared cell stays MkDocs' own code block; the same output in both: shown once
    article = soup.select_one("article")
    assert article is not None
    shared = [o.get_text() for o in article.select(":scope > div.xint-output")]
    assert shared == ["4 6.0"]
    text = str(article)
    assert "::::" not in text and "XINT" not in text and "```" not in text
    # MkDocs' own parts of the page are untouched: headings in the toc, the admonition
    assert soup.select_one("article h2#squares") and soup.select_one("article .admonition.note")


def test_outputs_that_differ_per_framework_are_linked_tabs(example: Path) -> None:
    soup = page(example, "gradients/index.html")
    sets = tab_sets(soup)
    differing = next(s for s in sets if "xint-output" in str(s) and "grad" not in s.get_text())
    assert {k: outputs(v) for k, v in tabs_of(differing).items()} == {
        "NumPy": ["array([ 0.,  4.,  8., 12.])"],
        "PyTorch": ["tensor([ 0.,  4.,  8., 12.])"],
    }
    article = soup.select_one("article")
    assert article is not None
    assert [o.get_text() for o in article.select(":scope > div.xint-output")] == [
        "[0.0, 4.0, 8.0, 12.0]"
    ]


def test_math_is_mathml_without_arithmatex(example: Path) -> None:
    soup = page(example, "index.html")
    inline = soup.select_one("article > p math")
    display = soup.select_one("article div.xint-math-display math[display=block]")
    assert inline is not None and display is not None
    assert "$" not in soup.select_one("article").get_text().replace("$ ", "")


def test_a_second_build_runs_no_kernel(example: Path, entry_points: Path, tmp_path: Path) -> None:
    project = tmp_path / "site"  # the built example as it is (other tests read the example)
    shutil.copytree(example, project)
    stored = sorted(project.glob("_freeze/*/*.json"))
    stamps = [p.stat().st_mtime_ns for p in stored]
    assert len(stored) == 4  # beside mkdocs.yml, not in docs/ (which would be published)
    assert not (project / "docs" / "_freeze").exists()
    result = run_mkdocs(project, entry_points, "--strict")
    assert result.returncode == 0, result.stderr
    assert "xint: 4 notebooks: 4 from the cache, 0 run" in result.stderr
    assert [p.stat().st_mtime_ns for p in stored] == stamps


def test_prose_edit_runs_nothing_and_a_cell_edit_runs_that_notebook(
    example: Path, entry_points: Path, tmp_path: Path
) -> None:
    project = copy_example(tmp_path / "site", example / "_freeze")
    index = project / "docs" / "index.md"
    source = index.read_text(encoding="utf-8")
    index.write_text(source.replace("The same four numbers", "Four numbers"), encoding="utf-8")
    result = run_mkdocs(project, entry_points, "--strict")
    assert "xint: 4 notebooks: 4 from the cache, 0 run" in result.stderr, result.stderr
    assert "Four numbers" in (project / "site" / "index.html").read_text(encoding="utf-8")
    edited = source.replace("x = torch.arange(4.0)\n", "x = torch.arange(4.0) + 1\n")
    index.write_text(edited, encoding="utf-8")
    result = run_mkdocs(project, entry_points, "--strict")
    assert "xint: 4 notebooks: 3 from the cache, 1 run" in result.stderr, result.stderr
    torch = tabs_of(tab_sets(page(project, "index.html"))[0])["PyTorch"]
    assert outputs(torch) == ["tensor([1., 2., 3., 4.])"]


def test_a_failing_cell_fails_strict_with_its_line(
    example: Path, entry_points: Path, tmp_path: Path
) -> None:
    project = copy_example(tmp_path / "site", example / "_freeze")
    (project / "docs" / "broken.md").write_text(FAILING, encoding="utf-8")
    strict = run_mkdocs(project, entry_points, "--strict")
    assert strict.returncode == 1
    assert "docs/broken.md:4: [NumPy] ZeroDivisionError: division by zero" in strict.stderr
    assert "Aborted with 1 errors in strict mode!" in strict.stdout + strict.stderr
    assert "xint_site" not in strict.stderr  # no traceback of ours, only the cell's
    # without --strict the site is written, the error shown in place
    lenient = run_mkdocs(project, entry_points)
    assert lenient.returncode == 0, lenient.stderr
    numpy = tabs_of(tab_sets(page(project, "broken/index.html"))[0])["NumPy"]
    assert "ZeroDivisionError: division by zero" in numpy.select_one(".xint-error").get_text()
    assert (project / "docs" / "broken.md").read_text(encoding="utf-8") == FAILING


def test_a_bad_tab_set_fails_strict_and_runs_nothing(
    example: Path, entry_points: Path, tmp_path: Path
) -> None:
    project = copy_example(tmp_path / "site", example / "_freeze")
    bad = "# Twice\n\n```python numpy\n1\n```\n```python NumPy\n2\n```\n"
    (project / "docs" / "twice.md").write_text(bad, encoding="utf-8")
    result = run_mkdocs(project, entry_points, "--strict")
    assert result.returncode == 1
    assert (
        "docs/twice.md:6: tab 'NumPy' appears twice in one tab set (first on line 3)"
        in result.stderr
    )
    assert "xint: 4 notebooks: 4 from the cache, 0 run" in result.stderr


def test_math_is_left_to_arithmatex_when_the_site_uses_it(
    example: Path, entry_points: Path, tmp_path: Path
) -> None:
    project = copy_example(tmp_path / "site", example / "_freeze")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    extension = "markdown_extensions:\n  - pymdownx.arithmatex:\n      generic: true\n"
    config.write_text(text.replace("markdown_extensions:\n", extension), encoding="utf-8")
    result = run_mkdocs(project, entry_points, "--strict")
    assert result.returncode == 0, result.stderr
    soup = page(project, "index.html")
    article = soup.select_one("article")
    assert article is not None and not article.select("math")
    prose = article.select_one(":scope > p .arithmatex")  # arithmatex's own
    in_tab = tabs_of(tab_sets(soup)[1])["PyTorch"].select_one(".arithmatex")  # xint's
    assert prose is not None and prose.get_text() == "\\(\\sum_i x_i^2\\)"
    assert in_tab is not None and in_tab.get_text() == "\\(x^\\top x\\)"


def test_frozen_runs_nothing_and_names_what_is_missing(entry_points: Path, tmp_path: Path) -> None:
    project = copy_example(tmp_path / "site")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("      timeout: 120\n", "      frozen: true\n"), encoding="utf-8"
    )
    result = run_mkdocs(project, entry_points, "--strict")
    assert result.returncode == 1
    assert (
        "docs/index.md:7: [NumPy] no stored outputs for this notebook (--frozen runs nothing)"
        in result.stderr
    )
    assert not (project / "_freeze").exists()


def test_a_wrong_framework_option_stops_the_build(entry_points: Path, tmp_path: Path) -> None:
    project = copy_example(tmp_path / "site")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("kernel: xint-pytorch", "kernal: xint-pytorch"), encoding="utf-8"
    )
    result = run_mkdocs(project, entry_points)
    assert result.returncode == 1
    assert "mkdocs.yml: xint frameworks[1].kernal: unknown key 'kernal'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


D2L = """# Sums, d2l-book style

```{.python .input}
%%tab all
import numpy as np
```

```{.python .input}
%%tab numpy
x = np.ones(3)
x.sum()
```

```{.python .input}
%%tab pytorch
import torch
x = torch.ones(3)
x.sum()
```

:begin_tab:`pytorch`
PyTorch sums to a tensor.
:end_tab:
"""
RAW = """# Sums in raw HTML

<div class="tab-set w3-light-grey">
<input checked id="s1" name="s" type="radio">
<label for="s1">NumPy</label>
<div class="tab-content w3-padding">

```python
import numpy as np
np.arange(3).sum()
```

</div>
<input id="s2" name="s" type="radio">
<label for="s2">PyTorch</label>
<div class="tab-content w3-padding">

```python
import torch
torch.arange(3).sum()
```

</div>
</div>
"""


def test_d2l_book_cells_and_raw_html_tab_sets_run_too(
    example: Path, entry_points: Path, tmp_path: Path
) -> None:
    project = copy_example(tmp_path / "site", example / "_freeze")
    (project / "docs" / "d2l.md").write_text(D2L, encoding="utf-8")
    (project / "docs" / "raw.md").write_text(RAW, encoding="utf-8")
    result = run_mkdocs(project, entry_points)
    assert result.returncode == 0, result.stderr
    assert "xint: 8 notebooks: 4 from the cache, 4 run" in result.stderr
    d2l = page(project, "d2l/index.html")
    numpy, torch = tabs_of(tab_sets(d2l)[0]).values()
    assert outputs(numpy) == ["np.float64(3.0)"] and outputs(torch) == ["tensor(3.)"]
    assert "PyTorch sums to a tensor." in torch.get_text()
    assert "%%tab" not in str(d2l.select_one("article"))
    assert "import numpy as np" in d2l.select_one("article").get_text()  # the shared cell
    raw = page(project, "raw/index.html")
    numpy, torch = tabs_of(tab_sets(raw)[0]).values()
    assert outputs(numpy) == ["np.int64(3)"] and outputs(torch) == ["tensor(3)"]
    assert "w3-light-grey" not in str(raw.select_one("article"))


def test_execute_false_runs_nothing_and_still_makes_tabs(
    entry_points: Path, tmp_path: Path
) -> None:
    project = copy_example(tmp_path / "site")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      timeout: 120\n", "      execute: false\n"), "utf-8")
    result = run_mkdocs(project, entry_points, "--strict")
    assert result.returncode == 0, result.stderr
    assert "notebooks" not in result.stderr and not (project / "_freeze").exists()
    soup = page(project, "index.html")
    assert list(tabs_of(tab_sets(soup)[0])) == ["NumPy", "PyTorch"]
    assert not soup.select("div.xint-output")
