"""A page's Markdown with xint's parts set aside for MkDocs, then put back as HTML.

MkDocs renders pages with Python-Markdown, which knows neither xint's tab sets nor its
outputs. Before it runs (``on_page_markdown``) each tab set and each written ``<output>``
is replaced by a placeholder; a shared cell keeps its fence (so it looks like every
other code block of the site) and gets a placeholder for its outputs after it; with
MathML, each formula is a placeholder too. After it (``on_page_content``) the
placeholders become the HTML xint rendered. Everything else, headings and the table of
contents included, stays MkDocs' own.

A part inside a list or a quote keeps its place there: its placeholder gets the line
prefix (indentation, ``>``) its first line had.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from xint_site.render.outputs import apply_outputs
from xint_site.render.shown import PageOutputs

_FENCE_START = re.compile(r"(?P<head>[ \t>]*(?:`{3,}|~{3,}))[ \t]*(?P<lang>[^\s`{]*)[^\n]*")
_SYNTAX = re.compile(r"`{3}|~{3}|:{3}|<|\$\$")  # where a tab set, output or formula starts
_MATH_BLOCKS = ("math_block", "math_block_label")


@dataclass(frozen=True)
class Spliced:
    markdown: str
    blocks: dict[str, str]  # placeholder -> the HTML it stands for
    cells: dict[int, str]  # this Markdown's cells' code, to check the outputs are theirs


@dataclass
class _Page:
    """The Markdown being spliced: its text, where its lines start, the edits so far."""

    text: str
    name: str  # placeholders are name + number + "X"
    starts: list[int] = field(default_factory=list)
    edits: list[tuple[int, int, str]] = field(default_factory=list)
    blocks: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        if self.starts[-1] != len(self.text):
            self.starts.append(len(self.text))

    def at(self, line: int) -> int:
        """Where ``line`` starts (the end of the one before), or the end of the text."""
        return self.starts[min(line, len(self.starts) - 1)]

    def line(self, line: int) -> str:
        return self.text[self.at(line) : self.at(line + 1)]

    def place(self, markup: str) -> str:
        name = f"{self.name}{len(self.blocks)}X"
        self.blocks[name] = markup
        return name

    def paragraph(self, markup: str, prefix: str) -> str:
        """A paragraph of its own holding the placeholder of ``markup``, in the
        container (list item, quote) whose line prefix is ``prefix``."""
        blank = prefix.rstrip() + "\n"
        return f"{blank}{prefix}{self.place(markup)}\n{blank}"

    def replace(self, first: int, end: int, markup: str) -> None:
        """Lines ``first`` to ``end`` (exclusive) become ``markup``'s placeholder, or go."""
        line = self.line(first)
        found = _SYNTAX.search(line)
        prefix = line[: found.start()] if found else ""
        text = self.paragraph(markup, prefix) if markup else ""
        self.edits.append((self.at(first), self.at(end), text))


def splice_page(
    md: MarkdownIt, markdown: str, outputs: PageOutputs, mathml: bool, nonce: str
) -> Spliced:
    """The Markdown for MkDocs, and what its placeholders stand for. ``md`` is the site's
    xint parser with :func:`~xint_site.mkdocs.markup.material_plugin`; ``mathml``: formulas
    are xint's (MathML), else the site's arithmatex reads them in the prose."""
    tokens = md.parse(markdown, {})
    page = _Page(markdown, f"XINT{nonce}N")
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.map is None:
            i += 1
            continue
        first, end = token.map
        if token.type == "tab_set_open":
            close = _closing(tokens, i)
            if token.meta.get("form") == "container":  # its map leaves out the '::::' line
                end += set(page.line(end).strip(" \t>\n")) == {":"}
            page.replace(first, end, _render(md, apply_outputs(tokens[i : close + 1], outputs)))
            i = close + 1
            continue
        if token.type == "output_block" or "shown" in token.meta:  # d2l: shown is not source
            page.replace(first, end, _render(md, apply_outputs([token], outputs)))
        elif token.type == "fence" and token.meta.get("cell") is not None:
            _shared_cell(md, page, token, outputs)
        elif mathml:
            _math(page, token)
        i += 1
    cells = {t.meta["cell"]: t.content for t in tokens if t.type == "fence" and "cell" in t.meta}
    return Spliced(_apply(markdown, page.edits), page.blocks, cells)


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


def _shared_cell(md: MarkdownIt, page: _Page, fence: Token, outputs: PageOutputs) -> None:
    """The fence stays for MkDocs (its info string cut to the language, which
    Python-Markdown's fences need), its outputs go after it; ``hide-code`` drops it."""
    assert fence.map is not None
    first, end = fence.map
    source = page.text[page.at(first) : page.at(end)]
    shown = apply_outputs([fence], outputs)
    kept = _FENCE_START.sub(r"\g<head>\g<lang>", source, count=1)
    text = kept if shown[0].type == "fence" else ""
    ran = [t for t in shown if t.type == "cell_outputs"]
    if ran:
        closing = page.line(end - 1)
        marker = re.search(r"`{3}|~{3}", closing)
        prefix = closing[: marker.start()] if marker else ""
        text += page.paragraph(_render(md, ran), prefix)
    if text != source:
        page.edits.append((page.at(first), page.at(end), text))


def _math(page: _Page, token: Token) -> None:
    """The formulas of a block that stays for MkDocs, as placeholders for their MathML."""
    assert token.map is not None
    first, end = token.map
    if token.type in _MATH_BLOCKS:
        html = f'<div class="xint-math-display">{token.meta.get("html", "")}</div>'
        page.replace(first, end, html)
    elif token.type == "inline" and token.children:
        cursor, stop = page.at(first), page.at(end)
        for child in token.children:
            if child.type not in ("math_inline", "math_inline_double"):
                continue
            marks = "$$" if child.type == "math_inline_double" else "$"
            needle = f"{marks}{child.content}{marks}"
            at = page.text.find(needle, cursor, stop)
            if at < 0:  # written across a quote's '>' marks: left as it is
                continue
            page.edits.append((at, at + len(needle), page.place(child.meta.get("html", ""))))
            cursor = at + len(needle)


def _closing(tokens: list[Token], opening: int) -> int:
    """The index of the token that closes the one at ``opening``."""
    depth = 0
    for i in range(opening, len(tokens)):
        depth += tokens[i].nesting
        if depth <= 0:
            return i
    return len(tokens) - 1


def _render(md: MarkdownIt, tokens: Sequence[Token]) -> str:
    html: str = md.renderer.render(tokens, md.options, {})
    return html


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    pos = 0
    for start, end, replacement in sorted(edits):
        if start < pos:  # inside an edit already made (a tab set): that one holds it
            continue
        out += [text[pos:start], replacement]
        pos = end
    return "".join(out) + text[pos:]
