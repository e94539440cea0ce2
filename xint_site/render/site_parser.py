"""The site's Markdown parser: our plugins, with math-core, Pygments and outputs plugged in."""

from __future__ import annotations

from markdown_it import MarkdownIt

from xint_site.book.resolve import references_plugin
from xint_site.config import SiteConfig
from xint_site.markdown.d2l import d2l_plugin
from xint_site.markdown.parser import make_parser
from xint_site.markdown.tab_names import TabNames
from xint_site.render.highlight import highlight
from xint_site.render.mathml import latex_to_mathml
from xint_site.render.outputs import outputs_plugin


def parser_for(config: SiteConfig, d2l: bool = False, default_tab: str | None = None) -> MarkdownIt:
    """The parser of the site's pages; with ``d2l``, of pages in d2l-book's Markdown,
    whose cells without ``#@tab`` are ``default_tab``'s (by default the first framework)."""
    names = TabNames.of((f.id, f.label, f.aliases) for f in config.frameworks)
    md = make_parser(names, latex_to_mathml, highlight)
    if d2l:
        first = next(iter(names.labels), "")
        md.use(d2l_plugin, names=names, default_tab=first if default_tab is None else default_tab)
    md.use(outputs_plugin, labels=names.labels)
    if d2l:  # last: it wraps the figure, table and math rules (book/resolve.py)
        md.use(references_plugin)
    return md
