"""The container tab set, for tabs holding prose, several blocks or outputs.

    :::: tab-set
    ::: tab MXNet
    Some *prose*, then code:
    ```python
    x.attach_grad()
    ```
    :::
    ::::

The outer fence needs more colons than the tabs inside it.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from xint_site.markdown.problems import report

SET, TAB = "tab-set", "tab"


def tab_containers_plugin(md: MarkdownIt) -> None:
    container_plugin(md, SET)
    container_plugin(md, TAB, validate=_is_tab)
    md.core.ruler.after("block", "tab_containers", _convert)


def _is_tab(params: str, *_: object) -> bool:
    words = params.strip().split(maxsplit=1)
    return bool(words) and words[0] == TAB


def _convert(state: StateCore) -> None:
    lines = state.src.split("\n")
    stack: list[tuple[str, int]] = []  # (SET or TAB, level of its open token)
    for token in state.tokens:
        kind = token.type
        inside = stack[-1] if stack else ("", -1)
        if kind == f"container_{SET}_open":
            _check_closed(state, token.markup, token.map, lines)
            if inside[0] == SET:
                report(
                    state.env, _line(token), "a tab-set directly inside a tab-set: wrap it in a tab"
                )
            token.type, token.meta, token.attrs = "tab_set_open", {"form": "container"}, {}
            stack.append((SET, token.level))
        elif kind == f"container_{TAB}_open":
            _check_closed(state, token.markup, token.map, lines)
            if inside[0] != SET:
                report(
                    state.env,
                    _line(token),
                    "'::: tab' outside a tab set: put it inside ':::: tab-set' "
                    "(the set's fence needs more colons than its tabs)",
                )
            label = token.info.strip().split(maxsplit=1)[1:]
            if not label:
                report(state.env, _line(token), "a tab needs a label: '::: tab PyTorch'")
            token.type, token.attrs = "tab_open", {}
            token.meta = {"label": label[0].strip() if label else ""}
            stack.append((TAB, token.level))
        elif kind in (f"container_{SET}_close", f"container_{TAB}_close"):
            token.type = "tab_set_close" if inside[0] == SET else "tab_close"
            if stack:
                stack.pop()
        elif inside[0] == SET and token.nesting >= 0 and token.level == inside[1] + 1:
            report(state.env, _line(token), "text in a tab set outside any tab: start a '::: tab'")


def _line(token: Token) -> int:
    return token.map[0] if token.map else 0


def _check_closed(state: StateCore, markup: str, span: list[int] | None, lines: list[str]) -> None:
    if not span:
        return
    end = span[1]
    closing = lines[end].strip() if end < len(lines) else ""
    if not (closing and set(closing) == {":"} and len(closing) >= len(markup)):
        report(state.env, span[0], f"'{markup}' container is never closed: add a '{markup}' line")
