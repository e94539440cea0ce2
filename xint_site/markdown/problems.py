"""Where plugins leave the problems they find: ``env["problems"]``."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any


def report(env: MutableMapping[str, Any], line: int, message: str) -> None:
    """Record a problem at a 0-based line of the parsed text."""
    env.setdefault("problems", []).append((line, message))
