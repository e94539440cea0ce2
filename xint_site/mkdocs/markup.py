"""Material for MkDocs markup for what xint renders: content tabs, code, outputs, math.

Tab sets become the markup of ``pymdownx.tabbed`` with ``alternate_style`` (radio
inputs, then the labels, then one block per tab), so Material's CSS shows them and its
``content.tabs.link`` switches every set of the site to the tab a reader picks, by
label. Code is highlighted as ``pymdownx.highlight`` does; outputs are code-like
blocks under their cell (``xint.css`` colours stderr and errors).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from xint_site.config import SiteConfig
from xint_site.markdown.d2l import d2l_cells_plugin, d2l_prose_tabs_plugin
from xint_site.markdown.math import Convert
from xint_site.markdown.parser import make_parser
from xint_site.markdown.tab_names import TabNames
from xint_site.model import Output
from xint_site.render.highlight import highlight_code
from xint_site.render.mathml import latex_to_mathml
from xint_site.render.outputs import TEXT_KINDS, OutputMarkup, render_output, render_outputs

# Outputs as code-like blocks (xint.css colours stderr and errors).
_OUTPUTS = OutputMarkup(
    classes={
        **{kind: f"xint-output xint-{kind}" for kind in TEXT_KINDS},
        **{kind: "xint-output xint-image" for kind in ("png", "jpeg", "svg")},
        "html": "xint-output xint-html",
        "math": "xint-output xint-math",
    },
    element='<div class="{css}">{inner}</div>\n',
    text="<pre><code>{text}</code></pre>",
)


def material_parser(
    config: SiteConfig, math: Convert = latex_to_mathml, d2l: bool = False
) -> MarkdownIt:
    """xint's parser for the site's frameworks, rendering Material's markup; formulas
    through ``math`` (MathML by default, :func:`arithmatex_math` for arithmatex). With
    ``d2l``, for pages in d2l-book's Markdown: its cells (``{.python .input}``,
    ``#@tab``) and prose tabs (``:begin_tab:``); cells without ``#@tab`` are the first
    framework's, as in a book. Its references and marks are a book's, not MkDocs'."""
    names = TabNames.of((f.id, f.label, f.aliases) for f in config.frameworks)
    md = make_parser(names, math, highlight_code)
    if d2l:
        md.use(d2l_cells_plugin, names=names, default_tab=next(iter(names.labels), ""))
        md.use(d2l_prose_tabs_plugin, names=names)
    return md.use(material_plugin, labels=names.labels)


def material_plugin(md: MarkdownIt, labels: Mapping[str, str]) -> None:
    """Render tab sets, fences, hand-written and executed outputs as Material does;
    ``labels`` gives framework ids their tab names (for per-framework outputs)."""
    md.add_render_rule("tab_set_open", _tab_set_open)
    md.add_render_rule("tab_open", _tab_open)
    md.add_render_rule("tab_close", _close)
    md.add_render_rule("tab_set_close", _tab_set_close)
    md.add_render_rule("fence", _fence)
    md.add_render_rule("output_block", _output_block)

    def cell_outputs(
        self: RendererProtocol, tokens: Sequence[Token], idx: int, o: OptionsDict, env: EnvType
    ) -> str:
        meta = tokens[idx].meta
        by_framework: dict[str | None, tuple[Output, ...]] = meta["outputs"]
        if len(set(by_framework.values())) <= 1:
            return render_outputs(next(iter(by_framework.values()), ()), _OUTPUTS)
        order = list(labels)
        ids = sorted(by_framework, key=lambda f: order.index(f) if f in order else len(order))
        tabs = [
            (labels.get(f or "", f or "output"), render_outputs(by_framework[f], _OUTPUTS))
            for f in ids
        ]
        return tabbed_set(f"out{meta['cell']}", tabs)

    md.add_render_rule("cell_outputs", cell_outputs)


def arithmatex_math(generic: bool) -> Convert:
    """Math left for the site's ``pymdownx.arithmatex`` setup: the LaTeX in its markup
    (``generic``: ``\\(…\\)`` in an ``arithmatex`` span for MathJax or KaTeX; otherwise
    MathJax's script tags), so xint's tabs show math exactly as the site's prose does."""

    def convert(latex: str, display: bool) -> str:
        if not generic:
            mode = "; mode=display" if display else ""
            source = latex.replace("</", "<\\/")
            return f'<script type="math/tex{mode}">{source}</script>'
        opening, closing = ("\\[", "\\]") if display else ("\\(", "\\)")
        return (
            f'<span class="arithmatex">{opening}{html.escape(latex, quote=False)}{closing}</span>'
        )

    return convert


def tabbed_set(name: str, tabs: Sequence[tuple[str, str]], checked: int = 0) -> str:
    """A whole content-tabs set from (label, HTML) pairs."""
    parts = [_set_head(name, [label for label, _ in tabs], checked)]
    parts += [f'<div class="tabbed-block">\n{body}</div>\n' for _, body in tabs]
    return "".join(parts) + "</div>\n</div>\n"


def _set_head(name: str, labels: Sequence[str], checked: int) -> str:
    ids = [f"__xint_{name}_{n}" for n in range(1, len(labels) + 1)]
    inputs = "".join(
        f'<input{" checked" if n == checked else ""} id="{i}" name="__xint_{name}" type="radio">'
        for n, i in enumerate(ids)
    )
    names = "".join(
        f'<label for="{i}">{html.escape(label)}</label>'
        for i, label in zip(ids, labels, strict=True)
    )
    return (
        f'<div class="tabbed-set tabbed-alternate xint-tabs" data-tabs="{name}:{len(labels)}">'
        f'{inputs}<div class="tabbed-labels">{names}</div>\n<div class="tabbed-content">\n'
    )


def _tab_set_open(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    index = tokens[idx].meta["index"]
    tabs = [t for t in tokens[idx + 1 :] if t.type == "tab_open" and t.meta.get("set") == index]
    checked = next((n for n, t in enumerate(tabs) if t.meta.get("checked")), 0)
    return _set_head(str(index + 1), [t.meta["label"] for t in tabs], checked)


def _tab_open(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return '<div class="tabbed-block">\n'


def _close(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</div>\n"


def _tab_set_close(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</div>\n</div>\n"


def _fence(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """As ``pymdownx.highlight`` writes a fence (with ``pygments_lang_class``)."""
    token = tokens[idx]
    language = token.info.split(maxsplit=1)[0].strip("{}.").lower() if token.info else ""
    code = highlight_code(token.meta.get("shown", token.content).rstrip("\n"), language)
    css = f"language-{html.escape(language)} highlight" if language else "highlight"
    code = code if code.endswith("\n") else code + "\n"
    return f'<div class="{css}"><pre><span></span><code>{code}</code></pre></div>\n'


def _output_block(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """An ``<output>`` written in the page (a page that runs nothing shows these)."""
    meta = tokens[idx].meta
    if meta.get("html"):
        return render_output(Output("html", meta["text"]), _OUTPUTS)
    return render_output(Output("text", meta["text"]), _OUTPUTS)
