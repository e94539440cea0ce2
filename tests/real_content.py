"""``content/`` built once per run with the real MXNet, TensorFlow and PyTorch kernels.

Two test files read it: ``tests/execute/test_content_frameworks.py`` checks the outputs
of ``content/``'s own post, and ``tests/reliability/test_fresh_equivalence.py`` compares
every output with those of a second build whose kernels all start from scratch. Beside
``content/`` it holds a page that prints what a page could notice of its interpreter
(path, argv, working folder, environment names, threads, signal handlers, warning filters
before and after importing the framework, random streams), twice (``state`` and
``state-again``): two kernels forked from one parent must still draw different numbers.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CONTENT, keep_result, kept_result, made_once, run_cli

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


@dataclass(frozen=True)
class Built:
    """A built site and what its build said."""

    out: Path
    result: subprocess.CompletedProcess[str]


def copy_content(to: Path) -> Path:
    """``content/`` without its stored outputs, so every notebook runs."""
    shutil.copytree(CONTENT, to, ignore=shutil.ignore_patterns("_freeze"))
    return to


def real_content(factory: pytest.TempPathFactory) -> dict[str, Built]:
    """Two builds, made once per run by whichever worker asks first:

    - ``forked``: ``content/``, ``state`` and ``state-again``, kernels forked from
      parents that imported the frameworks (the default);
    - ``fresh``: ``content/`` and ``state`` with ``isolate: true``, every kernel
      started from scratch.

    Both in one process, one after the other, so that they see the same environment
    (a worker that ran the Dask tests has variables of Dask's in its own)."""
    with made_once(factory, "real-content") as (root, fresh):
        if fresh:
            for name in ("forked", "fresh"):
                content = copy_content(root / name / "content")
                (content / "state.md").write_text(state_page(), encoding="utf-8")
                if name == "forked":
                    (content / "state-again.md").write_text(state_page(), encoding="utf-8")
                else:
                    config = content / "xint.yml"
                    text = config.read_text(encoding="utf-8") + "isolate: true\n"
                    config.write_text(text, encoding="utf-8")
                out = root / name / "out"
                result = run_cli("build", content, "-o", out, "-j", "2", timeout=900)
                keep_result(root / name / "result.json", result)
    return {
        name: Built(root / name / "out", kept_result(root / name / "result.json"))
        for name in ("forked", "fresh")
    }
