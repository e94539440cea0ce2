"""The Markdown parser of xint-site: CommonMark + tables + our plugins."""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from xint_site.markdown.cells import cells_plugin
from xint_site.markdown.code import Highlight, code_plugin, escape_code
from xint_site.markdown.empty_tabs import empty_tabs_plugin
from xint_site.markdown.math import Convert, latex_source, math_plugin
from xint_site.markdown.nesting import nesting_limit_plugin
from xint_site.markdown.output_block import output_block_plugin
from xint_site.markdown.raw_html import raw_html_plugin
from xint_site.markdown.tab_names import ANY_LABEL, TabNames
from xint_site.markdown.tab_sets import tab_sets_plugin


def make_parser(
    names: TabNames = ANY_LABEL,
    convert_math: Convert = latex_source,
    highlight: Highlight = escape_code,
) -> MarkdownIt:
    """Every plugin in the order xint-site uses them, engines passed in (the site
    plugs in math-core and Pygments; the defaults need neither)."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(output_block_plugin)
    md.use(tab_sets_plugin, names=names)
    md.use(raw_html_plugin)
    md.use(cells_plugin, names=names)
    md.use(empty_tabs_plugin)
    md.use(math_plugin, convert=convert_math)
    md.use(code_plugin, highlight=highlight)
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=2, max_level=3, permalinkSymbol="#", permalink=True)
    md.use(nesting_limit_plugin)  # last: its rule must come before every other block rule
    return md
