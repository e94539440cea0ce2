"""End to end: ``content/`` builds into a whole site: posts, listings, assets."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import CONTENT, run_cli

pytestmark = pytest.mark.slow

POST = "2021/05/04/autograd/index.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    result = run_cli("build", CONTENT, "-o", out, "--no-execute")
    assert result.returncode == 0, result.stderr
    return out


def soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def test_site_has_posts_pages_listings_and_404(site: Path) -> None:
    for rel in [
        POST,
        "about/index.html",
        "index.html",
        "tags/index.html",
        "tags/深度学习/index.html",
        "categories/xint/index.html",
        "404.html",
    ]:
        assert (site / rel).is_file(), rel


def test_ported_page_uses_native_syntax_for_the_same_tab_sets(site: Path) -> None:
    page = soup(site, POST)
    sets = page.select("div.tab-set")
    assert len(sets) == 7
    for tab_set in sets:
        labels = [lb.get_text() for lb in tab_set.find_all("label", recursive=False)]
        assert labels == ["MXNet", "TensorFlow", "PyTorch"]
    assert len(page.select("div.highlight[data-cell]")) == 22  # 21 tab cells + 1 shared
    assert len(page.find_all("math", display="block")) == 13


def test_index_lists_the_post_with_its_excerpt(site: Path) -> None:
    index = soup(site, "index.html")
    link = index.select_one("h2.post-item-title a")
    assert link.get_text() == "简单的梯度运算"
    assert link["href"] == "/2021/05/04/autograd/"
    assert index.select_one(".excerpt math") is not None


def test_assets_include_css_pygments_and_the_math_font(site: Path) -> None:
    font = site / "assets/fonts/STIXTwoMath.woff2"
    assert font.read_bytes()[:4] == b"wOF2"
    css = (site / "assets/pygments.css").read_text()
    assert ".highlight .k" in css and "prefers-color-scheme: dark" in css
    assert "STIX Two Math" in (site / "assets/xint.css").read_text()


def test_an_output_folder_inside_the_content_folder_is_not_copied_into_itself(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("---\ntitle: A\n---\n\ntext\n")
    (content / "logo.txt").write_text("logo")
    for _ in range(2):
        result = run_cli("build", content, "-o", content / "site", "--no-execute")
        assert result.returncode == 0, result.stderr
    assert (content / "site/logo.txt").is_file()
    assert not (content / "site/site").exists()
