"""A dead or stuck kernel keeps what ran, says why in place; a killed build leaves nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
from bs4 import BeautifulSoup

from tests.conftest import REPO, run_cli, write_tree
from tests.execute.conftest import TWO_FRAMEWORKS, page

pytestmark = pytest.mark.slow


def build(tmp_path: Path, body: str, *args: str, front: str = "layout: page") -> tuple:
    content = write_tree(
        tmp_path / "content", {"xint.yml": TWO_FRAMEWORKS, "p.md": page(body, front)}
    )
    result = run_cli("build", content, "-o", tmp_path / "out", "-j", "1", *args)
    assert "Traceback (most recent call last)" not in result.stderr
    return result, content / "p.md"


def alpha_outputs(tmp_path: Path) -> list[str]:
    soup = BeautifulSoup((tmp_path / "out/p/index.html").read_text(encoding="utf-8"), "html.parser")
    return [o.get_text() for o in soup.select('div[data-framework="alpha"] output')]


DIES = (
    "```python alpha\nprint('first cell ran')\n```\n\nthen\n\n"
    "```python alpha\nimport os, time\nprint('about to die')\n"
    "os.write(2, b'last words of the kernel\\n')\ntime.sleep(0.5)\nos._exit(3)\n```\n\nthen\n\n"
    "```python alpha\nprint('never runs')\n```\n"
)


def test_keep_going_with_a_dead_kernel_keeps_the_outputs_that_ran(tmp_path: Path) -> None:
    result, source = build(tmp_path, DIES, "--keep-going")
    assert result.returncode == 0, result.stderr
    assert f"{source}:12: [Alpha] the kernel died (kept going)\n" in result.stderr
    shown = alpha_outputs(tmp_path)
    assert shown[0] == "first cell ran"
    died = "\n".join(shown[1:])
    assert "the kernel died" in died  # in place, under the cell that killed it
    assert "never runs" not in died


def test_a_dead_kernel_says_its_last_words(tmp_path: Path) -> None:
    result, source = build(tmp_path, DIES)
    assert result.returncode == 1
    assert f"{source}:12: [Alpha] the kernel died\n    last words of the kernel\n" in result.stderr
    assert not (tmp_path / "out").exists()


def test_keep_going_with_a_timeout_keeps_the_outputs_that_ran(tmp_path: Path) -> None:
    body = (
        "```python alpha\nprint('quick')\n```\n\nthen\n\n"
        "```python alpha\nimport time\nprint('started', flush=True)\ntime.sleep(60)\n```\n"
    )
    started = time.monotonic()
    result, source = build(tmp_path, body, "--keep-going", front="layout: page\ntimeout: 3")
    assert time.monotonic() - started < 40
    assert result.returncode == 0, result.stderr
    assert f"{source}:13: [Alpha] cell timed out after 3 s (kept going)" in result.stderr
    shown = alpha_outputs(tmp_path)
    assert shown[0] == "quick"
    assert "started" in shown[1]
    assert "cell timed out after 3 s" in "\n".join(shown[1:])


def _is_kernel(process: psutil.Process) -> bool:
    try:  # a process may end (or be a zombie) between listing and asking
        command = " ".join(process.cmdline())
    except psutil.Error:
        return False
    return "zygote.py" in command or "ipykernel" in command


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def test_kill_9_of_the_build_leaves_no_kernel_or_kernel_parent(tmp_path: Path) -> None:
    """SIGKILL gives the build no chance to clean up: the kernel parents notice their
    pipe closing and kill their kernels; a kernel notices its parent gone."""
    body = "".join(
        f"```python {fw}\nimport time\ntime.sleep(60)\n```\n" for fw in ("alpha", "beta")
    )
    content = write_tree(tmp_path / "content", {"xint.yml": TWO_FRAMEWORKS, "p.md": page(body)})
    proc = subprocess.Popen(
        [sys.executable, "-m", "xint_site", "build", str(content), "-o", str(tmp_path / "out")],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    kernels: list[psutil.Process] = []
    while time.monotonic() < deadline:
        kernels = [p for p in descendants(proc.pid) if _is_kernel(p)]
        if len(kernels) >= 4:  # two kernel parents, a kernel forked from each
            break
        time.sleep(0.2)
    assert len(kernels) >= 4, kernels
    run_files = list(Path(tempfile.gettempdir()).glob(f"xint-site-run-{proc.pid}-*"))
    assert run_files, "connection files and logs live in the run's own folder"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    _, alive = psutil.wait_procs(kernels, timeout=15)
    assert alive == [], f"left running after kill -9: {alive}"
    # the next build that starts kernels removes what the killed one left behind
    quick = write_tree(
        tmp_path / "next", {"xint.yml": TWO_FRAMEWORKS, "p.md": page("```python alpha\n1\n```\n")}
    )
    result = run_cli("build", quick, "-o", tmp_path / "next-out")
    assert result.returncode == 0, result.stderr
    assert not any(f.exists() for f in run_files)
