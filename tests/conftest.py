"""Shared test helpers: the repository's paths, running the real CLI, content folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
SEED = REPO / "tests" / "fixtures" / "seed.md"
ARTIFACTS = REPO / "tests" / "artifacts"
UPDATE_GOLDENS = bool(os.environ.get("XINT_UPDATE_GOLDENS"))
_TEST_CACHE: Path | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Every test, and every CLI it starts, uses one private cache for the whole session
    (timings, the math font): the user's ``~/.cache`` is never written."""
    global _TEST_CACHE
    _TEST_CACHE = Path(tempfile.mkdtemp(prefix="xint-test-cache-"))
    os.environ["XDG_CACHE_HOME"] = str(_TEST_CACHE)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _TEST_CACHE is not None:
        shutil.rmtree(_TEST_CACHE, ignore_errors=True)


def run_cli(
    *args: str | Path, cwd: Path | None = None, timeout: float = 600, **kw
) -> subprocess.CompletedProcess:
    """Run ``python -m xint_site`` from this checkout, as a user would."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.update(kw.pop("env", {}))
    return subprocess.run(
        [sys.executable, "-m", "xint_site", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def site_dir(tmp_path: Path):
    """Make a content folder from {path: text} and return it."""

    def make(files: dict[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "content", files)

    return make
