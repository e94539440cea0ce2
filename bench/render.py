"""Render-only build speed: N synthetic pages like the seed, no kernels.

    .venv/bin/python bench/render.py [--pages 1000] [--repeat 3]

Prints pages/s for a cold build with one worker and with every core, next to a
bare markdown-it-py + Pygments loop over the same pages (the floor any
Python generator pays), so the numbers read as ratios on whatever machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpus import make_corpus  # noqa: E402


def build_seconds(content: Path, out: Path, jobs: int) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "xint_site",
            "build",
            str(content),
            "-o",
            str(out),
            "--no-execute",
            "-j",
            str(jobs),
        ],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(result.stderr)
    return time.perf_counter() - started


def bare_loop_seconds(content: Path) -> float:
    """markdown-it-py + Pygments on every page, one process, no site around it."""
    script = f"""
import re, time
from pathlib import Path
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
t = time.perf_counter()
lexer, fmt = get_lexer_by_name("python"), HtmlFormatter()
md = MarkdownIt("commonmark", {{"html": True, "highlight": lambda code, lang, attrs: highlight(code, lexer, fmt)}})
for page in sorted(Path({str(content)!r}).glob("*.md")):
    md.render(re.sub(r"(?s)^---.*?---", "", page.read_text()))
print(time.perf_counter() - t)
"""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="xint-bench-"))
    try:
        content = make_corpus(root / "content", args.pages)
        math = sum(len(re.findall(r"\$", p.read_text())) for p in content.glob("*.md")) // 2
        print(
            f"corpus: {args.pages} pages, 7 tab sets of 3 tabs each, {math // args.pages} formulas per page"
        )
        rows = [
            ("bare markdown-it-py + Pygments loop", lambda: bare_loop_seconds(content)),
            ("xint-site build --no-execute -j 1", lambda: build_seconds(content, root / "out", 1)),
            (
                "xint-site build --no-execute (all cores)",
                lambda: build_seconds(content, root / "out", 0),
            ),
        ]
        results = {}
        for name, run in rows:
            best = min(run() for _ in range(args.repeat))
            results[name] = best
            print(f"{name:45s} {best:7.2f} s  {args.pages / best:7.1f} pages/s")
        base = results[rows[0][0]]
        for name, _ in rows[1:]:
            print(f"{name}: {base / results[name]:.2f}x the bare loop's speed")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
