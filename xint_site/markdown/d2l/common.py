"""What the d2l plugins share: warnings, the text of a source line, lines of inline tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from xint_site.problems import Problem, Severity


def warning(line: int, message: str) -> Problem:
    """A warning at a 0-based line of the parsed text: the page is still built, as
    d2l-book builds it."""
    return Problem("", line, message, severity=Severity.WARNING)


def warn(env: MutableMapping[str, Any], line: int, message: str) -> None:
    """Record a :func:`warning` in ``env["problems"]``."""
    env.setdefault("problems", []).append(warning(line, message))


def line_text(state: StateBlock, line: int) -> str:
    """Line ``line`` of the source without its indentation (tabs kept as written)."""
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def starts_block(state: StateBlock, line: int) -> bool:
    """Whether ``line`` may start a block here: inside the current container, not code."""
    return state.blkIndent <= state.sCount[line] < state.blkIndent + 4


def children_with_lines(inline: Token) -> Iterator[tuple[Token, int]]:
    """Each child of an inline token with its 0-based line in the page."""
    line = inline.map[0] if inline.map else 0
    for child in inline.children or []:
        yield child, line
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "text":
            line += child.content.count("\n")


def core_rule_after(md: MarkdownIt, candidates: tuple[str, ...]) -> str:
    """Of ``inline`` and ``candidates``, the one latest in ``md``'s core chain, so a rule
    lands after every rule it needs whichever plugin was used first."""
    chain = md.core.ruler.get_all_rules()
    return max(("inline", *(c for c in candidates if c in chain)), key=chain.index)


RenderRule = Callable[[RendererProtocol, Sequence[Token], int, OptionsDict, EnvType], str]


def fixed_markup(markup: str) -> RenderRule:
    """A render rule that writes ``markup`` whatever the token holds."""

    def render(
        self: RendererProtocol,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: EnvType,
    ) -> str:
        return markup

    return render


def plain_text(children: list[Token]) -> str:
    """Inline tokens as plain text (a caption for ``alt`` and for the book's lists)."""
    parts = []
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.children:
            parts.append(plain_text(child.children))
        else:
            parts.append(child.content)
    return "".join(parts).strip()
