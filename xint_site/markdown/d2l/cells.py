"""d2l-book's code cells: ```` ```{.python .input} ```` fences and their frameworks.

A cell belongs to the default tab unless its first line says otherwise:
``#@tab pytorch, mxnet`` or ``%%tab pytorch`` names frameworks, ``#@tab all`` every
framework. That line runs nowhere and is not shown. Lines that only load
d2l-book's tab helper (``%load_ext d2lbook.tab``, ``tab.interact_select(...)``)
are left out, and a cell left empty is dropped, as d2l-book drops it.

Consecutive cells (and prose tabs) become one tab set, one fence per framework
(``tab_runs.py``); ``cells_plugin`` then numbers them like every other cell. On a
d2l page, every other fence (```` ```bash ````, ```` ```{.python} ````) is only
shown: ``meta["shown_only"]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.fence import fence

from xint_site.markdown.cells import cells_plugin
from xint_site.markdown.code import code_plugin
from xint_site.markdown.d2l.common import line_text, warning
from xint_site.markdown.d2l.selected import shown_code
from xint_site.markdown.d2l.tab_runs import Block, TabRuns, enable_tab_runs
from xint_site.markdown.tab_names import ANY_LABEL, TabNames

_TAB_LINE = re.compile(
    r"\s*(?P<mark>#\s*@tab|%%tab)\s+(?P<names>[\w\-, ]*\w)"
)  # a comment may follow
_HELPER = re.compile(
    r"\s*(?:%load_ext\s+d2lbook\.tab|from\s+d2lbook\s+import\s+tab|tab\.interact_select\(.*\))"
    r"\s*(?:#.*)?$"
)
_FENCE = re.compile(r"(`{3,}|~{3,})\s*(?P<info>.*)$")


def d2l_cells_plugin(md: MarkdownIt, names: TabNames = ANY_LABEL, default_tab: str = "") -> None:
    """```` ```{.python .input} ```` cells; a cell without ``#@tab`` is ``default_tab``'s
    (with no default tab, it is shared by every framework). Uses ``tab_sets_plugin``,
    ``cells_plugin`` (with ``names``) and ``code_plugin`` if ``md`` has them not yet."""
    enable_tab_runs(md, names, ("cells", _read_block), default_tab=default_tab)
    if "cells" not in md.core.ruler.get_all_rules():
        cells_plugin(md, names)
    rules = md.renderer.rules if isinstance(md.renderer, RendererHTML) else {}
    if getattr(rules.get("fence"), "__func__", None) is RendererHTML.fence:
        code_plugin(md)  # markdown-it's own renderer would show the code that runs
    alt = ["paragraph", "reference", "blockquote", "list"]  # markdown-it's own, kept
    md.block.ruler.at("fence", _shown_only_fence, {"alt": alt})


def _shown_only_fence(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if not fence(state, start, end, silent):
        return False
    if not silent:
        state.tokens[-1].meta["shown_only"] = True
    return True


def is_input_fence(line: str) -> bool:
    """Whether a line opens a ```` ```{.python .input} ```` fence (attributes allowed)."""
    match = _FENCE.match(line)
    return match is not None and is_input_info(match["info"])


def is_input_info(info: str) -> bool:
    info = info.strip()
    if not (info.startswith("{") and info.endswith("}")):
        return False
    classes = {word for word in info[1:-1].split() if word.startswith(".")}
    return {".python", ".input"} <= classes


@dataclass(frozen=True)
class CellSource:
    code: str  # what runs: the tab line and the helper lines left out
    names: tuple[str, ...] | None  # as written after ``#@tab``; None: no tab line
    tab_line: int = 0  # 0-based line of the tab line in the fence's content
    mark: str = "#@tab"  # as written: ``#@tab`` or ``%%tab``


def read_cell(content: str) -> CellSource:
    lines = content.split("\n")
    names = None
    mark = "#@tab"
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    if match := _TAB_LINE.match(lines[first]):
        names = tuple(n for n in re.split(r"[,\s]+", match["names"]) if n)
        mark = match["mark"]
        del lines[first]
    kept = [line for line in lines if not _HELPER.match(line)]
    code = "\n".join(kept).strip("\n")
    return CellSource(code + "\n" if code else "", names, first, mark)


def _read_block(state: StateBlock, line: int, end: int, runs: TabRuns) -> Block | None:
    if not is_input_fence(line_text(state, line)):
        return None
    before = state.line
    fence(state, line, end, False)
    token = state.tokens.pop()
    after, state.line = state.line, before
    source = read_cell(token.content)
    if not source.code:
        return Block(line, after, {})  # only the tab helper: dropped
    at = line + 1 + source.tab_line
    written = source.names if source.names is not None else (runs.default_tab,)
    if not written[0] or any(n.casefold() == "all" for n in written):
        return _shared(line, after, source.code, token.markup, runs)
    tabs, unknown = runs.resolve(written)
    problems = tuple(
        warning(at, f"{_what(source, name)}: {runs.not_a_tab(name)}: its code is left out")
        for name in unknown
    )
    shown = {fw: shown_code(source.code, _selects(runs, fw)) for fw in tabs}
    return Block(
        line, after, tabs, code=source.code, shown=shown, markup=token.markup, problems=problems
    )


def _shared(line: int, after: int, code: str, markup: str, runs: TabRuns) -> Block:
    """A cell of every framework: shared, unless ``tab.selected`` branches make each
    framework's tab show other code (the parser must know the frameworks)."""
    tabs = runs.all_tabs
    shown = {fw: shown_code(code, _selects(runs, fw)) for fw in tabs}
    if any(text != code for text in shown.values()):
        return Block(line, after, tabs, code=code, shown=shown, markup=markup)
    return Block(line, after, {}, shared=True, code=code, markup=markup)


def _selects(runs: TabRuns, fw: str) -> Callable[[str], bool]:
    return lambda name: runs.names.resolve(name) == fw


def _what(source: CellSource, name: str) -> str:
    return f"'{source.mark} {name}'" if source.names is not None else f"the default tab '{name}'"
