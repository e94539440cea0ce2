"""The theme's interface strings in the site's language: tables, aliases, fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_cli
from xint_site.site.i18n import load_tables, strings_for, table_name
from xint_site.site.theme import builtin_themes_dir

THEME = builtin_themes_dir() / "default"


@pytest.mark.parametrize(
    ("language", "table"),
    [
        ("zh-CN", "zh-CN"),
        ("zh-cn", "zh-CN"),
        ("zh_CN", "zh-CN"),
        ("zh-Hans", "zh-CN"),
        ("zh", "zh-CN"),
        ("zh-Hans-CN", "zh-CN"),
        ("en", "en"),
        ("en-GB", "en"),
        ("zh-TW", None),  # Traditional Chinese is not the simplified table
        ("zh-Hant", None),
        ("fr", None),
    ],
)
def test_a_language_picks_its_table(language: str, table: str | None) -> None:
    tables, problems = load_tables([THEME])
    assert problems == []
    assert table_name(language, tables) == table


def test_every_english_string_has_a_chinese_translation() -> None:
    tables, _ = load_tables([THEME])
    assert set(tables["zh-CN"]) == set(tables["en"])
    assert {"download_notebook", "on_this_page", "read_more", "search"} <= set(tables["en"])


def test_a_missing_string_falls_back_to_english(tmp_path: Path) -> None:
    site = tmp_path / "_theme"
    (site / "i18n").mkdir(parents=True)
    (site / "i18n" / "zh-CN.yml").write_text("copy: 拷贝\n", encoding="utf-8")
    (site / "i18n" / "de.yml").write_text("copy: Kopieren\n", encoding="utf-8")
    tables, problems = load_tables([site, THEME])
    assert problems == []
    chinese = strings_for("zh", tables)
    assert chinese("copy") == "拷贝"  # the site's override wins
    assert chinese("dark_mode") == "深色模式"  # the theme's translation stays
    german = strings_for("de-AT", tables)
    assert german("copy") == "Kopieren" and german("dark_mode") == "Dark mode"
    assert strings_for("fr", tables)("search") == "Search"
    assert str(german("page_of", number=2, pages="<3>")) == "Page 2 of &lt;3&gt;"


def test_a_broken_table_is_an_error_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "en.yml").write_text("copy: Copy\nsearch: [a, b]\n", encoding="utf-8")
    (tmp_path / "i18n" / "fr.yml").write_text("copy: 'Copier\n", encoding="utf-8")
    _, problems = load_tables([tmp_path])
    shown = sorted(str(p) for p in problems)
    assert shown[0] == f"{tmp_path}/i18n/en.yml:2: 'search': expected a text"
    assert shown[1].startswith(f"{tmp_path}/i18n/fr.yml:2: invalid YAML: while scanning")


def _site(root: Path, language: str | None) -> Path:
    content = root / "content"
    content.mkdir(parents=True)
    config = "title: T\nurl: http://example.org/\n"
    if language is not None:
        config += f"language: {language}\n"
    (content / "xint.yml").write_text(config, encoding="utf-8")
    (content / "p.md").write_text(
        "---\ntitle: P\ndate: 2024-01-02\n---\n## A\n\n## B\n\n## C\n\nText\n", encoding="utf-8"
    )
    return content


@pytest.mark.slow
@pytest.mark.parametrize(
    ("language", "lang", "skip", "toc", "nav"),
    [
        ("zh-Hans", "zh-Hans", "跳到正文", "本页目录", "首页"),
        ("zh", "zh", "跳到正文", "本页目录", "首页"),
        (None, "en", "Skip to content", "On this page", "Home"),
        ("fr", "fr", "Skip to content", "On this page", "Home"),
    ],
)
def test_the_built_site_speaks_its_language(
    tmp_path: Path, language: str | None, lang: str, skip: str, toc: str, nav: str
) -> None:
    content = _site(tmp_path, language)
    result = run_cli("build", content, "-o", tmp_path / "out", "--no-execute")
    assert result.returncode == 0, result.stderr
    post = BeautifulSoup(
        (tmp_path / "out/2024/01/02/p/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert post.html is not None and post.html["lang"] == lang
    assert post.select_one("a.skip-link").get_text() == skip
    assert post.select_one("nav.toc summary").get_text() == toc
    assert post.select_one("nav.site-nav a").get_text() == nav
    not_found = (tmp_path / "out/404.html").read_text(encoding="utf-8")
    assert ('href="/">首页</a>' in not_found) == (nav == "首页")


@pytest.mark.slow
def test_a_broken_translation_table_fails_the_build(tmp_path: Path) -> None:
    content = _site(tmp_path, "zh-CN")
    (content / "_theme" / "i18n").mkdir(parents=True)
    (content / "_theme" / "i18n" / "zh-CN.yml").write_text("copy: 复制\nout: {\n", encoding="utf-8")
    result = run_cli("build", content, "-o", tmp_path / "out", "--no-execute")
    assert result.returncode == 1
    assert f"{content}/_theme/i18n/zh-CN.yml:" in result.stderr
    assert "invalid YAML" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
