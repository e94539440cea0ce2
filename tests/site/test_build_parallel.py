"""Pages written by worker processes as they are rendered: the same site as one process
writes, and a problem in a worker still writes nothing and leaves nothing behind."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli, write_tree
from tests.reliability.files import snapshot, tmpfs
from xint_site.pipeline import BuildOptions, SiteBuilder

pytestmark = pytest.mark.slow

PAGES = 40  # more than two workers' minimum (16 each): -j 2 forks a worker
CODE = "\n".join(f"y{i} = x * {i} + np.ones(({i}, 3))" for i in range(40))


def post(n: int, extra: str = "") -> str:
    more = "\n<!-- more -->\n" if n % 5 == 0 else ""
    return (
        f"---\ntitle: Post {n:02d}\ndate: 2021-01-{1 + n % 28:02d}\ntags: [t{n % 3}]\n"
        f"categories: c{n % 2}\n{extra}---\n\nFirst paragraph of {n}, $x_{n}$.\n{more}\n"
        f"## Part {n}\n\n```python\n{CODE}\n```\n\nMore prose.\n"
    )


def make_site(root: Path, pages: int = PAGES) -> Path:
    files = {f"p{n:02d}.md": post(n) for n in range(pages)}
    files["about.md"] = "---\ntitle: About\nlayout: page\n---\n\nHello.\n"
    files["img/logo.txt"] = "logo"
    return write_tree(root / "content", files)


def left_behind(folder: Path) -> list[str]:
    """Staging folders beside the output folder and body stores in the temporary folder."""
    pattern = r"\.site\.(new|old)-.*|xint-site-bodies-.*"
    return sorted(p.name for p in folder.iterdir() if re.fullmatch(pattern, p.name))


def build(content: Path, out: Path, jobs: int, tmp: Path) -> subprocess.CompletedProcess:
    tmp.mkdir(exist_ok=True)
    return run_cli("build", content, "-o", out, "--no-execute", "-j", jobs, env={"TMPDIR": tmp})


def test_two_processes_write_the_same_site_as_one(tmp_path: Path) -> None:
    content = make_site(tmp_path)
    one = build(content, tmp_path / "one", 1, tmp_path / "tmp")
    two = build(content, tmp_path / "two", 2, tmp_path / "tmp")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    site = snapshot(tmp_path / "two")
    assert site == snapshot(tmp_path / "one")
    assert f"built {PAGES + 1} pages" in two.stderr.splitlines()[-1]  # and about.md
    assert {"2021/01/01/p00/index.html", "about/index.html", "tags/t0/index.html"} <= set(site)
    assert left_behind(tmp_path / "tmp") == []


def test_a_template_error_in_a_worker_writes_nothing_and_leaves_nothing(tmp_path: Path) -> None:
    content = make_site(tmp_path)
    out, tmp = tmp_path / "site", tmp_path / "tmp"
    assert build(content, out, 2, tmp).returncode == 0
    old_site = snapshot(out)
    template = (REPO / "themes/default/templates/post.html").read_text()
    broken = '{% if page.title == "Post 00" %}{{ missing.name }}{% endif %}\n' + template
    write_tree(content, {"_theme/templates/post.html": broken})  # the first page to compose
    result = build(content, out, 2, tmp)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{content / '_theme/templates/post.html'}:1: template: 'missing' is undefined"
    )
    assert snapshot(out) == old_site
    assert left_behind(tmp_path) == [] and left_behind(tmp) == []


def test_a_disk_filling_up_while_workers_write_keeps_the_old_site(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "2m") as disk:
        out = disk / "site"
        small = make_site(tmp_path / "small", pages=1)
        assert build(small, out, 2, tmp_path / "tmp").returncode == 0
        old_site = snapshot(out)
        large = make_site(tmp_path / "large", pages=80)  # about 4 MB of pages
        result = build(large, out, 2, tmp_path / "tmp")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.splitlines()[0] == (
            f"{out}: cannot write the site: No space left on device"
        )
        assert snapshot(out) == old_site
        assert left_behind(disk) == [] and left_behind(tmp_path / "tmp") == []


def test_body_stores_of_killed_builds_are_removed(tmp_path: Path) -> None:
    content = make_site(tmp_path, pages=2)
    tmp = tmp_path / "tmp"
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = write_tree(tmp / f"xint-site-bodies-{dead.pid}-abcdefgh", {"a.html": "<p>"})
    with subprocess.Popen(["sleep", "60"]) as live_build:
        live = write_tree(tmp / f"xint-site-bodies-{live_build.pid}-abcdefgh", {"a.html": "<p>"})
        assert build(content, tmp_path / "site", 2, tmp).returncode == 0
        assert not stale.exists() and (live / "a.html").is_file()
        live_build.kill()


def test_the_preview_builder_removes_its_bodies_when_closed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    content = make_site(tmp_path, pages=2)
    config = content / "xint.yml"
    with SiteBuilder(BuildOptions(content, tmp_path / "site", execute=False)) as builder:
        assert builder.build().report.ok
        first = left_behind(tmp_path)
        assert len(first) == 1
        config.write_text("title: Renamed\n")  # a full build again: a new store, the old gone
        assert builder.rebuild([config]).report.ok
        second = left_behind(tmp_path)
        assert len(second) == 1 and second != first
        edited = content / "p01.md"
        edited.write_text(post(1).replace("More prose.", "Better prose."))
        assert builder.rebuild([edited]).report.ok
        assert "Better prose." in (tmp_path / "site/2021/01/02/p01/index.html").read_text()
    assert left_behind(tmp_path) == []


def test_closing_the_preview_builder_stops_its_search_index(tmp_path: Path) -> None:
    """After a rebuild the preview builder indexes the site again in the background;
    closing it (the server stopping, on Ctrl-C or SIGTERM) leaves no Pagefind running
    and nothing half-made in the site: the index of the last finished run stays."""
    import threading

    import psutil

    content = make_site(tmp_path, pages=2)
    out = tmp_path / "site"
    with SiteBuilder(BuildOptions(content, out, execute=False)) as builder:
        assert builder.build().report.ok
        edited = content / "p01.md"
        edited.write_text(post(1).replace("More prose.", "Better prose."))
        assert builder.rebuild([edited]).report.ok  # the index is made again meanwhile
    assert [t.name for t in threading.enumerate() if t.name == "search"] == []
    children = psutil.Process().children(recursive=True)
    assert [p.pid for p in children if "pagefind" in p.name()] == []
    half_made = (".xint-search-", ".pagefind-")  # its records, the index being made
    assert [p.name for p in out.iterdir() if p.name.startswith(half_made)] == []
    assert (out / "pagefind" / "pagefind.js").is_file()
