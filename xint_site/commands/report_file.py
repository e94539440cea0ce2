"""``--report build.json``: what a build did, for machines (a CI step, a dashboard).

Its shape is ``xint_site/schemas/report.schema.json`` (JSON Schema, shipped with the
package); ``version`` changes when a field changes meaning.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from xint_site.execute.results import NotebookRun
from xint_site.files import write_file_atomic
from xint_site.pipeline import BuildReport
from xint_site.problems import Problem, problem_at

VERSION = 1


def report_data(report: BuildReport, out: Path, seconds: float) -> dict[str, Any]:
    runs = report.execution.runs
    notebooks = [_notebook(run) for run in runs]
    problems = [*report.errors, *report.warnings]
    return {
        "version": VERSION,
        "ok": report.ok,
        "out": str(out),
        "seconds": round(seconds, 3),
        "pages": report.pages,
        "files": report.files,
        "summary": {
            "notebooks": report.execution.planned,
            "executed": sum(n["status"] == "executed" for n in notebooks),
            "cached": sum(n["status"] == "cached" for n in notebooks),
            "failed": sum(n["status"] == "failed" for n in notebooks),
            "errors": len(report.errors),
            "warnings": len(report.warnings),
        },
        "notebooks": notebooks,
        "problems": [_problem(p) for p in sorted(problems)],
    }


def write_report(path: Path, data: dict[str, Any]) -> Problem | None:
    """Write the report whole (a reader never sees half of it); a problem if it cannot be."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    try:
        write_file_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        return problem_at(path, 0, f"cannot write the report: {exc.strerror or exc}")
    return None


def _notebook(run: NotebookRun) -> dict[str, Any]:
    job = run.job
    status = "cached" if run.from_cache else "executed" if run.ok else "failed"
    return {
        "page": str(job.path),
        "framework": job.framework,
        "label": job.label,
        "kernel": job.kernel,
        "status": status,
        "seconds": round(run.seconds, 3),
    }


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "path": problem.path,
        "line": problem.line,
        "column": problem.column,
        "severity": str(problem.severity),
        "message": problem.message,
        "framework": problem.framework,
        "detail": problem.detail,
    }
