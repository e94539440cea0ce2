"""d2l-book's reStructuredText blocks: ```` ```eval_rst ````, for what Markdown lacks.

Two directives are read, as d2l-book's HTML uses them:

- ``.. raw:: html`` with ``:file: frontpage.html``: a ``d2l_raw_file`` block token
  with ``meta["file"]`` (as written, relative to the page); the site reads the file
  (and renders ``meta["html"]`` once it is set). With HTML in the directive's body
  instead, that HTML is kept (an ``html_block``).
- ``.. only:: html``: its body is parsed as Markdown (a heading, say). ``.. only::``
  and ``.. raw::`` for other formats (``latex``) give nothing.

Anything else is a warning with its line and is shown as a code block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.fence import fence
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from xint_site.markdown.d2l.common import line_text, starts_block, warn

_OPEN = re.compile(r"(`{3,}|~{3,})\s*eval_rst\s*$")
_DIRECTIVE = re.compile(r"\.\.\s+([\w:-]+)::\s*(.*?)\s*$")
_OPTION = re.compile(r":([\w-]+):\s*(.*?)\s*$")
SUPPORTED = "only '.. raw:: html' and '.. only:: html' are read"


def d2l_eval_rst_plugin(md: MarkdownIt) -> None:
    alt = ["paragraph", "reference", "blockquote", "list"]
    md.block.ruler.before("fence", "d2l_eval_rst", _eval_rst, {"alt": alt})
    md.add_render_rule("d2l_raw_file", render_raw_file)


def _eval_rst(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if not starts_block(state, start) or not _OPEN.match(line_text(state, start)):
        return False
    if silent:
        return True
    fence(state, start, end, False)
    token = state.tokens.pop()
    after = state.line
    content_end = start + 1 + token.content.count("\n")
    line = start + 1
    while line < content_end:
        if _blank(state, line):
            line += 1
            continue
        directive = _DIRECTIVE.match(line_text(state, line)) is not None
        stop = (_block_end if directive else _text_end)(state, line, content_end)
        _directive(state, line, stop, token.markup)
        line = stop
    state.line = after
    return True


def _directive(state: StateBlock, line: int, stop: int, markup: str) -> None:
    """One directive (or a stretch of other text) from ``line`` up to ``stop``."""
    match = _DIRECTIVE.match(line_text(state, line))
    name, argument = (match[1], match[2]) if match else ("", "")
    if name == "raw":
        if argument == "html":
            _raw_html(state, line, stop)
    elif name == "only":
        if argument == "html":
            _parse_markdown(state, line + 1, stop)
    else:
        what = f"'.. {name}::'" if name else "reStructuredText"
        warn(state.env, line, f"{what} in an eval_rst block is not supported ({SUPPORTED})")
        code = state.push("fence", "code", 0)
        code.info, code.markup, code.map = "rst", markup, [line, stop]
        code.content = state.getLines(line, stop, state.sCount[line], True)
        code.meta = {"shown_only": True}


def _raw_html(state: StateBlock, line: int, stop: int) -> None:
    options: dict[str, str] = {}
    body = line + 1
    while body < stop and not _blank(state, body):
        option = _OPTION.match(line_text(state, body))
        if option is None:
            break
        options[option[1]] = option[2]
        body += 1
    while body < stop and _blank(state, body):
        body += 1
    if "file" in options:
        token = state.push("d2l_raw_file", "", 0)
        token.map, token.meta = [line, stop], {"file": options["file"]}
    elif body < stop:
        token = state.push("html_block", "", 0)
        token.map = [body, stop]
        token.content = state.getLines(body, stop, state.sCount[body], True).rstrip() + "\n"
    else:
        warn(state.env, line, "'.. raw:: html' with neither ':file:' nor HTML: nothing to show")


def _parse_markdown(state: StateBlock, start: int, stop: int) -> None:
    """The directive's body as Markdown, in place, so its lines stay the page's lines."""
    while start < stop and _blank(state, start):
        start += 1
    if start >= stop:
        return
    indent, line_max, parent = state.blkIndent, state.lineMax, state.parentType
    state.blkIndent, state.lineMax, state.parentType = state.sCount[start], stop, "d2l_rst"
    state.md.block.tokenize(state, start, stop)
    state.blkIndent, state.lineMax, state.parentType = indent, line_max, parent


def _blank(state: StateBlock, line: int) -> bool:
    return state.bMarks[line] + state.tShift[line] >= state.eMarks[line]


def _block_end(state: StateBlock, line: int, end: int) -> int:
    """The line after a directive: its body is blank or indented more than it."""
    indent = state.sCount[line]
    following = line + 1
    while following < end and (_blank(state, following) or state.sCount[following] > indent):
        following += 1
    return following


def _text_end(state: StateBlock, line: int, end: int) -> int:
    """The line after text that is no directive: the next directive, or the end."""
    indent = state.sCount[line]
    following = line + 1
    while following < end and not (
        state.sCount[following] <= indent
        and _DIRECTIVE.match(line_text(state, following))
        and not _blank(state, following)
    ):
        following += 1
    return following


def render_raw_file(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return str(tokens[idx].meta.get("html", ""))
