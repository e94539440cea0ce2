"""Build progress on stderr: a bar on a terminal, plain lines in a log, then a summary."""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

from xint_site.execute.results import NotebookRun
from xint_site.plan import NotebookJob


class ProgressReport:
    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.total = self.cached = self.done = self.failed = 0
        self.running: list[str] = []
        self.started_at = time.perf_counter()

    def planned(self, total: int, cached: int) -> None:
        self.total, self.cached = total, cached
        if not self.tty and total:
            self._line(f"{total} notebooks: {cached} from cache, {total - cached} to run")
        self._bar()

    def started(self, job: NotebookJob) -> None:
        self.running.append(_name(job))
        self._bar()

    def finished(self, run: NotebookRun) -> None:
        name = _name(run.job)
        if name in self.running:
            self.running.remove(name)
        self.done += 1
        self.failed += not run.ok
        if not self.tty:
            state = "ok" if run.ok else "FAILED"
            self._line(f"  ran {name} {state} in {run.seconds:.1f} s")
        self._bar()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()

    def summary(self, pages: int, out: str) -> str:
        seconds = time.perf_counter() - self.started_at
        parts = [f"built {pages} page{'s' * (pages != 1)} into {out}"]
        if self.total:
            parts.append(
                f"{self.total} notebooks: {self.done} executed, {self.cached} from cache, "
                f"{self.failed} failed"
            )
        return "; ".join(parts) + f"; {seconds:.2f} s"

    def _bar(self) -> None:
        if not self.tty or not self.total:
            return
        finished = self.done + self.cached
        width = 24
        filled = width * finished // self.total
        running = ", ".join(self.running[:2]) + (" …" if len(self.running) > 2 else "")
        text = (
            f"[{'#' * filled}{'.' * (width - filled)}] {finished}/{self.total} notebooks"
            f" · {self.cached} cached · {self.failed} failed"
            + (f" · running {running}" if running else "")
        )
        columns = shutil.get_terminal_size((100, 20)).columns
        self.stream.write("\r\x1b[2K" + text[: columns - 1])
        self.stream.flush()

    def _line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)


def _name(job: NotebookJob) -> str:
    return f"{job.rel} [{job.label}]"
