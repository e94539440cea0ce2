"""The search index in the built folder: written by Pagefind's binary from PyPI, with a
record per framework's code; off with ``search: false``; a Pagefind that is missing
or fails is an error that leaves the previous site as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_cli
from xint_site.site.search import read_page

pytestmark = pytest.mark.slow

PAGE = """---
title: 梯度
date: 2024-01-02
---
求梯度。

```python mxnet
x.attach_grad()
```
```python pytorch
x.requires_grad_(True)
```
"""


def content(root: Path, config: str = "") -> Path:
    folder = root / "content"
    folder.mkdir()
    (folder / "xint.yml").write_text("title: T\nlanguage: zh-CN\n" + config, encoding="utf-8")
    (folder / "p.md").write_text(PAGE, encoding="utf-8")
    return folder


def test_the_built_folder_holds_pagefinds_bundle_and_index(tmp_path: Path) -> None:
    folder = content(tmp_path)
    result = run_cli("build", folder, "-o", tmp_path / "out", "--no-execute")
    assert result.returncode == 0, result.stderr
    bundle = tmp_path / "out" / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["zh-cn"]
    assert entry["languages"]["zh-cn"]["page_count"] == 3  # the page, MXNet's and PyTorch's code
    html = (tmp_path / "out/2024/01/02/p/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("article[data-pagefind-body]") is not None
    assert soup.select_one("form.site-search input[type=search]") is not None
    page = read_page(html)
    assert page.title == "梯度"
    assert "".join(page.frameworks["mxnet"]).strip() == "x.attach_grad()"
    assert "".join(page.frameworks["pytorch"]).strip() == "x.requires_grad_(True)"


def test_search_false_writes_no_index_and_no_box(tmp_path: Path) -> None:
    folder = content(tmp_path, "search: false\n")
    result = run_cli("build", folder, "-o", tmp_path / "out", "--no-execute")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "out" / "pagefind").exists()
    html = (tmp_path / "out/2024/01/02/p/index.html").read_text(encoding="utf-8")
    assert "site-search" not in html and "search.js" not in html


@pytest.mark.parametrize(
    ("binary", "message"),
    [
        ("/nonexistent/pagefind", "search: Pagefind is not installed (pip install"),
        ("/bin/false", "search: Pagefind cannot run: /bin/false --version exits with status 1"),
    ],
)
def test_a_pagefind_that_cannot_run_is_an_error(tmp_path: Path, binary: str, message: str) -> None:
    folder = content(tmp_path)
    out = tmp_path / "out"
    assert run_cli("build", folder, "-o", out, "--no-execute").returncode == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    (folder / "p.md").write_text(PAGE.replace("求梯度", "新的"), encoding="utf-8")
    result = run_cli(
        "build", folder, "-o", out, "--no-execute", env={"PAGEFIND_BINARY_PATH": binary}
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"{out}: {message}"), result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before  # the old site stays
    assert "求梯度" in (out / "2024/01/02/p/index.html").read_text(encoding="utf-8")
    assert (folder / "p.md").is_file()


def test_files_of_the_site_where_the_index_goes_are_an_error(tmp_path: Path) -> None:
    folder = content(tmp_path)
    (folder / "pagefind").mkdir()
    (folder / "pagefind" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("build", folder, "-o", tmp_path / "out", "--no-execute")
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"{tmp_path / 'out'}: search: the site's own files are in pagefind/, where the search "
        "index goes: rename that folder, or turn search off with 'search: false'"
    ), result.stderr
    assert not (tmp_path / "out").exists()
    assert (folder / "pagefind" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_an_interrupted_index_kills_pagefind() -> None:
    """Ctrl-C (or SIGTERM, which the CLI turns into an exception) while Pagefind runs
    kills it before the exception goes on: no Pagefind outlives the build."""
    import signal
    import subprocess
    import threading

    from xint_site.site.search import _finish

    process = subprocess.Popen(["sleep", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    main = threading.get_ident()
    timer = threading.Timer(0.3, signal.pthread_kill, (main, signal.SIGINT))  # Ctrl-C
    timer.start()
    with process, pytest.raises(KeyboardInterrupt):
        _finish(process, None)
    timer.join()
    assert process.returncode == -9  # killed, and waited for
