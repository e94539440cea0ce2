"""Math rendered at build time: ``$…$``, ``$$…$$``, also inside raw HTML blocks.

The engine is passed in: ``convert(latex, display) -> str`` returns markup
(MathML, say) or raises ``ValueError`` with a message; a failure is reported
in ``env["problems"]`` with its line and shown in place as the LaTeX source.
A formula nested too deeply (``math_depth.py``) never reaches the engine.

Without an engine (:func:`latex_source`, the default) the LaTeX stays as text,
escaped, in ``<span class="math">\\(…\\)</span>`` (``\\[…\\]`` for display math):
the delimiters MathJax and KaTeX's auto-render look for in the browser. A span,
not a div, because display math may sit inside a paragraph or raw HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.dollarmath import dollarmath_plugin

from xint_site.markdown.math_depth import too_deep
from xint_site.markdown.problems import report

Convert = Callable[[str, bool], str]

# In raw HTML, math is looked for outside these elements (as MathJax does).
_SKIP = re.compile(r"<(pre|code|script|style|textarea)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_HTML_MATH = re.compile(
    r"(?<!\\)\$\$(?P<display>.+?)(?<!\\)\$\$"
    r"|(?<![\\$])\$(?P<inline>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?![$\d])",
    re.S,
)


def latex_source(latex: str, display: bool) -> str:
    """The LaTeX itself, escaped and delimited for a math engine in the browser."""
    opening, closing = ("\\[", "\\]") if display else ("\\(", "\\)")
    return f'<span class="math">{opening}{html.escape(latex, quote=False)}{closing}</span>'


def math_plugin(md: MarkdownIt, convert: Convert = latex_source) -> None:
    """``$…$`` and ``$$…$$`` (in Markdown and in raw HTML) through ``convert``."""
    dollarmath_plugin(md, allow_space=False, allow_digits=False, double_inline=True)
    md.core.ruler.push("math_convert", lambda state: _convert_all(state, convert))
    for kind in ("math_inline", "math_inline_double", "math_block", "math_block_label"):
        md.add_render_rule(kind, _render_math)


def _convert_all(state: StateCore, convert: Convert) -> None:
    for token in state.tokens:
        line = token.map[0] if token.map else 0
        if token.type in ("math_block", "math_block_label"):
            token.meta["html"] = _one(state, convert, token.content, True, line)
        elif token.type == "html_block":
            token.content = _in_html(state, convert, token.content, line)
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type in ("math_inline", "math_inline_double"):
                    display = child.type == "math_inline_double"
                    child.meta["html"] = _one(state, convert, child.content, display, line)
                elif child.type == "text":
                    line += child.content.count("\n")


def _one(state: StateCore, convert: Convert, latex: str, display: bool, line: int) -> str:
    problem = too_deep(latex)  # before the engine: a native parser may crash on it
    if problem is None:
        try:
            return convert(latex, display)
        except ValueError as exc:
            problem = f"invalid formula: {exc}"
    report(state.env, line, problem)
    return f'<code class="math-error">{html.escape(latex)}</code>'


def _in_html(state: StateCore, convert: Convert, content: str, line: int) -> str:
    if "$" not in content:
        return content
    out: list[str] = []
    pos = 0
    for skip in [*_SKIP.finditer(content), None]:
        stop = skip.start() if skip else len(content)
        out.append(_math_in_text(state, convert, content, pos, stop, line))
        if skip:
            out.append(skip.group(0))
            pos = skip.end()
    return "".join(out)


def _math_in_text(
    state: StateCore, convert: Convert, content: str, start: int, stop: int, line: int
) -> str:
    out: list[str] = []
    pos = start
    for m in _HTML_MATH.finditer(content, start, stop):
        out.append(content[pos : m.start()])
        display = m.group("display") is not None
        latex = m.group("display") if display else m.group("inline")
        at = line + content.count("\n", 0, m.start())
        out.append(_one(state, convert, latex.strip() if display else latex, display, at))
        pos = m.end()
    out.append(content[pos:stop])
    return "".join(out)


def _render_math(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    markup = token.meta.get("html") or html.escape(token.content)
    if token.type in ("math_block", "math_block_label"):
        label = token.info
        anchor = f' id="{html.escape(label)}"' if token.type == "math_block_label" else ""
        return f'<div class="math-display"{anchor}>{markup}</div>\n'
    return markup
