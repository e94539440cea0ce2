"""What every command does with problems and signals: ``path:line: message``."""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterable, Iterator

from xint_site.problems import Problem


def print_errors(errors: Iterable[Problem]) -> int:
    count = 0
    for error in errors:
        print(error, file=sys.stderr)
        count += 1
    if count:
        print(
            f"xint-site: {count} error{'s' if count > 1 else ''}; nothing written", file=sys.stderr
        )
    return count


def print_warnings(warnings: Iterable[Problem]) -> None:
    """Problems that did not stop the build; each says why (``(kept going)`` for a cell
    that failed under ``--keep-going``)."""
    for warning in warnings:
        print(warning, file=sys.stderr)


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so the same clean-up stops every kernel."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
