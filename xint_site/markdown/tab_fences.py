"""The shorthand tab set: consecutive fences tagged with a framework.

```python mxnet
x = np.arange(4)
```
```python pytorch
x = torch.arange(4)
```
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from xint_site.markdown.fence_info import parse_fence_info
from xint_site.markdown.tab_names import ANY_LABEL, TabNames


def tab_fences_plugin(md: MarkdownIt, names: TabNames = ANY_LABEL) -> None:
    def group(state: StateCore) -> None:
        state.tokens = _group_fences(state.tokens, names)

    after = "tab_containers" if "tab_containers" in md.core.ruler.get_all_rules() else "block"
    md.core.ruler.after(after, "tab_fences", group)


_OPEN = {"tab_set_open", "tab_open", "container_tab-set_open", "container_tab_open"}
_CLOSE = {t.replace("_open", "_close") for t in _OPEN}


def _framework(token: Token, names: TabNames) -> str | None:
    """The framework's label if ``token`` is a fence tagged with one."""
    if token.type != "fence":
        return None
    info = parse_fence_info(token.info, lambda w: names.resolve(w) is not None)
    fw = names.resolve(info.framework_name) if info.framework_name else None
    return names.label(fw, info.framework_name or "") if fw else None


def _group_fences(tokens: list[Token], names: TabNames) -> list[Token]:
    out: list[Token] = []
    tab_depth = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type in _OPEN:
            tab_depth += 1
        elif token.type in _CLOSE:
            tab_depth -= 1
        if tab_depth or _framework(token, names) is None:
            out.append(token)
            i += 1
            continue
        run = [token]
        while i + len(run) < len(tokens) and _framework(tokens[i + len(run)], names):
            run.append(tokens[i + len(run)])
        out.extend(_wrap(run, names))
        i += len(run)
    return out


def _wrap(fences: list[Token], names: TabNames) -> list[Token]:
    first = fences[0]
    set_open = Token("tab_set_open", "div", 1, block=True, level=first.level)
    set_open.map = [first.map[0], fences[-1].map[1]] if first.map and fences[-1].map else None
    set_open.meta = {"form": "fences"}
    out = [set_open]
    for fence in fences:
        tab_open = Token("tab_open", "div", 1, block=True, level=fence.level + 1)
        tab_open.map = fence.map
        tab_open.meta = {"label": _framework(fence, names) or ""}
        fence.level += 2
        out += [tab_open, fence, Token("tab_close", "div", -1, block=True, level=fence.level - 1)]
    out.append(Token("tab_set_close", "div", -1, block=True, level=first.level))
    return out
