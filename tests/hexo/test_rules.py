"""Hexo's rules, one at a time: slugs, permalink tokens, page paths, nested categories,
post asset folders and ``_config.yml`` (quick: no CLI, no Node)."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from pathlib import Path

import pytest

from xint_site.config import SiteConfig
from xint_site.hexo.config import find_hexo_root, load_hexo_site
from xint_site.hexo.globs import matches
from xint_site.hexo.permalinks import HexoUrls, MissingToken
from xint_site.hexo.slugs import slugize
from xint_site.hexo.tree import place_assets, walk_hexo
from xint_site.pages.source import read_page
from xint_site.site.urls import PagePlace, place_page


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("深度学习", "深度学习"),  # Chinese is kept
        ("Getting Started", "Getting-Started"),  # spaces become '-'
        ("Year  in -- Review", "Year-in-Review"),  # runs of separators are one '-'
        ("C++", "C"),  # punctuation goes, and '-' at either end
        (".NET", "NET"),
        ("Café Crème", "Cafe-Creme"),  # accents go
        ("Æsir Ørsted", "AEsir-Orsted"),
        ("机器学习/回归", "机器学习-回归"),  # a '/' is no folder
        ("tab\there", "tabhere"),  # control characters go first
    ],
)
def test_slugs_are_hexos(name: str, slug: str) -> None:
    assert slugize(name) == slug


def test_post_title_is_the_lowercase_slug() -> None:
    assert slugize("Tutorial, Part 2: Going Deeper", lower=True) == "tutorial-part-2-going-deeper"


def post(tmp_path: Path, rel: str, front: str) -> PagePlace | list:
    path = tmp_path / "source" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}\n---\nText.\n", encoding="utf-8")
    page = read_page(path, tmp_path / "source")
    assert not isinstance(page, list), page
    return page


def place(tmp_path: Path, rel: str, front: str, urls: HexoUrls) -> PagePlace:
    found = place_page(post(tmp_path, rel, front), "", hexo=urls)
    assert isinstance(found, PagePlace), found
    return found


DATED = "title: Linear Regression\ndate: 2021-05-04 16:44:49\ncategories: [机器学习, 回归]"


@pytest.mark.parametrize(
    ("pattern", "path"),
    [
        (":year/:month/:day/:title/", "2021/05/04/notes/linear/"),
        (":year/:i_month/:i_day/:name.html", "2021/5/4/linear.html"),
        (":hour:minute:second/:post_title/", "164449/linear-regression/"),
        (":category/:name/", "机器学习/回归/linear/"),
        ("posts/:abbrlink/", "posts/a1b2c3d4/"),
        ("posts/:abbrlink", "posts/a1b2c3d4"),  # as Hexo: a file without an extension
        ("/:title/index.html", "notes/linear/"),  # the same file as notes/linear/
    ],
)
def test_post_permalinks(tmp_path: Path, pattern: str, path: str) -> None:
    urls = HexoUrls(permalink=pattern)
    found = place(tmp_path, "_posts/notes/linear.md", DATED + "\nabbrlink: a1b2c3d4", urls)
    assert found.is_post and found.path == path


def test_hash_and_timestamp_are_hexos(tmp_path: Path) -> None:
    urls = HexoUrls(permalink=":timestamp/:hash/")
    found = place(tmp_path, "_posts/linear.md", DATED, urls)
    stamp = int(dt.datetime(2021, 5, 4, 16, 44, 49).timestamp())  # local time, as Hexo
    digest = hashlib.sha1(f"linear{stamp}".encode()).hexdigest()[:12]
    assert found.path == f"{stamp}/{digest}/"


def test_a_post_without_categories_has_the_default_category(tmp_path: Path) -> None:
    urls = HexoUrls(permalink=":category/:title/", default_category="misc")
    found = place(tmp_path, "_posts/a.md", "title: A\ndate: 2021-01-01", urls)
    assert found.path == "misc/a/"


def test_a_missing_token_is_an_error_at_the_post(tmp_path: Path) -> None:
    page = post(tmp_path, "_posts/a.md", "title: A\ndate: 2021-01-01")
    found = place_page(page, "", hexo=HexoUrls(permalink="posts/:abbrlink/"))
    assert isinstance(found, list) and len(found) == 1
    assert str(found[0]) == (
        f"{page.path}:1: the permalink 'posts/:abbrlink/' needs ':abbrlink', "
        "and this post has no 'abbrlink' in its front matter"
    )
    with pytest.raises(MissingToken):
        HexoUrls(permalink=":nothing").post_path(page, dt.datetime(2021, 1, 1))


def test_a_posts_own_permalink_is_taken_as_written(tmp_path: Path) -> None:
    urls = HexoUrls(post_asset_folder=True)
    found = place(tmp_path, "_posts/a.md", "date: 2021-01-01\npermalink: /old/url", urls)
    assert found.path == "old/url/"  # with asset folders Hexo ends it with '/'


def test_pages_live_at_their_path_whatever_their_front_matter(tmp_path: Path) -> None:
    urls = HexoUrls()
    about = place(tmp_path, "about/index.md", "title: About\ndate: 2021-01-01", urls)
    links = place(tmp_path, "links.md", "title: Links", urls)
    moved = place(tmp_path, "x.md", "permalink: friends/", urls)
    bare = place(tmp_path, "y.md", "permalink: friends2", urls)
    assert (about.path, about.is_post) == ("about/", False)
    assert (links.path, links.is_post) == ("links.html", False)
    assert (moved.path, bare.path) == ("friends/", "friends2.html")


def test_a_post_without_a_date_has_its_files_time(tmp_path: Path) -> None:
    found = place(tmp_path, "_posts/undated.md", "title: Undated", HexoUrls())
    mtime = dt.datetime.fromtimestamp(found.page.path.stat().st_mtime)
    assert found.date == mtime and found.path == mtime.strftime("%Y/%m/%d/undated/")


@pytest.mark.parametrize(
    ("front", "listed"),
    [
        ("categories: a", [("a",)]),
        ("categories: [a, b]", [("a",), ("a", "b")]),  # b inside a
        ("categories: [[a, b], [c]]", [("a",), ("a", "b"), ("c",)]),
        ("categories: [[a, b], c]", [("a",), ("a", "b"), ("c",)]),
    ],
)
def test_categories_nest_as_in_hexo(tmp_path: Path, front: str, listed: list) -> None:
    found = place(tmp_path, "_posts/p.md", "date: 2021-01-01\n" + front, HexoUrls())
    assert list(found.listed_categories) == listed


def test_a_posts_files_are_published_beside_it() -> None:
    static = {
        "images/logo.svg": Path("logo"),
        "_posts/my-post/plot.svg": Path("plot"),
        "_posts/my-post/data/x.csv": Path("x"),
        "_posts/old.html-post/a.png": Path("a"),
        "_posts/orphan/b.png": Path("b"),  # no post of that name: not published
    }
    posts = {"_posts/my-post.md": "2021/05/04/my-post/", "_posts/old.html-post.md": "old.html"}
    assert place_assets(static, posts) == {
        "images/logo.svg": Path("logo"),
        "2021/05/04/my-post/plot.svg": Path("plot"),
        "2021/05/04/my-post/data/x.csv": Path("x"),
        "old/a.png": Path("a"),  # Hexo drops the permalink's .html for the folder
    }


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_a_hexo_blog_or_its_source_folder_is_found(tmp_path: Path) -> None:
    blog = write(tmp_path / "blog", {"_config.yml": "title: B\n", "source/a.md": "A"})
    assert find_hexo_root(blog) == blog
    assert find_hexo_root(blog / "source") == blog
    assert find_hexo_root(write(tmp_path / "plain", {"a.md": "A"})) is None
    jekyll = write(tmp_path / "jekyll", {"_config.yml": "title: J\n", "a.md": "A"})
    assert find_hexo_root(jekyll) is None  # a _config.yml without source/ is no Hexo blog


def test_config_yml_is_read_and_xint_yml_wins(tmp_path: Path) -> None:
    blog = write(
        tmp_path / "blog",
        {
            "_config.yml": (
                "title: Hexo title\nsubtitle: Sub\nurl: http://example.com/x\nroot: /blog/\n"
                "permalink: posts/:abbrlink/\nper_page: 4\nindex_generator:\n  per_page: 3\n"
                "tag_dir: t\ncategory_dir: c\narchive_dir: arch\npagination_dir: p\n"
                "default_category: misc\npost_asset_folder: true\n"
                "theme: landscape\ndeploy:\n  type: git\nhighlight:\n  wrap: true\n"
            ),
            "source/a.md": "A",
        },
    )
    mine = SiteConfig(title="From xint.yml")
    (blog / "xint.yml").write_text("title: From xint.yml\n", encoding="utf-8")
    site, config, problems = load_hexo_site(blog, mine)
    assert problems == [] and site is not None
    assert config.title == "From xint.yml"  # xint.yml wins where both speak
    assert (config.subtitle, config.url, config.root) == (
        "Sub",
        "http://example.com/blog",
        "/blog/",
    )
    assert (config.permalink, config.per_page, config.listing_per_page) == (
        "posts/:abbrlink/",
        3,
        4,
    )
    assert (config.tag_dir, config.category_dir, config.archive_dir) == ("t", "c", "arch")
    assert (config.pagination_dir, config.default_category) == ("p", "misc")
    assert site.urls.post_asset_folder and site.source == blog / "source"
    assert (site.urls.permalink, site.urls.default_category) == ("posts/:abbrlink/", "misc")
    assert site.ignored == ("theme", "deploy", "highlight")  # plugins' and themes' keys


def test_a_bad_value_in_config_yml_is_an_error_at_its_line(tmp_path: Path) -> None:
    blog = write(
        tmp_path / "blog", {"_config.yml": "title: B\nper_page: many\n", "source/a.md": "A"}
    )
    site, _, problems = load_hexo_site(blog, SiteConfig())
    assert site is None
    assert [str(p) for p in problems] == [f"{blog / '_config.yml'}:2: expected int, got str 'many'"]


def test_tag_and_category_maps_and_case_shape_slugs(tmp_path: Path) -> None:
    urls = HexoUrls(
        permalink=":category/:title/",
        filename_case=1,
        tag_map=(("深度学习", "Deep Learning"),),
        category_map=(("机器学习", "ML"),),
    )
    found = place(
        tmp_path, "_posts/p.md", "date: 2021-01-01\n" + "categories: [机器学习, 回归]", urls
    )
    assert found.path == "ml/回归/p/"
    assert found.slug("深度学习", "tag") == "deep-learning"
    assert found.slug("机器学习", "tag") == "机器学习"  # the map of tags, not of categories


@pytest.mark.parametrize(
    ("rule", "rel", "title", "date"),
    [
        (":title.md", "_posts/a/b.md", "a/b", None),
        (
            ":year-:month-:day-:title.md",
            "_posts/2019-12-24-eve.md",
            "eve",
            dt.datetime(2019, 12, 24),
        ),
        (":year/:i_month/:title.md", "_posts/2019/7/eve.md", "eve", None),  # no day: no date
        (":year-:month-:day-:title.md", "_posts/a/b c.md", "a-b-c", None),  # no match: slugized
    ],
)
def test_new_post_name_gives_title_and_date(
    tmp_path: Path, rule: str, rel: str, title: str, date: dt.datetime | None
) -> None:
    urls = HexoUrls(permalink=":title/", new_post_name=rule)
    found = place(tmp_path, rel, "title: T", urls)
    assert found.path == title + "/"
    if date is not None:
        assert found.date == date


def test_hexo_drafts_are_its_own(tmp_path: Path) -> None:
    urls = HexoUrls()
    assert urls.is_draft(post(tmp_path, "_drafts/a.md", "title: A"))
    assert urls.is_draft(post(tmp_path, "_posts/b.md", "title: B\npublished: false"))
    assert not urls.is_draft(post(tmp_path, "_posts/c.md", "title: C\ndraft: true"))


def test_timezone_reads_dates_in_that_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        shanghai = HexoUrls(timezone="Asia/Shanghai")
        assert shanghai.local_date(dt.datetime(2021, 1, 1)) == dt.datetime(2020, 12, 31, 16)
        aware = dt.datetime(2021, 1, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=8)))
        assert HexoUrls().local_date(aware) == dt.datetime(2021, 1, 1)  # shown in local time
    finally:
        monkeypatch.undo()
        time.tzset()


def test_an_unknown_timezone_is_an_error_at_its_line(tmp_path: Path) -> None:
    blog = write(tmp_path / "blog", {"_config.yml": "title: B\ntimezone: Mars/Olympus\n"})
    (blog / "source").mkdir()
    site, _, problems = load_hexo_site(blog, SiteConfig())
    assert site is None
    assert [str(p) for p in problems] == [
        f"{blog / '_config.yml'}:2: unknown time zone 'Mars/Olympus' (e.g. Asia/Shanghai)"
    ]


@pytest.mark.parametrize(
    ("pattern", "rel", "hit"),
    [
        ("README.md", "README.md", True),
        ("README.md", "docs/README.md", False),  # the whole path, as micromatch
        ("demo/**", "demo/a/b.md", True),
        ("**/*.psd", "a/b/c.psd", True),
        ("**/*.psd", "c.psd", True),
        ("*.md", "a/b.md", False),
        ("{a,b}/*.md", "b/x.md", True),
        ("_posts/?.md", "_posts/x.md", True),
    ],
)
def test_config_globs_match_as_hexos(pattern: str, rel: str, hit: bool) -> None:
    assert matches([pattern], rel) is hit


@pytest.mark.parametrize("asset_folders", [False, True])
def test_which_files_are_posts_pages_and_copies(tmp_path: Path, asset_folders: bool) -> None:
    blog = write(
        tmp_path / "blog",
        {
            "_config.yml": f"post_asset_folder: {str(asset_folders).lower()}\n",
            "source/_posts/a.md": "A",
            "source/_posts/b.markdown": "B",
            "source/_posts/a/plot.svg": "<svg/>",
            "source/_drafts/c.md": "C",
            "source/_data/menu.yml": "x: 1",
            "source/about/index.md": "About",
            "source/old.mkd": "Old",
            "source/logo.svg": "<svg/>",
        },
    )
    site, _, problems = load_hexo_site(blog, SiteConfig())
    assert site is not None and not problems
    tree = walk_hexo(site, drafts=False)
    pages = {p.relative_to(blog / "source").as_posix() for p in tree.pages}
    files = {p.relative_to(blog / "source").as_posix() for p in tree.files}
    posts = {"_posts/a.md"} if asset_folders else {"_posts/a.md", "_posts/b.markdown"}
    assert pages == posts | {"about/index.md", "old.mkd"}
    own = {"_posts/a/plot.svg", "_posts/b.markdown"} if asset_folders else set()
    assert files == {"logo.svg"} | own  # a post's own files only with asset folders
    assert "_drafts/c.md" in {
        p.relative_to(blog / "source").as_posix() for p in walk_hexo(site, drafts=True).pages
    }


def test_a_permalink_in_xint_yml_is_the_one_posts_get(tmp_path: Path) -> None:
    blog = write(
        tmp_path / "blog",
        {"_config.yml": "permalink: posts/:abbrlink/\n", "xint.yml": "permalink: :title/\n"},
    )
    (blog / "source").mkdir()
    site, config, problems = load_hexo_site(blog, SiteConfig(permalink=":title/"))
    assert site is not None and not problems
    assert config.permalink == site.urls.permalink == ":title/"
