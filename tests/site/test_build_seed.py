"""End to end: the seed page (a real Hexo post) builds unchanged into the expected HTML."""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup

from tests.conftest import SEED, run_cli

pytestmark = pytest.mark.slow

SEED_URL = "2021/05/04/seed/index.html"


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory: pytest.TempPathFactory) -> BeautifulSoup:
    root = tmp_path_factory.mktemp("seed")
    content = root / "content"
    content.mkdir()
    shutil.copy(SEED, content / "seed.md")
    result = run_cli("build", content, "-o", root / "out", "--no-execute")
    assert result.returncode == 0, result.stderr
    html = (root / "out" / SEED_URL).read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def test_seed_has_seven_tab_sets_of_three_framework_tabs(seed_page: BeautifulSoup) -> None:
    sets = seed_page.select("div.tab-set.w3-light-grey")
    assert len(sets) == 7
    labels = [label.get_text() for s in sets for label in s.find_all("label", recursive=False)]
    assert len(labels) == 21
    assert labels == ["MXNet", "TensorFlow", "PyTorch"] * 7


def test_seed_tab_structure_is_w3_with_stable_unique_ids(seed_page: BeautifulSoup) -> None:
    ids = [el["id"] for el in seed_page.select("[id]")]
    assert len(ids) == len(set(ids))
    for n, tab_set in enumerate(seed_page.select("div.tab-set")):
        inputs = tab_set.find_all("input", recursive=False)
        assert [i["id"] for i in inputs] == [f"tab-set--{n}-input--{k}" for k in (1, 2, 3)]
        assert [i.has_attr("checked") for i in inputs] == [True, False, False]
        assert {i["name"] for i in inputs} == {f"tab-set--{n}"}
        contents = tab_set.find_all("div", class_="tab-content", recursive=False)
        assert all("w3-padding" in c["class"] for c in contents) and len(contents) == 3


def test_seed_has_22_code_cells(seed_page: BeautifulSoup) -> None:
    cells = seed_page.select("div.highlight[data-cell]")
    assert len(cells) == 22
    assert [int(c["data-cell"]) for c in cells] == list(range(22))
    assert seed_page.select("div.highlight .k, div.highlight .kn"), "no Pygments classes"


def test_seed_math_is_mathml_with_no_dollar_left(seed_page: BeautifulSoup) -> None:
    body = seed_page.select_one("div.post-body")
    maths = body.find_all("math")
    display = [m for m in maths if m.get("display") == "block"]
    assert len(display) == 13
    assert len(maths) - len(display) == 33
    for math in maths:
        math.decompose()
    for code in body.select("div.highlight"):
        code.decompose()
    assert "$" not in body.get_text()


def test_seed_outputs_are_kept_under_their_cells(seed_page: BeautifulSoup) -> None:
    outputs = seed_page.find_all("output")
    assert len(outputs) == 7
    assert outputs[0].get_text() == "28.0"
    assert outputs[2].get_text().startswith("<tf.Tensor: shape=(4, 1)")
    assert "&lt;tf.Tensor" in str(outputs[2])


def test_seed_front_matter_shows_up(seed_page: BeautifulSoup) -> None:
    assert seed_page.title.get_text().startswith("简单的梯度运算")
    assert seed_page.select_one("h1.post-title").get_text() == "简单的梯度运算"
    assert seed_page.select_one("a.tag").get_text() == "#深度学习"
    assert seed_page.select_one("time")["datetime"] == "2021-05-04T16:44:49"


def test_built_site_loads_nothing_from_another_host(seed_page: BeautifulSoup) -> None:
    for tag, attr in (("link", "href"), ("script", "src"), ("img", "src")):
        for el in seed_page.find_all(tag):
            if el.get(attr):
                assert not el[attr].startswith(("http:", "https:", "//")), el
