"""Render-only build speed and memory: N synthetic pages like the seed, no kernels.

    .venv/bin/python bench/render.py [--pages 1000 5000] [--repeat 1] [--baseline REV]

For each page count, in one run: a bare markdown-it-py + Pygments loop over the
same pages (the floor any Python generator pays), and ``xint-site build
--no-execute`` with ``-j 1`` and ``-j 2``: seconds, pages/s, CPU seconds, the peak
memory of the build and its worker processes (their RSS summed every 20 ms, their
PSS every 250 ms), and how much faster ``-j 2`` is than ``-j 1``. With ``--baseline REV``
the same builds by xint-site at git revision REV (checked out in a temporary
worktree) run alternately with the current ones, so before and after share the
machine's load. Every build writes a new output folder (none is there yet). The
builds share a cache folder of their own (``XDG_CACHE_HOME``, never yours), and each
version builds the pages once, unmeasured, before the measured runs: otherwise the
first build alone would cut the math font (fontTools, ~20 MiB more at its peak) and
compile the templates. On a machine shared with others, each run first waits (up to
``--quiet`` seconds) for the CPUs to be idle.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpus import make_corpus  # noqa: E402

MIB = 2**20
BARE_LOOP = """
import re, sys
from pathlib import Path
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
lexer, fmt = get_lexer_by_name("python"), HtmlFormatter()
md = MarkdownIt("commonmark", {"html": True, "highlight": lambda code, lang, attrs: highlight(code, lexer, fmt)})
for page in sorted(Path(sys.argv[1]).glob("*.md")):
    md.render(re.sub(r"(?s)^---.*?---", "", page.read_text()))
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float  # user + system seconds of the process and its workers
    rss: int  # bytes: the largest sum of RSS over the process and its children
    pss: int  # the same in PSS: pages shared after a fork counted once, not per process


class Peak:
    """Largest total resident memory of a process and its children, sampled.

    RSS counts a page shared by forked workers once per process; PSS divides it among
    them, so PSS is what the build takes from the machine. RSS is read every 20 ms
    (``/proc/PID/statm``: microseconds); PSS only every 250 ms, because the kernel walks
    every page of a process to sum it (about 5 ms for 150 MiB): sampled every 20 ms it
    would take half a core, which a ``-j 2`` build needs."""

    RSS_EVERY = 0.02
    PSS_EVERY = 0.25
    LIST_EVERY = 0.1  # the process and its workers: reading every process's parent costs

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.rss = self.pss = 0
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        procs: list[psutil.Process] = []
        listed = summed = 0.0
        while True:
            now = time.monotonic()
            if not self.process.is_running():
                return
            try:
                if now - listed >= self.LIST_EVERY:
                    procs, listed = [self.process, *self.process.children(recursive=True)], now
                self.rss = max(self.rss, self._sum(procs, pss=False))
                if now - summed >= self.PSS_EVERY:
                    self.pss, summed = max(self.pss, self._sum(procs, pss=True)), now
            except psutil.Error:
                return
            time.sleep(self.RSS_EVERY)

    def _sum(self, procs: list[psutil.Process], pss: bool) -> int:
        total = 0
        for p in procs:
            with contextlib.suppress(psutil.NoSuchProcess):  # a worker that ended
                total += p.memory_full_info().pss if pss else p.memory_info().rss
        return total


def wait_for_quiet(limit: float) -> None:
    """Wait until the CPUs were at least 90% idle for a second (at most ``limit`` s)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and psutil.cpu_percent(interval=1.0) > 10:
        pass


def measure(args: list[str], repo: Path, quiet: float) -> Run:
    wait_for_quiet(quiet)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(
        args,
        cwd=repo,  # ``python -m`` imports from the current folder first
        env={**os.environ, "PYTHONPATH": str(repo)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = Peak(proc.pid)
    _, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak.thread.join(1)
    if proc.returncode:
        raise SystemExit(stderr)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Run(seconds, cpu, peak.rss, peak.pss)


def build(content: Path, out: Path, jobs: int, repo: Path, quiet: float) -> Run:
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "xint_site", "build", str(content), "-o", str(out)]
    return measure([*command, "--no-execute", "-j", str(jobs)], repo, quiet)


def bare_loop(content: Path, quiet: float) -> Run:
    """markdown-it-py + Pygments on every page, one process, no site around it."""
    return measure([sys.executable, "-c", BARE_LOOP, str(content)], REPO, quiet)


def best(runs: list[Run]) -> Run:
    """The fastest time, and the largest peaks of any repeat (memory should not vary)."""
    return Run(
        min(r.seconds for r in runs),
        min(r.cpu for r in runs),
        max(r.rss for r in runs),
        max(r.pss for r in runs),
    )


def worktree(root: Path, rev: str) -> Path:
    folder = root / "baseline"
    command = ["git", "-C", str(REPO), "worktree", "add", "--detach", str(folder), rev]
    subprocess.run(command, check=True, capture_output=True)
    return folder


def _knows_search(repo: Path) -> bool:
    """Whether that version's ``xint.yml`` has the ``search`` key (so the bench can turn the
    index off: with it on, Pagefind's time and memory would be measured too)."""
    return "    search: bool" in (repo / "xint_site" / "config.py").read_text(encoding="utf-8")


def bench(root: Path, pages: int, args: argparse.Namespace, versions: dict[str, Path]) -> None:
    content = make_corpus(root / f"content-{pages}", pages)
    formulas = sum(len(re.findall(r"\$", p.read_text())) for p in content.glob("*.md")) // 2
    print(f"\n{pages} pages, 7 tab sets of 3 tabs each, {formulas // pages} formulas per page")
    older = root / f"content-{pages}-baseline"  # the same pages, for a version whose
    shutil.copytree(content, older)  # xint.yml knows no 'search' key (it had no search)
    (older / "xint.yml").write_text("title: bench\n")
    sources = {name: content if _knows_search(repo) else older for name, repo in versions.items()}
    for name, repo in versions.items():  # the math font and templates into the cache
        build(sources[name], root / "out", 2, repo, 0)
    bare = [bare_loop(content, args.quiet) for _ in range(args.repeat)]
    rows: dict[str, Run] = {"bare markdown-it-py + Pygments loop": best(bare)}
    runs: dict[tuple[str, int], list[Run]] = {}
    for _ in range(args.repeat):
        for jobs in (1, 2):
            for name, repo in versions.items():  # alternately, so both see the same load
                run = build(sources[name], root / "out", jobs, repo, args.quiet)
                runs.setdefault((name, jobs), []).append(run)
    for (name, jobs), found in runs.items():
        rows[f"build --no-execute -j {jobs} ({name})"] = best(found)
    header = f"{'':44s} {'time':>8s} {'pages/s':>8s} {'CPU':>8s} {'peak RSS':>9s} {'peak PSS':>9s}"
    print(header)
    for label, run in rows.items():
        print(
            f"{label:44s} {run.seconds:6.1f} s {pages / run.seconds:8.1f} {run.cpu:6.1f} s "
            f"{run.rss / MIB:5.0f} MiB {run.pss / MIB:5.0f} MiB"
        )
    for name in versions:
        one, two = best(runs[(name, 1)]), best(runs[(name, 2)])
        print(f"-j 2 / -j 1 ({name}): {one.seconds / two.seconds:.2f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--baseline", help="also build with xint-site at this git revision")
    parser.add_argument(
        "--quiet", type=float, default=60, help="wait up to this long for idle CPUs per run"
    )
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="xint-bench-"))
    os.environ["XDG_CACHE_HOME"] = str(root / "cache")  # every build's, and only theirs
    versions = {"this version": REPO}
    try:
        if args.baseline:
            versions[args.baseline] = worktree(root, args.baseline)
        print(f"best of {args.repeat}; {os.cpu_count()} CPUs; memory: the largest of the runs")
        for pages in args.pages:
            bench(root, pages, args, versions)
    finally:
        if args.baseline:
            command = ["git", "-C", str(REPO), "worktree", "remove", "--force"]
            subprocess.run([*command, str(root / "baseline")], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
