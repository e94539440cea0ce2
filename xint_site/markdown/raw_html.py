"""Raw HTML a page passes through, checked so that it cannot quietly break the page.

- A ``<div class="tab-set">`` that reached the output as raw HTML was not read as a
  tab set (it does not start a block of its own, say): its tabs would not sync, and
  its hand-written ids and radio ``name`` would clash with the sets xint-site numbers.
  It is an error with its line.
- An id that xint-site gives its own tab sets (``tab-set--0-input--1``) in raw HTML
  is an error: two elements would answer to it.
- A ``<link>`` that loads a file from another host (the W3.CSS stylesheet of Hexo
  pages) is dropped with a warning: the site loads nothing from another host, and
  the theme already styles tab sets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from xint_site.markdown.problems import report
from xint_site.problems import Problem, Severity

_DIV = re.compile(r"<div\b[^>]*>", re.I)
_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_OWN_ID = re.compile(r"tab-set--\d|cell-\d+-outputs")
_LINK = re.compile(r"<link\b[^>]*>\s*", re.I)
_ATTR = r"""\b{}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""
_OTHER_HOST = re.compile(r"\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
# rel values that make the browser fetch the href (canonical, alternate... do not)
_LOADS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest"}


def raw_html_plugin(md: MarkdownIt) -> None:
    """Check raw HTML once every block and inline rule has run."""
    md.core.ruler.push("raw_html", _check)


def _attr(name: str, tag: str) -> str | None:
    m = re.search(_ATTR.format(name), tag, re.I)
    return next(g for g in m.groups() if g is not None) if m else None


def _html_tokens(tokens: list[Token]) -> Iterator[tuple[Token, int]]:
    """Every raw HTML token (blocks, and inline HTML in paragraphs) with its 0-based line."""
    for token in tokens:
        line = token.map[0] if token.map else 0
        if token.type == "html_block":
            yield token, line
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type == "html_inline":
                    yield child, line
                elif child.type == "text":
                    line += child.content.count("\n")


def _check(state: StateCore) -> None:
    for token, line in _html_tokens(state.tokens):
        token.content = _drop_other_hosts(state, token.content, line)
        for div in _DIV.finditer(token.content):
            at = line + token.content.count("\n", 0, div.start())
            classes = (_attr("class", div.group(0)) or "").split()
            if "tab-set" in classes and not _reported(state, token, at):
                report(
                    state.env,
                    at,
                    'this <div class="tab-set"> is not read as a tab set: start it on a line'
                    " of its own, after a blank line, an <article> or a <link> line",
                )
        for m in _ID.finditer(token.content):
            value = next(g for g in m.groups() if g is not None)
            at = line + token.content.count("\n", 0, m.start())
            if _OWN_ID.match(value) and not _reported(state, token, at):
                report(
                    state.env, at, f"id '{value}' is one xint-site gives its tab sets: rename it"
                )


def _drop_other_hosts(state: StateCore, content: str, line: int) -> str:
    def drop(m: re.Match[str]) -> str:
        tag = m.group(0)
        href = _attr("href", tag) or ""
        rel = set((_attr("rel", tag) or "").lower().split())
        if not (rel & _LOADS and _OTHER_HOST.match(href)):
            return tag
        at = line + content.count("\n", 0, m.start())
        state.env.setdefault("problems", []).append(
            Problem(
                "",
                at,
                f"<link> to another host dropped ({href}): the site loads nothing from"
                " another host",
                severity=Severity.WARNING,
            )
        )
        return ""

    return _LINK.sub(drop, content) if "<link" in content.lower() else content


def _reported(state: StateCore, token: Token, line: int) -> bool:
    """Whether an error was reported in this HTML already: a tab set the parser could
    not read (and said why) falls back to raw HTML."""
    first, last = token.map if token.map else (line, line + 1)
    problems: list[Problem] = state.env.get("problems", [])
    return any(
        first <= p.line < max(last, line + 1) and p.severity == Severity.ERROR for p in problems
    )
