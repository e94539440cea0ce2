"""'Download notebook' in a real browser: the link follows the reader's framework, and
what it downloads is a valid notebook whose outputs are the ones the page shows.

The site is built with real kernels (``python3`` as the NumPy framework, the repository's
PyTorch kernel), so the notebooks hold real outputs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page, expect

from tests.browser.conftest import serve_folder
from tests.browser.page_pool import PagePool
from tests.conftest import run_cli, write_tree
from tests.notebook_outputs import notebook_outputs, page_outputs

pytestmark = pytest.mark.slow

PAGE_PATH = "/lesson/"
CONFIG = """\
title: Downloads
url: http://localhost/
frameworks:
  - {id: numpy, label: NumPy, kernel: python3}
  - {id: pytorch, label: PyTorch, aliases: [torch], kernel: xint-pytorch}
"""
LESSON = """\
---
title: Lesson
layout: page
---

## Arrays

```python numpy
import numpy as np
```
```python pytorch
import torch as np
```

A shared cell, whose output differs per framework:

```python
x = np.arange(4) * 2
print("sum:", int(x.sum()))
x
```

## More

```python numpy
x.reshape(2, 2)
```
```python pytorch
x.reshape(2, 2).T
```
"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("downloads")
    content = write_tree(root / "content", {"xint.yml": CONFIG, "lesson.md": LESSON})
    result = run_cli("build", content, "-o", root / "out")
    assert result.returncode == 0, result.stderr
    with serve_folder(root / "out") as url:
        yield url


@pytest.fixture
def open_page(page_pool: PagePool, site_url: str) -> Iterator:
    with page_pool.pages(site_url, {}) as make:

        def new(path: str = PAGE_PATH, **options) -> Page:
            options.setdefault("viewport", {"width": 1100, "height": 900})
            page = make(accept_downloads=True, **options)
            page.goto(path)
            return page

        yield new


def download_link(page: Page):
    return page.locator(".notebook-download a:visible")


def downloaded(page: Page, tmp_path: Path):
    """Click the visible 'Download notebook' link; the notebook it saved, validated."""
    with page.expect_download() as info:
        download_link(page).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    notebook = nbformat.read(target, as_version=4)
    nbformat.validate(notebook)
    return info.value.suggested_filename, notebook


def test_the_link_follows_the_chosen_framework(open_page) -> None:
    page: Page = open_page()
    link = download_link(page)
    expect(link).to_have_count(1)
    expect(link).to_have_text("Download notebook (NumPy)")  # the first, until one is chosen
    expect(link).to_have_attribute("href", "/lesson/lesson.numpy.ipynb")
    page.locator(".tab-set").first.get_by_role("tab", name="PyTorch").click()
    expect(link).to_have_text("Download notebook (PyTorch)")
    expect(link).to_have_accessible_name("Download notebook (PyTorch)")  # no arrow read out
    expect(link).to_have_attribute("href", "/lesson/lesson.pytorch.ipynb")
    page.reload()  # remembered, like every tab of the site
    expect(download_link(page)).to_have_text("Download notebook (PyTorch)")
    linked: Page = open_page(f"{PAGE_PATH}?framework=numpy")
    expect(download_link(linked)).to_have_attribute("href", "/lesson/lesson.numpy.ipynb")
    picked: Page = open_page()
    picked.locator("#xint-framework").select_option("pytorch")
    expect(download_link(picked)).to_have_attribute("href", "/lesson/lesson.pytorch.ipynb")


@pytest.mark.parametrize("framework,label", [("numpy", "NumPy"), ("pytorch", "PyTorch")])
def test_the_download_is_a_valid_notebook_with_the_pages_outputs(
    open_page, tmp_path: Path, framework: str, label: str
) -> None:
    page: Page = open_page(f"{PAGE_PATH}?framework={framework}")
    name, notebook = downloaded(page, tmp_path)
    assert name == f"lesson.{framework}.ipynb"
    assert notebook.metadata.kernelspec.display_name == label
    shown = page_outputs(BeautifulSoup(page.content(), "html.parser"), framework)
    outputs = notebook_outputs(notebook)
    assert len(outputs) == 3
    assert outputs == {code: shown[code] for code in outputs}
    shared = outputs['x = np.arange(4) * 2\nprint("sum:", int(x.sum()))\nx']
    assert shared[0] == "sum: 12"
    assert shared[1] == ("array([0, 2, 4, 6])" if framework == "numpy" else "tensor([0, 2, 4, 6])")
    # what the reader sees under the shared cell is what the notebook holds
    visible = page.locator(".output-tabs .tab-content:visible output")
    expect(visible).to_have_text(shared)


def test_without_javascript_every_framework_has_its_link(open_page) -> None:
    page: Page = open_page(java_script_enabled=False)
    links = page.locator(".notebook-download a")
    expect(links).to_have_text(["NumPy", "PyTorch"])
    for link, label in zip(links.all(), ["NumPy", "PyTorch"], strict=True):
        expect(link).to_have_accessible_name(f"Download notebook ({label})")  # out of context too
    expect(links.nth(1)).to_have_attribute("href", "/lesson/lesson.pytorch.ipynb")
    expect(page.locator(".notebook-download")).to_contain_text("Download notebook")
