"""Compiled templates are kept in the cache between builds, and never change a page.

Each test builds a small site twice into new folders, in-process, with a cache folder
of its own; a page must come out the same whatever the template cache holds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import built_files, write_tree
from xint_site.pipeline import BuildOptions, build_state

pytestmark = pytest.mark.slow  # two builds: over a second on a 2-core machine

SITE = {
    "xint.yml": "title: Kept\nsearch: false\n",
    "about.md": "---\ntitle: About\n---\nAbout this site.\n",
    "post.md": "---\ntitle: A post\ndate: 2022-01-02\ntags: [t]\n---\nA post, $x^2$.\n",
}


def build(content: Path, out: Path) -> dict[str, bytes]:
    report, _ = build_state(BuildOptions(content, out, execute=False, jobs=1))
    assert report.ok, report.errors
    return built_files(out)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "xint-site" / "templates"


def test_a_second_build_reads_the_compiled_templates_and_makes_the_same_pages(
    tmp_path: Path, cache: Path
) -> None:
    content = write_tree(tmp_path / "content", SITE)
    first = build(content, tmp_path / "one")
    kept = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert kept and all(name.endswith(".bytecode") for name in kept)
    assert build(content, tmp_path / "two") == first
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == kept  # read, not redone


def test_a_damaged_cache_file_is_compiled_again(tmp_path: Path, cache: Path) -> None:
    content = write_tree(tmp_path / "content", SITE)
    first = build(content, tmp_path / "one")
    for i, path in enumerate(sorted(cache.iterdir())):  # cut short, emptied, or not ours
        path.write_bytes([path.read_bytes()[:40], b"", b"\x00garbage" * 9][i % 3])
    assert build(content, tmp_path / "two") == first
    assert build(content, tmp_path / "three") == first  # and the files were written again


def test_an_edited_template_is_compiled_again(tmp_path: Path, cache: Path) -> None:
    override = "_theme/templates/page.html"
    content = write_tree(
        tmp_path / "content", {**SITE, override: "<p>first {{ page.title }}</p>\n"}
    )
    assert build(content, tmp_path / "one")["about/index.html"] == b"<p>first About</p>"
    (content / override).write_text("<p>second {{ page.title }}</p>\n", encoding="utf-8")
    assert build(content, tmp_path / "two")["about/index.html"] == b"<p>second About</p>"


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path: Path, cache: Path) -> None:
    content = write_tree(tmp_path / "content", SITE)
    cache.parent.mkdir(parents=True)
    cache.write_text("a file where the folder would be", encoding="utf-8")
    first = build(content, tmp_path / "one")
    assert build(content, tmp_path / "two") == first
    assert cache.read_text(encoding="utf-8") == "a file where the folder would be"
