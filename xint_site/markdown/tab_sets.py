"""Tab sets in any of the three forms: numbered, checked, labelled and rendered.

Every form leaves ``tab_set_open``/``tab_open``/``tab_close``/``tab_set_close``
tokens; this module gives them stable ids (``tab-set--N``, in page order),
resolves labels to frameworks, and renders the W3 radio-input structure that
switches with CSS alone (the theme's script enhances it into synced ARIA tabs).

With the default names (:data:`ANY_LABEL`) every label is a tab of its own, and in
the fence form any word after the language that is no cell option names the tab.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from xint_site.markdown.nesting import TOO_DEEP
from xint_site.markdown.problems import report
from xint_site.markdown.tab_containers import tab_containers_plugin
from xint_site.markdown.tab_fences import tab_fences_plugin
from xint_site.markdown.tab_html import tab_html_plugin
from xint_site.markdown.tab_names import ANY_LABEL, TabNames


def tab_sets_plugin(md: MarkdownIt, names: TabNames = ANY_LABEL) -> None:
    """All three tab-set forms (HTML, ``::: tab`` containers, tagged fences), for
    frameworks named by ``names``."""
    tab_html_plugin(md)
    tab_containers_plugin(md)
    tab_fences_plugin(md, names)
    md.core.ruler.after("tab_fences", "tab_sets", lambda state: _finish(state, names))
    md.add_render_rule("tab_set_open", render_tab_set_open)
    md.add_render_rule("tab_open", render_tab_open)
    md.add_render_rule("tab_close", _render_close)
    md.add_render_rule("tab_set_close", _render_close)


def _finish(state: StateCore, names: TabNames) -> None:
    count = 0
    sets: list[tuple[Token, list[Token]]] = []
    for token in state.tokens:
        if token.type == "tab_set_open":
            token.meta["index"] = count
            count += 1
            sets.append((token, []))
        elif token.type == "tab_open" and sets:
            sets[-1][1].append(token)
        elif token.type == "tab_set_close" and sets:
            _finish_set(state, names, *sets.pop())


def _finish_set(state: StateCore, names: TabNames, set_open: Token, tabs: list[Token]) -> None:
    seen: dict[str, int] = {}
    frameworks = []
    for position, tab in enumerate(tabs, start=1):
        label = tab.meta.get("label", "")
        fw = names.resolve(label) if label else None
        key = fw or label.casefold()
        line = tab.map[0] if tab.map else 0
        if key in seen:
            report(
                state.env,
                line,
                f"tab '{label}' appears twice in one tab set (first on line {seen[key] + 1})",
            )
        seen.setdefault(key, line)
        tab.meta.update(
            set=set_open.meta["index"],
            position=position,
            framework=fw,
            label=names.label(fw, label) if fw else label,
        )
        frameworks.append(fw)
    checked = [t for t in tabs if t.meta.get("checked")]
    for tab in tabs:
        tab.meta["checked"] = tab is (checked[0] if checked else tabs[0])
    set_open.meta["frameworks"] = frameworks
    if not tabs and not state.env.get(TOO_DEEP):  # its tabs were cut: that is reported
        report(state.env, set_open.map[0] if set_open.map else 0, "a tab set without any tab")


def set_id(index: int) -> str:
    return f"tab-set--{index}"


def render_tab_set_open(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f'<div class="tab-set w3-light-grey" id="{set_id(tokens[idx].meta["index"])}">\n'


def render_tab_open(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """One tab of the W3 structure: radio input, label, content.

    The label and the content carry ids so that the theme's script can tie them
    together as ARIA tab and tabpanel; ``data-label`` names the content when
    every tab is printed.
    """
    meta = tokens[idx].meta
    name = set_id(meta["set"])
    n = meta["position"]
    fw = f' data-framework="{html.escape(meta["framework"])}"' if meta["framework"] else ""
    checked = " checked" if meta["checked"] else ""
    label = html.escape(meta["label"])
    return (
        f'<input{checked} id="{name}-input--{n}" name="{name}" type="radio"{fw}>\n'
        f'<label for="{name}-input--{n}" id="{name}-tab--{n}">{label}</label>\n'
        f'<div class="tab-content w3-padding" id="{name}-panel--{n}"{fw} data-label="{label}">\n'
    )


def _render_close(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</div>\n"
