"""A forked kernel is a fresh kernel: the same outputs, the same interpreter state.

``content/`` plus a page that prints what a page could notice of its interpreter
(path, argv, working folder, environment names, threads, signal handlers,
warning filters before and after importing the framework, random streams) is
built with the real MXNet, TensorFlow and PyTorch kernels: by default (kernels
forked from a parent that imported the framework) and with ``isolate: true`` (every
kernel started from scratch). Every output must match.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import CONTENT, run_cli

pytestmark = pytest.mark.slow

STATE = """\
import os, signal, sys, threading, warnings
print(sys.path)
print(sys.argv[1:2], os.getcwd() == os.path.dirname(os.path.abspath('state.md')))
print(sorted(os.environ))
print(sorted(t.name for t in threading.enumerate()))
print([signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD)])
print([(f[0], str(f[1]), f[2].__name__, f[3]) for f in warnings.filters])
print(sys.getrecursionlimit(), sys.flags)
import threading
threading.Thread(target=print).start()
print(sorted(t.name for t in threading.enumerate()))
"""
IMPORTS = {
    "mxnet": "from mxnet import np, npx\nnpx.set_np()\nimport numpy\nprint(numpy.get_printoptions())",
    "tensorflow": "import tensorflow as tf\nimport numpy\nprint(numpy.get_printoptions())",
    "pytorch": "import torch\nprint(torch.get_default_dtype(), torch.get_num_threads())",
}
# A fresh kernel draws new random numbers each time: two runs must differ, and a
# forked kernel must not inherit its parent's stream (the same numbers every time).
RANDOM = {
    "mxnet": "import numpy\nnumpy.random.rand()",
    "tensorflow": "tf.random.uniform(()).numpy()",
    "pytorch": "torch.rand(1).item()",
}


def state_page() -> str:
    """The framework's import, then the state: a page that looks before importing its
    framework sees the preloaded modules' traces early (README: "Running cells")."""
    tabs = "".join(f"```python {fw}\n{code}\n```\n" for fw, code in IMPORTS.items())
    randoms = "".join(f"```python {fw}\n{code}\n```\n" for fw, code in RANDOM.items())
    return (
        "---\ntitle: state\nlayout: page\n---\n\n"
        f"The framework:\n\n{tabs}\nThe state:\n\n```python\n{STATE}```\n\n"
        f"Random:\n\n{randoms}"
    )


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
    """The forked build has the state page twice (``state`` and ``state-again``): two
    kernels forked from one parent must still draw different random numbers."""
    root = tmp_path_factory.mktemp("fresh")
    made = {}
    for name, extra in (("forked", ""), ("fresh", "isolate: true\n")):
        content = root / name / "content"
        shutil.copytree(CONTENT, content, ignore=shutil.ignore_patterns("_freeze"))
        (content / "state.md").write_text(state_page(), encoding="utf-8")
        if name == "forked":
            (content / "state-again.md").write_text(state_page(), encoding="utf-8")
        config = content / "xint.yml"
        config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")
        out = content.parent / "out"
        result = run_cli("build", content, "-o", out, "-j", "2", timeout=900)
        assert result.returncode == 0, result.stderr
        made[name] = outputs(out)
    return made


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
