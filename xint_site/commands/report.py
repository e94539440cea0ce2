"""Printing problems the way every command does: ``path:line: message``."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from xint_site.errors import SiteError


def print_errors(errors: Iterable[SiteError]) -> int:
    count = 0
    for error in errors:
        print(error, file=sys.stderr)
        count += 1
    if count:
        print(
            f"xint-site: {count} error{'s' if count > 1 else ''}; nothing written", file=sys.stderr
        )
    return count
