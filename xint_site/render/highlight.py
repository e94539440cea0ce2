"""Syntax highlighting with Pygments, cached by the code's content.

The cache holds the last 1024 blocks of the process. The preview server renders an
edited page again; its blocks were highlighted long before (in a site of any size, in
another process), so it passes the blocks of the page's last render to
:func:`page_blocks` and Pygments runs only for code that changed: a prose edit costs no
highlighting. A block is taken by the exact code and language it was made from, so the
markup is what Pygments would make.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from pygments import highlight as pygments_highlight
from pygments.formatter import Formatter
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_FORMATTER = HtmlFormatter(nowrap=True)

Blocks = dict[tuple[str, str], str]  # highlighted markup by (code, language)
_PAGE: ContextVar[tuple[Mapping[tuple[str, str], str], Blocks] | None] = ContextVar(
    "xint_site_page_blocks", default=None
)


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


def highlight(code: str, language: str) -> str:
    """:func:`highlight_code`; inside :func:`page_blocks`, a block it was given is taken
    from there, and every block is noted."""
    page = _PAGE.get()
    if page is None:
        return highlight_code(code, language)
    known, made = page
    markup = known.get((code, language))
    if markup is None:
        markup = highlight_code(code, language)
    made[code, language] = markup
    return markup


@contextmanager
def page_blocks(known: Mapping[tuple[str, str], str] | None = None) -> Iterator[Blocks]:
    """While one page renders (in this thread): its blocks from ``known`` (those of its
    last render) where the code and language are the same; yields the blocks it made."""
    made: Blocks = {}
    token = _PAGE.set((known or {}, made))
    try:
        yield made
    finally:
        _PAGE.reset(token)


def highlight_css(style: str, scope: str) -> str:
    """Pygments rules for ``style``, each under the CSS selector ``scope``."""
    formatter: Formatter[str] = HtmlFormatter(style=style)  # the stub's own is untyped
    return formatter.get_style_defs(f"{scope} .highlight")
