"""One build with the real MXNet, TensorFlow and PyTorch kernels, shared by the CI tests:
the doubled gradient, the report, the annotations and the frozen build all read it."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ci.gradient import DOUBLED, XINT_YML, ZEROED
from tests.conftest import run_cli, write_tree


@dataclass(frozen=True)
class RealBuild:
    root: Path  # holds content/ (its _freeze filled), out/ and report.json
    result: subprocess.CompletedProcess[str]

    @property
    def content(self) -> Path:
        return self.root / "content"


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> RealBuild:
    root = tmp_path_factory.mktemp("real-kernels")
    write_tree(root / "content", {"xint.yml": XINT_YML, "doubled.md": DOUBLED, "zeroed.md": ZEROED})
    result = run_cli(
        "build",
        "content",
        "-o",
        "out",
        "--report",
        "report.json",
        "-j",
        "2",
        cwd=root,
        env={"GITHUB_ACTIONS": "true"},
    )
    return RealBuild(root, result)
