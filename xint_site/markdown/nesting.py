"""A limit on how deeply blocks nest, reported instead of silently applied.

markdown-it stops parsing at ``maxNesting`` levels (20 in CommonMark mode) and
drops the rest of the deep block without a word: ten tab sets inside each other
(a set and its tab are two levels) lost their cells. This plugin raises the
limit to :data:`MAX_BLOCK_DEPTH` (25 tab sets inside each other), far above real
pages yet far from Python's recursion limit, and reports content past it with
its line instead of dropping it.

Use it last, so that its rule runs before every other block rule.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from xint_site.markdown.problems import report

MAX_BLOCK_DEPTH = 50
TOO_DEEP = "nested_too_deeply"  # set in env once reported: what was cut is not also a problem


def nesting_limit_plugin(md: MarkdownIt, max_depth: int = MAX_BLOCK_DEPTH) -> None:
    # markdown-it's own cut-off is checked before any rule, so it must stay out of reach:
    # a rule may open levels before parsing what is inside (an HTML tab set opens two).
    # Inline parsing shares it, and costs time in proportion to it on runs of '['.
    md.options["maxNesting"] = max_depth + 4

    def limit(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if silent or state.level <= max_depth:  # inside ``max_depth`` blocks is fine
            return False
        if not state.env.get(TOO_DEEP):  # once per page: each list item comes here
            state.env[TOO_DEEP] = True
            report(state.env, start, _message(state, max_depth))
        state.line = end  # what is inside is not parsed: the build fails with the line above
        return True

    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "nesting_limit", limit)


def _message(state: StateBlock, max_depth: int) -> str:
    steps = {  # the container form becomes tab_set_* only after the block stage
        "tab_set_open": 1,
        "tab_set_close": -1,
        "container_tab-set_open": 1,
        "container_tab-set_close": -1,
    }
    in_tab_set = sum(steps.get(token.type, 0) for token in state.tokens) > 0
    what = "tab sets" if in_tab_set else "blocks"
    levels = f"more than {max_depth} levels of lists, quotes, tab sets and tabs"
    return f"{what} nested too deeply ({levels})"
