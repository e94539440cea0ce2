"""Fenced code rendered through a highlighter that is passed in.

``highlight(code, language) -> str`` returns the inner markup of ``<code>``
(already escaped); the default, :func:`escape_code`, only escapes. Cells carry
``data-cell`` so outputs and tools can find them. A fence whose ``meta["shown"]``
is set shows that text instead of the code that runs (a d2l-book cell in one
framework's tab, other frameworks' ``tab.selected`` branches left out).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

Highlight = Callable[[str, str], str]


def escape_code(code: str, language: str) -> str:
    """No highlighting: the code as text."""
    return html.escape(code, quote=False)


def code_plugin(md: MarkdownIt, highlight: Highlight = escape_code) -> None:
    """Fences as ``<div class="highlight" data-lang=…><pre><code>``, highlighted."""

    def render_fence(
        self: RendererProtocol,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: EnvType,
    ) -> str:
        token = tokens[idx]
        language = token.info.split(maxsplit=1)[0].strip("{}.").lower() if token.info else ""
        attrs = f' data-lang="{html.escape(language)}"' if language else ""
        if token.meta.get("cell") is not None:
            attrs += f' data-cell="{token.meta["cell"]}"'
        body = highlight(token.meta.get("shown", token.content).rstrip("\n"), language)
        return f'<div class="highlight"{attrs}><pre><code>{body}</code></pre></div>\n'

    md.add_render_rule("fence", render_fence)
