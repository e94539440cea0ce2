"""The sample book that ``make build`` builds (``book/``) builds with the real kernels, and
every framework's tab shows its training run and its plot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import REPO, run_cli

pytestmark = pytest.mark.slow  # real kernels, the CLI


def test_the_sample_book_builds_and_trains_in_every_framework(tmp_path: Path) -> None:
    content = tmp_path / "book"
    shutil.copytree(REPO / "book", content, ignore=shutil.ignore_patterns("_freeze"))
    result = run_cli("build", content, "-o", tmp_path / "site", "-j", "2")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "3 notebooks: 3 executed, 0 from cache, 0 failed" in result.stdout + result.stderr
    page = tmp_path / "site/chapter_linear-regression/linear-regression-scratch.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert " ".join(soup.h1.get_text().split()) == "1.2. Linear Regression from Scratch"
    for framework in ("mxnet", "pytorch", "tensorflow"):
        panels = soup.find_all("div", class_="tab-content", attrs={"data-framework": framework})
        text = "".join(p.get_text() for p in panels)
        assert "epoch 3, loss 0.0000" in text, framework
        assert "error in estimating w" in text, framework
        assert any(p.select("output svg") for p in panels), framework
        assert not any(p.select("output.output-stderr") for p in panels), framework
    assert sorted(p.name for p in content.iterdir()) == sorted(
        [*(p.name for p in (REPO / "book").iterdir() if p.name != "_freeze"), "_freeze"]
    )
