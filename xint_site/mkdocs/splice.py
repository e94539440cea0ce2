"""A page's Markdown with xint's parts set aside for MkDocs, then put back as HTML.

MkDocs renders pages with Python-Markdown, which knows neither xint's tab sets nor its
outputs. Before it runs (``on_page_markdown``) each top-level tab set and each written
``<output>`` is replaced by a placeholder; a shared cell keeps its fence (so it looks
like every other code block of the site) and gets a placeholder for its outputs after
it; with MathML, each formula is a placeholder too. After it (``on_page_content``) the
placeholders become the HTML xint rendered. Everything else, headings and the table of
contents included, stays MkDocs' own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from xint_site.render.outputs import apply_outputs
from xint_site.render.shown import PageOutputs

_FENCE_START = re.compile(r"(?P<head>[ \t>]*(?:`{3,}|~{3,}))[ \t]*(?P<lang>[^\s`{]*)[^\n]*")
_MATH_BLOCKS = ("math_block", "math_block_label")


@dataclass(frozen=True)
class Spliced:
    markdown: str
    blocks: dict[str, str]  # placeholder -> the HTML it stands for
    cells: dict[int, str]  # this Markdown's cells' code, to check the outputs are theirs
    left: list[tuple[int, str]] = field(default_factory=list)  # (0-based line, what) kept as is


@dataclass
class _Edits:
    """Replacements of character ranges of the Markdown, and the HTML set aside."""

    prefix: str
    edits: list[tuple[int, int, str]] = field(default_factory=list)
    blocks: dict[str, str] = field(default_factory=dict)

    def place(self, markup: str) -> str:
        name = f"{self.prefix}{len(self.blocks)}X"
        self.blocks[name] = markup
        return name

    def block(self, start: int, end: int, markup: str) -> None:
        """A top-level block replaced: a paragraph of its own, or nothing."""
        self.edits.append((start, end, f"\n{self.place(markup)}\n\n" if markup else ""))


def splice_page(
    md: MarkdownIt, markdown: str, outputs: PageOutputs, mathml: bool, nonce: str
) -> Spliced:
    """The Markdown for MkDocs, and what its placeholders stand for. ``md`` is the site's
    xint parser with :func:`~xint_site.mkdocs.markup.material_plugin`; ``mathml``: formulas
    are xint's (MathML), else the site's arithmatex reads them in the prose."""
    tokens = md.parse(markdown, {})
    starts = _line_starts(markdown)
    ed = _Edits(f"XINT{nonce}N")
    left: list[tuple[int, str]] = []
    for block in _top_level(tokens):
        first = block[0]
        assert first.map is not None
        start, end = starts[first.map[0]], _end(starts, first.map[1])
        if first.meta.get("form") == "container":  # its map leaves out the closing '::::'
            closing = markdown[end : _end(starts, first.map[1] + 1)].strip()
            end = _end(starts, first.map[1] + 1) if closing and set(closing) == {":"} else end
        if first.type in ("tab_set_open", "output_block") or "shown" in first.meta:
            # a d2l cell shows other than its source: rendered here too
            ed.block(start, end, _render(md, apply_outputs(block, outputs)))
        elif first.type == "fence" and first.meta.get("cell") is not None:
            _shared_cell(md, ed, markdown[start:end], start, block, outputs)
        else:
            left += _nested(block, outputs)
            if mathml:
                _math(ed, markdown, starts, block)
    cells = {t.meta["cell"]: t.content for t in tokens if t.type == "fence" and "cell" in t.meta}
    return Spliced(_apply(markdown, ed.edits), ed.blocks, cells, left)


def fill(html: str, blocks: dict[str, str]) -> tuple[str, list[str]]:
    """The page's HTML with each placeholder (and the paragraph Python-Markdown put it
    in) replaced; the placeholders that were not found (another plugin dropped them)."""
    if not blocks:
        return html, []
    seen: set[str] = set()
    names = "|".join(re.escape(name) for name in blocks)

    def put(m: re.Match[str]) -> str:
        seen.add(m["name"])
        markup = blocks[m["name"]]
        if m["open"] and m["close"]:
            return markup
        return (m["open"] or "") + markup + (m["close"] or "")

    filled = re.sub(rf"(?P<open><p>)?(?P<name>{names})(?P<close></p>)?", put, html)
    return filled, [name for name in blocks if name not in seen]


def _shared_cell(
    md: MarkdownIt, ed: _Edits, source: str, start: int, block: list[Token], outputs: PageOutputs
) -> None:
    """The fence stays for MkDocs (its info string cut to the language, which
    Python-Markdown's fences need), its outputs go after it; ``hide-code`` drops it."""
    shown = apply_outputs(block, outputs)
    fence = (
        _FENCE_START.sub(r"\g<head>\g<lang>", source, count=1) if shown[0].type == "fence" else ""
    )
    ran = [t for t in shown if t.type == "cell_outputs"]
    after = f"\n{ed.place(_render(md, ran))}\n\n" if ran else ""
    if fence + after != source:
        ed.edits.append((start, start + len(source), fence + after))


def _math(ed: _Edits, markdown: str, starts: list[int], block: list[Token]) -> None:
    """Each formula of a block that stays for MkDocs, as a placeholder for its MathML."""
    for token in block:
        if token.map is None:
            continue
        start, end = starts[token.map[0]], _end(starts, token.map[1])
        if token.type in _MATH_BLOCKS:
            line = markdown[start : markdown.find("\n", start) + 1 or len(markdown)]
            prefix = line[: line.find("$$")] if "$$" in line else ""
            html = f'<div class="xint-math-display">{token.meta.get("html", "")}</div>'
            top = token.level == 0
            text = f"\n{ed.place(html)}\n\n" if top else f"{prefix}{ed.place(html)}\n"
            ed.edits.append((start, end, text))
        elif token.type == "inline" and token.children:
            cursor = start
            for child in token.children:
                if child.type not in ("math_inline", "math_inline_double"):
                    continue
                marks = "$$" if child.type == "math_inline_double" else "$"
                needle = f"{marks}{child.content}{marks}"
                at = markdown.find(needle, cursor, end)
                if at < 0:  # written across a container's prefix: left as it is
                    continue
                ed.edits.append((at, at + len(needle), ed.place(child.meta.get("html", ""))))
                cursor = at + len(needle)


def _nested(block: list[Token], outputs: PageOutputs) -> list[tuple[int, str]]:
    """Tab sets and cells with outputs inside a list, a quote or another block: Python-
    Markdown and markdown-it disagree on what such a block holds, so they stay as written
    (and the plugin says so)."""
    left: list[tuple[int, str]] = []
    for token in block:
        line = token.map[0] if token.map else 0
        if token.type == "tab_set_open":
            left.append((line, "a tab set inside a list, quote or other block is left as it is"))
            break  # its cells are its own
        if token.type == "fence" and token.meta.get("cell") in outputs:
            left.append(
                (line, "the outputs of a cell inside a list, quote or other block are not shown")
            )
    return left


def _top_level(tokens: list[Token]) -> Iterator[list[Token]]:
    """The outermost blocks, each from its opening token to its closing one."""
    depth = 0
    start = 0
    for i, token in enumerate(tokens):
        if depth == 0:
            start = i
        depth += token.nesting
        if depth <= 0:
            depth = 0
            if tokens[start].map is not None:
                yield tokens[start : i + 1]


def _render(md: MarkdownIt, tokens: list[Token]) -> str:
    html: str = md.renderer.render(tokens, md.options, {})
    return html


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    if starts[-1] != len(text):
        starts.append(len(text))
    return starts


def _end(starts: list[int], line: int) -> int:
    """Where ``line`` starts (the end of the one before), or the end of the text."""
    return starts[min(line, len(starts) - 1)]


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    pos = 0
    for start, end, replacement in sorted(edits):
        if start < pos:  # overlaps an edit already made: keep that one
            continue
        out += [text[pos:start], replacement]
        pos = end
    return "".join(out) + text[pos:]
