"""User-facing problems: values with a path, a line and a sentence.

Stages collect these instead of raising, so one build reports every problem;
only the command layer turns them into an exit status.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class SiteError:
    """One problem in the user's input, shown as ``path:line: message``."""

    path: str
    line: int
    message: str
    detail: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.detail:
            text += "\n" + "\n".join("    " + ln for ln in self.detail.splitlines())
        return text


def site_error(path: Path | str, line: int, message: str, detail: str = "") -> SiteError:
    return SiteError(str(path), line, message, detail)
