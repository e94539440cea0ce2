"""Cell outputs to HTML, and executed outputs placed into a page's tokens.

Plain text is escaped; HTML, SVG and MathML from a cell are the author's own
code's output and are kept as markup. A shared cell whose outputs are the same
in every framework shows them once; otherwise they are a small tab set, one tab
per framework, that follows the reader's framework like every other tab set.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from xint_site.model import Output
from xint_site.render.shown import PageOutputs


@dataclass(frozen=True)
class OutputMarkup:
    """How outputs are written: each kind's class, the element around an output
    (``{css}``, ``{inner}``) and around a text output's escaped text (``{text}``)."""

    classes: Mapping[str, str]
    element: str
    text: str = "{text}"


TEXT_KINDS = ("text", "stdout", "stderr", "error", "note")  # escaped, never markup
OUTPUTS = OutputMarkup(
    classes={
        **{kind: f"output-{kind}" for kind in TEXT_KINDS},
        **{kind: "output-image" for kind in ("png", "jpeg", "svg")},
        "html": "output-html",
        "math": "output-math",
    },
    element='<output class="{css}">{inner}</output>\n',
)


def render_output(output: Output, markup: OutputMarkup = OUTPUTS) -> str:
    kind = output.kind
    if kind in TEXT_KINDS:
        text = html.escape(output.data.rstrip("\n"), quote=False)
        inner = markup.text.format(text=text)
    elif kind in ("png", "jpeg"):
        inner = f'<img alt="cell output" src="data:image/{kind};base64,{output.data}">'
    else:  # html, svg, math: the author's own code's markup
        inner = output.data
    return markup.element.format(css=markup.classes[kind], inner=inner)


def render_outputs(outputs: Sequence[Output], markup: OutputMarkup = OUTPUTS) -> str:
    return "".join(render_output(o, markup) for o in outputs)


def outputs_plugin(md: MarkdownIt, labels: Mapping[str, str]) -> None:
    """Render ``cell_outputs`` tokens; ``labels`` gives framework ids their tab names."""

    def render(
        self: RendererProtocol,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: EnvType,
    ) -> str:
        meta = tokens[idx].meta
        by_framework: dict[str | None, tuple[Output, ...]] = meta["outputs"]
        distinct = set(by_framework.values())
        if len(distinct) <= 1:
            return render_outputs(next(iter(distinct), ()))
        return _output_tabs(meta["cell"], by_framework, labels)

    md.add_render_rule("cell_outputs", render)


def _output_tabs(
    cell: int, by_framework: Mapping[str | None, tuple[Output, ...]], labels: Mapping[str, str]
) -> str:
    order = list(labels)
    ids = sorted(by_framework, key=lambda f: order.index(f) if f in order else len(order))
    name = f"cell-{cell}-outputs"
    parts = [f'<div class="tab-set w3-light-grey output-tabs" id="{name}">\n']
    for n, fw in enumerate(ids, start=1):
        attr = f' data-framework="{html.escape(fw)}"' if fw else ""
        checked = " checked" if n == 1 else ""
        label = html.escape(labels.get(fw or "", fw or "output"))
        parts.append(  # the structure of every tab set (tab_sets.render_tab_open)
            f'<input{checked} id="{name}-input--{n}" name="{name}" type="radio"{attr}>\n'
            f'<label for="{name}-input--{n}" id="{name}-tab--{n}">{label}</label>\n'
            f'<div class="tab-content w3-padding" id="{name}-panel--{n}"{attr}'
            f' data-label="{label}">\n{render_outputs(by_framework[fw])}</div>\n'
        )
    parts.append("</div>\n")
    return "".join(parts)


def apply_outputs(tokens: Sequence[Token], outputs: PageOutputs) -> Sequence[Token]:
    """Tokens with executed outputs under their cells, replacing hand-written ones."""
    if not outputs:
        return tokens
    replaced = {i for i, t in enumerate(tokens) if _is_replaced(t, outputs)}
    dropped = _emptied_tab_sets(tokens, replaced)
    result: list[Token] = []
    for i, token in enumerate(tokens):
        if i in replaced or i in dropped:
            continue
        cell = token.meta.get("cell") if token.type == "fence" else None
        if cell is None or cell not in outputs:
            result.append(token)
            continue
        if "hide-code" not in token.meta.get("options", ()):
            result.append(token)
        framework = token.meta.get("framework")
        ran = outputs[cell]
        mine = {framework: ran[framework]} if framework in ran else ran
        block = Token("cell_outputs", "output", 0, block=True, level=token.level)
        block.meta = {"cell": cell, "outputs": mine}
        result.append(block)
    return result


def _is_replaced(token: Token, outputs: PageOutputs) -> bool:
    if token.type != "output_block":
        return False
    cells = token.meta.get("of_cells") or []
    return bool(cells) and all(c in outputs for c in cells)


@dataclass
class _OpenTabSet:
    start: int  # position of its tab_set_open
    only_replaced: bool = True  # nothing but replaced outputs so far
    any_replaced: bool = False


def _emptied_tab_sets(tokens: Sequence[Token], replaced: set[int]) -> set[int]:
    """Token positions of tab sets whose tabs held only outputs that were replaced."""
    dropped: set[int] = set()
    stack: list[_OpenTabSet] = []
    for i, token in enumerate(tokens):
        if token.type == "tab_set_open":
            stack.append(_OpenTabSet(i))
        elif token.type == "tab_set_close" and stack:
            closed = stack.pop()
            if closed.only_replaced and closed.any_replaced:
                dropped.update(range(closed.start, i + 1))
            elif stack:
                stack[-1].only_replaced = False
        elif token.type in ("tab_open", "tab_close") or not stack:
            continue
        elif i in replaced:
            stack[-1].any_replaced = True
        else:
            stack[-1].only_replaced = False
    return dropped
