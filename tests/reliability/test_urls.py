"""Every file of the site has one URL: a page, a listing, a theme file or a copied file
that lands on another's is an error naming both, found before any kernel starts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_tree
from xint_site.pages.source import walk_content
from xint_site.pipeline import BuildOptions, SiteBuilder, build_state
from xint_site.pipeline.stages import content_files, plan_urls
from xint_site.site.bodies import BodyStore

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
ABOUT = "---\ntitle: About\n---\n\nAbout us.\n"


def permalink(url: str) -> str:
    return f"---\ntitle: Moved\npermalink: {url}\n---\n\nProse.\n"


def tagged(tags: str, day: int = 1) -> str:
    return f"---\ntitle: Tagged\ndate: 2021-01-{day:02d}\ntags: {tags}\n---\n\nProse.\n"


def fails(tmp_path: Path, files: dict[str, str], *args: str) -> list[str]:
    """Build ``content/`` from ``files``; it must fail, write nothing and keep the sources."""
    content = write_tree(tmp_path / "content", files)
    before = snapshot(content)
    result = run_cli("build", "content", "-o", "out", "--no-execute", *args, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists(), "a failed build wrote its output folder"
    assert snapshot(content) == before
    lines = result.stderr.splitlines()
    assert lines[-1].endswith("; nothing written")
    return lines[:-1]


CASES = {
    "a page at the home page": (
        {"index.md": ABOUT, "a.md": POST},
        "content/index.md:1: URL / is taken by the home page listing too",
    ),
    "a page without front matter at the home page": (
        {"index.md": "# Home\n\nWelcome.\n"},
        "content/index.md:1: URL / is taken by the home page listing too",
    ),
    "permalink /": (
        {"a.md": POST, "p.md": permalink("/")},
        "content/p.md:3: URL / is taken by the home page listing too",
    ),
    "a page at the list of tags": (
        {"tags.md": ABOUT},
        "content/tags.md:1: URL /tags/ is taken by the list of all tags too",
    ),
    "a page at the list of categories": (
        {"categories/index.md": ABOUT},
        "content/categories/index.md:1: URL /categories/ is taken by the list of all categories too",
    ),
    "a page at 404.html": (
        {"p.md": permalink("404.html")},
        "content/p.md:3: URL /404.html is taken by the theme's 404 page too",
    ),
    "a page at a theme asset": (
        {"p.md": permalink("/assets/xint.css")},
        "content/p.md:3: URL /assets/xint.css is taken by the theme's assets/xint.css too",
    ),
    "a copied file at 404.html": (
        {"404.html": "<p>mine</p>", "a.md": POST},
        "content/404.html: URL /404.html is taken by the theme's 404 page too",
    ),
    "a copied file at a theme asset": (
        {"assets/xint.css": "body {}", "a.md": POST},
        "content/assets/xint.css: URL /assets/xint.css is taken by the theme's assets/xint.css too",
    ),
    "a copied file at a page's URL": (
        {"about.md": ABOUT, "about/index.html": "<p>old</p>"},
        "content/about.md:1: URL /about/ is taken by the copied file about/index.html too",
    ),
    "a copied file where a page needs a folder": (
        {"about.md": ABOUT, "about": "a file, not a folder"},
        "content/about.md:1: URL /about/ is taken by the copied file about too",
    ),
    "two pages at one permalink": (
        {"a.md": permalink("same/"), "b.md": "---\n# moved here\npermalink: /same\n---\n"},
        "content/b.md:3: URL /same/ is taken by a.md too",
    ),
    "two posts at one URL of the site's pattern": (
        {
            "xint.yml": "permalink: ':year/:name/'\n",
            "one/x.md": POST,
            "two/x.md": "---\ntitle: Other\n\ndate: 2021-06-01\n---\n",
        },
        "content/two/x.md:4: URL /2021/x/ is taken by one/x.md too",
    ),
    "a page at a further page of the home listing": (
        {
            "xint.yml": "per_page: 1\n",
            "a.md": POST,
            "b.md": POST.replace("2021-01-01", "2021-01-02"),
            "page/2.md": ABOUT,
        },
        "content/page/2.md:1: URL /page/2/ is taken by page 2 of the home page listing too",
    ),
    "a page at a tag's listing": (
        {"a.md": tagged("[deep learning]"), "tags/deep-learning.md": ABOUT},
        "content/tags/deep-learning.md:1: URL /tags/deep-learning/ is taken by the listing of"
        " tag 'deep learning' too",
    ),
    "two tags with one URL": (
        {"a.md": tagged("[a b]"), "b.md": tagged("\n  - x\n  - a-b", day=2)},
        "content/b.md:4: tag 'a-b': URL /tags/a-b/ is taken by the listing of tag 'a b' too",
    ),
    "two categories with one URL": (
        {
            "a.md": POST.replace("---\n\n", "categories: Deep Learning\n---\n\n"),
            "b.md": POST.replace("---\n\n", "categories: Deep-Learning\n---\n\n"),
        },
        "content/b.md:4: category 'Deep-Learning': URL /categories/Deep-Learning/ is taken by"
        " the listing of category 'Deep Learning' too",
    ),
    "tag ..": (
        {"a.md": POST, "p.md": tagged("[ok, '..']")},
        "content/p.md:4: tag '..' cannot be a URL",
    ),
    "tag .": (
        {"p.md": tagged(".")},
        "content/p.md:4: tag '.' cannot be a URL",
    ),
    "category ..": (
        {"p.md": "---\ntitle: x\ndate: 2021-01-01\n\ncategories: [xint, ..]\n---\n"},
        "content/p.md:5: category '..' cannot be a URL",
    ),
    "permalink that leaves the site": (
        {"p.md": "---\ntitle: x\n\npermalink: ../../etc/\n---\n"},
        "content/p.md:4: permalink '../../etc/' contains '..' or '.'",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_taken_url_fails_the_build_naming_both_sides(case: str, tmp_path: Path) -> None:
    files, message = CASES[case]
    assert fails(tmp_path, files) == [message]


def test_a_tag_with_a_nul_character_is_an_error_at_its_line(tmp_path: Path) -> None:
    (error,) = fails(tmp_path, {"p.md": tagged('["a\\0b"]')})
    assert error.startswith("content/p.md:4: ")
    assert "'a\\x00b'" in error


def test_every_taken_url_of_the_build_is_reported(tmp_path: Path) -> None:
    errors = fails(
        tmp_path,
        {"index.md": ABOUT, "tags.md": ABOUT, "p.md": permalink("404.html"), "a.md": POST},
    )
    assert errors == [
        "content/index.md:1: URL / is taken by the home page listing too",
        "content/p.md:3: URL /404.html is taken by the theme's 404 page too",
        "content/tags.md:1: URL /tags/ is taken by the list of all tags too",
    ]


def test_a_taken_url_starts_no_kernel(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    cell = f"```python\nopen({str(marker)!r}, 'w').write('ran')\n```\n"
    page = f"---\ntitle: Home\nexecute: true\n---\n\n{cell}"
    content = write_tree(tmp_path / "content", {"index.md": page, "a.md": POST})
    result = run_cli("build", "content", "-o", "out", "-j", "1", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        "content/index.md:1: URL / is taken by the home page listing too"
    )
    assert not marker.exists(), "a kernel ran although the build was bound to fail"
    assert not (tmp_path / "out").exists()
    assert (content / "index.md").read_text() == page


def test_a_tag_starting_with_a_dot_gets_a_folder_that_is_not_hidden(tmp_path: Path) -> None:
    write_tree(tmp_path / "content", {"a.md": tagged("[.NET]")})
    result = run_cli("build", "content", "-o", "out", "--no-execute", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    listing = (tmp_path / "out/tags/NET/index.html").read_text()
    assert ".NET" in listing
    assert 'href="/tags/NET/"' in (tmp_path / "out/2021/01/01/a/index.html").read_text()


def test_distinct_urls_still_build(tmp_path: Path) -> None:
    """The check does not fail a site whose files differ only a little."""
    files = {
        "a.md": tagged("[a, b]"),
        "b.md": POST.replace("---\n\n", "categories: [a]\n---\n\n"),
        "tags/index-of-things.md": ABOUT,
        "about.md": ABOUT,
        "about/photo.txt": "photo",
        "assets/mine.css": "body {}",
    }
    write_tree(tmp_path / "content", files)
    result = run_cli("build", "content", "-o", "out", "--no-execute", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    for name in (
        "index.html",
        "tags/a/index.html",
        "categories/a/index.html",
        "about/index.html",
        "about/photo.txt",
        "assets/mine.css",
        "assets/xint.css",
        "tags/index-of-things/index.html",
    ):
        assert (out / name).is_file(), name


def test_the_preview_server_refuses_a_taken_url_before_running_anything(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", {"a.md": POST})
    out = tmp_path / "out"
    with SiteBuilder(BuildOptions(content, out, execute=False), warm_kernels=False) as builder:
        assert builder.build().report.ok
        before = snapshot(out)
        page = write_tree(content, {"tags.md": ABOUT}) / "tags.md"
        result = builder.rebuild([page])
    assert [str(e) for e in result.report.errors] == [
        f"{page}:1: URL /tags/ is taken by the list of all tags too"
    ]
    assert result.written == ()
    assert snapshot(out) == before


def test_the_plan_names_every_file_the_build_writes(tmp_path: Path) -> None:
    """One place knows the output folder: the files composed are exactly those planned."""
    content = write_tree(
        tmp_path / "content",
        {
            "xint.yml": "per_page: 1\n",
            "a.md": tagged("[x, y]"),
            "b.md": tagged("[x]", day=2).replace("---\n\n", "categories: [c]\n---\n\n"),
            "about.md": ABOUT,
            "img/logo.txt": "logo",
            "_theme/static/extra.css": "p {}",
        },
    )
    options = BuildOptions(content, tmp_path / "out", execute=False)
    with BodyStore.create() as bodies:  # kept: a build whose store goes keeps no state
        report, state = build_state(options, bodies=bodies)
    assert report.ok and state is not None, report.errors
    tree = walk_content(content)
    static = content_files(tree, content, options.out_dir)
    _, routes, errors = plan_urls(
        state.config, list(state.documents.values()), static, state.composer
    )
    assert errors == []
    assert routes.files == set(state.files)
    assert {"page/2/index.html", "tags/x/page/2/index.html", "assets/extra.css"} <= set(state.files)
