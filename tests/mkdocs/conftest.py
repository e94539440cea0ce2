"""Real ``mkdocs build`` runs of the example site (``examples/mkdocs``), with Material.

MkDocs finds plugins by their entry point: a build of this checkout gets one from a
small ``.dist-info`` made from ``pyproject.toml``'s own ``mkdocs.plugins`` table, so the
tests use the code and the declaration of the checkout, not an older installed copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import REPO, made_once, require_slow

EXAMPLE = REPO / "examples" / "mkdocs"


@pytest.fixture(scope="session")
def entry_points(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for PYTHONPATH whose dist-info declares the checkout's MkDocs plugins."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    plugins = project["project"]["entry-points"]["mkdocs.plugins"]
    root = tmp_path_factory.mktemp("entry-points")
    info = root / "xint_site_checkout-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: xint-site-checkout\nVersion: 0\n")
    lines = [f"{name} = {target}" for name, target in plugins.items()]
    (info / "entry_points.txt").write_text("[mkdocs.plugins]\n" + "\n".join(lines) + "\n")
    return root


def run_mkdocs(
    project: Path, entry_points: Path, *args: str, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """``mkdocs build ARGS`` in ``project``, as a user runs it."""
    require_slow("mkdocs")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), str(entry_points)]),
        "NO_MKDOCS_2_WARNING": "1",  # Material's notice about its successor
    }
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def copy_example(to: Path, freeze: Path | None = None) -> Path:
    """The example project in ``to``; with the stored outputs of ``freeze`` when given."""
    shutil.copytree(EXAMPLE, to, ignore=shutil.ignore_patterns("site", "_freeze"))
    if freeze is not None:
        shutil.copytree(freeze, to / "_freeze")
    return to


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory, entry_points: Path) -> Path:
    """The example built once with real kernels (NumPy in python3, PyTorch in
    xint-pytorch) and ``--strict``; later builds copy its ``_freeze``."""
    with made_once(tmp_path_factory, "mkdocs-example") as (root, fresh):
        project = root / "site"
        if fresh:
            copy_example(project)
            result = run_mkdocs(project, entry_points, "--strict")
            assert result.returncode == 0, result.stderr
            assert "xint: 4 notebooks: 0 from the cache, 4 run" in result.stderr
    return project
