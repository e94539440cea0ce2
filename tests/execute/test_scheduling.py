"""How notebooks are spread over workers: a fresh kernel each, all cores used."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_cli, write_tree
from tests.execute.conftest import TWO_FRAMEWORKS, page

pytestmark = pytest.mark.slow

PID = "```python {fw}\nimport os\nprint(os.getpid(), os.getppid())\n```\n"


def kernel_pids(out: Path, pages: int, fw: str) -> list[tuple[str, str]]:
    """(pid, parent pid) the framework's cells printed, page by page."""
    found = []
    for i in range(pages):
        soup = BeautifulSoup((out / f"p{i}/index.html").read_text(), "html.parser")
        for o in soup.select(f'div.tab-content[data-framework="{fw}"] output'):
            pid, ppid = o.get_text().split()
            found.append((pid, ppid))
    return found


def test_every_notebook_gets_its_own_kernel_forked_from_one_parent(tmp_path: Path) -> None:
    pages = {f"p{i}.md": page(PID.format(fw="alpha") + PID.format(fw="beta")) for i in range(6)}
    content = write_tree(tmp_path / "content", {"xint.yml": TWO_FRAMEWORKS, **pages})
    result = run_cli("build", content, "-o", tmp_path / "out", "-j", "2")
    assert result.returncode == 0, result.stderr
    for fw in ("alpha", "beta"):
        pids = kernel_pids(tmp_path / "out", 6, fw)
        assert len({pid for pid, _ in pids}) == 6, "a kernel ran two notebooks"
        assert len({ppid for _, ppid in pids}) == 1, "kernels not forked from one parent"
    alpha_parent = kernel_pids(tmp_path / "out", 6, "alpha")[0][1]
    assert alpha_parent != kernel_pids(tmp_path / "out", 6, "beta")[0][1]  # XINT_FW differs


def test_isolated_pages_start_their_kernels_from_scratch(tmp_path: Path) -> None:
    parent = (
        "```python alpha\nimport os\n"
        "print('zygote' in open(f'/proc/{os.getppid()}/cmdline').read())\n```\n"
    )
    pages = {"p0.md": page(parent), "p1.md": page(parent, "layout: page\nisolate: true")}
    content = write_tree(tmp_path / "content", {"xint.yml": TWO_FRAMEWORKS, **pages})
    result = run_cli("build", content, "-o", tmp_path / "out", "-j", "1")
    assert result.returncode == 0, result.stderr
    shown = [
        BeautifulSoup((tmp_path / "out" / f"p{i}/index.html").read_text(), "html.parser")
        .select_one("output")
        .get_text()
        for i in range(2)
    ]
    assert shown == ["True", "False"]  # forked from a kernel parent; started by the build


def test_one_framework_with_slow_pages_uses_both_workers(tmp_path: Path) -> None:
    slow = "```python alpha\nimport time\ntime.sleep(1)\nprint(time.time())\n```\n"
    pages = {f"p{i}.md": page(slow) for i in range(4)}
    content = write_tree(tmp_path / "content", {"xint.yml": TWO_FRAMEWORKS, **pages})
    result = run_cli("build", content, "-o", tmp_path / "out", "-j", "2")
    assert result.returncode == 0, result.stderr
    ends = []
    for i in range(4):
        soup = BeautifulSoup((tmp_path / "out" / f"p{i}/index.html").read_text(), "html.parser")
        ends.append(float(soup.select_one("output").get_text()))
    ends.sort()
    # two at a time: the 1st and 2nd notebooks end together, the 3rd a second later
    assert ends[1] - ends[0] < 0.8 and ends[2] - ends[1] > 0.5
