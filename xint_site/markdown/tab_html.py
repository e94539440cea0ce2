"""The raw HTML tab set of existing Hexo pages, parsed into the same tokens.

    <link rel="stylesheet" href="w3.css">      (optional, before or inside <article>)
    <article>                                  (optional wrapper)
    <div class="tab-set w3-light-grey">
      <input checked id="a" name="s" type="radio">
      <label for="a">MXNet</label>
      <div class="tab-content w3-padding">
        ```python
        x.attach_grad()
        ```
      </div>
      ...
    </div>
    </article>

Each tab's content is parsed as Markdown in place (so lines stay true), with
the tab's own indentation as the block indent.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from xint_site.markdown.problems import report

_ARTICLE_OPEN = re.compile(r"<article\b[^>]*>\s*$", re.I)
_LINK_LINE = re.compile(r"<link\b[^>]*>\s*$", re.I)
_ARTICLE_CLOSE = re.compile(r"</article\s*>\s*$", re.I)
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_DIV_OPEN = re.compile(r"<div\b[^>]*>", re.I)
_TAG = re.compile(
    r"<input\b[^>]*>|<label\b[^>]*>(?P<label>.*?)</label\s*>|<div\b[^>]*>|</div\s*>", re.I | re.S
)
_DIV_TAG = re.compile(r"<div\b[^>]*>|</div\s*>", re.I)
_FENCE = re.compile(r"\s*(`{3,}|~{3,})")
_CHECKED = re.compile(r"\schecked\b", re.I)
_STRIP_TAGS = re.compile(r"<[^>]+>")


def tab_html_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "html_block", "tab_html", _tab_html, {"alt": ["paragraph", "reference", "blockquote"]}
    )


@dataclass
class _Tab:
    label: str | None
    checked: bool
    line: int
    content: tuple[int, int] | None = None  # lines [start, end) parsed as Markdown
    inline_html: str = ""  # content of a one-line tab


def _classes(tag: str) -> set[str]:
    m = _CLASS.search(tag)
    return set((next(g for g in m.groups() if g is not None)).split()) if m else set()


def _is_set_open(text: str) -> bool:
    m = _DIV_OPEN.match(text)
    return m is not None and not text[m.end() :].strip() and "tab-set" in _classes(m.group(0))


def _text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _next_nonblank(state: StateBlock, line: int, end: int) -> int:
    while line < end and state.isEmpty(line):
        line += 1
    return line


def _prelude(state: StateBlock, start: int, end: int) -> tuple[list[int], bool, int]:
    """The ``<link>`` lines (a Hexo page's W3.CSS) and the ``<article>`` before a set:
    their lines, whether an article opened, and the line that should open the set."""
    links: list[int] = []
    article = False
    line = start
    while line < end:
        text = _text(state, line)
        if _LINK_LINE.match(text):
            links.append(line)
        elif _ARTICLE_OPEN.match(text) and not article:
            article = True
        elif not (article and state.isEmpty(line)):
            break
        line += 1
    return links, article, line


def _tab_html(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    links, article, set_line = _prelude(state, start, end)
    if set_line >= end or not _is_set_open(_text(state, set_line)):
        return False
    if silent:
        return True
    line = set_line
    while True:
        parsed = _scan_set(state, line, end)
        if parsed is None:
            return False  # reported; let the html_block rule show the raw text
        _push_links(state, links)
        tabs, close = parsed
        _emit(state, tabs, line, close)
        line = close + 1
        if not article:
            break
        links, nxt = [], _next_nonblank(state, line, end)
        while nxt < end and _LINK_LINE.match(_text(state, nxt)):  # between two sets
            links.append(nxt)
            nxt = _next_nonblank(state, nxt + 1, end)
        if nxt < end and _is_set_open(_text(state, nxt)):
            line = nxt
            continue
        _push_links(state, links)
        line = links[-1] + 1 if links else line
        if nxt < end and _ARTICLE_CLOSE.match(_text(state, nxt)):
            line = nxt + 1
        else:
            report(state.env, start, "<article> around a tab set is never closed: add </article>")
        break
    state.line = line
    return True


def _push_links(state: StateBlock, lines: list[int]) -> None:
    """``<link>`` lines around a set, kept as HTML: raw_html.py decides what may load."""
    for at in lines:
        token = state.push("html_block", "", 0)
        token.map, token.content = [at, at + 1], _text(state, at) + "\n"


def _scan_set(state: StateBlock, set_line: int, end: int) -> tuple[list[_Tab], int] | None:
    """Find the tabs of the set opened at ``set_line`` and the line of its ``</div>``."""
    tabs: list[_Tab] = []
    pending: _Tab | None = None
    line = set_line + 1
    while line < end:
        text = _text(state, line)
        pos = 0
        while pos < len(text):
            m = _TAG.search(text, pos)
            stray = text[pos : m.start() if m else len(text)].strip()
            if stray:
                report(state.env, line, f"unexpected text in a tab set: {stray[:40]!r}")
            if not m:
                break
            tag = m.group(0)
            pos = m.end()
            low = tag.lower()
            if low.startswith("<input"):
                pending = _Tab(None, bool(_CHECKED.search(tag)), line)
            elif low.startswith("<label"):
                if pending is None:
                    pending = _Tab(None, False, line)
                pending.label = html.unescape(_STRIP_TAGS.sub("", m.group("label"))).strip()
                pending.line = line
            elif low.startswith("</div"):
                if pending is not None:
                    report(state.env, pending.line, "a tab label without a tab-content <div>")
                return tabs, line
            elif "tab-content" in _classes(tag):
                tab = pending or _Tab(None, False, line)
                pending = None
                if tab.label is None:
                    report(state.env, line, "a tab-content <div> without a <label> before it")
                    tab.label = ""
                tabs.append(tab)
                inline_close = _DIV_TAG.search(text, pos)
                if inline_close and inline_close.group(0).lower().startswith("</div"):
                    tab.inline_html = text[pos : inline_close.start()].strip()
                    pos = inline_close.end()
                    continue
                found = _content_end(state, line + 1, end)
                if found is None:
                    report(state.env, line, "a tab's content <div> is never closed")
                    return None
                tab.content = (line + 1, found[0])
                line, pos = found
                text = _text(state, line)
            else:
                report(state.env, line, f"unexpected tag in a tab set: {tag[:40]}")
        line += 1
    report(
        state.env, set_line, 'tab set is never closed: no </div> matches this <div class="tab-set">'
    )
    return None


def _content_end(state: StateBlock, line: int, end: int) -> tuple[int, int] | None:
    """Line and end offset of the ``</div>`` closing a tab's content (fences skipped)."""
    depth = 1
    fence = ""
    while line < end:
        text = _text(state, line)
        m = _FENCE.match(text)
        if fence:
            closes = m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)
            if closes and not text.strip().strip(fence[0]):
                fence = ""
        elif m:
            fence = m.group(1)
        else:
            for tag in _DIV_TAG.finditer(text):
                depth += -1 if tag.group(0).startswith("</") else 1
                if depth == 0:
                    return line, tag.end()
        line += 1
    return None


def _emit(state: StateBlock, tabs: list[_Tab], start: int, close: int) -> None:
    token = state.push("tab_set_open", "div", 1)
    token.block, token.map, token.meta = True, [start, close + 1], {"form": "html"}
    for tab in tabs:
        token = state.push("tab_open", "div", 1)
        token.block = True
        token.map = [tab.line, tab.content[1] if tab.content else tab.line + 1]
        token.meta = {"label": tab.label or "", "checked": tab.checked}
        if tab.content:
            _tokenize_in_place(state, *tab.content)
        elif tab.inline_html:
            token = state.push("html_block", "", 0)
            token.block, token.map, token.content = True, [tab.line, tab.line + 1], tab.inline_html
        state.push("tab_close", "div", -1).block = True
    state.push("tab_set_close", "div", -1).block = True


def _tokenize_in_place(state: StateBlock, start: int, end: int) -> None:
    indents = [state.sCount[i] for i in range(start, end) if not state.isEmpty(i)]
    if not indents:
        return
    saved = state.parentType, state.lineMax, state.blkIndent
    state.parentType, state.lineMax, state.blkIndent = "tab", end, min(indents)
    state.md.block.tokenize(state, start, end)
    state.parentType, state.lineMax, state.blkIndent = saved
