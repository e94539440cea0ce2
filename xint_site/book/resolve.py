"""References in two passes: placeholders while rendering, links once the book is known.

Pages are rendered in worker processes before the inventory exists, so the render rules
of :func:`references_plugin` write a placeholder wherever the book decides what is shown
(a reference, a heading's, figure's, table's or equation's own number, a toc block, the
bibliography), and :func:`resolve` replaces every placeholder of a page once the whole
book is numbered. A placeholder is ``\\x00kind\\x1fargs\\x00``: markdown-it turns a NUL
of the source into U+FFFD, so no page text can look like one, and none is left behind.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML, RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from xint_site.book.citations import Citations
from xint_site.book.inventory import NUMREF_FORMATS, Inventory, Target
from xint_site.book.outline import MATH_BLOCKS
from xint_site.book.toc import TocEntry
from xint_site.pages.source import SourcePage
from xint_site.problems import Problem, warning_at

ROLES = ("numref", "ref", "eqref", "cite")
_SEP = "\x1f"
_PLACEHOLDER = re.compile("\x00(xref|num|toc|bib)\x1f?([^\x00]*)\x00")
_ID = re.compile(r"^<[a-zA-Z0-9]+\b[^>]*\bid=")

RenderRule = Callable[[Sequence[Token], int, OptionsDict, EnvType], str]


def placeholder(kind: str, *args: object) -> str:
    text = _SEP.join(str(a).replace("\x00", "").replace(_SEP, "") for a in args)
    return f"\x00{kind}{_SEP}{text}\x00"


# ---------------------------------------------------------------- pass one: rendering


def references_plugin(md: MarkdownIt) -> None:
    """Render rules for book pages: roles, own numbers, toc blocks and the bibliography
    become placeholders for :func:`resolve`. Use it after the d2l plugins (it wraps
    their figure and table rules)."""
    md.core.ruler.push("book_role_lines", _role_lines)
    md.add_render_rule("d2l_role", _render_role)
    md.add_render_rule("d2l_toc", _render_toc)
    md.add_render_rule("d2l_bibliography", _render_bibliography)
    _wrap(md, "heading_open", _number_after_open("heading"))
    _wrap(md, "figure_open", _number_in("figure", "figcaption"))
    _wrap(md, "figcaption_open", _number_in("figure", "figcaption", count=False))
    _wrap(md, "figure_close", _number_in("figure", "figcaption", count=False))
    _wrap(md, "table_open", _number_in("table", "caption"))
    _wrap(md, "table_caption_open", _number_in("table", "caption", count=False))
    for kind in MATH_BLOCKS:
        _wrap(md, kind, _equation_number)


def _role_lines(state: StateCore) -> None:
    mark_role_lines(state.tokens)


def mark_role_lines(tokens: Sequence[Token]) -> None:
    """Each role's 0-based line in the page body, for ``path:line`` warnings (markdown-it
    gives lines to blocks only)."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] if token.map else 0
        for child in token.children:
            if child.type == "d2l_role" and "line" not in child.meta:
                child.meta["line"] = child.map[0] if child.map else line
            elif child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "text":
                line += child.content.count("\n")


def _render_role(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    meta = tokens[idx].meta
    targets = meta.get("targets") or [meta.get("target", "")]
    return placeholder("xref", meta.get("role", ""), meta.get("line", 0), ",".join(targets))


def _render_toc(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return placeholder("toc", _count(env, "toc"))


def _render_bibliography(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return placeholder("bib")


def _count(env: EnvType, kind: str) -> int:
    """The index of this ``kind`` among those already rendered on the page."""
    counts: dict[str, int] = env.setdefault("book_counts", {})
    counts[kind] = counts.get(kind, 0) + 1
    return counts[kind] - 1


Wrapper = Callable[[RenderRule, Sequence[Token], int, OptionsDict, EnvType], str]


def _wrap(md: MarkdownIt, name: str, wrapper: Wrapper) -> None:
    renderer = md.renderer
    original = renderer.rules.get(name) if isinstance(renderer, RendererHTML) else None

    def rule(
        self: RendererProtocol,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: EnvType,
    ) -> str:
        def inner(t: Sequence[Token], i: int, o: OptionsDict, e: EnvType) -> str:
            if original is not None:
                return str(original(t, i, o, e))
            assert isinstance(self, RendererHTML)
            return self.renderToken(t, i, o, e)

        return wrapper(inner, tokens, idx, options, env)

    md.add_render_rule(name, rule)


def _label_id(token: Token) -> None:
    """A labelled block without an id gets its label as id: references link to it."""
    label = token.meta.get("label") if token.meta else None
    if label and not token.attrGet("id"):
        token.attrSet("id", str(label))


def _with_id(markup: str, token: Token) -> str:
    """``id`` on the first tag of ``markup`` when the rule that wrote it ignored attrs."""
    label = token.meta.get("label") if token.meta else None
    if not label or _ID.match(markup.lstrip()):
        return markup
    anchor = html.escape(str(label))
    return re.sub(r"^(\s*<[a-zA-Z0-9]+)", rf'\1 id="{anchor}"', markup, count=1)


def _number_after_open(kind: str) -> Wrapper:
    def wrapper(
        inner: RenderRule, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        _label_id(tokens[idx])
        return inner(tokens, idx, options, env) + placeholder("num", kind, _count(env, kind))

    return wrapper


def _number_in(kind: str, tag: str, count: bool = True) -> Wrapper:
    """The number right inside the caption, in whichever of the open and close rules
    writes it; the open rule counts the block."""

    def wrapper(
        inner: RenderRule, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        if count:
            _label_id(token)
            env["book_" + kind] = _count(env, kind)
        markup = inner(tokens, idx, options, env)
        if count:
            markup = _with_id(markup, token)
        at = re.search(rf"<{tag}\b[^>]*>", markup)
        if at is None:
            return markup
        mark = placeholder("num", kind, env.get("book_" + kind, 0))
        return markup[: at.end()] + mark + markup[at.end() :]

    return wrapper


def _equation_number(
    inner: RenderRule, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    markup = _with_id(inner(tokens, idx, options, env), token)
    mark = placeholder("num", "equation", _count(env, "equation"))
    end = markup.rfind("</div>")
    return markup[:end] + mark + markup[end:] if end >= 0 else markup + mark


# ---------------------------------------------------------------- pass two: resolving


def resolve(
    markup: str, inventory: Inventory, citations: Citations, page: SourcePage
) -> tuple[str, list[Problem]]:
    """Every placeholder of a rendered page replaced; an unknown label or citation key is
    a visible marked span and a ``path:line`` warning."""
    if "\x00" not in markup:
        return markup, []
    problems: list[Problem] = []
    resolver = _Resolver(inventory, citations, page, problems)
    return _PLACEHOLDER.sub(resolver.replace, markup), problems


class _Resolver:
    def __init__(
        self, inventory: Inventory, citations: Citations, page: SourcePage, problems: list[Problem]
    ) -> None:
        self.inventory = inventory
        self.citations = citations
        self.page = page
        self.problems = problems

    def replace(self, m: re.Match[str]) -> str:
        kind, args = m.group(1), m.group(2).split(_SEP)
        if kind == "xref" and len(args) == 3:
            role, line, targets = args
            at = self.page.body_line + (int(line) if line.isdigit() else 0)
            return self.reference(role, targets.split(","), at)
        if kind == "num" and len(args) == 2 and args[1].isdigit():
            return self.own_number(args[0], int(args[1]))
        if kind == "toc" and args[0].isdigit():
            return self.toc_block(int(args[0]))
        if kind == "bib":
            return self.bibliography()
        return ""

    def warn(self, line: int, message: str) -> None:
        self.problems.append(warning_at(self.page.path, line, message))

    def reference(self, role: str, names: list[str], line: int) -> str:
        if role == "cite":
            return self.cite(names, line)
        name = names[0] if names else ""
        target = self.inventory.targets.get(name)
        if target is None:
            self.warn(line, f"unknown label '{name}'")
            return _unresolved(role, name)
        if role == "eqref" and target.kind != "equation":
            self.warn(line, f"'{name}' is not an equation (:eqref: names a display formula)")
        if role == "numref" and target.kind == "equation":
            text = NUMREF_FORMATS["equation"].format(target.number) if target.number else ""
        elif role in ("numref", "eqref"):
            text = target.numbered
        else:
            text = ""
        return _link(target, text or target.title or name, role)

    def cite(self, keys: list[str], line: int) -> str:
        shown = []
        for key in (k.strip() for k in keys):
            work = self.citations.works.get(key)
            if work is None:
                self.warn(line, f"unknown citation key '{key}'")
                shown.append(_unresolved("cite", key))
            elif self.citations.href:
                href = html.escape(self.citations.link(work))
                shown.append(f'<a class="cite" href="{href}">{html.escape(work.label)}</a>')
            else:
                shown.append(f'<span class="cite">{html.escape(work.label)}</span>')
        return "(" + "; ".join(shown) + ")"

    def own_number(self, kind: str, index: int) -> str:
        number = self.inventory.page(self.page.rel).of(kind, index)
        if not number:
            return ""
        if kind == "heading":
            return f'<span class="section-number">{number}. </span>'
        if kind == "equation":
            return f'<span class="eqno">({number})</span>'
        prefix = NUMREF_FORMATS["figure" if kind == "figure" else "table"].format(number)
        return f'<span class="caption-number">{prefix} </span>'

    def toc_block(self, index: int) -> str:
        toc = self.inventory.toc
        block = toc.block(self.page.rel, index) if toc else None
        if block is None or not block.entries:
            return ""
        items = "".join(self.toc_item(e, block.maxdepth or 999, 1) for e in block.entries)
        return f'<nav class="book-toc"><ul>{items}</ul></nav>\n'

    def toc_item(self, entry: TocEntry, maxdepth: int, depth: int) -> str:
        href = html.escape(self.inventory.hrefs.get(entry.rel, ""))
        number = ".".join(map(str, entry.number))
        shown = f'<span class="section-number">{number}. </span>' if number else ""
        link = f'<a href="{href}">{shown}{html.escape(entry.title)}</a>'
        below = ""
        if depth < maxdepth:
            below = "".join(self.toc_item(c, maxdepth, depth + 1) for c in entry.children)
            below += self.subsections(entry.rel, href) if not entry.children else ""
        return f"<li>{link}" + (f"<ul>{below}</ul>" if below else "") + "</li>"

    def subsections(self, rel: str, href: str) -> str:
        """A listed page's second-level headings, as Sphinx's toctree shows them."""
        outline = self.inventory.outlines.get(rel)
        if outline is None:
            return ""
        numbers = self.inventory.page(rel).heading
        items = []
        for i, heading in enumerate(h for h in outline.items if h.kind == "heading"):
            if heading.level == 2 and heading.anchor:
                number = numbers[i] if i < len(numbers) else ""
                shown = f'<span class="section-number">{number}. </span>' if number else ""
                text = html.escape(heading.title)
                items.append(
                    f'<li><a href="{href}#{html.escape(heading.anchor)}">{shown}{text}</a></li>'
                )
        return "".join(items)

    def bibliography(self) -> str:
        works = self.citations.listed()
        entries = "".join(
            f'<p class="citation" id="{html.escape(w.anchor)}">'
            f'<span class="citation-label">{html.escape(w.label)}</span> {w.html}</p>\n'
            for w in works
        )
        return f'<div class="bibliography">\n{entries}</div>\n'


def _link(target: Target, text: str, role: str) -> str:
    href = html.escape(target.url)
    return f'<a class="reference {role}" href="{href}">{html.escape(text)}</a>'


def _unresolved(role: str, name: str) -> str:
    """Shown in place of a reference that names nothing: marked, never raw ``:numref:``."""
    shown = html.escape(name)
    return f'<span class="d2l-unresolved {role}" title="unknown {role} target">{shown}</span>'
