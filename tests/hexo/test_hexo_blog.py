"""A Hexo blog moves over with every URL it had.

``tests/hexo/blog`` is a Hexo blog of our own writing: ten posts over 2020 and 2021
(Chinese and English titles and file names, posts in folders of ``_posts/``, nested
categories, several category chains, tags with spaces and punctuation, an
``abbrlink`` on every post, ``<!-- more -->``), a draft in ``_drafts/`` and a post with
``published: false``, an about page with a date, a ``links.md`` page, the ``tags`` and
``categories`` pages themes such as NexT want (``hexo new page tags``; here they are the
lists of all tags and categories), an image, a post asset folder and Hexo's ``_data/``. The seed page (a real Hexo post) is added to it as
``_posts/autograd.md``.

Each test builds a copy with the real Hexo (``tests/hexo/node_modules``, installed by
``make hexo``, which ``make test`` runs: the ``hexo`` and ``hexo-cli`` packages and the
generators and theme of Hexo's own scaffold) and with xint-site, and compares the files
both publish. Hexo builds every copy the module needs in one Node process
(``generate.js``), as hexo-cli would build each. ``urls.txt`` is the reviewed list for
the blog as it is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import REPO, SEED, UPDATE_GOLDENS, run_cli
from xint_site.pipeline import BuildOptions
from xint_site.pipeline.incremental import SiteBuilder

pytestmark = pytest.mark.slow  # Node, the CLI

HERE = REPO / "tests" / "hexo"
BLOG = HERE / "blog"
GOLDEN = HERE / "urls.txt"
HEXO = HERE / "node_modules" / "hexo"
SEED_POST = "2021/05/04/autograd/index.html"
# Both generators read dates without a zone in this machine's time, as Hexo does: the
# same zone for both, and one the expectations below are written for.
MACHINE = {"TZ": "UTC"}

# What only the theme of each makes, and why it is not compared:
HEXO_THEME_ONLY = ("css/", "js/", "fancybox/")  # hexo-theme-landscape's stylesheet and scripts
XINT_THEME_ONLY = (
    "assets/",  # our stylesheet, scripts and math font
    "pagefind/",  # the search index
    ".xint-site",  # the mark that xint-site wrote the folder
    "404.html",  # the not-found page (landscape has none)
    "atom.xml",  # the feed (Hexo makes one only with hexo-generator-feed, not in its scaffold)
    "sitemap.xml",  # the sitemap (hexo-generator-sitemap, not in the scaffold either)
)


def hexo_files(out: Path) -> set[str]:
    return {p for p in published(out) if not p.startswith(HEXO_THEME_ONLY)}


def xint_files(out: Path) -> set[str]:
    files = published(out)
    return {p for p in files if not p.startswith(XINT_THEME_ONLY) and not p.endswith(".ipynb")}


def published(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def blog_copy(
    root: Path,
    seed: bool = True,
    config: dict[str, str] | None = None,
    files: dict[str, str] | None = None,
) -> Path:
    """The fixture blog (and the seed post, and ``files``) in ``root``, with some keys of
    its ``_config.yml`` set otherwise."""
    blog = root / "blog"
    shutil.copytree(BLOG, blog)
    for rel, text in (files or {}).items():
        (blog / rel).parent.mkdir(parents=True, exist_ok=True)
        (blog / rel).write_text(text, encoding="utf-8")
    if seed:
        shutil.copy(SEED, blog / "source" / "_posts" / "autograd.md")
    if config:
        lines = (blog / "_config.yml").read_text(encoding="utf-8").splitlines()
        for key, value in config.items():
            lines = [*_without(lines, key), f"{key}: {value}"]
        (blog / "_config.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return blog


def _without(lines: list[str], key: str) -> list[str]:
    """The lines of a YAML file without the top-level ``key`` and its indented value."""
    kept: list[str] = []
    inside = False
    for line in lines:
        if line.startswith(f"{key}:"):
            inside = True
        elif inside and line.startswith((" ", "\t")):
            continue
        else:
            inside = False
            kept.append(line)
    return kept


def build_with_hexo(blogs: dict[str, tuple[Path, bool]]) -> dict[str, Path]:
    """``hexo generate`` (``--draft`` where asked) in a copy of each blog; each one's
    ``public/`` folder. One Node process builds them all (``generate.js``: what hexo-cli
    does, one Hexo per blog), which saves loading Hexo again for each (~2 CPU-s)."""
    if not HEXO.exists():
        pytest.fail("the real Hexo is not installed: run `make hexo`", pytrace=False)
    package = json.loads((HERE / "package.json").read_text(encoding="utf-8"))
    # how Hexo knows a blog's folder (update_package.js): without it, no plugin is loaded
    package["hexo"] = {"version": package["dependencies"]["hexo"]}
    args: list[str] = []
    works: dict[str, Path] = {}
    for name, (blog, drafts) in blogs.items():
        work = blog.parent / "hexo-work"
        shutil.copytree(blog, work)
        (work / "node_modules").symlink_to(HERE / "node_modules")
        (work / "package.json").write_text(json.dumps(package), encoding="utf-8")
        args.append(f"{work}:draft" if drafts else str(work))
        works[name] = work
    env = {**os.environ, **MACHINE}
    result = subprocess.run(
        ["node", str(HERE / "generate.js"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for work in works.values():
        assert f"{work} files generated" in result.stdout, result.stdout
    return {name: work / "public" for name, work in works.items()}


def build_with_xint(blog: Path, *args: str) -> Path:
    out = blog.parent / "xint-out"
    result = run_cli("build", blog, "-o", out, "--no-execute", *args, env=MACHINE)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return out


@pytest.fixture(scope="module")
def hexo_built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Every blog the tests below compare, each built by Hexo: the blog with the seed post
    (``main``), each of ``VARIANTS`` and the drafts build. ``{name: (blog, public)}``."""
    blogs: dict[str, tuple[Path, bool]] = {
        "main": (blog_copy(tmp_path_factory.mktemp("hexo-blog")), False),
        "drafts": (blog_copy(tmp_path_factory.mktemp("hexo-drafts"), seed=False), True),
    }
    for name, config in VARIANTS.items():
        seed = "abbrlink" not in name  # the seed post has no abbrlink
        files = {"dated-file-names": DATED_POST, "globs": GLOBBED}.get(name)
        root = tmp_path_factory.mktemp(f"hexo-{name}")
        blogs[name] = (blog_copy(root, seed=seed, config=config, files=files), False)
    public = build_with_hexo(blogs)
    return {name: (blog, public[name]) for name, (blog, _) in blogs.items()}


@pytest.fixture(scope="module")
def built(hexo_built: dict[str, tuple[Path, Path]]) -> tuple[Path, Path, Path]:
    """The blog with the seed post, built by Hexo and by xint-site."""
    blog, hexo_out = hexo_built["main"]
    return blog, hexo_out, build_with_xint(blog)


def test_every_url_hexo_makes_is_made_and_no_other(built: tuple[Path, Path, Path]) -> None:
    _, hexo_out, xint_out = built
    golden = sorted(hexo_files(hexo_out))
    if UPDATE_GOLDENS:
        GOLDEN.write_text("\n".join(golden) + "\n", encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8").split()
    assert golden == expected, "Hexo itself now makes other URLs: review urls.txt"
    assert sorted(xint_files(xint_out)) == expected


def test_the_blog_is_left_as_it_was(built: tuple[Path, Path, Path]) -> None:
    blog, _, _ = built
    files = {p.relative_to(blog).as_posix() for p in blog.rglob("*") if p.is_file()}
    assert files == {p.relative_to(BLOG).as_posix() for p in BLOG.rglob("*") if p.is_file()} | {
        "source/_posts/autograd.md"
    }


def test_the_seed_post_keeps_its_tab_sets(built: tuple[Path, Path, Path]) -> None:
    _, _, xint_out = built
    page = BeautifulSoup((xint_out / SEED_POST).read_text(encoding="utf-8"), "html.parser")
    sets = page.select("div.tab-set.w3-light-grey")
    labels = [label.get_text() for s in sets for label in s.find_all("label", recursive=False)]
    assert labels == ["MXNet", "TensorFlow", "PyTorch"] * 7
    assert len(page.select("div.highlight[data-cell]")) == 22
    outputs = page.find_all("output")  # what its cells printed when the author ran them
    assert len(outputs) == 7 and outputs[0].get_text() == "28.0"


def test_a_posts_asset_folder_is_published_beside_it(built: tuple[Path, Path, Path]) -> None:
    _, hexo_out, xint_out = built
    svg = "2020/07/08/my-post/output_2_0.svg"
    assert (xint_out / svg).read_bytes() == (hexo_out / svg).read_bytes()
    post = BeautifulSoup(
        (xint_out / "2020/07/08/my-post/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert [img["src"] for img in post.select("div.post-body img")] == ["output_2_0.svg"]


def test_listings_link_to_hexos_urls(built: tuple[Path, Path, Path]) -> None:
    _, _, xint_out = built
    post = BeautifulSoup(
        (xint_out / "2021/09/09/notes/deep/attention/index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    links = {a["href"] for a in post.select("a[href]")}
    assert {
        "/blog/categories/%E6%9C%BA%E5%99%A8%E5%AD%A6%E4%B9%A0/",  # 机器学习
        "/blog/categories/%E6%9C%BA%E5%99%A8%E5%AD%A6%E4%B9%A0/%E6%B7%B1%E5%BA%A6%E5%AD%A6%E4%B9%A0/",
        "/blog/tags/Attention/",
    } <= links


def test_archives_say_what_they_hold(built: tuple[Path, Path, Path]) -> None:
    _, _, xint_out = built

    def heading(path: str) -> str:
        page = BeautifulSoup((xint_out / path).read_text(encoding="utf-8"), "html.parser")
        return page.select_one("h1.listing-title").get_text()

    assert heading("archives/index.html") == "归档"  # the blog's language is zh-CN
    assert heading("archives/2021/index.html") == "归档: 2021"
    assert heading("archives/2021/05/index.html") == "归档: 2021/05"
    month = BeautifulSoup(
        (xint_out / "archives/2021/05/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    titles = [h.get_text(strip=True) for h in month.select(".post-item-title")]
    assert titles == ["梯度笔记", "简单的梯度运算"]  # newest first


# Other _config.yml settings, each built by both: the URLs must be the same.
VARIANTS = {
    "abbrlink": {"permalink": "posts/:abbrlink/"},
    "abbrlink-no-slash": {"permalink": "p/:abbrlink", "post_asset_folder": "false"},
    "hash": {"permalink": ":year/:i_month/:i_day/:post_title-:hash/"},
    "category": {"permalink": ":category/:name.html"},
    "folders": {
        "permalink": ":timestamp/:hour:minute:second/:name/",
        "tag_dir": "t",
        "category_dir": "c/x",
        "archive_dir": "archive",
        "pagination_dir": "p",
        "per_page": "2",
    },
    "slug-maps": {
        "permalink": ":category/:title/",
        "category_map": "{机器学习: ml, Tutorials: 教程}",
        "tag_map": "{深度学习: DL, C++: cpp}",
        "filename_case": "1",
    },
    "dated-file-names": {"new_post_name": ":year-:month-:day-:title.md"},
    # dates read in another zone than this machine's: 2021-01-01 00:00 in Shanghai is
    # 2020-12-31 16:00 in UTC, so that post's URL and archive move to 2020
    "shanghai": {"timezone": "Asia/Shanghai"},
    "new-york": {"timezone": "America/New_York"},
    "generators": {  # the plugins' own settings, which change URLs too
        "tag_generator": "{per_page: 1}",
        "category_generator": "{per_page: 2}",
        "archive_generator": "{per_page: 0, yearly: true, monthly: false, daily: true}",
        "index_generator": "{path: blog, per_page: 2, pagination_dir: more}",
    },
    "globs": {
        "skip_render": "[README.md, demo/**]",
        "include": "[.nojekyll, _redirects]",
        "exclude": "notes/private.md",
        "ignore": "['**/*.psd']",
    },
}
# Files that _config.yml's globs decide on
GLOBBED = {
    "source/README.md": "# A README, copied as it is (skip_render)\n",
    "source/demo/page.md": "---\ntitle: Demo\n---\nCopied as it is too.\n",
    "source/.nojekyll": "",
    "source/_redirects": "/old /new 301\n",
    "source/notes/private.md": "---\ntitle: Private\n---\nLeft out (exclude).\n",
    "source/notes/big.psd": "left out (ignore)",
    "source/notes/public.md": "---\ntitle: Public\n---\nA page.\n",
    "source/notes/old.markdown": "---\ntitle: Old\n---\nA page in a .markdown file.\n",
    "source/_posts/older.markdown": "---\ntitle: Older\ndate: 2019-01-01\n---\nA post.\n",
}
# A post named as `new_post_name: :year-:month-:day-:title.md` writes it, with no date
# in its front matter: the file name gives both its :title and its date.
DATED_POST = {
    "source/_posts/2019-12-24-christmas-eve.md": "---\ntitle: Christmas Eve\ntags: [hexo]\n---\nA post dated by its file name.\n"
}


@pytest.mark.parametrize("name", VARIANTS)
def test_other_permalinks_and_folders(hexo_built: dict[str, tuple[Path, Path]], name: str) -> None:
    config = VARIANTS[name]
    blog, hexo_out = hexo_built[name]
    hexo, xint = hexo_files(hexo_out), xint_files(build_with_xint(blog))
    if "tag_dir" in config:  # our lists of all tags and categories are in the new folders
        xint -= {"t/index.html", "c/x/index.html"}
    if name == "dated-file-names":
        assert "2019/12/24/christmas-eve/index.html" in hexo
    if name == "generators":
        assert (
            "archives/2021/05/04/index.html" in hexo and "archives/2021/05/index.html" not in hexo
        )
        assert "archives/page/2/index.html" not in hexo  # per_page: 0, one page
        assert "tags/深度学习/page/5/index.html" in hexo
        assert {"blog/index.html", "blog/more/2/index.html"} <= hexo
    if name == "globs":
        assert {"README.md", "demo/page.md", ".nojekyll", "_redirects"} <= hexo
        assert "notes/public.html" in hexo and "notes/private.html" not in hexo
        assert "notes/old.html" in hexo  # .markdown is Markdown too
        assert "2019/01/01/older/index.html" not in hexo  # but a post is new_post_name's .md
    if name == "shanghai":  # 2021-01-01 00:00:00 in Shanghai
        assert "2020/12/31/2021/new-year/index.html" in hexo
    if name == "new-york":  # 2020-12-31 23:59:59 in New York
        assert "2021/01/01/year-end/index.html" in hexo
    if name in ("category", "slug-maps"):
        # A post in two category chains ([[机器学习, 回归], [Tutorials]]): Hexo's :category
        # is whichever of its categories Hexo created last, which changes from one run of
        # Hexo to the next; xint-site takes the last chain, always.
        either = {
            "机器学习/回归/linear-regression.html",
            "Tutorials/linear-regression.html",
            "ml/回归/linear-regression/index.html",
            "教程/linear-regression/index.html",
        }
        ours = {"Tutorials/linear-regression.html", "教程/linear-regression/index.html"}
        assert len(hexo & either) == 1 and len(xint & either) == 1 and xint & either <= ours
        hexo, xint = hexo - either, xint - either
    assert sorted(xint) == sorted(hexo)


def test_drafts_are_built_with_drafts(hexo_built: dict[str, tuple[Path, Path]]) -> None:
    blog, hexo_out = hexo_built["drafts"]
    hexo = hexo_files(hexo_out)
    xint = xint_files(build_with_xint(blog, "--drafts"))
    assert "2021/10/01/unfinished-idea/index.html" in hexo  # in _drafts/
    assert "2021/03/03/hidden-thoughts/index.html" in hexo  # published: false
    assert sorted(xint) == sorted(hexo)


def test_the_source_folder_alone_builds_the_same_blog(built: tuple[Path, Path, Path]) -> None:
    blog, _, xint_out = built
    out = blog.parent / "from-source"
    result = run_cli("build", blog / "source", "-o", out, "--no-execute")
    assert result.returncode == 0, result.stderr
    assert xint_files(out) == xint_files(xint_out)


def test_a_missing_permalink_token_is_an_error_naming_the_post(tmp_path: Path) -> None:
    blog = blog_copy(tmp_path, config={"permalink": "posts/:abbrlink/"})  # the seed has none
    out = tmp_path / "out"
    result = run_cli("build", blog, "-o", out, "--no-execute")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{blog / 'source/_posts/autograd.md'}:1: the permalink 'posts/:abbrlink/' needs "
        "':abbrlink', and this post has no 'abbrlink' in its front matter"
    )
    assert not out.exists()


def test_verbose_names_the_unused_config_keys_once(tmp_path: Path) -> None:
    blog = blog_copy(tmp_path, seed=False)
    loud = run_cli("build", blog, "-o", tmp_path / "loud", "--no-execute", "-v")
    quiet = run_cli("build", blog, "-o", tmp_path / "quiet", "--no-execute")
    assert loud.returncode == 0 and quiet.returncode == 0, loud.stderr + quiet.stderr
    notes = [line for line in loud.stderr.splitlines() if "not used here" in line]
    assert notes == [
        f"{blog / '_config.yml'}: not used here (Hexo's themes and plugins): keywords, "
        "permalink_defaults, pretty_urls, public_dir, code_dir, i18n_dir, default_layout, "
        "titlecase, external_link, render_drafts, relative_link, future, syntax_highlighter, "
        "highlight, date_format, time_format, updated_option, theme, deploy"
    ]
    assert "not used here" not in quiet.stderr


def test_the_preview_builder_follows_edits_to_posts(tmp_path: Path) -> None:
    """What ``xint-site serve`` does on a save: a new post gets its URL and its listings."""
    blog = blog_copy(tmp_path, seed=False)
    out = tmp_path / "out"
    options = BuildOptions(blog, out, execute=False, jobs=1)
    with SiteBuilder(options, warm_kernels=False) as builder:
        assert builder.build().report.ok
        assert blog in builder.watched_paths()
        new = blog / "source/_posts/fresh.md"
        new.write_text("---\ntitle: Fresh\ndate: 2022-02-02\ntags: [new tag]\n---\nNew.\n")
        result = builder.rebuild([new])
        assert result.report.ok, result.report.errors
    assert (out / "2022/02/02/fresh/index.html").is_file()
    assert (out / "tags/new-tag/index.html").is_file()
    assert (out / "archives/2022/02/index.html").is_file()


def test_a_broken_config_yml_is_an_error_at_its_line(tmp_path: Path) -> None:
    blog = blog_copy(tmp_path, seed=False)
    config = blog / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "per_page: [\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", blog, "-o", out, "--no-execute")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{config}:") and ": invalid YAML: " in first, first
    assert not out.exists()


def test_a_listing_shows_what_comes_before_more(built: tuple[Path, Path, Path]) -> None:
    _, _, xint_out = built
    home = BeautifulSoup(
        (xint_out / "page/4/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    [hello] = [li for li in home.select("li.post-item") if "Hello World" in li.get_text()]
    excerpt = hello.select_one(".excerpt").get_text()
    assert "Welcome to this blog" in excerpt and "Quick start" not in excerpt
