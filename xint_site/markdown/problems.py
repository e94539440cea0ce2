"""Where plugins leave the problems they find: ``env["problems"]``, as ``Problem`` values
whose line is 0-based in the parsed text and whose path is empty (the caller knows
both the file and where its Markdown starts: ``Problem.placed``)."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from xint_site.problems import Problem


def report(env: MutableMapping[str, Any], line: int, message: str) -> None:
    """Record a problem at a 0-based line of the parsed text."""
    env.setdefault("problems", []).append(Problem("", line, message))
