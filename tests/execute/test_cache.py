"""The execution cache: what re-runs after which edit, and what never gets stored."""

from __future__ import annotations

import filecmp
import json
import re
import shutil
import sys
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from tests.conftest import run_cli, write_tree
from tests.execute.conftest import TWO_FRAMEWORKS, page

pytestmark = pytest.mark.slow

BODY = """\
Prose before.

```python alpha
import os
os.environ["XINT_FW"] + ":" + open("data.txt").read()
```
```python beta
import os
os.environ["XINT_FW"] + ":" + open("data.txt").read()
```
"""
FRONT = "layout: page\nfiles: [data.txt]"


def summary(stderr: str) -> tuple[int, int, int]:
    m = re.search(r"(\d+) executed, (\d+) from cache, (\d+) failed", stderr)
    assert m, stderr
    return int(m[1]), int(m[2]), int(m[3])


class Site:
    def __init__(self, root: Path, write: bool = True) -> None:
        self.root = root
        self.content = root / "content"
        if write:
            write_tree(
                self.content,
                {"xint.yml": TWO_FRAMEWORKS, "p.md": page(BODY, FRONT), "data.txt": "v1"},
            )

    def build(self, *args: str, out: str = "out", **kw):
        return run_cli("build", self.content, "-o", self.root / out, *args, **kw)

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.content / rel
        path.write_text(path.read_text().replace(old, new))

    def entries(self) -> list[Path]:
        return sorted((self.content / "_freeze").glob("*/*.json"))

    def html(self, out: str = "out") -> str:
        return (self.root / out / "p/index.html").read_text()


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, CompletedProcess]:
    """The page built once, with nothing stored yet: the tests that start from a built
    site copy its content folder and cache instead of running the kernels again."""
    site = Site(tmp_path_factory.mktemp("first"))
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site, result


@pytest.fixture
def built(first_build: tuple[Site, CompletedProcess], tmp_path: Path) -> Site:
    """A site after its first build: a copy of that content folder with its ``_freeze``
    (entries name the page by its path inside the content folder, so a copy hits them)."""
    shutil.copytree(first_build[0].content, tmp_path / "content", symlinks=True)
    return Site(tmp_path, write=False)


def test_second_build_is_a_cache_hit_that_starts_no_kernel(first_build) -> None:
    site, first = first_build
    assert summary(first.stderr) == (2, 0, 0)
    assert len(site.entries()) == 2
    second = site.build(out="second")
    assert summary(second.stderr) == (0, 2, 0)
    assert "alpha:v1" in site.html("second") and "beta:v1" in site.html("second")


def test_prose_and_front_matter_edits_do_not_rerun(built: Site) -> None:
    site = built
    site.edit("p.md", "Prose before.", "Other prose.")
    site.edit("p.md", "title: t", "title: changed")
    assert summary(site.build().stderr) == (0, 2, 0)


def test_editing_one_frameworks_cell_reruns_only_that_notebook(built: Site) -> None:
    site = built
    site.edit(
        "p.md",
        'os.environ["XINT_FW"] + ":" + open("data.txt").read()\n```\n```python beta',
        'os.environ["XINT_FW"] + "!" + open("data.txt").read()\n```\n```python beta',
    )
    result = site.build()
    assert summary(result.stderr) == (1, 1, 0)
    assert "alpha!v1" in site.html() and "beta:v1" in site.html()


def test_a_changed_data_file_reruns_the_pages_that_declare_it(built: Site) -> None:
    site = built
    (site.content / "data.txt").write_text("v2")
    assert summary(site.build().stderr) == (2, 0, 0)
    assert "alpha:v2" in site.html()


def test_corrupt_entry_is_reported_ignored_and_rerun(built: Site) -> None:
    site = built
    broken = site.entries()[0]
    broken.write_text('{"format": 1, "cells": [[{"output_type"')
    result = site.build()
    assert result.returncode == 0
    assert f"{broken}: cache entry is unreadable; ignored and run again" in result.stderr
    assert summary(result.stderr) == (1, 1, 0)
    json.loads(broken.read_text())  # stored again, whole


def test_a_failed_run_is_never_stored(tmp_path: Path) -> None:
    site = Site(tmp_path)
    site.edit(
        "p.md",
        'os.environ["XINT_FW"] + ":" + open("data.txt").read()\n```\n```python beta',
        "undefined_name\n```\n```python beta",
    )
    assert site.build().returncode == 1
    assert len(site.entries()) == 1  # beta only
    assert summary(site.build("--keep-going").stderr) == (1, 1, 1)


def test_frozen_uses_stored_outputs_and_needs_no_kernel(tmp_path: Path) -> None:
    site = Site(tmp_path)
    # the frameworks' kernel exists only for the first build (as on a docs author's machine)
    jupyter = write_tree(
        tmp_path / "jupyter",
        {
            "kernels/xint-test-frozen/kernel.json": json.dumps(
                {
                    "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    "display_name": "frozen test",
                    "language": "python",
                }
            ),
        },
    )
    (site.content / "xint.yml").write_text(TWO_FRAMEWORKS.replace("python3", "xint-test-frozen"))
    first = site.build(env={"JUPYTER_PATH": str(jupyter)})
    assert summary(first.stderr) == (2, 0, 0)
    missing = site.build(out="missing")
    assert missing.returncode == 1 and "'xint-test-frozen' is not installed" in missing.stderr
    frozen = site.build("--frozen", out="frozen")  # as on CI, without the kernel
    assert frozen.returncode == 0, frozen.stderr
    assert summary(frozen.stderr) == (0, 2, 0)
    assert filecmp.cmp(site.root / "out/p/index.html", site.root / "frozen/p/index.html", False)


def test_frozen_without_entries_lists_what_is_missing(tmp_path: Path) -> None:
    site = Site(tmp_path)
    result = site.build("--frozen")
    assert result.returncode == 1
    path = site.content / "p.md"
    assert f"{path}:9: [Alpha] no stored outputs for this notebook" in result.stderr
    assert f"{path}:13: [Beta] no stored outputs for this notebook" in result.stderr
    assert not (tmp_path / "out").exists()


def test_refresh_ignores_stored_outputs(built: Site) -> None:
    site = built
    assert summary(site.build("--refresh").stderr) == (2, 0, 0)


def test_prune_drops_entries_no_page_uses(built: Site) -> None:
    site = built
    site.edit("p.md", "```python beta\nimport os\n", "```python beta\nimport os  # changed\n")
    site.build()
    assert len(site.entries()) == 3
    result = run_cli("cache", "prune", site.content)
    assert result.returncode == 0
    assert "removed 1 cache entry, kept 2" in result.stderr
    assert len(site.entries()) == 2
    assert summary(site.build().stderr) == (0, 2, 0)


def test_forked_kernel_gives_the_same_outputs_as_a_fresh_one(tmp_path: Path) -> None:
    pages = {
        f"p{i}.md": page(
            "```python alpha\nimport sys\nx = globals().get('x', 0) + 1\nprint(x)\n1/0\n```\n",
            "layout: page\nexecute: true" if i else "layout: page",
        ).replace("```python alpha", "```python alpha raises")
        for i in range(3)
    }
    content = write_tree(tmp_path / "content", {"xint.yml": TWO_FRAMEWORKS, **pages})
    forked = run_cli("build", content, "-o", tmp_path / "forked", "-j", "1", "--refresh")
    (content / "xint.yml").write_text(TWO_FRAMEWORKS + "isolate: true\n")
    # kernels from scratch, two at a time (the parallel build is byte for byte the sequential one)
    fresh = run_cli("build", content, "-o", tmp_path / "fresh", "-j", "2", "--refresh")
    assert forked.returncode == 0 and fresh.returncode == 0, forked.stderr + fresh.stderr
    diff = filecmp.dircmp(tmp_path / "forked", tmp_path / "fresh")
    assert diff.diff_files == [] and diff.left_only == [] and diff.right_only == []
    for i in range(3):
        html = (tmp_path / "forked" / f"p{i}/index.html").read_text()
        assert ">1</output>" in html  # a fresh namespace: x starts again at 1
        assert "Cell In[1], line 4" in html  # and the execution counter too


def test_parallel_build_is_byte_for_byte_the_sequential_one(tmp_path: Path) -> None:
    pages = {
        f"p{i}.md": page(f"```python alpha\nprint({i} * 2)\n```\n```python beta\n{i} ** 2\n```\n")
        for i in range(6)
    }
    content = write_tree(tmp_path / "content", {"xint.yml": TWO_FRAMEWORKS, **pages})
    one = run_cli("build", content, "-o", tmp_path / "one", "-j", "1", "--refresh")
    two = run_cli("build", content, "-o", tmp_path / "two", "-j", "2", "--refresh")
    assert one.returncode == 0 and two.returncode == 0
    files = site_files(tmp_path / "one")
    assert files == site_files(tmp_path / "two")
    for rel in files:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel


def site_files(out: Path) -> list[Path]:
    """Every file of a built site but Pagefind's index, whose filter and meta files are
    named by a hash of its crawl order, which varies from run to run (Pagefind issue
    #638: only its fragments are stable); test_search checks what the index finds."""
    return sorted(
        p.relative_to(out)
        for p in out.rglob("*")
        if p.is_file() and p.relative_to(out).parts[0] != "pagefind"
    )
