"""Execution speed: 50 pages x 3 frameworks of small cells, in real kernels.

    .venv/bin/python bench/execute.py [--pages 50] [-j 2] [--per-framework] [--baseline REV]

Needs the framework kernels (`make kernels`). Reports, in one run:
- a cold build (empty cache; every notebook in a kernel forked from a parent that
  imported its framework) against the same build with a kernel started from
  scratch per notebook (the d2l-book way, `isolate: true`) and against the floor:
  one kernel start and framework import per framework per worker, plus the cells'
  own time, measured by running every notebook's cells in one kernel (what reusing
  kernels would cost at best, leaking state from page to page);
- with ``--per-framework``, each framework's notebooks alone, forked and fresh;
- with ``--baseline REV``, the same cold build by xint-site at git revision REV
  (checked out in a temporary worktree), for before/after in one run;
- rebuilds with nothing changed and after a prose edit (no kernel may start),
  against the render-only build;
- a rebuild after editing one PyTorch cell (only that notebook may run);
- the peak memory of the build and its kernels.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from xint_site.config import load_config  # noqa: E402
from xint_site.execute.kernel import KernelSession  # noqa: E402

IMPORTS = {
    "mxnet": "from mxnet import autograd, np, npx\nnpx.set_np()",
    "tensorflow": "import tensorflow as tf\nnp = tf.experimental.numpy\nnp.experimental_enable_numpy_behavior()",
    "pytorch": "import torch\nnp = torch",
}
GRADIENTS = {
    "mxnet": "x.attach_grad()\nwith autograd.record():\n    y = (x * x).sum()\ny.backward()\nx.grad",
    "tensorflow": "x = tf.Variable(x)\nwith tf.GradientTape() as t:\n    y = tf.reduce_sum(x * x)\nt.gradient(y, x)",
    "pytorch": "x.requires_grad_(True)\ny = (x * x).sum()\ny.backward()\nx.grad",
}


def page(n: int) -> str:
    tabs = lambda cells: "".join(f"```python {fw}\n{cells[fw]}\n```\n" for fw in IMPORTS)  # noqa: E731
    return (
        f"---\ntitle: Page {n}\ndate: 2021-01-{1 + n % 28:02d}\n---\n\nPage {n} prose.\n\n"
        f"{tabs(IMPORTS)}\n```python\nx = np.arange({n % 7 + 3}.0)\nx * 2\n```\n\n"
        f"{tabs(GRADIENTS)}\n"
    )


def make_corpus(folder: Path, pages: int, isolate: bool = False, only: str | None = None) -> Path:
    """``pages`` pages of every framework's tabs (or only ``only``'s)."""
    folder.mkdir(parents=True, exist_ok=True)
    config = (REPO / "content/xint.yml").read_text()
    (folder / "xint.yml").write_text(config + ("isolate: true\n" if isolate else ""))
    for n in range(pages):
        text = page(n)
        if only:  # keep only that framework's fences
            text = re.sub(
                r"```python (\w+)\n.*?```\n",
                lambda m: m[0] if m[1] == only else "",
                text,
                flags=re.S,
            )
        (folder / f"p{n:02d}.md").write_text(text)
    return folder


class Peak:
    """Largest total resident memory of a process and its children, sampled."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while True:
            try:
                procs = [self.process, *self.process.children(recursive=True)]
                self.peak = max(
                    self.peak, sum(p.memory_info().rss for p in procs if p.is_running())
                )
            except psutil.Error:
                return
            time.sleep(0.1)


def build(content: Path, out: Path, *args: str, repo: Path = REPO) -> tuple[float, str, int]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "xint_site", "build", str(content), "-o", str(out), *args],
        env={**os.environ, "PYTHONPATH": str(repo)},
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = Peak(proc.pid)
    _, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(stderr)
    return seconds, stderr.strip().splitlines()[-1], peak.peak


async def floor_seconds(content: Path, pages: int, workers: int) -> tuple[float, dict[str, float]]:
    """Per framework: one kernel start + import, and every notebook's cells in that kernel."""
    config, _ = load_config(content)
    total_start = total_cells = 0.0
    per = {}
    for fw in config.frameworks:
        session = KernelSession(fw.kernel, dict(fw.env))
        t = time.perf_counter()
        await session.start(content)
        await session.run_cells([IMPORTS[fw.id]], 300, time.monotonic() + 300, [False])
        start_import = time.perf_counter() - t
        t = time.perf_counter()
        for n in range(pages):
            cells = [f"x = np.arange({n % 7 + 3}.0)\nx * 2", GRADIENTS[fw.id]]
            await session.run_cells(cells, 300, time.monotonic() + 300, [False, False])
        cells_time = time.perf_counter() - t
        await session.shutdown()
        per[fw.id] = start_import
        total_start += start_import
        total_cells += cells_time
    return (workers * total_start + total_cells) / workers, per


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument(
        "--per-framework", action="store_true", help="also each framework alone: forked / fresh"
    )
    parser.add_argument("--baseline", help="also the cold build of this git revision")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="xint-bench-exec-"))
    jobs = ["-j", str(args.jobs)]
    try:
        content = make_corpus(root / "content", args.pages)
        fresh = make_corpus(root / "fresh", args.pages, isolate=True)
        print(
            f"corpus: {args.pages} pages x 3 frameworks = {args.pages * 3} notebooks, -j {args.jobs}"
        )
        # first: every framework imported once, so no build below pays for a cold disk
        floor, imports = asyncio.run(floor_seconds(content, args.pages, args.jobs))
        print(
            f"floor (imports once per worker)   {floor:7.1f} s   "
            f"(start+import: {', '.join(f'{k} {v:.1f} s' for k, v in imports.items())})"
        )
        cold, line, peak = build(content, root / "out", *jobs)
        print(f"cold build, forked kernels        {cold:7.1f} s   ({line})")
        print(f"  peak memory (build + kernels)   {peak / 2**30:7.2f} GiB")
        if args.baseline:
            worktree = root / "baseline"
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(REPO),
                    "worktree",
                    "add",
                    "--detach",
                    str(worktree),
                    args.baseline,
                ],
                check=True,
                capture_output=True,
            )
            try:
                base = make_corpus(root / "base", args.pages)
                before, line, peak_base = build(base, root / "out-base", *jobs, repo=worktree)
                print(f"cold build at {args.baseline:<19} {before:7.1f} s   ({line})")
                print(f"  peak memory                     {peak_base / 2**30:7.2f} GiB")
            finally:
                subprocess.run(
                    ["git", "-C", str(REPO), "worktree", "remove", "--force", str(worktree)],
                    capture_output=True,
                )
        isolated, line, peak_fresh = build(fresh, root / "out2", *jobs)
        print(f"fresh kernel per notebook         {isolated:7.1f} s   ({line})")
        print(f"  peak memory                     {peak_fresh / 2**30:7.2f} GiB")
        render, line, _ = build(content, root / "out3", "--no-execute", *jobs)
        print(f"render only (--no-execute)        {render:7.1f} s")
        again, line, _ = build(content, root / "out", *jobs)
        print(f"rebuild, nothing changed          {again:7.1f} s   ({line})")
        p = content / "p07.md"
        p.write_text(p.read_text().replace("Page 7 prose.", "Page 7, better prose."))
        prose, line, _ = build(content, root / "out", *jobs)
        print(f"rebuild after a prose edit        {prose:7.1f} s   ({line})")
        p.write_text(
            p.read_text().replace(
                "x.requires_grad_(True)\ny = (x * x).sum()",
                "x.requires_grad_(True)\ny = (x * x * 1).sum()",
            )
        )
        code, line, _ = build(content, root / "out", *jobs)
        print(f"rebuild after one PyTorch edit    {code:7.1f} s   ({line})")
        if args.per_framework:
            print("per framework (its notebooks alone: forked / fresh kernel per notebook):")
            for fw in IMPORTS:
                one = make_corpus(root / f"only-{fw}", args.pages, only=fw)
                one_fresh = make_corpus(
                    root / f"only-{fw}-fresh", args.pages, isolate=True, only=fw
                )
                forked_s, _, _ = build(one, root / f"o-{fw}", *jobs)
                fresh_s, _, _ = build(one_fresh, root / f"o-{fw}-fresh", *jobs)
                print(
                    f"  {fw:<12} forked {forked_s:6.1f} s   fresh {fresh_s:6.1f} s   {fresh_s / forked_s:5.1f}x"
                )
        print()
        print(
            f"fresh kernels / forked (default): {isolated / cold:.1f}x   forked / floor: {cold / floor:.2f}x"
        )
        if args.baseline:
            print(
                f"fresh kernels / {args.baseline}: {isolated / before:.1f}x   forked / {args.baseline}: {cold / before:.2f}x"
            )
        print(
            f"unchanged rebuild / render only: {again / render:.2f}x   prose edit / render only: {prose / render:.2f}x"
        )
        ran = re.search(r"(\d+) executed", line)
        print(f"notebooks run after the PyTorch edit: {ran[1] if ran else '?'}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
