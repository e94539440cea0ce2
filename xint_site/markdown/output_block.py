"""Hand-written ``<output>`` blocks: the output shown under a code cell.

    <output>
    array([[ 0.],
           [ 4.]])</output>

The text becomes an ``output_block`` token whose ``meta["text"]`` is the
unescaped content (``&lt;`` becomes ``<``), so it is escaped again, once, when
rendered. Content that starts with a tag is kept as HTML.
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

from xint_site.markdown.problems import report

_OPEN = re.compile(r"<output\b[^>]*>", re.I)
_CLOSE = re.compile(r"</output\s*>", re.I)
_HTML_START = re.compile(r"<[a-zA-Z!/]")


def output_block_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "html_block",
        "output_block",
        _output_block,
        {"alt": ["paragraph", "reference", "blockquote"]},
    )
    md.add_render_rule("output_block", render_output_block)


def _output_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    first_at = state.bMarks[start] + state.tShift[start]
    if not _OPEN.match(state.src, first_at, state.eMarks[start]):
        return False
    line = start
    while line < end:
        close = _CLOSE.search(state.src, state.bMarks[line], state.eMarks[line])
        if close:
            break
        line += 1
    else:
        if not silent:
            report(state.env, start, "<output> is never closed: add </output>")
        return False
    if silent:
        return True
    body = state.getLines(start, line + 1, state.blkIndent, False)
    opened = _OPEN.search(body)
    closed = list(_CLOSE.finditer(body))[-1]
    inner = body[opened.end() : closed.start()] if opened else ""
    tail = body[closed.end() :].strip()
    token = state.push("output_block", "output", 0)
    token.block, token.map = True, [start, line + 1]
    token.content = inner
    text = inner.strip("\n").rstrip()
    token.meta = {"html": bool(_HTML_START.match(text.lstrip())), "text": text}
    if not token.meta["html"]:
        token.meta["text"] = html.unescape(text)
    if tail:  # e.g. `<output></output>![plot](a.png)`: the rest is a paragraph
        state.push("paragraph_open", "p", 1).map = [line, line + 1]
        inline = state.push("inline", "", 0)
        inline.content, inline.map, inline.children = tail, [line, line + 1], []
        state.push("paragraph_close", "p", -1)
    state.line = line + 1
    return True


def render_output_block(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    meta = tokens[idx].meta
    if not meta["text"]:
        return ""
    if meta["html"]:
        return f'<output class="output-html">{meta["text"]}</output>\n'
    return f'<output class="output-text">{html.escape(meta["text"], quote=False)}</output>\n'
