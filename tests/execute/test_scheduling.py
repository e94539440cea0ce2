"""How notebooks are spread over workers: few kernel starts, all cores used."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import run_cli, write_tree
from tests.execute.conftest import TWO_FRAMEWORKS, page

PID = "```python {fw}\nimport os\nos.getpid()\n```\n"


def kernel_pids(out: Path, pages: int, fw: str) -> set[str]:
    """The process ids the framework's cells printed, over every page."""
    pids = set()
    for i in range(pages):
        soup = BeautifulSoup((out / f"p{i}/index.html").read_text(), "html.parser")
        pids |= {
            o.get_text() for o in soup.select(f'div.tab-content[data-framework="{fw}"] output')
        }
    return pids


def test_two_workers_two_frameworks_start_each_kernel_once(tmp_path: Path) -> None:
    pages = {f"p{i}.md": page(PID.format(fw="alpha") + PID.format(fw="beta")) for i in range(6)}
    content = write_tree(tmp_path / "content", {"xint.yml": TWO_FRAMEWORKS, **pages})
    result = run_cli("build", content, "-o", tmp_path / "out", "-j", "2")
    assert result.returncode == 0, result.stderr
    assert len(kernel_pids(tmp_path / "out", 6, "alpha")) == 1
    assert len(kernel_pids(tmp_path / "out", 6, "beta")) == 1


def test_one_framework_with_slow_pages_gets_both_workers(tmp_path: Path) -> None:
    slow = "```python alpha\nimport os, time\ntime.sleep(0.6)\nos.getpid()\n```\n"
    pages = {f"p{i}.md": page(slow) for i in range(8)}
    content = write_tree(tmp_path / "content", {"xint.yml": TWO_FRAMEWORKS, **pages})
    result = run_cli("build", content, "-o", tmp_path / "out", "-j", "2")
    assert result.returncode == 0, result.stderr
    assert len(kernel_pids(tmp_path / "out", 8, "alpha")) == 2


def test_one_framework_with_quick_pages_starts_one_kernel(tmp_path: Path) -> None:
    pages = {f"p{i}.md": page(PID.format(fw="beta")) for i in range(8)}
    content = write_tree(tmp_path / "content", {"xint.yml": TWO_FRAMEWORKS, **pages})
    # the first build measures this kernel: quick to start, milliseconds per notebook
    assert run_cli("build", content, "-o", tmp_path / "warm-up", "-j", "1").returncode == 0
    result = run_cli("build", content, "-o", tmp_path / "out", "-j", "2", "--refresh")
    assert result.returncode == 0, result.stderr
    assert len(kernel_pids(tmp_path / "out", 8, "beta")) == 1
