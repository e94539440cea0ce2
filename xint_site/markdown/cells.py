"""Code cells: which fences run, for which framework, and their hand-written outputs.

A Python fence inside a framework's tab is that framework's cell; one outside
every tab set is shared by all frameworks; one in a prose tab is only shown.
With the default names (:data:`ANY_LABEL`) every tab is a framework's, so every
Python fence is a cell.

A fence marked ``meta["shown_only"]`` (on a d2l-book page, every fence but
``{.python .input}``) is never a cell.

Sets ``meta["cell"]`` (page order), ``meta["framework"]`` and ``meta["options"]``
on fences, ``meta["of_cells"]`` (the cells it shows the output of) and
``meta["framework"]`` on ``output_block`` tokens, and ``env["cell_count"]``.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from xint_site.markdown.fence_info import PYTHON, parse_fence_info
from xint_site.markdown.problems import report
from xint_site.markdown.tab_names import ANY_LABEL, TabNames


def cells_plugin(md: MarkdownIt, names: TabNames = ANY_LABEL) -> None:
    """Number the cells after the tab sets are known (``tab_sets_plugin`` puts its
    rules right after the block stage, so it may be used before or after this)."""
    after = "tab_sets" if "tab_sets" in md.core.ruler.get_all_rules() else "block"
    md.core.ruler.after(after, "cells", lambda state: _number_cells(state, names))


def _number_cells(state: StateCore, names: TabNames) -> None:
    count = 0
    tab_fw: list[str | None] = []  # framework of each enclosing tab ("" for prose)
    tab_label: list[str] = []  # label of each enclosing tab, as shown
    set_cells: list[list[int]] = []  # cells in each enclosing tab set
    before_set: list[list[int]] = []  # shared cells just before each tab set
    previous: list[int] = []  # cells the next <output> belongs to
    for token in state.tokens:
        kind = token.type
        if kind == "tab_set_open":
            before_set.append(previous if not tab_fw else [])
            set_cells.append([])
        elif kind == "tab_open":
            tab_fw.append(token.meta.get("framework") or "")
            tab_label.append(token.meta.get("label", ""))
            previous = before_set[-1] if before_set else []
        elif kind == "tab_close":
            tab_fw.pop()
            tab_label.pop()
        elif kind == "tab_set_close":
            previous = set_cells.pop() if set_cells else []
            if set_cells:
                set_cells[-1].extend(previous)
            before_set.pop()
        elif kind == "fence":
            cell = _cell(state, token, tab_fw, tab_label, names, count)
            if cell is not None:
                count += 1
                previous = [cell]
                if set_cells:
                    set_cells[-1].append(cell)
            else:
                previous = []
        elif kind == "output_block":
            token.meta["of_cells"] = list(previous)
            token.meta["framework"] = tab_fw[-1] if tab_fw and tab_fw[-1] else None
        elif token.block and token.nesting >= 0 and kind != "inline":
            previous = []
    state.env["cell_count"] = count


def _cell(
    state: StateCore,
    token: Token,
    tab_fw: list[str | None],
    tab_label: list[str],
    names: TabNames,
    index: int,
) -> int | None:
    if token.meta.get("shown_only"):
        return None  # a d2l-book page runs only its ``{.python .input}`` cells
    info = parse_fence_info(token.info, lambda w: names.resolve(w) is not None)
    if info.language not in PYTHON:
        return None
    line = token.map[0] if token.map else 0
    for word in info.unknown:
        report(state.env, line, f"unknown framework or cell option '{word}' in '```{token.info}'")
    in_tab = tab_fw[-1] if tab_fw else None
    if in_tab == "":
        return None  # a prose tab ("Python Shell"): shown, never run
    named = names.resolve(info.framework_name) if info.framework_name else None
    if in_tab and named and named != in_tab:
        fence = names.label(named, info.framework_name or "")
        report(state.env, line, f"a {fence} fence in the {tab_label[-1] or in_tab} tab")
    token.meta.update(cell=index, framework=in_tab, options=sorted(info.options))
    return index
