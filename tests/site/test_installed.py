"""The installed package (what `make build` puts in .venv) carries its themes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED

pytestmark = pytest.mark.slow


def test_installed_console_script_builds_from_any_folder(tmp_path: Path) -> None:
    script = Path(sys.prefix) / "bin" / "xint-site"
    assert script.is_file(), "run `make test` (it installs the project into .venv)"
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content / "seed.md")
    result = subprocess.run(
        [str(script), "build", "content", "-o", "out", "--no-execute"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out/2021/05/04/seed/index.html").read_text(encoding="utf-8")
    assert 'class="tab-set w3-light-grey"' in page
    assert (tmp_path / "out/assets/xint.css").is_file()
