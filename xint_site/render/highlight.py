"""Syntax highlighting with Pygments, cached by the code's content."""

from __future__ import annotations

import html
from functools import lru_cache

from pygments import highlight as pygments_highlight
from pygments.formatter import Formatter
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_FORMATTER = HtmlFormatter(nowrap=True)


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer | None:
    try:
        return get_lexer_by_name(language, stripnl=False)
    except ClassNotFound:
        return None


@lru_cache(maxsize=1024)
def highlight_code(code: str, language: str) -> str:
    """Escaped, class-annotated markup for the inside of ``<code>``."""
    lexer = _lexer(language) if language else None
    if lexer is None:
        return html.escape(code, quote=False)
    return pygments_highlight(code, lexer, _FORMATTER)


def highlight_css(style: str, scope: str) -> str:
    """Pygments rules for ``style``, each under the CSS selector ``scope``."""
    formatter: Formatter[str] = HtmlFormatter(style=style)  # the stub's own is untyped
    return formatter.get_style_defs(f"{scope} .highlight")
