"""The preview of a Hexo blog (``tests/hexo/blog``, without running cells).

An edit of a post's text, front matter unchanged, renders that post again (and, when
what listings show of it changed, composes the files that show it); one that can move a
URL, a date, a tag or a category, or a post or asset added or removed, plans the URLs
again with Hexo's rules and writes the files that changed. No save builds the blog
again, and after each the output folder is byte for byte what a full build makes of the
same sources.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, edited, full_build, previewed_copy, saved_atomically
from tests.conftest import built_files as files
from xint_site.pipeline import SiteBuilder

BLOG = REPO / "tests" / "hexo" / "blog"
HELLO = "source/_posts/hello-world.md"
HELLO_PAGE = "2020/01/15/hello-world/index.html"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[SiteBuilder, Path, Path]]:
    with previewed_copy(BLOG, tmp_path) as served:
        yield served


def test_a_prose_edit_of_a_post_writes_that_post_only(served) -> None:
    builder, blog, tmp = served
    page = edited(blog / HELLO, "## Quick start", "## Quick start, in a minute")
    result = builder.rebuild([page])
    assert result.report.ok, result.report.errors
    assert result.written == (HELLO_PAGE,)
    assert "in a minute" in (tmp / "out" / HELLO_PAGE).read_text(encoding="utf-8")
    assert files(tmp / "out") == full_build(blog, tmp / "full")


def test_a_save_through_a_temporary_file_is_still_a_prose_edit(served) -> None:
    builder, blog, tmp = served
    changed = saved_atomically(blog / HELLO, "## Quick start", "## Quick start, in a minute")
    result = builder.rebuild(changed)
    assert result.report.ok, result.report.errors
    assert result.written == (HELLO_PAGE,)
    assert files(tmp / "out") == full_build(blog, tmp / "full")


def test_an_edit_of_the_excerpt_rewrites_the_listings_that_show_it(served) -> None:
    """Text before ``<!-- more -->`` is what the listings show: the post and every file
    that shows its excerpt are written again, and nothing else."""
    builder, blog, tmp = served
    page = edited(blog / HELLO, "Welcome to this blog.", "Welcome to this notebook.")
    result = builder.rebuild([page])
    assert result.report.ok, result.report.errors
    assert HELLO_PAGE in result.written and "index.html" not in result.written  # page 1
    shown = [n for n in result.written if n.endswith(".html")]
    for name in shown:
        assert "Welcome to this notebook." in (tmp / "out" / name).read_text(encoding="utf-8")
    assert len(shown) < len([n for n in files(tmp / "out") if n.endswith(".html")]) / 2
    assert files(tmp / "out") == full_build(blog, tmp / "full")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("tags: [hexo, Getting Started]", "tags: [hexo, Getting Started, fresh]"),  # a tag
        ("date: 2020-01-15 10:00:00", "date: 2020-01-16 10:00:00"),  # its URL
    ],
)
def test_an_edit_of_the_front_matter_writes_what_moved(served, old: str, new: str) -> None:
    builder, blog, tmp = served
    result = builder.rebuild([edited(blog / HELLO, old, new)])
    assert result.report.ok, result.report.errors
    assert 0 < len(result.written) < len(files(tmp / "out")) / 2  # not a full build
    assert files(tmp / "out") == full_build(blog, tmp / "full")


@pytest.mark.parametrize(
    "change",
    ["a new post", "a post removed", "published: false", "a draft in _drafts/", "a page"],
)
def test_posts_added_removed_or_hidden_are_planned_with_hexos_rules(served, change: str) -> None:
    builder, blog, tmp = served
    posts = blog / "source/_posts"
    if change == "a new post":
        changed = posts / "fresh.md"
        changed.write_text("---\ntitle: Fresh\ndate: 2022-02-02\ntags: [new]\n---\nNew.\n")
    elif change == "a post removed":
        changed = posts / "hello-world.md"
        changed.unlink()
    elif change == "published: false":
        changed = edited(blog / HELLO, "abbrlink:", "published: false\nabbrlink:")
    elif change == "a draft in _drafts/":
        changed = blog / "source/_drafts/later.md"
        changed.write_text("---\ntitle: Later\ndate: 2022-03-03\n---\nNot yet.\n")
    else:
        changed = blog / "source/notes/index.md"
        changed.parent.mkdir()
        changed.write_text("---\ntitle: Notes\n---\nA page of its own.\n")
    result = builder.rebuild([changed])
    assert result.report.ok, result.report.errors
    assert len(result.written) < len(files(tmp / "out"))  # not a full build
    assert files(tmp / "out") == full_build(blog, tmp / "full")


def test_a_post_dated_by_its_file_moves_when_saved(served) -> None:
    """A post without a date has its file's time (as in Hexo), so saving it may move
    its URL: such a save is never taken for a prose edit."""
    builder, blog, tmp = served
    post = blog / "source/_posts/undated.md"
    post.write_text("---\ntitle: Undated\n---\nFirst words.\n\nMore.\n", encoding="utf-8")
    os.utime(post, (1_600_000_000, 1_600_000_000))  # 2020-09-13
    assert builder.rebuild([post]).report.ok
    assert (tmp / "out/2020/09/13/undated/index.html").is_file()
    edited(post, "More.", "More and more.")  # saved now: today's date
    result = builder.rebuild([post])
    assert result.report.ok, result.report.errors
    assert not (tmp / "out/2020/09/13/undated/index.html").exists()
    assert files(tmp / "out") == full_build(blog, tmp / "full")


def test_a_post_asset_added_is_published_beside_its_post(served) -> None:
    builder, blog, tmp = served
    added = blog / "source/_posts/my-post/more.svg"
    added.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n', encoding="utf-8")
    result = builder.rebuild([added])
    assert result.report.ok, result.report.errors
    assert (tmp / "out/2020/07/08/my-post/more.svg").is_file()
    assert files(tmp / "out") == full_build(blog, tmp / "full")


def test_a_template_of_the_blogs_own_composes_every_file_from_the_kept_pages(served) -> None:
    """A template added in the blog's ``source/_theme/`` re-renders the files without
    reading a post again; the post assets stay where the blog publishes them."""
    builder, blog, tmp = served
    theme = REPO / "themes" / "default" / "templates" / "post.html"
    mine = theme.read_text(encoding="utf-8").replace("<article", "<!-- mine --><article", 1)
    made = blog / "source/_theme/templates/post.html"
    made.parent.mkdir(parents=True)
    made.write_text(mine, encoding="utf-8")
    result = builder.rebuild([made])
    assert result.report.ok, result.report.errors
    assert result.kind == "template"
    assert "<!-- mine -->" in (tmp / "out" / HELLO_PAGE).read_text(encoding="utf-8")
    assert (tmp / "out/2020/07/08/my-post/output_2_0.svg").is_file()
    assert files(tmp / "out") == full_build(blog, tmp / "full")


def test_what_hexo_itself_writes_beside_the_source_folder_rebuilds_nothing(served) -> None:
    """The blog's folder also holds Hexo's own output, scaffolds and packages: running
    ``hexo generate`` or ``npm install`` beside the preview starts no build."""
    builder, blog, _ = served
    made = []
    for rel in ("public/index.html", "scaffolds/post.md", "node_modules/x/index.js", "db.json"):
        (blog / rel).parent.mkdir(parents=True, exist_ok=True)
        (blog / rel).write_text("made by Hexo or npm\n", encoding="utf-8")
        made.append(blog / rel)
    result = builder.rebuild(made)
    assert (result.kind, result.written) == ("none", ())
