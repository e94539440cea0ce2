"""Faults while writing: a full disk, a read-only folder, a build killed with -9.

Real mechanisms only: small tmpfs mounts (full, or remounted read-only) and a real
SIGKILL. A machine that cannot mount makes these tests fail with that reason.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import REPO, run_cli, write_tree
from tests.reliability.files import fill, make_read_only, snapshot, tmpfs

pytestmark = pytest.mark.slow

PAGE = "---\ntitle: A\ndate: 2021-01-01\n---\n\nSome prose.\n"
RUN_PAGE = "---\ntitle: P\nlayout: page\nexecute: true\n---\n\n```python\nprint(6 * 7)\n```\n"


def make_content(root: Path) -> Path:
    return write_tree(root / "content", {"a.md": PAGE, "img/logo.txt": "logo"})


def failed_to_write(result, out: Path, reason: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == f"{out}: cannot write the site: {reason}"


def outputs(html: Path) -> list[str]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    return [o.get_text().strip() for o in soup.find_all("output")]


def staging_left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if re.match(r"\.site\.(new|old)-", p.name))


def test_a_full_disk_keeps_the_old_site_and_leaves_no_staging_folder(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    with tmpfs(tmp_path / "disk", "2m") as disk:
        out = disk / "site"
        assert run_cli("build", content, "-o", out, "--no-execute").returncode == 0
        old_site = snapshot(out)
        (content / "big.bin").write_bytes(os.urandom(1_600_000))  # more than what is left
        sources = snapshot(content)
        result = run_cli("build", content, "-o", out, "--no-execute")
        failed_to_write(result, out, "No space left on device")
        assert snapshot(out) == old_site
        assert staging_left(disk) == []
    assert snapshot(content) == sources


def test_a_read_only_parent_keeps_the_old_site_and_leaves_no_staging_folder(
    tmp_path: Path,
) -> None:
    content = make_content(tmp_path)
    with tmpfs(tmp_path / "ro", "4m") as mount:
        out = mount / "site"
        assert run_cli("build", content, "-o", out, "--no-execute").returncode == 0
        old_site = snapshot(out)
        make_read_only(mount)
        (content / "a.md").write_text(PAGE + "\nAn edit.\n")
        sources = snapshot(content)
        result = run_cli("build", content, "-o", out, "--no-execute")
        failed_to_write(result, out, "Read-only file system")
        assert snapshot(out) == old_site
        assert staging_left(mount) == []
    assert snapshot(content) == sources


def test_a_mount_point_is_refused_as_a_filesystem_root(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    with tmpfs(tmp_path / "volume", "1m") as volume:
        (volume / ".xint-site").write_text("adopted\n")
        (volume / "keep.txt").write_text("keep")
        before = snapshot(tmp_path)
        result = run_cli("build", content, "-o", volume, "--no-execute")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.splitlines()[0] == (
            f"{volume}: refusing to write the site here: it is a filesystem root"
        )
        assert snapshot(tmp_path) == before


def _kill_while_writing(content: Path, out: Path) -> list[str]:
    """Start a build, SIGKILL it once its staging folder appears; the folders it left."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "xint_site", "build", content, "-o", out, "--no-execute", "-j", "1"],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while proc.poll() is None:
            left = staging_left(out.parent)
            if left:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                return staging_left(out.parent)
            time.sleep(0.001)
        return []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_staging_folders_of_a_killed_build_are_removed_at_the_next_build(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    for i in range(2000):  # enough files that writing them takes a moment to catch
        (content / "img" / f"{i}.txt").write_text("x")
    out = tmp_path / "site"
    left: list[str] = []
    for _ in range(5):
        left = _kill_while_writing(content, out)
        if left:
            break
        if out.exists():
            subprocess.run(["rm", "-rf", out], check=True)
    assert left, "the build always finished before it could be killed"
    dead = _dead_pid()
    stale_old = tmp_path / f".site.old-{dead}-abcdefgh"
    write_tree(stale_old, {"index.html": "old"})
    with subprocess.Popen(["sleep", "60"]) as live_build:
        live = tmp_path / f".site.new-{live_build.pid}-abcdefgh"
        not_ours = [
            tmp_path / f".other.new-{dead}-abcdefgh",  # another output folder's
            tmp_path / ".site.new-notapid",
        ]
        for folder in (live, *not_ours):
            write_tree(folder, {"f": "x"})
        sources = snapshot(content)
        result = run_cli("build", content, "-o", out, "--no-execute")
        assert result.returncode == 0, result.stderr
        assert staging_left(tmp_path) == sorted([live.name, ".site.new-notapid"])
        assert all(f.is_dir() for f in not_ours) and (live / "f").is_file()
        live_build.kill()
    assert (out / "index.html").is_file()
    assert snapshot(content) == sources


def _dead_pid() -> int:
    """The pid of a process that has ended (and been waited for)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_a_read_only_cache_is_a_warning_and_the_site_is_written(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "1m") as mount:
        content = write_tree(mount / "content", {"p.md": RUN_PAGE})
        make_read_only(mount)
        sources = snapshot(content)
        out = tmp_path / "out"
        result = run_cli("build", content, "-o", out, "-j", "1", timeout=300)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        warning = f"{content / '_freeze'}: cannot store outputs in the cache: Read-only file system"
        assert [ln for ln in result.stderr.splitlines() if ln.startswith(warning)] != []
        assert outputs(out / "p/index.html") == ["42"]
        assert snapshot(content) == sources


def test_a_full_disk_for_the_cache_is_a_warning_and_the_site_is_written(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "256k") as disk:
        content = write_tree(disk / "content", {"p.md": RUN_PAGE})
        fill(disk)
        sources = snapshot(content)
        out = tmp_path / "out"
        result = run_cli("build", content, "-o", out, "-j", "1", timeout=300)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        warning = (
            f"{content / '_freeze'}: cannot store outputs in the cache: No space left on device"
        )
        assert [ln for ln in result.stderr.splitlines() if ln.startswith(warning)] != []
        assert outputs(out / "p/index.html") == ["42"]
        after = snapshot(content)
        assert {rel: after.get(rel) for rel in sources} == sources
        assert not [rel for rel in after if rel.endswith(".json")]
