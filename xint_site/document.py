"""Parsing a page: Markdown tokens, and the cells, tab sets and headings they hold."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from xint_site.model import Cell, Document, Heading, Tab, TabSet
from xint_site.pages.source import SourcePage
from xint_site.problems import Problem

D2L_RULE = "d2l_tab_runs"  # the block rule the d2l plugins add (markdown/d2l/tab_runs.py)


def parse_document(md: MarkdownIt, page: SourcePage) -> tuple[Document, list[Problem]]:
    env: dict[str, Any] = {}
    tokens = md.parse(page.body, env)
    errors = [p.placed(page.path, page.body_line) for p in env.get("problems", [])]
    headings = _headings(tokens)
    title = page.meta.title or next((h.text for h in headings if h.level == 1), page.slug)
    document = Document(
        page=page,
        title=title,
        tokens=tokens,
        cells=_cells(tokens, page.body_line),
        tab_sets=_tab_sets(tokens, page.body_line),
        headings=headings,
        d2l=reads_d2l(md),
    )
    return document, errors


def reads_d2l(md: MarkdownIt) -> bool:
    """Whether ``md`` reads d2l-book's Markdown (it has the d2l plugins)."""
    return D2L_RULE in md.block.ruler.get_all_rules()


def _cells(tokens: list[Token], offset: int) -> tuple[Cell, ...]:
    return tuple(
        Cell(
            index=t.meta["cell"],
            code=t.content,
            framework=t.meta.get("framework"),
            line=offset + (t.map[0] if t.map else 0),
            options=frozenset(t.meta.get("options", ())),
        )
        for t in tokens
        if t.type == "fence" and t.meta.get("cell") is not None
    )


def _tab_sets(tokens: list[Token], offset: int) -> tuple[TabSet, ...]:
    sets: list[TabSet] = []
    open_sets: list[tuple[Token, list[Tab]]] = []
    for t in tokens:
        if t.type == "tab_set_open":
            open_sets.append((t, []))
        elif t.type == "tab_open" and open_sets:
            open_sets[-1][1].append(Tab(t.meta["label"], t.meta.get("framework")))
        elif t.type == "tab_set_close" and open_sets:
            opener, tabs = open_sets.pop()
            line = offset + (opener.map[0] if opener.map else 0)
            sets.append(TabSet(opener.meta["index"], line, tuple(tabs)))
    return tuple(sorted(sets, key=lambda s: s.index))


def _headings(tokens: list[Token]) -> tuple[Heading, ...]:
    out = []
    for i, t in enumerate(tokens):
        if t.type == "heading_open" and i + 1 < len(tokens):
            inline = tokens[i + 1]
            text = "".join(
                c.content for c in (inline.children or []) if c.type in ("text", "code_inline")
            )
            out.append(Heading(int(t.tag[1]), text.strip(), str(t.attrs.get("id") or "")))
    return tuple(out)
