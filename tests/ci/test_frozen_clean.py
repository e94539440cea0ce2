"""The pull-request build of the CI recipe: ``--frozen --strict`` on a machine without the
frameworks. A fresh Python environment whose kernels are all missing (no MXNet,
TensorFlow or PyTorch kernel, no user or system kernels) builds the site from the cache
an earlier real build filled, and fails on a warning."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.ci.conftest import RealBuild
from tests.ci.gradient import DOUBLED_LINE, EXPECTED
from tests.conftest import REPO, require_slow

pytestmark = pytest.mark.slow

FRAMEWORK_KERNELS = {"xint-mxnet", "xint-tensorflow", "xint-pytorch"}


@pytest.fixture(scope="module")
def clean_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A new venv that imports this checkout's dependencies but holds no kernelspec, with
    a home, XDG folders and JUPYTER_PATH of its own (all empty)."""
    root = tmp_path_factory.mktemp("clean-env")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    ours = sysconfig.get_paths()["purelib"]
    [site_packages] = (venv / "lib").glob("python3*/site-packages")
    (site_packages / "xint_deps.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    home = root / "home"
    home.mkdir()
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "XDG_CACHE_HOME")}
    env = {
        **keep,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "JUPYTER_PATH": str(root / "jupyter"),
        "JUPYTER_DATA_DIR": str(root / "jupyter-data"),
        "PYTHONPATH": str(REPO),
        "PYTHON": str(venv / "bin" / "python"),
    }
    return env


def run_clean(env: dict[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    require_slow("the CLI")
    return subprocess.run(
        [env["PYTHON"], "-m", "xint_site", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_clean_environment_has_no_framework_kernel(clean_env: dict[str, str]) -> None:
    code = "import json, jupyter_client.kernelspec as k; print(json.dumps(k.find_kernel_specs()))"
    found = subprocess.run(
        [clean_env["PYTHON"], "-c", code], env=clean_env, capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr
    specs = json.loads(found.stdout)
    assert not FRAMEWORK_KERNELS & set(specs), specs
    assert set(specs) <= {"python3"}, specs  # ipykernel's own, which it always offers


def test_frozen_strict_builds_a_good_site_from_the_cache(
    real_build: RealBuild, clean_env: dict[str, str], tmp_path: Path
) -> None:
    assert real_build.result.returncode == 0, real_build.result.stderr
    shutil.copytree(real_build.content, tmp_path / "content")
    (tmp_path / "content" / "doubled.md").unlink()
    result = run_clean(
        clean_env, "build", "content", "-o", "out", "--frozen", "--strict", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    page = (tmp_path / "out" / "zeroed" / "index.html").read_text(encoding="utf-8")
    assert "tensor([ 0.,  4.,  8., 12.])" in page  # PyTorch's output, from the cache


def test_frozen_strict_fails_on_a_warning_without_any_kernel(
    real_build: RealBuild, clean_env: dict[str, str], tmp_path: Path
) -> None:
    shutil.copytree(real_build.content, tmp_path / "content")
    result = run_clean(
        clean_env, "build", "content", "-o", "out", "--frozen", "--strict", cwd=tmp_path
    )
    assert result.returncode == 1
    assert f"content/doubled.md:{DOUBLED_LINE}: {EXPECTED}" in result.stderr.splitlines()
    assert not (tmp_path / "out").exists()


def test_frozen_names_what_the_cache_lacks(
    real_build: RealBuild, clean_env: dict[str, str], tmp_path: Path
) -> None:
    shutil.copytree(real_build.content, tmp_path / "content")
    page = tmp_path / "content" / "zeroed.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n```python\nprint(1)\n```\n")
    result = run_clean(
        clean_env, "build", "content", "-o", "out", "--frozen", "--strict", cwd=tmp_path
    )
    assert result.returncode == 1
    missing = [ln for ln in result.stderr.splitlines() if "no stored outputs" in ln]
    assert missing == [  # each notebook at its first cell: a shared cell changes all three
        f"content/zeroed.md:{line}: [{label}] no stored outputs for this notebook "
        "(--frozen runs nothing)"
        for line, label in ((5, "MXNet"), (11, "TensorFlow"), (15, "PyTorch"))
    ]
