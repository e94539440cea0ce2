"""d2l-book's references: ``:numref:`x```, ``:ref:`x```, ``:eqref:`x```, ``:cite:`a,b```.

Each becomes an inline ``d2l_role`` token with ``meta = {"role": "numref",
"target": "x"}`` (for ``cite``: ``"targets": ["a", "b"]``; with Sphinx's
``:ref:`the text <x>```, also ``"title": "the text"``) and ``map`` set to its
line. Without an inventory of the book's labels, it renders as the target in a
``<span class="d2l-role d2l-numref">``; the site replaces that rule with one that
writes the number, title or citation.

The target may be quoted with more backticks (``:numref:``sec_x````), as in code spans.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from xint_site.markdown.d2l.common import children_with_lines

ROLES = frozenset({"numref", "ref", "eqref", "cite"})
_OPENING = re.compile(r":([a-z_]+):(`+)")
_TITLED = re.compile(r"(?P<title>.*?)\s*<(?P<target>[^<>\s]+)>$", re.S)


def d2l_roles_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("backticks", "d2l_roles", _role)
    md.core.ruler.after("inline", "d2l_role_lines", _place)
    md.add_render_rule("d2l_role", render_role)


def quoted_role(state: StateInline, names: frozenset[str]) -> tuple[str, str, int] | None:
    """``(name, value, end)`` for ``:name:`value``` at ``state.pos`` (``name`` in ``names``)."""
    match = _OPENING.match(state.src, state.pos, state.posMax)
    if match is None or match[1] not in names:
        return None
    ticks = match[2]
    close = state.src.find(ticks, match.end(), state.posMax)
    while close >= 0 and state.src.startswith("`", close + len(ticks)):
        close = state.src.find(ticks, close + len(ticks) + 1, state.posMax)
    if close < 0:
        return None
    value = state.src[match.end() : close].strip()
    return (match[1], value, close + len(ticks)) if value else None


def _role(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != ":":
        return False
    found = quoted_role(state, ROLES)
    if found is None:
        return False
    name, value, end = found
    if not silent:
        token = state.push("d2l_role", "span", 0)
        token.content = value
        if name == "cite":
            token.meta = {
                "role": name,
                "targets": [t.strip() for t in value.split(",") if t.strip()],
            }
        elif titled := _TITLED.match(value):  # Sphinx's ``:ref:`the text <label>```
            token.meta = {"role": name, "target": titled["target"], "title": titled["title"]}
        else:
            token.meta = {"role": name, "target": value}
    state.pos = end
    return True


def _place(state: StateCore) -> None:
    """Give each role the line of the page it is on."""
    for token in state.tokens:
        if token.type != "inline":
            continue
        for child, line in children_with_lines(token):
            if child.type == "d2l_role":
                child.map = [line, line + 1]


def render_role(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    meta = tokens[idx].meta
    target = ",".join(meta["targets"]) if meta["role"] == "cite" else meta["target"]
    return f'<span class="d2l-role d2l-{meta["role"]}">{html.escape(target)}</span>'
