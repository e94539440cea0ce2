"""One build with the real MXNet, TensorFlow and PyTorch kernels, shared by the CI tests:
the doubled gradient, the report, the annotations and the frozen build all read it."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ci.gradient import DOUBLED, XINT_YML, ZEROED
from tests.conftest import keep_result, kept_result, made_once, run_cli, write_tree


@dataclass(frozen=True)
class RealBuild:
    root: Path  # holds content/ (its _freeze filled), out/ and report.json
    result: subprocess.CompletedProcess[str]

    @property
    def content(self) -> Path:
        return self.root / "content"


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> RealBuild:
    """Made once per run, whichever worker of ``pytest -n`` asks first."""
    with made_once(tmp_path_factory, "real-kernels") as (root, fresh):
        said = root / "result.json"
        if fresh:
            content = {"xint.yml": XINT_YML, "doubled.md": DOUBLED, "zeroed.md": ZEROED}
            write_tree(root / "content", content)
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
            keep_result(said, result)
    return RealBuild(root, kept_result(said))
