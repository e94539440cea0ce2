"""Pages made from text for the unit tests: read and parsed as a build reads them, no kernel.

A page is written to a real file and goes through the same functions a build calls
(``read_page``, ``parse_document`` with the site's parser), so the unit tests of
planning, cache keys and rendering see exactly the values the pipeline passes on.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write_tree
from xint_site.config import Framework, SiteConfig
from xint_site.document import parse_document
from xint_site.model import Document
from xint_site.pages.source import SourcePage, read_page
from xint_site.render.site_parser import parser_for

# Two frameworks on the python3 kernel, told apart by an environment variable.
ALPHA = Framework(id="alpha", label="Alpha", aliases=("a",), env={"XINT_FW": "alpha"})
BETA = Framework(id="beta", label="Beta", env={"XINT_FW": "beta"})
CONFIG = SiteConfig(frameworks=(ALPHA, BETA))


def page_text(body: str, front: str = "layout: page") -> str:
    return f"---\ntitle: t\n{front}\n---\n\n{body}"


def read(content: Path, rel: str, text: str) -> SourcePage:
    write_tree(content, {rel: text})
    page = read_page(content / rel, content)
    assert isinstance(page, SourcePage), page
    return page


def parse(page: SourcePage, config: SiteConfig = CONFIG) -> Document:
    document, problems = parse_document(parser_for(config), page)
    assert problems == [], [str(p) for p in problems]
    return document


def document(
    content: Path, body: str, front: str = "layout: page", *, rel: str = "p.md", config=CONFIG
) -> Document:
    """The parsed page ``rel`` (front matter + body) in the content folder ``content``."""
    return parse(read(content, rel, page_text(body, front)), config)
