"""The site's Markdown parser: our plugins, with math-core, Pygments and outputs plugged in."""

from __future__ import annotations

from markdown_it import MarkdownIt

from xint_site.config import SiteConfig
from xint_site.markdown.parser import make_parser
from xint_site.markdown.tab_names import TabNames
from xint_site.render.highlight import highlight_code
from xint_site.render.mathml import latex_to_mathml
from xint_site.render.outputs import outputs_plugin


def parser_for(config: SiteConfig) -> MarkdownIt:
    names = TabNames.of((f.id, f.label, f.aliases) for f in config.frameworks)
    md = make_parser(names, latex_to_mathml, highlight_code)
    return md.use(outputs_plugin, labels=names.labels)
