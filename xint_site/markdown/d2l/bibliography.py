"""The page that holds a book's bibliography: a line ``:bibliography:`../d2l.bib```.

It becomes a ``d2l_bibliography`` block token with ``meta["file"]`` (the path as
written, relative to the page). Without a book it renders as an empty
``<div class="d2l-bibliography">``; the site writes the cited entries there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from xint_site.markdown.d2l.common import line_text, starts_block

_LINE = re.compile(r":bibliography:(`+)\s*(?P<file>[^`]+?)\s*\1\s*$")


def d2l_bibliography_plugin(md: MarkdownIt) -> None:
    alt = ["paragraph", "reference", "blockquote", "list"]
    md.block.ruler.before("paragraph", "d2l_bibliography", _bibliography, {"alt": alt})
    md.add_render_rule("d2l_bibliography", render_bibliography)


def _bibliography(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if not starts_block(state, start):
        return False
    match = _LINE.match(line_text(state, start))
    if match is None:
        return False
    if not silent:
        token = state.push("d2l_bibliography", "div", 0)
        token.map = [start, start + 1]
        token.meta = {"file": match["file"]}
    state.line = start + 1
    return True


def render_bibliography(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    file = html.escape(tokens[idx].meta["file"])
    return f'<div class="d2l-bibliography" data-file="{file}"></div>\n'
