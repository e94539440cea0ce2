"""A tab with nothing in it: a warning, since a reader who picks it sees a blank panel.

Usually a tab whose code was forgotten, or an ``:::`` fence closed one line too early.
"""

from __future__ import annotations

from itertools import pairwise

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from xint_site.markdown.nesting import TOO_DEEP
from xint_site.problems import Problem, Severity


def empty_tabs_plugin(md: MarkdownIt) -> None:
    """Warn about empty tabs once tab sets are grouped (``tab_sets_plugin`` comes first)."""
    md.core.ruler.push("empty_tabs", _warn_empty_tabs)


def _warn_empty_tabs(state: StateCore) -> None:
    if state.env.get(TOO_DEEP):  # the tabs past the limit were cut, not left empty
        return
    for token, following in pairwise(state.tokens):
        if token.type == "tab_open" and following.type == "tab_close":
            line = token.map[0] if token.map else 0
            label = token.meta.get("label", "")
            problem = Problem("", line, f"tab '{label}' is empty", severity=Severity.WARNING)
            state.env.setdefault("problems", []).append(problem)
