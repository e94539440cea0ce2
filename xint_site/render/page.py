"""A page body: parsed tokens (and, once executed, their outputs) to HTML."""

from __future__ import annotations

from markdown_it import MarkdownIt

from xint_site.model import Document


def render_body(md: MarkdownIt, document: Document) -> str:
    return md.renderer.render(document.tokens, md.options, {})
