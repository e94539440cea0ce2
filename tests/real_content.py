"""``content/`` built once per run with the real MXNet, TensorFlow and PyTorch kernels.

Two test files read this one build: ``tests/execute/test_content_frameworks.py`` checks
the outputs of ``content/``'s own post, and ``tests/reliability/test_fresh_equivalence.py``
compares every output with a build whose kernels all start from scratch. Beside
``content/`` it holds a page that prints what a page could notice of its interpreter
(path, argv, working folder, environment names, threads, signal handlers, warning filters
before and after importing the framework, random streams), twice (``state`` and
``state-again``): two kernels forked from one parent must still draw different numbers.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CONTENT, made_once, run_cli

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


def copy_content(to: Path) -> Path:
    """``content/`` without its stored outputs, so every notebook runs."""
    shutil.copytree(CONTENT, to, ignore=shutil.ignore_patterns("_freeze"))
    return to


def real_content(factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The built site (``content/``, ``state`` and ``state-again`` with forked kernels,
    ``-j 2``) and what the build said; made once per run, whichever worker asks first."""
    with made_once(factory, "real-content") as (root, fresh):
        said = root / "result.json"
        if fresh:
            content = copy_content(root / "content")
            (content / "state.md").write_text(state_page(), encoding="utf-8")
            (content / "state-again.md").write_text(state_page(), encoding="utf-8")
            result = run_cli("build", content, "-o", root / "out", "-j", "2", timeout=900)
            said.write_text(json.dumps([result.returncode, result.stdout, result.stderr]))
        returncode, stdout, stderr = json.loads(said.read_text())
    return root / "out", subprocess.CompletedProcess(["xint-site"], returncode, stdout, stderr)
