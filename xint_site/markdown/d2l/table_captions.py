"""Table captions: a paragraph starting with ``:`` right before a table.

    :Dataset vs. computer memory and computational power

    |Decade|Dataset|Memory|
    |:--|:-|:-|
    |1970|100 (Iris)|1 KB|
    :label:`tab_intro_decade`

The caption moves into the table (``<caption>``, first in ``<table>``) and its
plain text into ``table_open.meta["caption"]``. A ``:label:`` line after the
table, or between the caption and the table (both forms are in d2l books), is
attached to the table by ``marks.py``.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from xint_site.markdown.d2l.common import fixed_markup, plain_text


def d2l_table_captions_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "d2l_table_captions", _captions)
    md.add_render_rule("table_caption_open", fixed_markup("<caption>"))
    md.add_render_rule("table_caption_close", fixed_markup("</caption>\n"))


def _captions(state: StateCore) -> None:
    out: list[Token] = []
    moved: dict[int, list[Token]] = {}  # id of a table -> mark lines above it
    for token in state.tokens:
        out.append(token)
        if token.type != "table_open":
            continue
        marks = _trailing(out[:-1], "d2l_marks")
        caption = _caption(out[: len(out) - 1 - len(marks)])
        if caption is None:
            continue
        del out[-1 - len(marks) - 3 :]  # the caption's paragraph, the marks, the table_open
        paragraph, inline = caption
        inline.level = token.level + 2
        token.meta["caption"] = _strip_colon(inline)
        opening = Token("table_caption_open", "caption", 1, block=True, level=token.level + 1)
        opening.map = paragraph.map
        closing = Token("table_caption_close", "caption", -1, block=True, level=token.level + 1)
        out += [token, opening, inline, closing]
        if marks:
            moved[id(token)] = marks
    state.tokens = _marks_after_tables(out, moved) if moved else out


def _trailing(tokens: list[Token], kind: str) -> list[Token]:
    count = 0
    while count < len(tokens) and tokens[-1 - count].type == kind:
        count += 1
    return tokens[len(tokens) - count :]


def _caption(before: list[Token]) -> tuple[Token, Token] | None:
    """The paragraph and inline tokens of a ``:caption`` paragraph ending ``before``."""
    if len(before) < 3 or before[-1].type != "paragraph_close":
        return None
    paragraph, inline = before[-3], before[-2]
    children = inline.children or []
    if paragraph.type != "paragraph_open" or not children or children[0].type != "text":
        return None
    return (paragraph, inline) if children[0].content.startswith(":") else None


def _strip_colon(inline: Token) -> str:
    """Drop the leading ``:`` (and spaces) and return the caption as plain text."""
    first = (inline.children or [])[0]
    first.content = first.content[1:].lstrip()
    inline.content = inline.content[1:].lstrip()
    return plain_text(inline.children or [])


def _marks_after_tables(tokens: list[Token], moved: dict[int, list[Token]]) -> list[Token]:
    """Mark lines that stood between a caption and its table, moved after the table so
    that they attach to it like a mark line below it."""
    out: list[Token] = []
    open_tables: list[Token] = []
    for token in tokens:
        out.append(token)
        if token.type == "table_open":
            open_tables.append(token)
        elif token.type == "table_close" and open_tables:
            out += moved.get(id(open_tables.pop()), [])
    return out
