"""Execution tests run real kernels: the python3 kernel of this venv (ipykernel)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_cli, write_tree

# Two "frameworks" that share the python3 kernel but differ by an environment variable,
# so a test can see which notebook produced which output.
TWO_FRAMEWORKS = """\
frameworks:
  - id: alpha
    label: Alpha
    kernel: python3
    env: {XINT_FW: alpha}
  - id: beta
    label: Beta
    kernel: python3
    env: {XINT_FW: beta}
"""


class Built:
    def __init__(self, root: Path, result) -> None:
        self.root = root
        self.out = root / "out"
        self.result = result
        self.stderr = result.stderr

    def page(self, rel: str = "p") -> BeautifulSoup:
        html = (self.out / rel / "index.html").read_text(encoding="utf-8")
        return BeautifulSoup(html, "html.parser")


def build_in(
    root: Path, files: dict[str, str], *args: str, config: str = TWO_FRAMEWORKS, **kw
) -> Built:
    """Build ``root/content`` made of {path: text} (plus the config) into ``root/out``."""
    content = write_tree(root / "content", {"xint.yml": config, **files})
    return Built(root, run_cli("build", content, "-o", root / "out", *args, **kw))


@pytest.fixture
def build(tmp_path: Path):
    """Build a site from {path: text} (plus the two-framework config) and return it."""

    def run(files: dict[str, str], *args: str, config: str = TWO_FRAMEWORKS, **kw) -> Built:
        return build_in(tmp_path, files, *args, config=config, **kw)

    return run


def page(body: str, front: str = "layout: page") -> str:
    return f"---\ntitle: t\n{front}\n---\n\n{body}"
