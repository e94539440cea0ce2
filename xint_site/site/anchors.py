"""Heading anchors a screen reader can name: "Link to this section: Autograd".

The Markdown parser gives each h2/h3 a ``#`` link (``header-anchor``); its text says
nothing when read out of context. The name comes from the theme's translation table,
so it is added when the page is composed, not when its body is rendered.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from markupsafe import Markup

from xint_site.model import Heading

_ANCHOR = re.compile(r'<a class="header-anchor" href="#([^"]*)">')


def section_links(body: str, headings: Iterable[Heading], label: str) -> Markup:
    """``body`` with an ``aria-label`` on every heading's ``#`` link."""
    texts = {h.anchor: h.text for h in headings}

    def named(match: re.Match[str]) -> str:
        text = texts.get(html.unescape(match[1]))
        if not text:
            return match[0]
        name = html.escape(f"{label}: {text}")
        return f'<a class="header-anchor" href="#{match[1]}" aria-label="{name}">'

    return Markup(_ANCHOR.sub(named, body))
