"""Notebooks on a Dask cluster against the same build on this machine, in one run.

    .venv/bin/python bench/cluster.py [--pages 50] [--workers 2]

Needs the framework kernels (`make kernels`). Builds the execution corpus of
``bench/execute.py`` (pages x 3 frameworks of small cells in the real MXNet,
TensorFlow and PyTorch kernels) cold, twice: locally with ``-j N`` and with
``--scheduler local:N`` (N worker processes, each with its own warm kernel parents).
Reports both times, the overhead ratio (cluster / local; the target is at most 1.25
for 150 notebooks), the time per notebook each framework took on the workers, and
from those a paper estimate of a D2L-sized book (200 pages x 4 frameworks) on 8 GPU
workers.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from execute import REPO, make_corpus

RAN = re.compile(r"^  ran .+ \[(\w+)\] ok in ([\d.]+) s$", re.M)
BOOK_NOTEBOOKS = 200 * 4
BOOK_WORKERS = 8


def build(content: Path, out: Path, *args: str) -> tuple[float, str]:
    """Seconds and the log (stderr is not a terminal: one line per notebook)."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "xint_site", "build", str(content), "-o", str(out), *args],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(result.stderr)
    return time.perf_counter() - started, result.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="xint-bench-cluster-"))
    try:
        local = make_corpus(root / "local", args.pages)
        cluster = make_corpus(root / "cluster", args.pages)
        here, _ = build(local, root / "out-local", "-j", str(args.workers))
        there, log = build(cluster, root / "out-cluster", "--scheduler", f"local:{args.workers}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    per: dict[str, list[float]] = {}
    for framework, seconds in RAN.findall(log):
        per.setdefault(framework, []).append(float(seconds))
    notebooks = sum(len(times) for times in per.values())
    print(f"{notebooks} notebooks on {args.workers} workers, cold (one run)")
    print(f"  local -j {args.workers}               {here:7.1f} s")
    print(f"  --scheduler local:{args.workers}      {there:7.1f} s")
    print(f"  overhead ratio             {there / here:7.2f}x  (target: at most 1.25x)")
    means = {fw: statistics.mean(times) for fw, times in per.items()}
    print("  per notebook on a worker:  " + ", ".join(f"{k} {v:.2f} s" for k, v in means.items()))
    mean = statistics.mean(means.values())
    minutes = BOOK_NOTEBOOKS * mean / BOOK_WORKERS / 60
    print(
        f"  paper estimate: {BOOK_NOTEBOOKS} notebooks (200 pages x 4 frameworks) x "
        f"{mean:.2f} s / {BOOK_WORKERS} workers = {minutes:.1f} min of notebooks "
        "(plus one framework import per worker and framework; D2L's real cells train "
        "models and take far longer than these)"
    )


if __name__ == "__main__":
    main()
