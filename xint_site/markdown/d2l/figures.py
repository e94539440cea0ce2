"""Figures: an image on a paragraph of its own, captioned by its alt text, as d2l-book
(Sphinx) makes every such image a figure.

``![Fitting a linear model.](../img/fit.svg)`` becomes ``figure_open`` (``meta``:
``src``, ``caption`` as plain text, ``title``), a ``figcaption`` holding the alt
text's inline tokens (math and emphasis included), and ``figure_close``. Marks
after it (``marks.py``) add ``label`` (also the figure's ``id``), ``width`` and
``height`` (the image's size).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from xint_site.markdown.d2l.common import fixed_markup, plain_text


def d2l_figures_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "d2l_figures", _figures)
    md.add_render_rule("figure_open", render_figure_open)
    md.add_render_rule("figcaption_open", fixed_markup("<figcaption>"))
    md.add_render_rule("figcaption_close", fixed_markup("</figcaption>\n"))
    md.add_render_rule("figure_close", fixed_markup("</figure>\n"))


def _figures(state: StateCore) -> None:
    tokens = state.tokens
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        image = _lone_image(tokens, i)
        if image is None:
            out.append(tokens[i])
            i += 1
            continue
        out.extend(_figure(tokens[i], tokens[i + 1], image))
        i += 3
    state.tokens = out


def _lone_image(tokens: list[Token], i: int) -> Token | None:
    """The image of a paragraph holding only an image (spaces aside), else None."""
    if tokens[i].type != "paragraph_open" or i + 2 >= len(tokens):
        return None
    children = [
        c for c in tokens[i + 1].children or [] if not (c.type == "text" and not c.content.strip())
    ]
    return children[0] if len(children) == 1 and children[0].type == "image" else None


def _figure(paragraph: Token, inline: Token, image: Token) -> list[Token]:
    level = paragraph.level
    caption_children = image.children or []
    figure_open = Token("figure_open", "figure", 1, block=True, level=level, map=paragraph.map)
    figure_open.meta = {
        "src": str(image.attrs.get("src", "")),
        "caption": plain_text(caption_children),
        "title": str(image.attrs.get("title", "")),
    }
    out = [figure_open]
    if caption_children:
        caption = Token("inline", "", 0, level=level + 2, map=paragraph.map)
        caption.content, caption.children = image.content, caption_children
        out += [
            Token("figcaption_open", "figcaption", 1, block=True, level=level + 1),
            caption,
            Token("figcaption_close", "figcaption", -1, block=True, level=level + 1),
        ]
    out.append(Token("figure_close", "figure", -1, block=True, level=level))
    return out


def render_figure_open(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    meta = token.meta
    figure_id = token.attrs.get("id")
    opening = f'<figure id="{html.escape(str(figure_id))}">' if figure_id else "<figure>"
    image = f'<img src="{html.escape(meta["src"])}" alt="{html.escape(meta["caption"])}"'
    if meta["title"]:
        image += f' title="{html.escape(meta["title"])}"'
    size = "; ".join(f"{key}: {meta[key]}" for key in ("width", "height") if meta.get(key))
    if size:
        image += f' style="{html.escape(size)}"'
    return f"{opening}\n{image}>\n"
