"""No state leaks from page to page: every notebook's outputs are a fresh kernel's.

For each kind of leak, page ``a-<case>`` changes interpreter state and page
``b-<case>`` shows it. Built together at ``-j 1`` (so the same kernel parent
serves both, one after the other) page b must show exactly what it shows when
built alone. Page ``c-<case>`` runs both cells in one notebook: it proves that
each witness really does see the leak, so every test here can fail.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_cli, write_tree

pytestmark = pytest.mark.slow

# (leaking cell, witness cell, what the witness shows in a fresh kernel)
PYTHON_CASES = {
    "decimal": (
        "import decimal\ndecimal.getcontext().prec = 3",
        "from decimal import Decimal\nprint(Decimal(1) / Decimal(7))",
        "0.1428571428571428571428571429",
    ),
    "environ": (
        "import os\nos.environ['XINT_LEAK'] = 'leaked'",
        "import os\nprint(os.environ.get('XINT_LEAK', 'unset'))",
        "unset",
    ),
    "chdir": (
        "import os\nos.chdir('/')",
        "import os\nprint(os.path.exists('data.txt'))",
        "True",
    ),
    "sys-path": (
        "import sys\nsys.path.insert(0, '/leak')",
        "import sys\nprint('/leak' in sys.path)",
        "False",
    ),
    "warnings": (
        "import warnings\nwarnings.simplefilter('ignore')",
        "import warnings\nwarnings.warn('witness')\nprint('after')",
        "UserWarning: witness",
    ),
    "builtins": (
        "import builtins\nbuiltins.leaked_name = 'leaked'\nbuiltins.round = lambda *args: 0",
        "try:\n    print(leaked_name)\nexcept NameError:\n    print('no such name')\n"
        "print(round(2.5))",
        "no such name\n2",
    ),
    "monkey-patch": (
        "import math\nmath.pi = 3",
        "import math\nprint(math.pi)",
        "3.141592653589793",
    ),
    "page-module": (
        "open('leakmod.py', 'w').write('VALUE = \"written by a\"')\nimport leakmod",
        "open('leakmod.py', 'w').write('VALUE = \"written by b\"')\n"
        "import leakmod\nprint(leakmod.VALUE)",
        "written by b",
    ),
    "thread": (
        "import threading, time\n"
        "def chatter():\n    while True:\n        print('from a thread of page a')\n"
        "        time.sleep(0.1)\n"
        "threading.Thread(target=chatter, daemon=True).start()",
        "import threading, time\ntime.sleep(1)\nprint(threading.active_count())",
        "",  # the count of ipykernel's own threads: compared with the page built alone
    ),
    "precision": ("%precision 2", "3.14159", "3.14159"),
    "random-seed": (
        "import random\nrandom.seed(0)",
        "import random\nprint(random.random() == 0.8444218515250481)",
        "False",
    ),
    "numpy-print": (
        "import numpy as np\nnp.set_printoptions(precision=2)",
        "import numpy as np\nprint(np.array([1 / 3]))",
        "[0.33333333]",
    ),
    "numpy-seed": (
        "import numpy as np\nnp.random.seed(0)",
        "import numpy as np\nprint(np.random.rand() == 0.5488135039273248)",
        "False",
    ),
    "numpy-patch": (
        "import numpy as np\nnp.pi = 3",
        "import numpy as np\nprint(np.pi)",
        "3.141592653589793",
    ),
    "matplotlib-rc": (
        "import matplotlib\nmatplotlib.rcParams['lines.linewidth'] = 10",
        "import matplotlib\nprint(matplotlib.rcParams['lines.linewidth'])",
        "1.5",
    ),
}

TORCH_CASES = {
    "torch-dtype": (
        "import torch\ntorch.set_default_dtype(torch.float64)",
        "import torch\nprint(torch.tensor([1.0]).dtype)",
        "torch.float32",
    ),
    "torch-seed": (
        "import torch\ntorch.manual_seed(0)",
        "import torch\nprint(torch.rand(1).item() == 0.49625658988952637)",
        "False",
    ),
}

# numpy and matplotlib are imported by the kernel parent: the leaks must not care
PYTHON = """\
frameworks:
  - id: py
    label: Python
    kernel: python3
    preload: [numpy, matplotlib]
"""
TORCH = """\
frameworks:
  - id: pytorch
    label: PyTorch
    kernel: xint-pytorch
    requirements: [torch==2.13.0, numpy]
"""


def fence(fw: str, code: str) -> str:
    return f"```python {fw}\n{code}\n```\n"


def page(title: str, *cells: str) -> str:
    return f"---\ntitle: {title}\nlayout: page\n---\n\n" + "\nthen\n\n".join(cells)


def witness_output(out: Path, name: str) -> str:
    soup = BeautifulSoup((out / name / "index.html").read_text(encoding="utf-8"), "html.parser")
    text = "\n".join(o.get_text() for o in soup.select("div.post-body output, main output"))
    return re.sub(r"ipykernel_\d+/\d+", "ipykernel_PID/CELL", text)  # the kernel's pid


def build(root: Path, config: str, pages: dict[str, str]) -> Path:
    content = write_tree(root / "content", {"xint.yml": config, "data.txt": "data\n", **pages})
    result = run_cli("build", content, "-o", root / "out", "-j", "1", timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return root / "out"


def leak_builds(root: Path, config: str, fw: str, cases: dict) -> dict[str, tuple[str, str, str]]:
    """Per case: the witness built after the leaker, alone, and in the leaker's notebook."""
    together: dict[str, str] = {}
    alone: dict[str, str] = {}
    for case, (leak, witness, _) in cases.items():
        together[f"a-{case}.md"] = page("a", fence(fw, leak))
        together[f"b-{case}.md"] = page("b", fence(fw, witness))
        together[f"c-{case}.md"] = page("c", fence(fw, leak), fence(fw, witness))
        alone[f"b-{case}.md"] = page("b", fence(fw, witness))
    out_together = build(root / "together", config, together)
    out_alone = build(root / "alone", config, alone)
    return {
        case: (
            witness_output(out_together, f"b-{case}"),
            witness_output(out_alone, f"b-{case}"),
            witness_output(out_together, f"c-{case}"),
        )
        for case in cases
    }


@pytest.fixture(scope="module")
def python_leaks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str, str]]:
    return leak_builds(tmp_path_factory.mktemp("leaks-python"), PYTHON, "py", PYTHON_CASES)


@pytest.fixture(scope="module")
def torch_leaks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str, str]]:
    return leak_builds(tmp_path_factory.mktemp("leaks-torch"), TORCH, "pytorch", TORCH_CASES)


def check(case: str, outputs: tuple[str, str, str], fresh: str) -> None:
    after_leaker, alone, same_notebook = outputs
    assert after_leaker == alone, f"{case}: page a leaked into page b"
    assert fresh in alone, f"{case}: a fresh kernel shows {alone!r}"
    assert same_notebook != alone, f"{case}: the witness cannot see this leak"


@pytest.mark.parametrize("case", sorted(PYTHON_CASES))
def test_no_leak_between_pages(case: str, python_leaks: dict) -> None:
    check(case, python_leaks[case], PYTHON_CASES[case][2])


@pytest.mark.parametrize("case", sorted(TORCH_CASES))
def test_no_torch_leak_between_pages(case: str, torch_leaks: dict) -> None:
    check(case, torch_leaks[case], TORCH_CASES[case][2])


def test_the_leaking_page_deleted_leaves_nothing_behind(tmp_path: Path) -> None:
    """The cache key does not depend on what ran before, and never needs to: after the
    leaking page is deleted, the rebuild serves what the witness showed all along."""
    leak, witness, fresh = PYTHON_CASES["decimal"]
    pages = {"a.md": page("a", fence("py", leak)), "b.md": page("b", fence("py", witness))}
    out = build(tmp_path, PYTHON, pages)
    assert witness_output(out, "b") == fresh
    (tmp_path / "content" / "a.md").unlink()
    shutil.rmtree(out)
    result = run_cli("build", tmp_path / "content", "-o", out, "-j", "1")
    assert result.returncode == 0, result.stderr
    assert "1 from cache" in result.stderr
    assert witness_output(out, "b") == fresh


def test_asking_for_isolated_kernels_runs_the_page_again(tmp_path: Path) -> None:
    """``isolate: true`` is in the cache key: whoever doubts a result gets a new run."""
    pages = {"b.md": page("b", fence("py", PYTHON_CASES["decimal"][1]))}
    build(tmp_path, PYTHON, pages)
    config = tmp_path / "content" / "xint.yml"
    config.write_text(PYTHON + "isolate: true\n", encoding="utf-8")
    result = run_cli("build", tmp_path / "content", "-o", tmp_path / "out", "-j", "1")
    assert result.returncode == 0, result.stderr
    assert "1 executed, 0 from cache" in result.stderr
