"""Static search: the written site indexed by Pagefind (its PyPI binary, extended build).

Pagefind reads every page's ``<article data-pagefind-body>`` except the frameworks' tab
panels; each framework's panels of a page become a record of their own (the page's
URL, the framework as a filter), so a hit in code says which frameworks it is in, and
the search script can rank the reader's framework first. The bundle Pagefind writes
(``pagefind/``: its index, ``pagefind.js`` and the WebAssembly that searches) is part
of the output folder; nothing is loaded from another host.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from xint_site.problems import Problem, problem_at

SEARCH_DIR = "pagefind"
RECORDS_PREFIX = ".xint-search-"  # the framework records' folder, while Pagefind runs
TIMEOUT = 1800.0  # seconds: a site of 5,000 pages is indexed in well under a minute
# The frameworks' panels (code tabs and per-framework outputs) are indexed per framework.
FRAMEWORK_PANELS = ".tab-content[data-framework]"
# Not the text of a page: its lists of links (tables of contents) and controls.
EXCLUDED = [FRAMEWORK_PANELS, "nav", ".notebook-download", ".header-anchor", "script", "style"]


class IndexStopped(Exception):
    """A background index stopped before Pagefind finished (the server is stopping)."""


@dataclass
class PageText:
    """What of one written page goes into framework records."""

    title: str = ""
    indexed: bool = False  # the page has an article Pagefind indexes
    frameworks: dict[str, list[str]] = field(default_factory=dict)  # id -> text parts


_PANEL = re.compile(r'<div\b[^>]*?\bdata-framework="([^"]*)"[^>]*>')
_DIV = re.compile(r"<(/?)div\b[^>]*>")
_TITLE = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_BREAK = re.compile(r"</?(?:p|div|pre|li|ul|ol|br|h[1-6]|table|tr|td|th|output|figure)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")


def _text(markup: str) -> str:
    """The text of our own rendered HTML (regular expressions: a site's pages are many)."""
    return html.unescape(_TAG.sub("", _BREAK.sub(" ", markup)))


def read_page(markup: str) -> PageText:
    """The page's first ``<h1>`` in its indexed article and the text of each framework's
    tab panels (code tabs and per-framework outputs); a panel inside another counts
    for the outer one."""
    page = PageText(indexed="data-pagefind-body" in markup)
    if not page.indexed:
        return page
    body = markup.index("data-pagefind-body")
    title = _TITLE.search(markup, body)
    page.title = _text(title.group(1)) if title else ""
    done = 0
    for panel in _PANEL.finditer(markup, body):
        if panel.start() < done or "tab-content" not in panel.group(0):
            continue
        depth, end = 1, len(markup)
        for tag in _DIV.finditer(markup, panel.end()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = tag.start()
                break
        page.frameworks.setdefault(panel.group(1), []).append(_text(markup[panel.end() : end]))
        done = end
    return page


def _pages(folder: Path) -> Iterator[tuple[str, Path]]:
    """Each HTML page's URL path (``/a/b/`` for ``a/b/index.html``) and file."""
    for path in sorted(folder.rglob("*.html")):
        rel = path.relative_to(folder).as_posix()
        if rel.startswith((f"{SEARCH_DIR}/", RECORDS_PREFIX)):  # the index, the records
            continue
        url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        yield url, path


def _index(
    binary: Path,
    folder: Path,
    output: Path,
    language: str,
    labels: Mapping[str, str],
    stop: threading.Event | None = None,
) -> None:
    """One run of Pagefind's own command over the site and the framework records.

    Its Python service answers each message after a fixed 0.1 s wait (0.4 s a build);
    the command indexes a small site in milliseconds. The records sit in a hidden folder
    of the site only while Pagefind reads them (their results carry the page's URL)."""
    records = Path(tempfile.mkdtemp(prefix=RECORDS_PREFIX, dir=folder))
    try:
        _write_framework_records(folder, records, language, labels)
        with tempfile.TemporaryDirectory(prefix="xint-pagefind-") as settings:
            # its settings file, in a folder of its own: none of the user's is read
            (Path(settings) / "pagefind.json").write_text(
                json.dumps({"exclude_selectors": EXCLUDED}), encoding="utf-8"
            )
            argv = [str(binary), "--site", str(folder), "--output-path", str(output), "--silent"]
            with subprocess.Popen(
                argv,
                cwd=settings,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ) as process:
                stdout, stderr = _finish(process, stop)
    finally:
        shutil.rmtree(records, ignore_errors=True)
    if process.returncode != 0:
        said = (stderr or stdout).strip().splitlines()
        raise RuntimeError(said[-1] if said else f"exit status {process.returncode}")


def _finish(process: subprocess.Popen[str], stop: threading.Event | None) -> tuple[str, str]:
    """What Pagefind printed, once it ended. It is killed (and waited for) when ``stop``
    is set, when it runs longer than ``TIMEOUT`` and on any exception (Ctrl-C), as
    ``subprocess.run`` would."""
    deadline = time.monotonic() + TIMEOUT
    try:
        while True:
            try:
                return process.communicate(timeout=TIMEOUT if stop is None else 0.1)
            except subprocess.TimeoutExpired:
                if stop is not None and stop.is_set():
                    raise IndexStopped from None
                if time.monotonic() >= deadline:
                    raise
    except BaseException:
        process.kill()
        process.wait()
        raise


def _write_framework_records(
    folder: Path, records: Path, language: str, labels: Mapping[str, str]
) -> None:
    """Each page's frameworks' panels as a page of their own, whose result is the page
    with that framework chosen (Pagefind's ``url`` meta overrides the record's own)."""
    n = 0
    for url, path in _pages(folder):
        page = read_page(path.read_text(encoding="utf-8", errors="replace"))
        if not page.indexed:
            continue
        title = " ".join(page.title.split())
        for framework, parts in page.frameworks.items():
            text = " ".join("".join(parts).split())
            fields = {
                "url": f"{url}?framework={framework}",
                "title": title,
                "framework": framework,
            }
            metas = "".join(
                f'<meta data-pagefind-meta="{key}[content]" content="{escape(value)}">'
                for key, value in fields.items()
            )
            label = escape(labels.get(framework, framework))
            (records / f"{n}.html").write_text(
                f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">'
                f'{metas}<meta data-pagefind-filter="framework[content]" content="{label}">'
                f"</head><body><main data-pagefind-body><p>{escape(text)}</p></main></body>"
                "</html>\n",
                encoding="utf-8",
            )
            n += 1


def index_site(
    folder: Path,
    language: str,
    labels: Mapping[str, str],
    where: Path | str,
    fresh: bool = True,
    stop: threading.Event | None = None,
) -> list[Problem]:
    """Index the site written in ``folder`` into ``folder/pagefind/``; a Pagefind that
    is missing or fails is an error at ``where`` (the output folder the user named): a
    site without its search must not pass silently. In a ``fresh`` folder (a new
    build's) anything already in ``pagefind/`` is the site's own: an error, never lost;
    in a served one the new index replaces the old only once it is whole."""
    if fresh and (folder / SEARCH_DIR).exists():
        return [
            problem_at(
                where,
                0,
                f"search: the site's own files are in {SEARCH_DIR}/, where the search index "
                "goes: rename that folder, or turn search off with 'search: false'",
            )
        ]
    output = folder / (SEARCH_DIR if fresh else f".{SEARCH_DIR}-new")
    shutil.rmtree(output, ignore_errors=True)
    binary = _binary()
    if binary is None:
        return [_missing(where)]
    broken = _check_runs(binary)
    if broken:  # said once, naming the binary, before any record is written
        return [problem_at(where, 0, f"search: Pagefind cannot run: {broken}")]
    try:
        _index(binary, folder, output, language.strip().lower(), labels, stop)
    except IndexStopped:  # asked for: nothing to report, nothing left behind
        shutil.rmtree(output, ignore_errors=True)
        return []
    except subprocess.TimeoutExpired:
        return [problem_at(where, 0, f"search: Pagefind did not finish in {TIMEOUT:.0f} s")]
    except Exception as exc:  # what Pagefind said (its last line), or why it did not start
        reason = str(exc).strip() or type(exc).__name__
        return [problem_at(where, 0, f"search: Pagefind cannot index the site: {reason}")]
    if not (output / "pagefind.js").is_file():
        return [problem_at(where, 0, "search: Pagefind wrote no index")]
    if not fresh:
        _swap(output, folder / SEARCH_DIR)
    return []


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(f".{SEARCH_DIR}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


class BackgroundIndex:
    """The preview server's index, made again after a rebuild without holding up the
    reload (Pagefind takes seconds on a Chinese site): one run at a time, and saves
    made meanwhile give one more run. Problems go to ``report``."""

    def __init__(self, report: Callable[[list[Problem]], None]) -> None:
        self._report = report
        self._lock = threading.Lock()
        self._pending: tuple[Path, str, dict[str, str]] | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def request(self, folder: Path, language: str, labels: Mapping[str, str]) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            self._pending = (folder, language, dict(labels))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="search", daemon=True)
                self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Until the runs asked for so far are done (tests, shutdown)."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def close(self) -> None:
        """Stop: no more runs, and a running Pagefind killed and waited for, its
        half-made index removed (the index being replaced stays as it was)."""
        with self._lock:
            self._stop.set()
            self._pending = None
            thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        while True:
            with self._lock:
                job, self._pending = self._pending, None
                if job is None:
                    self._thread = None
                    return
            folder, language, labels = job
            if folder.is_dir():  # the server may be stopping
                problems = index_site(folder, language, labels, folder, False, self._stop)
                if problems:
                    self._report(problems)


def _binary() -> Path | None:
    """The binary the ``pagefind`` package runs (``pagefind_bin_extended``'s wheel)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    try:
        binary = get_executable()
    except FileNotFoundError:
        return None
    return binary if binary is not None and binary.is_file() else None


def _check_runs(binary: Path) -> str:
    """Why ``binary --version`` fails ('' when it runs)."""
    try:
        done = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{binary}: {exc}"
    if done.returncode != 0 or not done.stdout.startswith("pagefind"):
        said = (done.stderr or done.stdout).strip().splitlines()
        return f"{binary} --version exits with status {done.returncode}" + (
            f": {said[-1]}" if said else ""
        )
    return ""


def _missing(where: Path | str) -> Problem:
    return problem_at(
        where,
        0,
        "search: Pagefind is not installed (pip install 'pagefind[extended]'), "
        "or turn search off with 'search: false'",
    )
