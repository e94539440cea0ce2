"""What a kernel parent preloads never hides what a fresh kernel would show.

A module that prints or warns when imported is left out of the preload, so the
page's own import shows the text, as in a fresh kernel; the build still forks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_cli, write_tree

pytestmark = pytest.mark.slow

MODULES = {
    "lib/quietmod.py": "VALUE = 'quiet'\n",
    "lib/loudmod.py": "print('hello from loudmod')\nVALUE = 'loud'\n",
    "lib/warnmod.py": "import warnings\nwarnings.warn('careful with warnmod')\nVALUE = 'warn'\n",
}


def config(lib: Path) -> str:
    return (
        "frameworks:\n  - id: py\n    label: Python\n    kernel: python3\n"
        f"    env: {{PYTHONPATH: '{lib}'}}\n"
        "    preload: [quietmod, loudmod, warnmod]\n"
    )


PAGE = (
    "---\ntitle: p\nlayout: page\n---\n\n"
    "```python py\nimport os, quietmod, loudmod, warnmod\n"
    "print(quietmod.VALUE, loudmod.VALUE, warnmod.VALUE)\n"
    "print('zygote' in open(f'/proc/{os.getppid()}/cmdline').read())\n```\n"
)


def test_modules_that_print_or_warn_on_import_are_not_preloaded(tmp_path: Path) -> None:
    write_tree(tmp_path, MODULES)
    outputs = []
    for name, extra in (("forked", ""), ("fresh", "isolate: true\n")):
        content = write_tree(
            tmp_path / name, {"xint.yml": config(tmp_path / "lib") + extra, "p.md": PAGE}
        )
        result = run_cli("build", content, "-o", tmp_path / f"{name}-out")
        assert result.returncode == 0, result.stderr
        html = (tmp_path / f"{name}-out/p/index.html").read_text(encoding="utf-8")
        outputs.append([o.get_text() for o in BeautifulSoup(html, "html.parser")("output")])
    forked, fresh = outputs
    text = "\n".join(forked)
    assert "hello from loudmod" in text
    assert "careful with warnmod" in text
    assert "quiet loud warn" in text
    assert "warn\nTrue" in text  # the kernel was still forked
    assert [o.replace("True", "False") for o in forked] == fresh
