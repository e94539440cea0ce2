"""The code a framework's tab shows: ``if tab.selected(...)`` branches of others left out.

d2l-book writes one cell for several frameworks and picks each one's lines with
``if tab.selected('pytorch'):``; d2l.ai shows a framework only its own branch. The
code that runs keeps every branch (the kernel answers ``tab.selected``); the shown
copy drops the other branches and the ``if`` line of the kept one, whose lines move
left to where the ``if`` stood. Python's ``ast`` finds the branches; lines are then
removed by number, so the kept code keeps its comments and layout as written.

Only chains whose every test is made of ``tab.selected('a', ...)`` calls (with
``and``, ``or``, ``not``) are pruned; ``if tab.selected('a') and x:`` is left alone.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

#: Does this name, as written in ``tab.selected(...)``, select the framework shown?
Selects = Callable[[str], bool]

_ELSE = re.compile(r"\s*else\s*:")


@dataclass(frozen=True)
class _Branch:
    test: ast.expr | None  # None: the ``else`` branch
    body: list[ast.stmt]
    first: int  # 1-based lines of its ``if``/``elif``/``else`` header
    last: int


@dataclass
class _Edits:
    """Line edits, by 1-based line number, applied to the source at the end."""

    removed: set[int] = field(default_factory=set)
    dedent: dict[int, int] = field(default_factory=dict)
    cut: dict[int, tuple[int, int]] = field(default_factory=dict)  # line: (indent, from byte)
    passes: set[int] = field(default_factory=set)  # lines that become ``pass``

    def apply(self, lines: list[str]) -> str:
        out = []
        for number, line in enumerate(lines, start=1):
            if number in self.removed:
                continue
            if number in self.passes:
                line = line[: _indent(line)] + "pass"
            elif number in self.cut:
                indent, start = self.cut[number]
                line = line[:indent] + line.encode()[start:].decode()
            out.append(_dedent(line, self.dedent.get(number, 0)))
        return "\n".join(out)


@dataclass(frozen=True)
class _Chain:
    """An ``if``/``elif``/``else`` chain whose every test is made of ``tab.selected``."""

    head: ast.If
    branches: tuple[_Branch, ...]
    sole: bool  # alone in its block: ``pass`` stands in when no branch is kept


def shown_code(code: str, selects: Selects) -> str:
    """``code`` as the tab of the framework that ``selects`` recognises shows it."""
    if "tab.selected" not in code:
        return code
    chains = _chains(code)
    if not chains:
        return code
    edits = _Edits()
    for chain in chains:
        _prune(chain, selects, edits)
    return edits.apply(code.split("\n"))


@lru_cache(maxsize=4096)
def _chains(code: str) -> tuple[_Chain, ...]:
    """The chains to prune, read once per cell whatever the number of frameworks."""
    lines = code.split("\n")
    try:
        tree = ast.parse("\n".join(_without_magics(lines)))
    except SyntaxError:
        return ()  # the kernel will say what is wrong; show it as written
    sole: set[int] = set()
    elifs: set[int] = set()
    ifs: list[ast.If] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            ifs.append(node)
            nested = _elif(node, lines)
            if nested is not None:
                elifs.add(id(nested))
        if not isinstance(node, ast.Module):
            for name in ("body", "orelse", "finalbody"):
                block = getattr(node, name, None)
                if isinstance(block, list) and len(block) == 1:
                    sole.add(id(block[0]))
    chains = []
    for head in ifs:
        if id(head) in elifs:
            continue
        branches = tuple(_branches(head, lines))
        if all(b.test is None or _value(b.test, _none) is not None for b in branches):
            chains.append(_Chain(head, branches, id(head) in sole))
    return tuple(chains)


def _none(name: str) -> bool:
    """Selects nothing: a test that has a value with it is made of ``tab.selected`` only."""
    return False


def _prune(chain: _Chain, selects: Selects, edits: _Edits) -> None:
    head, branches = chain.head, chain.branches
    values = [_value(b.test, selects) if b.test else True for b in branches]
    taken = values.index(True) if True in values else None
    ends = [b.first - 1 for b in branches[1:]] + [head.end_lineno or head.lineno]
    removed: set[int] = set()
    for index, (branch, end) in enumerate(zip(branches, ends, strict=True)):
        if index != taken:
            removed.update(range(branch.first, end + 1))
        else:
            _keep(head, branch, end, edits)
    if taken is None and chain.sole:  # the block would be empty: ``pass`` stands in
        removed.discard(head.lineno)
        edits.passes.add(head.lineno)
    edits.removed |= removed


def _keep(head: ast.If, branch: _Branch, end: int, edits: _Edits) -> None:
    """Drop the header of the kept branch and move its lines left to the ``if``'s place."""
    first = branch.body[0]
    if first.lineno == branch.last:  # ``if tab.selected('a'): x = 1`` on one line
        edits.removed.update(range(branch.first, branch.last))
        edits.cut[branch.last] = (head.col_offset, first.col_offset)
        return
    edits.removed.update(range(branch.first, branch.last + 1))
    shift = first.col_offset - head.col_offset
    for number in range(branch.last + 1, end + 1):
        edits.dedent[number] = edits.dedent.get(number, 0) + shift


def _branches(head: ast.If, lines: list[str]) -> list[_Branch]:
    branches = []
    node = head
    while True:
        branches.append(_Branch(node.test, node.body, node.lineno, node.test.end_lineno or 0))
        nested = _elif(node, lines)
        if nested is not None:
            node = nested
            continue
        if node.orelse:
            after = node.body[-1].end_lineno or node.lineno
            line = _else_line(lines, after, node.orelse[0].lineno)
            branches.append(_Branch(None, node.orelse, line, line))
        return branches


def _elif(node: ast.AST, lines: list[str]) -> ast.If | None:
    """The ``elif`` after ``node`` (an ``else:`` holding an ``if`` is no ``elif``)."""
    if not isinstance(node, ast.If) or len(node.orelse) != 1:
        return None
    nested = node.orelse[0]
    if not isinstance(nested, ast.If):
        return None
    written = lines[nested.lineno - 1].encode()[nested.col_offset :]
    return nested if written.startswith(b"elif") else None


def _else_line(lines: list[str], after: int, before: int) -> int:
    for number in range(after + 1, before + 1):
        if _ELSE.match(lines[number - 1]):
            return number
    return before


def _value(test: ast.expr, selects: Selects) -> bool | None:
    """The value of a test made only of ``tab.selected`` calls, else None."""
    if isinstance(test, ast.BoolOp):
        values = [_value(v, selects) for v in test.values]
        if None in values:
            return None
        return all(values) if isinstance(test.op, ast.And) else any(values)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        value = _value(test.operand, selects)
        return None if value is None else not value
    names = _selected_names(test)
    return None if names is None else any(selects(name) for name in names)


def _selected_names(node: ast.expr) -> list[str] | None:
    """``['a', 'b']`` for ``tab.selected('a', 'b')`` or ``tab.selected(['a', 'b'])``."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "selected"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "tab"
        and not node.keywords
    ):
        return None
    args = node.args
    if len(args) == 1 and isinstance(args[0], ast.List | ast.Tuple):
        args = args[0].elts
    names = [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return names if len(names) == len(args) else None


def _without_magics(lines: list[str]) -> list[str]:
    """IPython's ``%magic`` and ``!shell`` lines as ``pass``, so ``ast`` can read the rest."""
    return [
        line[: _indent(line)] + "pass" if line.lstrip().startswith(("%", "!")) else line
        for line in lines
    ]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _dedent(line: str, amount: int) -> str:
    return line[min(amount, _indent(line)) :] if amount else line
