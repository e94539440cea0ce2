"""End to end with the real frameworks: content/ built with MXNet, TensorFlow, PyTorch kernels.

`make test` provisions the three kernels first (`make kernels`); the run's one build of
``content/`` with them (``tests/real_content.py``) runs every notebook for real (the
content is copied, so no stored output is used).
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.real_content import real_content

pytestmark = pytest.mark.slow

POST = "2021/05/04/autograd/index.html"
FRAMEWORKS = ("mxnet", "tensorflow", "pytorch")


@pytest.fixture(scope="module")
def post(tmp_path_factory: pytest.TempPathFactory) -> BeautifulSoup:
    forked = real_content(tmp_path_factory)["forked"]
    out, result = forked.out, forked.result
    assert result.returncode == 0, result.stderr
    ran = re.search(r"(\d+) notebooks: (\d+) executed, 0 from cache, 0 failed", result.stderr)
    assert ran and ran[1] == ran[2], result.stderr  # every notebook ran, none was stored
    return BeautifulSoup((out / POST).read_text(encoding="utf-8"), "html.parser")


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+\.?\d*(?:e-?\d+)?", text.split("numpy=")[-1])]


def outputs_of(post: BeautifulSoup, set_index: int) -> dict[str, str]:
    tab_set = post.select("div.post-body div.tab-set:not(.output-tabs)")[set_index]
    return {
        tab["data-framework"]: "".join(o.get_text() for o in tab.find_all("output"))
        for tab in tab_set.find_all("div", class_="tab-content", recursive=False)
    }


def test_every_framework_computes_y_equal_28(post: BeautifulSoup) -> None:
    assert outputs_of(post, 2) == dict.fromkeys(FRAMEWORKS, "28.0")


def test_gradient_of_2_xtx_is_0_4_8_12_in_every_framework(post: BeautifulSoup) -> None:
    outputs = outputs_of(post, 3)
    for fw in FRAMEWORKS:
        assert numbers(outputs[fw])[-4:] == [0.0, 4.0, 8.0, 12.0], (fw, outputs[fw])
    assert outputs["tensorflow"].startswith("<tf.Tensor: shape=(4, 1)")
    assert outputs["pytorch"].startswith("tensor(")


def test_gradient_of_sum_is_ones(post: BeautifulSoup) -> None:
    for fw, text in outputs_of(post, 4).items():
        assert numbers(text)[-4:] == [1.0] * 4, (fw, text)


def test_detach_check_is_all_true(post: BeautifulSoup) -> None:
    for fw, text in outputs_of(post, 6).items():
        assert text.count("True") == 4 and "False" not in text, (fw, text)


def test_shared_cell_shows_each_frameworks_own_tensor(post: BeautifulSoup) -> None:
    shared = post.select_one("div.output-tabs")
    texts = {t["data-framework"]: t.get_text() for t in shared.select("div.tab-content")}
    assert texts["mxnet"].strip().startswith("array(")
    assert texts["tensorflow"].strip().startswith("<tf.Tensor")
    assert texts["pytorch"].strip().startswith("tensor(")


def test_no_framework_writes_warnings_into_the_page(post: BeautifulSoup) -> None:
    assert post.select("output.output-stderr") == []
