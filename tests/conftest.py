"""Shared test helpers: the repository's paths, running the real CLI, content folders."""

from __future__ import annotations

import compileall
import contextlib
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests import cli_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from tests.browser.page_pool import PagePool
    from xint_site.pipeline import SiteBuilder

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
SEED = REPO / "tests" / "fixtures" / "seed.md"
ARTIFACTS = REPO / "tests" / "artifacts"
UPDATE_GOLDENS = bool(os.environ.get("XINT_UPDATE_GOLDENS"))
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_TEST_CACHE: Path | None = None
_FONT_JOB: subprocess.Popen | None = None
_QUICK = False  # the running test is not marked slow


def pytest_configure(config: pytest.Config) -> None:
    """Every test, and every CLI it starts, uses one private cache for the whole session
    (timings, the math font): the user's ``~/.cache`` is never written."""
    global _TEST_CACHE
    _TEST_CACHE = Path(tempfile.mkdtemp(prefix="xint-test-cache-"))
    os.environ["XDG_CACHE_HOME"] = str(_TEST_CACHE)
    # A job a shell starts in the background ignores Ctrl-C, and so would every process
    # the tests start (an ignored signal stays ignored across exec): the Ctrl-C tests
    # would fail wherever the suite is launched that way. Give them back the default.
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    # pytest keeps its assertion-rewritten test modules in ``__pycache__`` unless the
    # machine sets PYTHONDONTWRITEBYTECODE (this one does); then each of the run's
    # workers parses and rewrites all of them again: 9.5 CPU-s per worker instead of 3.7.
    # Only this process's own imports are affected, not the processes the tests start.
    sys.dont_write_bytecode = False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The quick tests first: the pure logic answers before any kernel starts."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is not None)


def pytest_collection_finish(session: pytest.Session) -> None:
    """When slow tests will run, do the work every CLI start would repeat once, up front.

    The math font for sites without formulas (a second of subsetting and WOFF2
    compression, cached in the session's cache) is made
    in the background while the quick tests run; the first slow test waits for it. The
    checkout's modules are compiled once (``__pycache__``, as Python does by default),
    so the hundreds of CLI processes do not each compile them again when the machine
    sets ``PYTHONDONTWRITEBYTECODE``.
    """
    global _FONT_JOB
    if session.config.option.collectonly or not any(
        item.get_closest_marker("slow") for item in session.items
    ):
        return
    compileall.compile_dir(REPO / "xint_site", quiet=1)
    _FONT_JOB = subprocess.Popen(
        [sys.executable, "-c", "from xint_site.site.fonts import math_font_woff2 as f; f('')"],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    global _FONT_JOB, _QUICK
    _QUICK = item.get_closest_marker("slow") is None
    if _FONT_JOB is not None and not _QUICK:
        _FONT_JOB.wait()  # once: a build started now would compress the font a second time
        _FONT_JOB = None


def require_slow(what: str) -> None:
    """Keep ``pytest -m "not slow"`` quick: a CLI process, a server or a browser belongs
    to a test marked slow."""
    if _QUICK:
        pytest.fail(f"{what} in a test not marked slow: add `pytest.mark.slow`", pytrace=False)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CLI_CLIENT is not None:
        _CLI_CLIENT.close()
    if _FONT_JOB is not None:
        _FONT_JOB.kill()
        _FONT_JOB.wait()
    if _TEST_CACHE is not None:
        shutil.rmtree(_TEST_CACHE, ignore_errors=True)


def run_cli(
    *args: str | Path, cwd: Path | None = None, timeout: float = 600, **kw
) -> subprocess.CompletedProcess:
    """Run the CLI of this checkout, as ``python -m xint_site`` does, in a process of its
    own, and return its exit status and what it printed.

    The process is forked from one that has imported the CLI already (``cli_server``),
    which saves the ~0.45 s start of each of the suite's ~300 runs; ``XINT_TEST_EXEC=1``
    starts every one as ``python -m xint_site`` instead. Tests of what a process start
    does (signals, a killed build) start their own."""
    require_slow("the CLI")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.update({name: str(value) for name, value in kw.pop("env", {}).items()})
    words = list(map(str, args))
    if not kw and not os.environ.get("XINT_TEST_EXEC"):
        done = _cli_client().run(words, cwd, env, timeout)
        if done is not None:
            return done
    return subprocess.run(
        [sys.executable, "-m", "xint_site", *words],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


_CLI_CLIENT: cli_server.Client | None = None


def start_cli_server() -> None:
    """Start this worker's CLI server now rather than at the next ``run_cli``: it is test
    machinery, not a process the code under test started."""
    _cli_client().start()


def _cli_client() -> cli_server.Client:
    global _CLI_CLIENT
    if _CLI_CLIENT is None:
        _CLI_CLIENT = cli_server.Client()
    return _CLI_CLIENT


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def built_files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site by its path, but xint-site's mark (``.xint-site``)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".xint-site"
    }


@contextlib.contextmanager
def previewed(content: Path, out: Path) -> Iterator[SiteBuilder]:
    """The preview server's builder over ``content`` (no cell runs), its first build
    made into ``out``; closed afterwards."""
    from xint_site.pipeline import BuildOptions, SiteBuilder

    builder = SiteBuilder(BuildOptions(content, out, execute=False, jobs=1))
    try:
        assert builder.build().report.ok
        yield builder
    finally:
        builder.close()


def preview_copy(source: Path, to: Path) -> Path:
    """A copy of ``source`` to preview, without a search index (the preview makes it in
    the background, where a test could see it half made)."""
    shutil.copytree(source, to)
    config = to / "xint.yml"
    given = config.read_text(encoding="utf-8") if config.is_file() else ""
    config.write_text(given + "search: false\n", encoding="utf-8")
    return to


@contextlib.contextmanager
def previewed_copy(source: Path, tmp: Path) -> Iterator[tuple[SiteBuilder, Path, Path]]:
    """The preview's builder over a copy of ``source`` in ``tmp`` (:func:`preview_copy`),
    its first build made into ``tmp/out``: the builder, the copy and ``tmp``."""
    content = preview_copy(source, tmp / source.name)
    with previewed(content, tmp / "out") as builder:
        yield builder, content, tmp


def edited(path: Path, old: str, new: str) -> Path:
    """``path`` with the first ``old`` in it replaced by ``new``."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def saved_atomically(path: Path, old: str, new: str) -> list[Path]:
    """``path`` edited as many editors (and ``sed -i``) save: the new text written to a
    temporary file beside it, renamed onto it. What a watcher then reports: both paths."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    temporary = path.parent / "sedAb12Cd"
    temporary.write_text(text.replace(old, new, 1), encoding="utf-8")
    temporary.replace(path)
    return [temporary, path]


def full_build(content: Path, out: Path) -> dict[str, bytes]:
    """Every file a full build (no cell runs) writes of ``content``, by path: what the
    preview's output folder must equal after any edit."""
    from xint_site.pipeline import BuildOptions, build_state

    report, _ = build_state(BuildOptions(content, out, execute=False, jobs=1))
    assert report.ok, report.errors
    return built_files(out)


def keep_result(path: Path, result: subprocess.CompletedProcess[str]) -> None:
    """Write what a run said, for the workers that find a ``made_once`` folder made."""
    path.write_text(json.dumps([result.returncode, result.stdout, result.stderr]))


def kept_result(path: Path) -> subprocess.CompletedProcess[str]:
    """What :func:`keep_result` wrote, as the run's result."""
    returncode, stdout, stderr = json.loads(path.read_text())
    return subprocess.CompletedProcess(["xint-site"], returncode, stdout, stderr)


@contextlib.contextmanager
def made_once(factory: pytest.TempPathFactory, name: str) -> Iterator[tuple[Path, bool]]:
    """A folder every pytest-xdist worker of the run shares: the first to come makes it
    (``fresh`` is True while it does), the others wait and find it made. A session
    fixture that builds with real kernels then runs once per run, not once per worker.
    A maker that fails leaves it unmade, and the next worker tries again."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder = base / name
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        made = folder / ".made"
        if made.exists():
            yield folder, False
            return
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        yield folder, True
        made.touch()


@pytest.fixture
def site_dir(tmp_path: Path):
    """Make a content folder from {path: text} and return it."""

    def make(files: dict[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "content", files)

    return make


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium (Debian's package) for every browser test of the session;
    each test opens its own context (fresh storage)."""
    require_slow("a browser")
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: `make browser` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def page_pool(browser: Browser) -> Iterator[PagePool]:
    """Pages kept open between this worker's browser tests (``tests/browser/page_pool.py``)."""
    from tests.browser.page_pool import PagePool

    pool = PagePool(browser)
    yield pool
    pool.close()
