"""A forked kernel is a fresh kernel: the same outputs, the same interpreter state.

``content/`` plus a page that prints what a page could notice of its interpreter is
built with the real MXNet, TensorFlow and PyTorch kernels: by default (kernels forked
from a parent that imported the framework; the run's shared build,
``tests/real_content.py``) and with ``isolate: true`` (every kernel started from
scratch). Every output must match.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.real_content import IMPORTS, real_content

pytestmark = pytest.mark.slow


def outputs(out: Path) -> dict[str, list[str]]:
    """Every output of every page, by page and framework, with volatile parts normalised."""
    found: dict[str, list[str]] = {}
    for html in sorted(out.rglob("index.html")):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for output in soup.select("output"):
            tab = output.find_parent(attrs={"data-framework": True})
            key = f"{html.parent.relative_to(out)} {tab['data-framework'] if tab else ''}"
            text = re.sub(r"0x[0-9a-f]+", "0x", output.get_text())
            found.setdefault(key, []).append(re.sub(r"ipykernel_\d+/\d+", "ipykernel", text))
    return found


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    """Both builds of ``tests/real_content.py`` (shared with the other real-kernel tests),
    by page and framework."""
    made = real_content(tmp_path_factory)
    for name, built in made.items():
        assert built.result.returncode == 0, (name, built.result.stderr)
    return {name: outputs(built.out) for name, built in made.items()}


def test_forked_kernels_give_a_fresh_kernels_outputs(builds: dict) -> None:
    fresh = builds["fresh"]
    forked = {k: v for k, v in builds["forked"].items() if not k.startswith("state-again ")}
    random_cells = {k: v[-1] for k, v in forked.items() if k.startswith("state ")}
    for key in forked:
        if key in random_cells:
            assert forked[key][:-1] == fresh[key][:-1], key
        else:
            assert forked[key] == fresh[key], key
    assert forked.keys() == fresh.keys()
    assert any("tensor([ 0.,  8., 16., 24.])" not in "".join(v) for v in forked.values())


def test_forked_kernels_draw_new_random_numbers(builds: dict) -> None:
    forked = builds["forked"]
    for fw in IMPORTS:
        assert forked[f"state {fw}"][:-1] == forked[f"state-again {fw}"][:-1], fw
        first, again = forked[f"state {fw}"][-1], forked[f"state-again {fw}"][-1]
        assert first != again, f"{fw}: two kernels forked from one parent draw the same numbers"
