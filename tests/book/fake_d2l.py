"""A stand-in for part A's d2l Markdown plugins, enough to build a book in tests: it
makes the tokens of the shared contract (``d2l_toc``, ``d2l_role``, ``d2l_bibliography``,
``:label:``/``:eqlabel:`` attached to the block before, an image paragraph as a figure,
``: caption`` before a table). The real plugins (xint_site/markdown/d2l) replace it."""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

_ROLE = re.compile(r":(numref|ref|eqref|cite):`([^`]+)`")
_MARK = re.compile(r"^:(label|eqlabel|bibliography):`([^`]+)`$")
_IMAGE = re.compile(r"^!\[([^\]]*)\]\(([^)]+)\)$")


def fake_d2l_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("backticks", "fake_d2l_role", _role)
    md.core.ruler.push("fake_d2l_blocks", _blocks)
    md.add_render_rule("figure_open", _figure_open)
    md.add_render_rule("figure_close", lambda self, tokens, idx, options, env: "</figure>\n")
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("d2l_toc", lambda self, tokens, idx, options, env: "")
    md.add_render_rule("d2l_bibliography", lambda self, tokens, idx, options, env: "")


def _role(state: StateInline, silent: bool) -> bool:
    m = _ROLE.match(state.src, state.pos)
    if not m:
        return False
    if not silent:
        token = state.push("d2l_role", "", 0)
        role, target = m.group(1), m.group(2)
        token.meta = {"role": role}
        if role == "cite":
            token.meta["targets"] = [t.strip() for t in target.split(",")]
        else:
            token.meta["target"] = target
    state.pos = m.end()
    return True


def _blocks(state: StateCore) -> None:
    out: list[Token] = []
    tokens = state.tokens
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.type == "fence" and t.info.strip() == "toc":
            out.append(_toc(t))
        elif t.type == "paragraph_open" and tokens[i + 1].type == "inline":
            inline = tokens[i + 1]
            mark = _MARK.match(inline.content.strip())
            if mark and mark.group(1) == "bibliography":
                token = Token("d2l_bibliography", "", 0, map=t.map)
                token.meta = {"file": mark.group(2)}
                out.append(token)
                i += 3
                continue
            if mark:
                _block_before(out).meta["label"] = mark.group(2)
                i += 3
                continue
            lines = inline.content.strip().split("\n")
            image = _IMAGE.match(lines[0])
            marks = [_MARK.match(line.strip()) for line in lines[1:]]
            if image and all(marks):
                opener = Token("figure_open", "figure", 1, map=t.map)
                opener.meta = {"caption": image.group(1), "src": image.group(2)}
                opener.meta.update((m.group(1), m.group(2)) for m in marks if m)
                out += [opener, Token("figure_close", "figure", -1)]
                i += 3
                continue
            caption = re.match(r"^: (.+)$", inline.content.strip())
            if caption and i + 3 < len(tokens) and tokens[i + 3].type == "table_open":
                tokens[i + 3].meta["caption"] = caption.group(1)
                i += 3
                continue
            out.append(t)
        else:
            out.append(t)
        i += 1
    state.tokens = out


def _block_before(out: list[Token]) -> Token:
    """The open token of the block that ends last in ``out``."""
    last = out[-1]
    if last.nesting == 0:
        return last  # a fence, a math block
    level = last.level
    return next(t for t in reversed(out) if t.nesting == 1 and t.level == level)


def _toc(fence: Token) -> Token:
    meta: dict = {"maxdepth": 0, "numbered": False, "entries": []}
    for line in fence.content.splitlines():
        line = line.strip()
        if line.startswith(":maxdepth:"):
            meta["maxdepth"] = int(line.split(":")[2])
        elif line == ":numbered:":
            meta["numbered"] = True
        elif line:
            meta["entries"].append(line)
    token = Token("d2l_toc", "", 0, map=fence.map)
    token.meta = meta
    return token


def _figure_open(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    caption = html.escape(meta["caption"])
    return f'<figure><img src="{html.escape(meta["src"])}" alt="{caption}"><figcaption>{caption}</figcaption>'


def _table_open(self, tokens, idx, options, env) -> str:
    caption = tokens[idx].meta.get("caption")
    shown = f"<caption>{html.escape(caption)}</caption>\n" if caption else ""
    return self.renderToken(tokens, idx, options, env) + shown
