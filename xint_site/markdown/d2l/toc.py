"""d2l-book's table of contents: a ```` ```toc ```` fence, as in a book's ``index.md``.

    ```toc
    :maxdepth: 2
    :numbered:

    chapter_introduction/index
    chapter_preliminaries/index
    ```

becomes a ``d2l_toc`` block token with ``meta = {"maxdepth": 2, "numbered": True,
"entries": ["chapter_introduction/index", ...], "options": {...}}`` (``maxdepth``
is 0 when not given: every level; ``numbered`` is False without ``:numbered:``, and
the depth it numbers when it gives one; ``options`` holds every ``:name:`` line as
written). It renders as nothing: a book turns it into links, in order.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.fence import fence

from xint_site.markdown.d2l.common import fixed_markup, line_text, starts_block, warn

_OPEN = re.compile(r"(`{3,}|~{3,})\s*toc\s*$")
_OPTION = re.compile(r":([\w-]+):\s*(.*?)\s*$")


def d2l_toc_plugin(md: MarkdownIt) -> None:
    alt = ["paragraph", "reference", "blockquote", "list"]
    md.block.ruler.before("fence", "d2l_toc", _toc, {"alt": alt})
    md.add_render_rule("d2l_toc", fixed_markup(""))


def _toc(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if not starts_block(state, start) or not _OPEN.match(line_text(state, start)):
        return False
    if silent:
        return True
    fence(state, start, end, False)
    token = state.tokens[-1]
    token.type, token.tag = "d2l_toc", ""
    options: dict[str, str] = {}
    entries = []
    for line in token.content.split("\n"):
        text = line.strip()
        if match := _OPTION.match(text):
            options[match[1]] = match[2]
        elif text:
            entries.append(text)
    maxdepth = options.get("maxdepth", "0")
    if not re.fullmatch(r"-?\d+", maxdepth):
        warn(state.env, start, f"':maxdepth: {maxdepth}' in a toc is not a number: every level")
        maxdepth = "0"
    numbered: bool | int = "numbered" in options
    if re.fullmatch(r"\d+", options.get("numbered", "")):
        numbered = int(options["numbered"])
    token.meta = {
        "maxdepth": int(maxdepth),
        "numbered": numbered,
        "entries": entries,
        "options": options,
    }
    return True
