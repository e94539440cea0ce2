"""d2l-book's attached marks: ``:label:``, ``:eqlabel:``, ``:width:``, ``:height:``.

A mark stands on a line of its own right after the block it names (d2l-book puts
every such line in a paragraph of its own, so no blank line is needed):

    ![Fitting a linear model.](../img/fit-linreg.svg)
    :width:`400px`
    :label:`fig_fit_linreg`

The mark goes into the open token of the block before it: ``meta["label"]`` on a
heading, a figure (``figures.py``), a table or a display formula (``:eqlabel:``
only there), ``meta["width"]``/``meta["height"]`` on a figure. A labelled figure
or table gets the label as its ``id``; a labelled formula becomes
``math_block_label`` (rendered with the label as its ``id``). A formula on the
last line of a paragraph (``text`` then ``$$x$$`` then ``:eqlabel:``) becomes a
block of its own. A mark with nothing to attach to is a warning and shows nothing.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from xint_site.markdown.d2l.common import (
    children_with_lines,
    core_rule_after,
    fixed_markup,
    line_text,
    starts_block,
    warn,
)
from xint_site.markdown.d2l.roles import quoted_role

MARKS = frozenset({"label", "eqlabel", "width", "height"})
_MARK = re.compile(r":(label|eqlabel|width|height):(`+)\s*(.*?)\s*\2")
_LINE = re.compile(rf"(?:\s*{_MARK.pattern})+\s*$")
_FORMULAS = ("math_block", "math_block_label")
_ALLOWED = {
    "label": ("heading_open", "figure_open", "table_open", *_FORMULAS),
    "eqlabel": _FORMULAS,
    "width": ("figure_open",),
    "height": ("figure_open",),
}
_PLACES = {
    "label": "a heading, a figure, a table or a display formula",
    "eqlabel": "a display formula ($$…$$)",
    "width": "a figure (an image on a line of its own)",
    "height": "a figure (an image on a line of its own)",
}


def d2l_marks_plugin(md: MarkdownIt) -> None:
    """Mark lines, attached to the block before them after ``figures`` and ``table
    captions`` (whichever plugin is used first) have made their blocks."""
    alt = ["paragraph", "reference", "blockquote", "list"]
    md.block.ruler.before("paragraph", "d2l_marks", _mark_line, {"alt": alt})
    md.inline.ruler.before("backticks", "d2l_mark", _inline_mark)
    after = core_rule_after(md, ("d2l_figures", "d2l_table_captions"))
    md.core.ruler.after(after, "d2l_attach", _attach)
    md.add_render_rule("d2l_marks", fixed_markup(""))
    md.add_render_rule("d2l_mark", fixed_markup(""))


def _mark_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if not starts_block(state, start):
        return False
    text = line_text(state, start)
    if not text.startswith(":") or not _LINE.match(text):
        return False
    if not silent:
        token = state.push("d2l_marks", "", 0)
        token.map = [start, start + 1]
        token.meta = {"marks": [[m[1], m[3]] for m in _MARK.finditer(text)]}
        token.content = text.strip()
    state.line = start + 1
    return True


def _inline_mark(state: StateInline, silent: bool) -> bool:
    """A mark inside text: kept as a token so that it shows nothing and is reported."""
    if state.src[state.pos] != ":":
        return False
    found = quoted_role(state, MARKS)
    if found is None:
        return False
    if not silent:
        token = state.push("d2l_mark", "", 0)
        token.meta = {"mark": found[0], "value": found[1]}
        token.content = state.src[state.pos : found[2]]
    state.pos = found[2]
    return True


def _attach(state: StateCore) -> None:
    out: list[Token] = []
    for token in state.tokens:
        if token.type == "d2l_marks":
            target = _target(out, token.level)
            for name, value in token.meta["marks"]:
                _apply(state, target, name, value, token.map[0] if token.map else 0)
        else:
            out.append(token)
    state.tokens = out
    _report_inline_marks(state)


def _target(out: list[Token], level: int) -> Token | None:
    """The block right before a mark line (at its level), split off its paragraph when
    a display formula ends one."""
    if not out or out[-1].level != level:
        return None
    last = out[-1]
    if last.type in _FORMULAS:
        return last
    if last.type == "paragraph_close":
        return _formula_ending_paragraph(out)
    if last.nesting != -1:
        return None
    opening = last.type[: -len("_close")] + "_open"
    for token in reversed(out):
        if token.type == opening and token.level == level:
            return token
    return None


def _formula_ending_paragraph(out: list[Token]) -> Token | None:
    opening, inline = out[-3], out[-2]
    children = inline.children or []
    breaks = [i for i, c in enumerate(children) if c.type in ("softbreak", "hardbreak")]
    cut = breaks[-1] + 1 if breaks else 0
    tail = [c for c in children[cut:] if not (c.type == "text" and not c.content.strip())]
    if len(tail) != 1 or tail[0].type != "math_inline_double":
        return None
    first, last = opening.map or [0, 1]
    formula = Token("math_block", "math", 0, block=True, level=opening.level)
    formula.content, formula.markup = tail[0].content, "$$"
    formula.map = [first + len(breaks), last]
    if breaks:
        inline.children = children[: breaks[-1]]
        inline.content = "\n".join(inline.content.split("\n")[: len(breaks)])
        inline.map = opening.map = [first, first + len(breaks)]
        out.append(formula)
    else:
        del out[-3:]
        out.append(formula)
    return formula


def _apply(state: StateCore, target: Token | None, name: str, value: str, line: int) -> None:
    mark = f":{name}:`{value}`"
    if target is None or target.type not in _ALLOWED[name]:
        where = "nothing to attach to" if target is None else "the wrong block before it"
        warn(state.env, line, f"'{mark}' has {where}: put it right after {_PLACES[name]}")
        return
    key = "label" if name == "eqlabel" else name
    if key in target.meta:
        warn(state.env, line, f"'{mark}': the block before it has a {key} already")
        return
    target.meta[key] = value
    if key != "label":
        return
    if target.type in _FORMULAS:
        if target.type == "math_block":
            target.type, target.info = "math_block_label", value
    elif target.type != "heading_open":  # headings get their ids from the anchors
        target.attrs["id"] = value


def _report_inline_marks(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline":
            continue
        for child, line in children_with_lines(token):
            if child.type == "d2l_mark":
                place = _PLACES[child.meta["mark"]]
                message = f"'{child.content}' must be on a line of its own, right after {place}"
                warn(state.env, line, message)
