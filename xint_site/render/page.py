"""A page body: parsed tokens, with their executed outputs, to HTML."""

from __future__ import annotations

from markdown_it import MarkdownIt

from xint_site.model import Document
from xint_site.render.outputs import apply_outputs
from xint_site.render.shown import PageOutputs


def render_body(md: MarkdownIt, document: Document, outputs: PageOutputs | None = None) -> str:
    tokens = apply_outputs(document.tokens, outputs or {})
    html: str = md.renderer.render(tokens, md.options, {})
    return html
