"""Parsing a page: Markdown tokens, and the cells, tab sets and headings they hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from xint_site.model import Cell, Document, Heading, Tab, TabSet
from xint_site.pages.source import SourcePage
from xint_site.problems import Problem, problem_at

D2L_RULE = "d2l_tab_runs"  # the block rule the d2l plugins add (markdown/d2l/tab_runs.py)


def parse_document(md: MarkdownIt, page: SourcePage) -> tuple[Document, list[Problem]]:
    env: dict[str, Any] = {}
    tokens = md.parse(page.body, env)
    errors = [p.placed(page.path, page.body_line) for p in env.get("problems", [])]
    errors += _include_raw_files(tokens, page)
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


def _include_raw_files(tokens: list[Token], page: SourcePage) -> list[Problem]:
    """The HTML of each ``.. raw:: html`` ``:file:`` block (d2l-book's front page), read
    from beside the page; a file outside the content folder is never read."""
    problems: list[Problem] = []
    root = _content_root(page)
    for token in tokens:
        if token.type != "d2l_raw_file":
            continue
        line = page.body_line + (token.map[0] if token.map else 0)
        name = str(token.meta["file"])
        path = (page.path.parent / name).resolve()
        if not path.is_relative_to(root.resolve()):
            problems.append(
                problem_at(page.path, line, f"raw HTML file {name!r} is outside the content folder")
            )
            continue
        try:
            token.meta["html"] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
            problems.append(
                problem_at(page.path, line, f"cannot read raw HTML file {name!r}: {reason}")
            )
    return problems


def _content_root(page: SourcePage) -> Path:
    """The content folder: ``page.path`` without ``page.rel``."""
    root = page.path
    for _ in page.rel.split("/"):
        root = root.parent
    return root


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
