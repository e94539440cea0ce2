"""Preview latency: from saving a file to the reload event an open page receives.

    .venv/bin/python bench/serve.py [--pages 1000] [--edits 20] [--no-code]

1. Prose: the render corpus (bench/corpus.py, 1000 pages like the seed) served by
   ``xint-site serve --no-execute`` (its code is not meant to run). Each edit
   rewrites one sentence of a different page; the time is taken from just before
   the write to the moment the ``reload`` event naming that page is read by an
   event-stream client, over real HTTP, from a separate server process.
2. Code: ``content/`` (the seed page, ported) with the real MXNet, TensorFlow and
   PyTorch kernels; after the first build ran its three notebooks, a PyTorch cell
   is edited: how many notebooks ran again, in which kernel processes, how long.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import make_corpus
from tests.serve.client import Server

REPO = Path(__file__).resolve().parent.parent
SEED_POST = REPO / "content" / "posts" / "autograd.md"
REBUILT = r"(\w+) build: (\d+) files written, (\d+) notebooks executed, (\d+) ms"


def prose(root: Path, pages: int, edits: int) -> None:
    content = make_corpus(root / "corpus", pages)
    started = time.perf_counter()
    server = Server(content, root / "corpus-out", "--no-execute")
    print(f"prose: {pages} pages, first build and start {time.perf_counter() - started:.1f} s")
    try:
        events = server.events()
        latencies, rebuilt = [], []
        for i in range(edits):
            n = (pages // 2 + i * 37) % pages
            page = content / f"page{n:04d}.md"
            text = page.read_text(encoding="utf-8")
            new = text.replace(f"Step 0 of page {n}:", f"Step 0 of page {n} (edit {i}):", 1)
            mark = len(server.log)
            saved = time.perf_counter()
            page.write_text(new, encoding="utf-8")
            while True:
                _, build, at = events.next_timed("reload", "failed", timeout=60)
                if build.get("written") is None or any(
                    f"page{n:04d}" in w for w in build["written"]
                ):
                    break
            latencies.append((at - saved) * 1000)
            line = server.wait_log(REBUILT, mark)
            assert line.group(3) == "0", "a prose edit ran a notebook"
            rebuilt.append(int(line.group(4)))
            time.sleep(0.3)  # one save at a time, as an author makes them
        report("save -> reload event at the client", latencies)
        report("rebuild inside the server", rebuilt)
    finally:
        server.interrupt()


def code(root: Path) -> None:
    content = root / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns("_freeze"))
    started = time.perf_counter()
    server = Server(content, root / "content-out")
    first = server.wait_log(REBUILT)
    print(
        f"code: first build ran {first.group(3)} notebooks, "
        f"{time.perf_counter() - started:.1f} s with kernel start-up"
    )
    try:
        warm = server.kernels()
        events = server.events()
        post = content / "posts" / SEED_POST.name
        for factor in (3, 4):
            mark = len(server.log)
            text = post.read_text(encoding="utf-8")
            old = "```python pytorch\ny = 2 * x.T @ x" if factor == 3 else "y = 3 * x.T @ x"
            assert old in text
            saved = time.perf_counter()
            post.write_text(
                text.replace(old, old.replace("2 *" if factor == 3 else "3 *", f"{factor} *"), 1),
                encoding="utf-8",
            )
            _, _, at = events.next_timed("reload", "failed", timeout=300)
            line = server.wait_log(REBUILT, mark)
            ran = [ln.strip() for ln in server.log[mark:] if ln.strip().startswith("ran ")]
            now = server.kernels()
            print(
                f"code edit (y = {factor}·xᵀx, PyTorch tab): {(at - saved) * 1000:.0f} ms to reload; "
                f"{line.group(3)} notebook executed {ran}; "
                f"kernels {'unchanged (warm)' if now == warm else f'{sorted(warm)} -> {sorted(now)}'}"
            )
    finally:
        server.interrupt()


def report(what: str, values: list[float]) -> None:
    values = sorted(values)
    p90 = values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]
    print(
        f"  {what}: median {statistics.median(values):.0f} ms, p90 {p90:.0f} ms, "
        f"min {values[0]:.0f} ms, max {values[-1]:.0f} ms  (n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--no-code", action="store_true", help="skip the real-kernel code edit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xint-bench-serve-") as tmp:
        prose(Path(tmp), args.pages, args.edits)
        if not args.no_code:
            code(Path(tmp))


if __name__ == "__main__":
    main()
