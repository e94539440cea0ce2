"""Symbolic links in the content folder: only links to files inside it are followed.

A link out (``/etc/passwd``, a key in the home folder) would publish a file the author
never put in the site; a link to a folder would publish its pages twice. Those, loops
and links to nothing are skipped with a warning naming them, and the build goes on.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_tree
from xint_site.pipeline import BuildOptions, SiteBuilder

pytestmark = pytest.mark.slow


def snapshot(root: Path) -> dict[str, bytes | str | None]:
    """Every file (its bytes), link (its target) and folder (None) under ``root``."""
    return {
        p.relative_to(root).as_posix(): (
            os.readlink(p) if p.is_symlink() else None if p.is_dir() else p.read_bytes()
        )
        for p in sorted(root.rglob("*"))
    }


POST = "---\ntitle: A post\ndate: 2021-01-01\n---\n\nProse.\n"
SECRET = "---\ntitle: Secret\n---\n\nroot:x:0:0:the secret\n"


def content_with(tmp_path: Path, links: dict[str, str]) -> Path:
    """``content/`` with one post and the given links (name -> target, as written)."""
    content = write_tree(tmp_path / "content", {"a.md": POST, "img/logo.txt": "logo"})
    write_tree(tmp_path / "outside", {"secret.txt": "the secret", "secret.md": SECRET})
    for name, target in links.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, content / name)
    return content


def builds_with_warnings(tmp_path: Path) -> list[str]:
    """Build ``content/`` into ``out/``: it succeeds, keeps every source and link, and
    returns the warnings it printed."""
    content = tmp_path / "content"
    before = snapshot(tmp_path / "outside"), snapshot(content)
    result = run_cli("build", "content", "-o", "out", "--no-execute", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "out/2021/01/01/a/index.html").is_file()
    assert (tmp_path / "out/img/logo.txt").read_text() == "logo"
    assert (snapshot(tmp_path / "outside"), snapshot(content)) == before
    lines = [line for line in result.stderr.splitlines() if "symbolic link" in line]
    # an older print_warnings added "(kept going)" to every warning, even without the option
    return [line.removesuffix(" (kept going)") for line in lines]


def published(out: Path, text: str) -> list[str]:
    """Files of the built site that hold ``text``."""
    return [p.name for p in out.rglob("*") if p.is_file() and text.encode() in p.read_bytes()]


def test_a_link_to_etc_passwd_is_not_copied(tmp_path: Path) -> None:
    content_with(tmp_path, {"passwd.txt": "/etc/passwd"})
    warnings = builds_with_warnings(tmp_path)
    assert warnings == [
        "content/passwd.txt: symbolic link to '/etc/passwd' outside the content folder skipped"
    ]
    assert not (tmp_path / "out/passwd.txt").exists()


def test_a_relative_link_out_of_the_content_folder_is_not_copied(tmp_path: Path) -> None:
    content_with(tmp_path, {"data/secret.txt": "../../outside/secret.txt"})
    warnings = builds_with_warnings(tmp_path)
    assert warnings == [
        "content/data/secret.txt: symbolic link to '../../outside/secret.txt' outside the"
        " content folder skipped"
    ]
    assert published(tmp_path / "out", "the secret") == []


def test_a_page_linked_from_outside_is_not_rendered(tmp_path: Path) -> None:
    content_with(tmp_path, {"secret.md": "../outside/secret.md"})
    warnings = builds_with_warnings(tmp_path)
    assert warnings == [
        "content/secret.md: symbolic link to '../outside/secret.md' outside the content"
        " folder skipped"
    ]
    assert not (tmp_path / "out/secret").exists()
    assert published(tmp_path / "out", "the secret") == []


def test_a_link_to_a_file_inside_the_content_folder_is_followed(tmp_path: Path) -> None:
    content_with(tmp_path, {"logo.txt": "img/logo.txt", "again.md": "a.md"})
    assert builds_with_warnings(tmp_path) == []
    assert (tmp_path / "out/logo.txt").read_text() == "logo"
    assert (tmp_path / "out/2021/01/01/again/index.html").is_file()  # a post, as a.md


def test_a_link_loop_is_skipped_with_a_warning(tmp_path: Path) -> None:
    content_with(tmp_path, {"loop.txt": "loop.txt", "ping.md": "pong.md", "pong.md": "ping.md"})
    assert builds_with_warnings(tmp_path) == [
        "content/loop.txt: symbolic link loop skipped",
        "content/ping.md: symbolic link loop skipped",
        "content/pong.md: symbolic link loop skipped",
    ]


def test_links_to_folders_are_skipped_with_a_warning(tmp_path: Path) -> None:
    content_with(tmp_path, {"etc": "/etc", "outside": "../outside", "pictures": "img"})
    assert builds_with_warnings(tmp_path) == [
        "content/etc: symbolic link to the folder '/etc' skipped",
        "content/outside: symbolic link to the folder '../outside' skipped",
        "content/pictures: symbolic link to the folder 'img' skipped",
    ]
    out = tmp_path / "out"
    assert not (out / "etc").exists()
    assert not (out / "outside").exists()
    assert not (out / "pictures").exists()


def test_a_link_to_nothing_is_skipped_with_a_warning(tmp_path: Path) -> None:
    content_with(tmp_path, {"gone.png": "img/gone.png"})
    assert builds_with_warnings(tmp_path) == [
        "content/gone.png: symbolic link to nothing ('img/gone.png') skipped"
    ]


def test_the_preview_server_skips_a_link_out_made_while_it_runs(tmp_path: Path) -> None:
    content = content_with(tmp_path, {})
    out = tmp_path / "out"
    with SiteBuilder(BuildOptions(content, out, execute=False), warm_kernels=False) as builder:
        assert builder.build().report.ok
        os.symlink("../outside/secret.md", content / "secret.md")
        os.symlink("../outside/secret.txt", content / "secret.txt")
        (content / "img/logo.txt").write_text("new logo")
        result = builder.rebuild(
            [content / "secret.md", content / "secret.txt", content / "img/logo.txt"]
        )
    assert result.report.ok, result.report.errors
    assert [str(w) for w in result.report.warnings] == [
        f"{content}/secret.md: symbolic link to '../outside/secret.md' outside the content"
        " folder skipped",
        f"{content}/secret.txt: symbolic link to '../outside/secret.txt' outside the content"
        " folder skipped",
    ]
    assert (out / "img/logo.txt").read_text() == "new logo"
    assert published(out, "the secret") == []
