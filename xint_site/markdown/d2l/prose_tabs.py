"""d2l-book's prose tabs: text for some frameworks only.

    :begin_tab:`pytorch`
    PyTorch's `backward` accumulates gradients.
    :end_tab:

Several frameworks are separated by commas, ``all`` is every framework (plain
text, no tab). Consecutive blocks, and code cells right next to them, form one
tab set (``tab_runs.py``), with the same tokens as ``::: tab`` containers.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from xint_site.markdown.d2l.common import line_text, warning
from xint_site.markdown.d2l.tab_runs import Block, TabRuns, enable_tab_runs
from xint_site.markdown.tab_names import ANY_LABEL, TabNames
from xint_site.problems import Problem

_BEGIN = re.compile(r":begin_tab:(`+)\s*(?P<names>[^`]*?)\s*\1\s*$")
_END = re.compile(r":end_tab:\s*$")
_FENCE = re.compile(r"(`{3,}|~{3,})")


def d2l_prose_tabs_plugin(md: MarkdownIt, names: TabNames = ANY_LABEL) -> None:
    """``:begin_tab:`…``` … ``:end_tab:`` blocks. Uses ``tab_sets_plugin`` with
    ``names`` if ``md`` has it not yet."""
    enable_tab_runs(md, names, ("prose", _read_block))


def _read_block(state: StateBlock, line: int, end: int, runs: TabRuns) -> Block | None:
    text = line_text(state, line)
    if is_end(text):
        message = "':end_tab:' without a ':begin_tab:' before it: the line is left out"
        return Block(line, line + 1, {}, problems=(warning(line, message),))
    names = begin_names(text)
    if names is None:
        return None
    close = find_end(state, line, end)
    problems: list[Problem] = []
    if close is None:
        close = _container_end(state, line, end)
        message = f"'{text.strip()}' is never closed: add an ':end_tab:' line"
        problems.append(Problem("", line, message))
    after = min(close + 1, end)
    body = (line + 1, close)
    if not names or any(n.casefold() == "all" for n in names):
        return Block(line, after, {}, shared=True, body=body, problems=tuple(problems))
    tabs, unknown = runs.resolve(names)
    for name in unknown:
        message = f"'{text.strip()}': {runs.not_a_tab(name)}: its text is left out"
        problems.append(warning(line, message))
    return Block(line, after, tabs, body=body, problems=tuple(problems))


def _container_end(state: StateBlock, begin: int, end: int) -> int:
    """Where an unclosed tab ends: at the end of its container (a list item, say)."""
    for line in range(begin + 1, end):
        blank = state.bMarks[line] + state.tShift[line] >= state.eMarks[line]
        if not blank and state.sCount[line] < state.blkIndent:
            return line
    return end


def begin_names(line: str) -> tuple[str, ...] | None:
    """The frameworks a ``:begin_tab:`a, b``` line names, or None for another line."""
    match = _BEGIN.match(line)
    if match is None:
        return None
    return tuple(n for n in re.split(r"[,\s]+", match["names"]) if n)


def is_end(line: str) -> bool:
    return _END.match(line) is not None


def find_end(state: StateBlock, begin: int, end: int) -> int | None:
    """The ``:end_tab:`` line closing the tab that ``begin`` opens (fenced code skipped),
    or None when the tab is never closed before its container ends."""
    fence = ""
    for line in range(begin + 1, end):
        blank = state.bMarks[line] + state.tShift[line] >= state.eMarks[line]
        if not blank and state.sCount[line] < state.blkIndent:
            return None
        text = line_text(state, line)
        if fence:
            if text.startswith(fence) and not text.strip(fence[0]).strip():
                fence = ""
        elif match := _FENCE.match(text):
            fence = match[1]
        elif is_end(text):
            return line
    return None
