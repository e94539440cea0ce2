"""d2l-book's slide marks: what its slides take from a page's text.

``[**text**]`` and ``(**text**)`` mark text for the slides and show it as plain
Markdown (``text``, inline markup and line breaks kept); ``[~~text~~]`` and
``(~~text~~)`` are for the slides only and show nothing, as on d2l.ai. A mark
may span lines of a paragraph. ``[**text**](url)`` stays a link.

Needs markdown-it-py 4.1 or later (``add_terminator_char``): ``(`` must stop plain
text for the rule to see it.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from xint_site.markdown.d2l.common import fixed_markup

_PAIRS = {"[**": "**]", "(**": "**)", "[~~": "~~]", "(~~": "~~)"}


def d2l_slide_marks_plugin(md: MarkdownIt) -> None:
    if not hasattr(md.inline, "add_terminator_char"):
        raise RuntimeError("d2l_slide_marks_plugin needs markdown-it-py 4.1 or later")
    md.inline.add_terminator_char("(")
    md.inline.ruler.before("text", "d2l_slide_marks", _slide_mark)
    md.add_render_rule("d2l_slide_open", fixed_markup(""))
    md.add_render_rule("d2l_slide_close", fixed_markup(""))


def _slide_mark(state: StateInline, silent: bool) -> bool:
    opening = state.src[state.pos : state.pos + 3]
    closing = _PAIRS.get(opening)
    if closing is None:
        return False
    start = state.pos + 3
    end = state.src.find(closing, start, state.posMax)
    if end < 0 or (closing[-1] == "]" and state.src.startswith("(", end + 3)):
        return False  # not closed, or a link: ``[**text**](url)``
    if not silent and closing.startswith("**"):
        state.push("d2l_slide_open", "", 1).markup = opening
        limit = state.posMax
        state.pos, state.posMax = start, end
        state.md.inline.tokenize(state)
        state.posMax = limit
        state.push("d2l_slide_close", "", -1).markup = closing
    state.pos = end + 3
    return True
