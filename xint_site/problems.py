"""User-facing problems: one type, from parsing to the report.

Stages collect these instead of raising, so one build reports every problem;
only the command layer turns them into an exit status (or, in the preview
server, an overlay). Every problem has the line it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"  # the build fails (or, in the preview, the last good site stays)
    WARNING = "warning"  # reported; the site is still written


@dataclass(frozen=True, order=True)
class Problem:
    """``path:line: [Framework] message``, with the traceback or last words as detail."""

    path: str
    line: int  # 1-based; 0: the file as a whole (a missing folder, an unreadable file)
    message: str
    detail: str = ""
    column: int = 0  # 1-based when known
    severity: Severity = Severity.ERROR
    framework: str = ""  # the framework's label when a notebook of it is the cause

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}" + (f":{self.column}" if self.column else "")
        text = f"{where}: " + (f"[{self.framework}] " if self.framework else "") + self.message
        if self.detail:
            text += "\n" + "\n".join("    " + ln for ln in self.detail.splitlines())
        return text

    def placed(self, path: Path | str, first_line: int) -> Problem:
        """A problem a Markdown plugin found (0-based line of the parsed text), in the
        file whose Markdown starts at ``first_line``."""
        return replace(self, path=str(path), line=first_line + self.line)

    def as_warning(self, note: str = "") -> Problem:
        return replace(self, severity=Severity.WARNING, message=self.message + note)


def problem_at(
    path: Path | str,
    line: int,
    message: str,
    detail: str = "",
    *,
    column: int = 0,
    severity: Severity = Severity.ERROR,
    framework: str = "",
) -> Problem:
    return Problem(str(path), line, message, detail, column, severity, framework)


def warning_at(path: Path | str, line: int, message: str, detail: str = "") -> Problem:
    return problem_at(path, line, message, detail, severity=Severity.WARNING)
