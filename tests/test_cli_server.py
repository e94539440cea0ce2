"""``run_cli`` forks its runs from a process that imported the CLI once (``cli_server``):
a run must look exactly as one started by ``python -m xint_site``."""

from __future__ import annotations

from pathlib import Path
from subprocess import CompletedProcess

import pytest

from tests.conftest import run_cli, write_tree


def started(*args: str, cwd: Path) -> CompletedProcess[str]:
    """The same run, started as ``python -m xint_site`` (``run_cli``'s other way)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XINT_TEST_EXEC", "1")
        return run_cli(*args, cwd=cwd)


@pytest.mark.slow
def test_a_forked_run_prints_and_exits_as_a_started_one(tmp_path: Path) -> None:
    # a bad page: problems on stderr, a summary, exit status 1, in the folder asked for
    write_tree(tmp_path, {"content/p.md": "---\ntitle: [unclosed\n---\n# P\n"})
    for args in (("--version",), ("build", "content", "-o", "out"), ("build", "missing")):
        forked = run_cli(*args, cwd=tmp_path)
        alone = started(*args, cwd=tmp_path)
        assert (forked.returncode, forked.stdout, forked.stderr) == (
            alone.returncode,
            alone.stdout,
            alone.stderr,
        ), args
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_forked_run_gets_the_environment_it_is_given(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/p.md": "# P\n\n```python\nprint(1)\n```\n"})
    cache = tmp_path / "private-cache"
    result = run_cli("build", "content", "-o", "out", cwd=tmp_path, env={"XDG_CACHE_HOME": cache})
    assert result.returncode == 0, result.stderr
    assert cache.is_dir()  # the build's cache went where this run's environment said
