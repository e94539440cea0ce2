"""Runs of d2l-book tab blocks (code cells, prose tabs) made into tab sets.

d2l-book groups consecutive blocks that belong to frameworks (blank lines between
them allowed) into one tab set with a tab per framework, in the order of the
book's tabs; each tab holds that framework's blocks in page order. The tokens are
those of the other tab-set forms (``tab_set_open``, ``tab_open`` with a
``label``, ``tab_close``, ``tab_set_close``; ``form: "d2l"``), so ``tab_sets_plugin``
numbers and renders them and ``cells_plugin`` numbers the cells inside.

A block for every framework (``#@tab all``) is no tab: a shared cell or plain
text, between tab sets. The readers of each syntax (``cells.py``,
``prose_tabs.py``) turn lines into :class:`Block` values; this rule groups them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from weakref import WeakKeyDictionary

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from xint_site.markdown.d2l.common import starts_block
from xint_site.markdown.tab_names import TabNames
from xint_site.markdown.tab_sets import tab_sets_plugin
from xint_site.problems import Problem

PROSE_DEPTH = "d2l_prose_tab_depth"  # in env while a prose tab's text is parsed


@dataclass(frozen=True)
class Block:
    """One code cell or prose tab, read but not yet turned into tokens."""

    start: int  # 0-based line of its first line
    next: int  # the line after it
    tabs: dict[str, str]  # framework id -> label, as written; empty: dropped
    shared: bool = False  # every framework's: no tab
    code: str | None = None  # a cell: the code that runs
    shown: Mapping[str, str] = field(default_factory=dict)  # a cell: framework -> code shown
    markup: str = "```"
    body: tuple[int, int] | None = None  # prose: the lines of its text
    problems: tuple[Problem, ...] = ()


Reader = Callable[[StateBlock, int, int, "TabRuns"], Block | None]


@dataclass
class TabRuns:
    """The tab-run settings of one parser, shared by the plugins that read blocks."""

    names: TabNames
    default_tab: str = ""
    readers: dict[str, Reader] = field(default_factory=dict)

    def resolve(self, written: Iterable[str]) -> tuple[dict[str, str], list[str]]:
        """Framework id -> label for each name, and the names that are no framework."""
        tabs: dict[str, str] = {}
        unknown = []
        for name in written:
            fw = self.names.resolve(name)
            if fw is None:
                unknown.append(name)
            else:
                tabs.setdefault(fw, self.names.label(fw, name))
        return tabs, unknown

    def not_a_tab(self, name: str) -> str:
        known = ", ".join(self.names.labels.values())
        return f"'{name}' is not one of the tabs ({known})"

    @property
    def all_tabs(self) -> dict[str, str]:
        """Every framework, when the parser knows them (else empty)."""
        return dict(self.names.labels)


_RUNS: WeakKeyDictionary[MarkdownIt, TabRuns] = WeakKeyDictionary()


def enable_tab_runs(
    md: MarkdownIt, names: TabNames, reader: tuple[str, Reader], default_tab: str | None = None
) -> None:
    """Let ``reader`` add its blocks to ``md``'s tab runs (the rule is added once)."""
    runs = _RUNS.get(md)
    if runs is None:
        runs = _RUNS[md] = TabRuns(names)
        alt = ["paragraph", "reference", "blockquote", "list"]
        md.block.ruler.before("fence", "d2l_tab_runs", partial(_rule, runs), {"alt": alt})
        if "tab_sets" not in md.core.ruler.get_all_rules():
            tab_sets_plugin(md, names)
    runs.names = names
    if default_tab is not None:
        runs.default_tab = default_tab
    runs.readers[reader[0]] = reader[1]


def _rule(runs: TabRuns, state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.env.get(PROSE_DEPTH) or not starts_block(state, start):
        return False  # a fence in a prose tab is shown, a tab in a tab is text
    first = _read(runs, state, start, end)
    if first is None:
        return False
    if silent:
        return True
    run: list[Block] = []
    block: Block | None = first
    after = start
    while block is not None and (not block.shared or not run):
        if block.tabs or block.shared:
            run.append(block)
        _report(state, block)
        after = block.next
        if block.shared:
            break
        following = state.skipEmptyLines(after)
        block = _read(runs, state, following, end) if following < end else None
    if len(run) == 1 and run[0].shared:
        _emit_shared(state, run[0])
    elif run:
        _emit_set(state, runs, run)
    state.line = after
    return True


def _read(runs: TabRuns, state: StateBlock, line: int, end: int) -> Block | None:
    first = state.bMarks[line] + state.tShift[line]
    if first >= state.eMarks[line] or state.src[first] not in "`~:":
        return None  # neither a fence nor a ``:begin_tab:``: the common case, quickly
    if not starts_block(state, line):
        return None
    for reader in runs.readers.values():
        block = reader(state, line, end, runs)
        if block is not None:
            return block
    return None


def _report(state: StateBlock, block: Block) -> None:
    state.env.setdefault("problems", []).extend(block.problems)


def _emit_shared(state: StateBlock, block: Block) -> None:
    if block.code is not None:
        _emit_cell(state, block, block.code)
    else:
        _emit_prose(state, block)


def _emit_set(state: StateBlock, runs: TabRuns, run: list[Block]) -> None:
    set_open = state.push("tab_set_open", "div", 1)
    set_open.map = [run[0].start, run[-1].next]
    set_open.meta = {"form": "d2l"}
    for fw, label in _ordered_tabs(runs, run):
        mine = [b for b in run if fw in b.tabs]
        tab_open = state.push("tab_open", "div", 1)
        tab_open.map = [mine[0].start, mine[-1].next]
        tab_open.meta = {"label": label}
        for block in mine:
            if block.code is not None:
                _emit_cell(state, block, block.shown.get(fw, block.code))
            else:
                _emit_prose(state, block)
        state.push("tab_close", "div", -1)
    state.push("tab_set_close", "div", -1)


def _ordered_tabs(runs: TabRuns, run: list[Block]) -> list[tuple[str, str]]:
    """The tabs of a run: in the order of the parser's frameworks, else as first seen."""
    seen: dict[str, str] = {}
    for block in run:
        for fw, label in block.tabs.items():
            seen.setdefault(fw, label)
    order = {fw: i for i, fw in enumerate(runs.names.labels)}
    return sorted(seen.items(), key=lambda item: order.get(item[0], len(order)))


def _emit_cell(state: StateBlock, block: Block, shown: str) -> None:
    token = state.push("fence", "code", 0)
    token.info = "python"
    token.markup = block.markup
    token.content = block.code or ""
    token.map = [block.start, block.next]
    token.meta = {"shown": shown}


def _emit_prose(state: StateBlock, block: Block) -> None:
    assert block.body is not None
    start, end = block.body
    parent, line_max = state.parentType, state.lineMax
    state.parentType, state.lineMax = "d2l_prose_tab", end
    state.env[PROSE_DEPTH] = state.env.get(PROSE_DEPTH, 0) + 1
    state.md.block.tokenize(state, start, end)
    state.env[PROSE_DEPTH] -= 1
    if not state.env[PROSE_DEPTH]:
        del state.env[PROSE_DEPTH]
    state.parentType, state.lineMax = parent, line_max
