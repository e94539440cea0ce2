"""Where a page lives: permalink tokens, pretty URLs, slugs, links (no build, no kernel)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.documents import read
from xint_site.site.urls import (
    PagePlace,
    file_for,
    href,
    name_is_url,
    page_path,
    place_page,
    slugify,
    unsafe_reason,
)

DATE = "date: 2021-05-04 16:44:09"


def meta(*lines: str) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n\ntext\n"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (":year/:month/:day/:title/", "2021/05/04/notes/autograd/"),
        (":year/:i_month/:i_day/:name/", "2021/5/4/autograd/"),
        (":year:month:day-:hour:minute:second/:id/", "20210504-164409/notes/autograd/"),
        ("posts/:category/:name", "posts/Deep-Learning/autograd/"),  # a slash is added
        ("/:year/:name.html", "2021/autograd.html"),  # a file: no slash; the root's cut
    ],
)
def test_a_posts_url_follows_the_sites_pattern(tmp_path: Path, pattern: str, expected: str) -> None:
    page = read(tmp_path, "notes/autograd.md", meta("title: x", DATE, "categories: Deep Learning"))
    assert page_path(page, pattern) == expected


def test_a_post_without_a_category_is_uncategorized(tmp_path: Path) -> None:
    page = read(tmp_path, "a.md", meta("title: x", DATE))
    assert page_path(page, ":category/:name/") == "uncategorized/a/"


@pytest.mark.parametrize(
    ("rel", "lines", "expected"),
    [
        ("about.md", ("title: About",), "about/"),
        ("docs/index.md", ("title: Docs",), "docs/"),
        ("index.md", ("title: Home",), ""),
        ("docs/setup.md", ("title: x",), "docs/setup/"),
        ("dated.md", ("title: x", DATE, "layout: page"), "dated/"),  # a page, not a post
        ("a.md", ("title: x", DATE, "permalink: /elsewhere"), "elsewhere/"),
        ("a.md", ("title: x", "permalink: feed.xml"), "feed.xml"),
    ],
)
def test_pages_live_at_their_path_or_their_permalink(
    tmp_path: Path, rel: str, lines: tuple[str, ...], expected: str
) -> None:
    assert page_path(read(tmp_path, rel, meta(*lines)), ":year/:name/") == expected


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("deep learning", "deep-learning"),
        ("C/C++", "C-C++"),
        ("what? #1 100%", "what-1-100"),
        (".NET", "NET"),
        ("  padded  ", "padded"),
        ("深度学习", "深度学习"),
        ("a\tb\nc", "a-b-c"),
        ("?", "-"),
    ],
)
def test_slugify_makes_a_folder_name_of_a_tag(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize(
    ("name", "ok"),
    [("NET", True), (".NET", True), ("..", False), (".", False), ("a\x00b", False), ("a\tb", True)],
)
def test_which_tag_names_can_be_urls(name: str, ok: bool) -> None:
    assert name_is_url(name) is ok


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("docs/a/", None),
        ("../etc/", "contains '..' or '.'"),
        ("a/./b/", "contains '..' or '.'"),
        ("a\\b/", "contains a backslash or NUL"),
        ("a\x00/", "contains a backslash or NUL"),
    ],
)
def test_a_url_may_not_leave_the_output_folder(path: str, reason: str | None) -> None:
    assert unsafe_reason(path) == reason


def test_place_page_gives_the_place_or_the_problem_on_its_line(tmp_path: Path) -> None:
    post = read(tmp_path, "a.md", meta("title: x", DATE, "tags: [deep learning]"))
    place = place_page(post, ":year/:name/")
    assert isinstance(place, PagePlace)
    assert (place.path, place.is_post, place.line, place.tags) == (
        "2021/a/",
        True,
        3,
        ("deep learning",),
    )
    leaving = read(tmp_path, "b.md", meta("title: x", "", "permalink: ../../etc/"))
    (problem,) = place_page(leaving, ":year/:name/")
    assert (problem.line, problem.message) == (4, "permalink '../../etc/' contains '..' or '.'")
    dotted = read(tmp_path, "c.md", meta("title: x", DATE, "tags: [ok, '..']"))
    (problem,) = place_page(dotted, ":year/:name/")
    assert (problem.line, problem.message) == (4, "tag '..' cannot be a URL")


def test_links_are_percent_encoded_and_folders_serve_index_html() -> None:
    assert href("/blog/", "tags/深度学习/") == "/blog/tags/%E6%B7%B1%E5%BA%A6%E5%AD%A6%E4%B9%A0/"
    assert href("/", "tags/C-C++/") == "/tags/C-C++/"
    assert href("/", "a b/") == "/a%20b/"
    assert file_for("") == "index.html"
    assert file_for("2021/a/") == "2021/a/index.html"
    assert file_for("feed.xml") == "feed.xml"
