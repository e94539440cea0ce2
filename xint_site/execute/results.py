"""What running notebooks gave: outputs per cell and framework, and the failures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from xint_site.model import Cell
from xint_site.plan import NotebookJob
from xint_site.problems import Problem, problem_at

TRACEBACK_TAIL = 8


@dataclass(frozen=True)
class CellFailure:
    cell: Cell
    ename: str
    evalue: str
    traceback: str
    expected: bool  # the cell is marked `raises`


@dataclass(frozen=True)
class NotebookRun:
    job: NotebookJob
    outputs: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # cell -> raw outputs
    failures: tuple[CellFailure, ...] = ()
    problem: str | None = None  # the notebook could not finish: missing or dead kernel, timeout
    problem_line: int = 0
    seconds: float = 0.0
    from_cache: bool = False

    @property
    def ok(self) -> bool:
        return self.problem is None and all(f.expected for f in self.failures)


_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


def _failing_line(failure: CellFailure) -> int:
    """The page line of the failing statement (IPython names it 'Cell In[n], line k')."""
    found = _CELL_LINE.findall(failure.traceback)
    return failure.cell.line + int(found[-1]) if found else failure.cell.line


def run_errors(run: NotebookRun) -> list[Problem]:
    job = run.job
    errors = []
    if run.problem:  # its first line says what happened; the rest is the kernel's last words
        what, _, last_words = run.problem.partition("\n")
        what = what.removesuffix(":")
        errors.append(problem_at(job.path, run.problem_line, what, last_words, framework=job.label))
    for failure in run.failures:
        if failure.expected and failure.ename:
            continue
        if failure.expected:
            message = "cell is marked 'raises' but ran without an error"
            errors.append(problem_at(job.path, failure.cell.line, message, framework=job.label))
            continue
        tail = "\n".join(failure.traceback.rstrip().splitlines()[-TRACEBACK_TAIL:])
        message = f"{failure.ename}: {failure.evalue}"
        line = _failing_line(failure)
        errors.append(problem_at(job.path, line, message, tail, framework=job.label))
    return errors
