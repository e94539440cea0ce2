"""How deeply a LaTeX formula nests, measured before a math engine sees it.

math-core parses by recursion on the native stack: ``\\frac{1}{`` repeated a few
thousand times overflows it and the process dies (SIGSEGV) with no message, and
a thread's smaller stack dies sooner. Each level costs it at most about 3 KB, so
:data:`MAX_DEPTH` levels stay far inside even a 1 MB thread stack, while real
formulas rarely nest beyond a dozen or two.

A level is a group the parser must finish before the one around it: ``{…}``,
``\\left…\\right``, ``\\begin…\\end``, an optional ``[…]`` argument, and each
command waiting for an argument (``\\sqrt\\sqrt x`` is two levels deep).
"""

from __future__ import annotations

import re

MAX_DEPTH = 100

_DELIMITER = r"\s*(?:\\[A-Za-z]+|\\.|[^\s\\])"  # what follows \left or \right
_TOKEN = re.compile(
    rf"(?P<open>\\begin\s*\{{[^{{}}]*\}}|\\left(?![A-Za-z]){_DELIMITER}|\{{)"
    rf"|(?P<close>\\end\s*\{{[^{{}}]*\}}|\\right(?![A-Za-z]){_DELIMITER}|\}})"
    r"|(?P<command>\\[A-Za-z]+\*?)|(?P<bracket>\[)|(?P<end_bracket>\])"
    r"|(?P<space>\s+)|\\.|.",
    re.S,
)


def too_deep(latex: str, limit: int = MAX_DEPTH) -> str | None:
    """A message if ``latex`` nests more than ``limit`` levels, else None."""
    # Every level is opened by a '{', a '[' or a command: few of them, no need to look.
    if latex.count("{") + latex.count("[") + latex.count("\\") <= limit:
        return None
    if formula_depth(latex, stop=limit + 1) > limit:
        return f"formula nested too deeply (more than {limit} levels)"
    return None


def formula_depth(latex: str, stop: int | None = None) -> int:
    """The deepest level reached (counting ends early once it reaches ``stop``)."""
    groups: list[tuple[bool, int]] = []  # (is an optional [argument], level inside)
    waiting = 0  # commands in a row, each waiting for its argument
    deepest = 0
    for m in _TOKEN.finditer(latex):
        kind = m.lastgroup
        if kind == "command":
            waiting += 1
        elif kind == "open" or (kind == "bracket" and waiting):
            level = groups[-1][1] if groups else 0
            groups.append((kind == "bracket", level + max(waiting, 1)))
            waiting = 0
        elif kind == "close" or (kind == "end_bracket" and groups and groups[-1][0]):
            if groups:
                groups.pop()
            waiting = 0
        elif kind != "space":
            waiting = 0
        deepest = max(deepest, (groups[-1][1] if groups else 0) + waiting)
        if stop is not None and deepest >= stop:
            break
    return deepest
