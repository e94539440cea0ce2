"""An unchanged rebuild does nothing (and says so); any change to what the site is made of,
or to the output folder, makes a full build again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_tree

pytestmark = pytest.mark.slow

PAGES = {
    "about.md": "---\ntitle: About\n---\n\nHello.\n",
    "posts/first.md": "---\ntitle: First\ndate: 2024-01-02\n---\n\nThe first post.\n",
    "posts/draft.md": "---\ntitle: Draft\ndate: 2024-01-03\ndraft: true\n---\n\nNot yet.\n",
}


def stamps(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    content = write_tree(tmp_path / "content", PAGES)
    out = tmp_path / "site"
    first = run_cli("build", content, "-o", out, "--no-execute")
    assert first.returncode == 0, first.stderr
    assert "built 2 pages" in first.stderr
    return content, out


def test_an_unchanged_rebuild_writes_nothing_and_says_so(built: tuple[Path, Path]) -> None:
    content, out = built
    before = stamps(out)
    again = run_cli("build", content, "-o", out, "--no-execute")
    assert again.returncode == 0, again.stderr
    assert f"{out} is up to date: 2 pages, nothing changed" in again.stderr
    assert stamps(out) == before


def test_an_edited_page_is_built_again(built: tuple[Path, Path]) -> None:
    content, out = built
    page = content / "posts/first.md"
    page.write_text(page.read_text(encoding="utf-8").replace("first post", "edited post"))
    again = run_cli("build", content, "-o", out, "--no-execute")
    assert "built 2 pages" in again.stderr, again.stderr
    assert "edited post" in (out / "2024/01/02/posts/first/index.html").read_text(encoding="utf-8")


def test_a_touched_page_is_enough_to_build_again(built: tuple[Path, Path]) -> None:
    """Like make: a newer stamp rebuilds, even with the same text."""
    content, out = built
    page = content / "about.md"
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 10**9))
    again = run_cli("build", content, "-o", out, "--no-execute")
    assert "built 2 pages" in again.stderr, again.stderr


def test_a_damaged_output_folder_is_built_again(built: tuple[Path, Path]) -> None:
    content, out = built
    (out / "2024/01/02/posts/first/index.html").unlink()
    (out / "index.html").write_text("edited by hand", encoding="utf-8")
    again = run_cli("build", content, "-o", out, "--no-execute")
    assert "built 2 pages" in again.stderr, again.stderr
    assert (out / "2024/01/02/posts/first/index.html").is_file()
    assert "edited by hand" not in (out / "index.html").read_text(encoding="utf-8")


def test_other_options_or_a_new_file_build_again(built: tuple[Path, Path]) -> None:
    content, out = built
    drafts = run_cli("build", content, "-o", out, "--no-execute", "--drafts")
    assert "built 3 pages" in drafts.stderr, drafts.stderr
    (content / "notes.md").write_text("---\ntitle: Notes\n---\n\nMore.\n", encoding="utf-8")
    more = run_cli("build", content, "-o", out, "--no-execute", "--drafts")
    assert "built 4 pages" in more.stderr, more.stderr
    assert (out / "notes/index.html").is_file()


def test_warnings_are_reported_again_when_up_to_date(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", PAGES)
    (content / "outside.md").symlink_to(tmp_path)  # a link that is never followed
    out = tmp_path / "site"
    first = run_cli("build", content, "-o", out, "--no-execute")
    warnings = [line for line in first.stderr.splitlines() if "outside.md" in line]
    assert first.returncode == 0 and warnings, first.stderr
    again = run_cli("build", content, "-o", out, "--no-execute")
    assert "is up to date" in again.stderr, again.stderr
    assert [line for line in again.stderr.splitlines() if "outside.md" in line] == warnings
    strict = run_cli("build", content, "-o", out, "--no-execute", "--strict")
    assert strict.returncode == 1, strict.stderr  # another option: a build, and it fails


def test_a_failed_build_leaves_no_shortcut(built: tuple[Path, Path]) -> None:
    content, out = built
    page = content / "posts/first.md"
    good = page.read_text(encoding="utf-8")
    page.write_text("---\ntitle: [unclosed\n---\n\nBroken.\n", encoding="utf-8")
    broken = run_cli("build", content, "-o", out, "--no-execute")
    assert broken.returncode == 1, broken.stderr
    page.write_text(good, encoding="utf-8")  # the stamp differs from the last success
    fixed = run_cli("build", content, "-o", out, "--no-execute")
    assert "built 2 pages" in fixed.stderr, fixed.stderr
