"""config.ini: what a book's config gives the site, and each mistake as path:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from xint_site.book.config import (
    BookConfig,
    glob_matches,
    load_book_config,
    merge_site_config,
    parse_book_config,
)
from xint_site.config import Framework, SiteConfig

D2L_EN = """\
[project]

# The project name
name = d2l-en

title = Dive into Deep Learning

author = Aston Zhang, Zachary C. Lipton, Mu Li, and Alexander J. Smola

copyright = 2023, All authors. Licensed under CC-BY-SA-4.0 and MIT-0.

release = 1.0.0-beta0

[build]

notebooks = *.md */*.md

resources = img/ d2l/ d2l.bib setup.py static/latex_style/

exclusions = README.md STYLE_GUIDE.md contrib/*md

eval_notebook = True

tabs = pytorch, mxnet, jax, tensorflow

[html]

header_links = PyTorch, https://example.org/d2l-en.pdf, fas fa-file-pdf,
               GitHub, https://github.com/d2l-ai/d2l-en, fab fa-github

[pdf]

post_latex = ./static/post_latex/main.py
bibfile = d2l.bib
style = cambridge

[library-mxnet]

simple_alias = ones_like, ones, zeros_like, tensor -> array, normal -> random.normal
"""


def read(text: str, tmp_path: Path) -> tuple[BookConfig | None, list[str]]:
    (tmp_path / "config.ini").write_text(text, encoding="utf-8")
    config, problems = load_book_config(tmp_path)
    return config, [str(p) for p in problems]


def test_d2l_en_config_reads_as_d2l_book_reads_it(tmp_path):
    config, problems = read(D2L_EN, tmp_path)
    assert problems == []
    assert config is not None
    assert config.title == "Dive into Deep Learning"
    assert config.authors == ("Aston Zhang", "Zachary C. Lipton", "Mu Li", "Alexander J. Smola")
    assert config.copyright.startswith("2023, All authors.")
    assert config.release == "1.0.0-beta0"
    assert config.tabs == ("pytorch", "mxnet", "jax", "tensorflow")
    assert config.default_tab == "pytorch"
    assert config.notebooks == ("*.md", "*/*.md")
    assert config.exclusions == ("README.md", "STYLE_GUIDE.md", "contrib/*md")
    assert config.resources == ("img/", "d2l/", "d2l.bib", "setup.py", "static/latex_style/")
    assert config.bibfile == "d2l.bib"
    assert config.index == "index.md"
    assert config.line("build", "tabs") == 24


def test_a_folder_without_config_ini_is_no_book(tmp_path):
    assert load_book_config(tmp_path) == (None, [])


def test_defaults_of_an_almost_empty_config(tmp_path):
    config, problems = read("[project]\ntitle = T\n", tmp_path)
    assert problems == [] and config is not None
    assert config.tabs == () and config.default_tab is None
    assert config.notebooks == ("**/*.md",)
    assert config.includes("index.md") and config.includes("a/b/c.md")


def test_percent_signs_are_text_not_interpolation(tmp_path):
    config, problems = read("[project]\ntitle = 100% Deep Learning\n", tmp_path)
    assert problems == [] and config is not None and config.title == "100% Deep Learning"


def test_notebooks_and_exclusions_choose_the_pages_of_the_book(tmp_path):
    config, _ = read(D2L_EN, tmp_path)
    assert config is not None
    assert config.includes("index.md")
    assert config.includes("chapter_preliminaries/ndarray.md")
    assert not config.includes("chapter_a/deeper/page.md")  # */*.md: one folder down only
    assert not config.includes("README.md")
    assert not config.includes("contrib/notes.md")


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("**/*.md", "index.md", True),
        ("**/*.md", "a/b/c.md", True),
        ("*.md", "a/b.md", False),
        ("*/*.md", "a/b.md", True),
        ("contrib/*md", "contrib/x.md", True),
        ("./index.md", "index.md", True),
        ("chapter_?/x.md", "chapter_1/x.md", True),
        ("a.md", "a_md", False),
    ],
)
def test_globs_follow_glob_glob_recursive(pattern, path, matches):
    assert glob_matches(pattern, path) is matches


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title = T\n", "config.ini:1: a '[section]' line must come before any option"),
        (
            "[project]\ntitle = T\ntitle = U\n",
            "config.ini:3: 'title' is set twice in [project]",
        ),
        ("[project]\n[build]\n[project]\n", "config.ini:3: section [project] appears twice"),
        (
            "[project]\ntitle = T\n  ok continuation\n[build]\n= no key\n",
            "config.ini:5: not an 'option = value' line: '= no key'",
        ),
    ],
)
def test_an_unreadable_config_is_path_line_message(tmp_path, text, message):
    config, problems = read(text, tmp_path)
    assert config is None
    assert [p.replace(str(tmp_path) + "/", "") for p in problems] == [message]


def test_a_config_that_is_not_utf8_is_an_error(tmp_path):
    (tmp_path / "config.ini").write_bytes(b"[project]\ntitle = caf\xe9\n")
    config, problems = load_book_config(tmp_path)
    assert config is None
    assert [str(p) for p in problems] == [
        f"{tmp_path}/config.ini:1: not UTF-8 text (invalid continuation byte)"
    ]


def book(tabs: str, title: str = "The Book") -> BookConfig:
    config, problems = parse_book_config(
        f"[project]\ntitle = {title}\nauthor = A and B\n\n[build]\ntabs = {tabs}\n",
        Path("content/config.ini"),
    )
    assert problems == [] and config is not None
    return config


def test_tab_order_comes_from_tabs_and_kernels_from_xint_yml():
    jax = Framework(id="jax", label="JAX", kernel="xint-jax")
    torch = Framework(id="pytorch", label="PyTorch", aliases=("torch",), kernel="my-torch")
    site = SiteConfig(frameworks=(torch, jax))
    merged, problems = merge_site_config(book("jax, mxnet, torch"), site)
    assert problems == []
    assert [f.id for f in merged.frameworks] == ["jax", "mxnet", "pytorch"]
    assert merged.frameworks[0] is jax  # the first tab is the default
    assert merged.frameworks[1].kernel == "xint-mxnet"  # built in, not in xint.yml
    assert merged.frameworks[2].kernel == "my-torch"  # xint.yml wins over the built-in


def test_a_book_builds_only_its_tabs():
    merged, _ = merge_site_config(book("pytorch"), SiteConfig())
    assert [f.id for f in merged.frameworks] == ["pytorch"]
    merged, _ = merge_site_config(book("tensorflow, mxnet"), SiteConfig())
    assert [f.id for f in merged.frameworks] == ["tensorflow", "mxnet"]


def test_a_tab_that_no_framework_describes_is_an_error_naming_it():
    _, problems = merge_site_config(book("pytorch, jax, paddle"), SiteConfig())
    assert [str(p) for p in problems] == [
        "content/config.ini:6: tab 'jax' is no framework that xint.yml describes: add it "
        "under 'frameworks:' in xint.yml with its kernel",
        "content/config.ini:6: tab 'paddle' is no framework that xint.yml describes: add it "
        "under 'frameworks:' in xint.yml with its kernel",
    ]


def test_a_tab_listed_twice_is_an_error():
    _, problems = merge_site_config(book("pytorch, torch"), SiteConfig())
    assert [str(p) for p in problems] == ["content/config.ini:6: tab 'torch' is listed twice"]


def test_title_and_author_come_from_config_ini_unless_xint_yml_sets_them():
    merged, _ = merge_site_config(book("pytorch"), SiteConfig())
    assert (merged.title, merged.author) == ("The Book", "A and B")
    merged, _ = merge_site_config(book("pytorch"), SiteConfig(title="Site", author="Me"))
    assert (merged.title, merged.author) == ("Site", "Me")
