"""References rendered as placeholders in pass one and resolved into links in pass two."""

from __future__ import annotations

import html

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.book.book_pages import CONTENT, hrefs, small_book, token
from xint_site.book.citations import Citations, Work
from xint_site.book.inventory import build_inventory
from xint_site.book.resolve import mark_role_lines, placeholder, references_plugin, resolve
from xint_site.markdown import make_parser
from xint_site.pages.frontmatter import FrontMatter
from xint_site.pages.source import SourcePage

# chapter_pre/ndarray.md of the small book: headings, figures, tables, equations in the
# order its outline lists them. FIG paragraphs become figure tokens, ROLES one with roles.
NDARRAY = """\
# Data Manipulation

ROLES

## Getting Started

FIG Broadcasting|fig_broadcast

$$a = b$$

$$c = d$$

| a |
|---|
| 1 |

| b |
|---|
| 2 |

## Operations

### Deep down

FIG |

FIG Element-wise|fig_elementwise
"""

ROLES = [
    ("numref", "sec_autograd"),
    ("numref", "fig_graph"),
    ("numref", "tab_shapes"),
    ("ref", "sec_autograd"),
    ("eqref", "eq_chain"),
    ("numref", "chap_pre"),
]


def _figure_rules(md: MarkdownIt) -> None:
    """Stand-ins for the d2l figure and table-caption rules (part A's plugin)."""

    def figure_open(self, tokens, idx, options, env):
        meta = tokens[idx].meta
        return f'<figure><img src="{meta["src"]}"><figcaption>{html.escape(meta["caption"])}</figcaption>'

    def table_open(self, tokens, idx, options, env):
        caption = tokens[idx].meta.get("caption")
        return "<table>\n" + (f"<caption>{caption}</caption>\n" if caption else "")

    md.add_render_rule("figure_open", figure_open)
    md.add_render_rule("figure_close", lambda self, tokens, idx, options, env: "</figure>\n")
    md.add_render_rule("table_open", table_open)


def parser() -> MarkdownIt:
    md = make_parser()
    _figure_rules(md)
    md.use(references_plugin)
    return md


def tokens_of(md: MarkdownIt, text: str, roles=ROLES) -> list[Token]:
    tokens = md.parse(text, {})
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        inline = tokens[i + 1] if t.type == "paragraph_open" else None
        if inline is not None and inline.content.startswith("FIG "):
            caption, label = inline.content[4:].split("|")
            line = t.map[0]
            opener = token("figure_open", 1, line, src="x.svg", caption=caption, label=label)
            out += [opener, token("figure_close", -1, line)]
            i += 3
            continue
        if inline is not None and inline.content == "ROLES":
            children = []
            for role, target in roles:
                key = "targets" if role == "cite" else "target"
                value = target.split(",") if role == "cite" else target
                role_token = token("d2l_role", **{"role": role, key: value})
                role_token.map = None  # inline tokens have no lines of their own
                children += [Token("text", "", 0, content=" "), role_token]
            inline.children = children
        out.append(t)
        i += 1
    out[0].meta["label"] = "sec_ndarray"
    tables = [t for t in out if t.type == "table_open"]
    tables[0].meta.update(caption="Shapes", label="tab_shapes")
    return out


def render(md: MarkdownIt, tokens: list[Token]) -> str:
    mark_role_lines(tokens)  # as the core rule does after parsing
    return md.renderer.render(tokens, md.options, {})


def page(rel: str, body_line: int = 1) -> SourcePage:
    return SourcePage(CONTENT / rel, rel, FrontMatter(), "", body_line)


WORKS = {
    "Zhang.2021": Work("Zhang.2021", "Zhang et al., 2021", "<em>D2L</em>.", ("Zhang", "2021", "")),
    "Lin.Wu.2019": Work("Lin.Wu.2019", "Lin and Wu, 2019", "Lin.", ("Lin", "2019", "")),
}


def resolved(rel="chapter_pre/ndarray.md", text=NDARRAY, roles=ROLES, body_line=1, works=WORKS):
    pages, book = small_book()
    inventory, _ = build_inventory(pages, book, hrefs(pages), CONTENT)
    citations = Citations(works, "references.md", "/references.html", tuple(works))
    md = parser()
    markup = render(md, tokens_of(md, text, roles))
    out, problems = resolve(markup, inventory, citations, page(rel, body_line))
    assert "\x00" not in out
    return out, [str(p) for p in problems]


def test_numref_shows_the_number_and_links_to_the_target():
    out, problems = resolved()
    assert problems == []
    assert '<a class="reference numref" href="/chapter_pre/autograd.html">Section 2.2</a>' in out
    assert (
        '<a class="reference numref" href="/chapter_pre/autograd.html#fig_graph">Fig. 2.2.1</a>'
        in out
    )
    assert 'href="/chapter_pre/ndarray.html#tab_shapes">Table 2.1.1</a>' in out
    assert '<a class="reference numref" href="/chapter_pre/index.html">Section 2</a>' in out


def test_ref_shows_the_title_and_eqref_the_equation_number():
    out, _ = resolved()
    assert (
        '<a class="reference ref" href="/chapter_pre/autograd.html">Automatic Differentiation</a>'
        in out
    )
    assert (
        '<a class="reference eqref" href="/chapter_pre/autograd.html#eq_chain">(2.2.1)</a>' in out
    )


def test_cite_shows_author_year_links_to_the_bibliography():
    out, problems = resolved(roles=[("cite", "Zhang.2021,Lin.Wu.2019")])
    assert problems == []
    assert (
        '(<a class="cite" href="/references.html#bib-Zhang.2021">Zhang et al., 2021</a>; '
        '<a class="cite" href="/references.html#bib-Lin.Wu.2019">Lin and Wu, 2019</a>)'
    ) in out


def test_headings_figures_tables_and_equations_show_their_own_numbers():
    out, _ = resolved()
    assert (
        '<h1 id="sec_ndarray"><span class="section-number">2.1. </span>Data Manipulation</h1>'
        in out
    )
    assert '<span class="section-number">2.1.1. </span>' in out
    assert '<span class="section-number">2.1.2.1. </span>' in out
    assert (
        '<figure id="fig_broadcast"><img src="x.svg"><figcaption><span class="caption-number">Fig. 2.1.1 </span>Broadcasting'
        in out
    )
    assert '<figcaption><span class="caption-number">Fig. 2.1.2 </span>Element-wise' in out
    assert "<figcaption></figcaption>" in out  # no caption, no number
    assert '<caption><span class="caption-number">Table 2.1.1 </span>Shapes</caption>' in out
    assert '<span class="eqno">(2.1.1)</span></div>' in out
    assert '<span class="eqno">(2.1.2)</span></div>' in out


def test_a_labelled_table_gets_its_label_as_id():
    out, _ = resolved()
    assert '<table id="tab_shapes">' in out


@pytest.mark.parametrize(
    ("role", "target", "message"),
    [
        ("numref", "sec_nowhere", "unknown label 'sec_nowhere'"),
        ("ref", "sec_nowhere", "unknown label 'sec_nowhere'"),
        ("eqref", "eq_nowhere", "unknown label 'eq_nowhere'"),
        ("cite", "Nobody.1999", "unknown citation key 'Nobody.1999'"),
    ],
)
def test_an_unknown_target_is_a_marked_span_and_a_warning_with_its_line(role, target, message):
    out, problems = resolved(roles=[(role, target)], body_line=5)
    assert problems == [f"content/chapter_pre/ndarray.md:7: {message}"]
    assert (
        f'<span class="d2l-unresolved {role}" title="unknown {role} target">{target}</span>' in out
    )
    assert f":{role}:" not in out


def test_eqref_to_something_else_than_an_equation_is_a_warning_but_still_links():
    out, problems = resolved(roles=[("eqref", "fig_graph")])
    assert problems == [
        "content/chapter_pre/ndarray.md:3: 'fig_graph' is not an equation (:eqref: names a display formula)"
    ]
    assert 'href="/chapter_pre/autograd.html#fig_graph">Fig. 2.2.1</a>' in out


def test_a_reference_to_an_unnumbered_target_shows_its_title():
    out, problems = resolved(roles=[("numref", "chap_preface")])
    assert problems == []
    assert '<a class="reference numref" href="/chapter_preface/index.html">Preface</a>' in out


def test_roles_on_later_lines_of_a_paragraph_carry_their_own_line():
    pages, book = small_book()
    inventory, _ = build_inventory(pages, book, hrefs(pages), CONTENT)
    md = parser()
    tokens = md.parse("See\nthat\nROLE", {})
    inline = tokens[1]
    role = token("d2l_role", role="ref", target="missing")
    role.map = None
    inline.children = [*inline.children[:4], role]
    markup = render(md, tokens)
    _, problems = resolve(markup, inventory, Citations(), page("notes.md", body_line=10))
    assert [str(p) for p in problems] == ["content/notes.md:12: unknown label 'missing'"]


def test_a_toc_block_lists_its_pages_numbered_with_their_subsections():
    pages, book = small_book()
    inventory, _ = build_inventory(pages, book, hrefs(pages), CONTENT)
    md = parser()
    tokens = md.parse("# Preliminaries\n", {})
    tokens.append(
        token("d2l_toc", line=3, maxdepth=2, numbered=False, entries=["ndarray", "autograd"])
    )
    out, problems = resolve(
        render(md, tokens), inventory, Citations(), page("chapter_pre/index.md")
    )
    assert problems == []
    assert (
        '<nav class="book-toc"><ul><li><a href="/chapter_pre/ndarray.html">'
        '<span class="section-number">2.1. </span>Data Manipulation</a><ul>'
        '<li><a href="/chapter_pre/ndarray.html#getting-started">'
        '<span class="section-number">2.1.1. </span>Getting Started</a></li>'
        '<li><a href="/chapter_pre/ndarray.html#operations">'
        '<span class="section-number">2.1.2. </span>Operations</a></li></ul></li>'
        '<li><a href="/chapter_pre/autograd.html"><span class="section-number">2.2. </span>'
        "Automatic Differentiation</a></li></ul></nav>"
    ) in out


def test_the_bibliography_placeholder_lists_the_cited_works():
    pages, book = small_book()
    inventory, _ = build_inventory(pages, book, hrefs(pages), CONTENT)
    citations = Citations(WORKS, "references.md", "/references.html", ("Zhang.2021", "Lin.Wu.2019"))
    out, _ = resolve(placeholder("bib"), inventory, citations, page("references.md"))
    assert out == (
        '<div class="bibliography">\n'
        '<p class="citation" id="bib-Lin.Wu.2019"><span class="citation-label">Lin and Wu, 2019</span> Lin.</p>\n'
        '<p class="citation" id="bib-Zhang.2021"><span class="citation-label">Zhang et al., 2021</span> <em>D2L</em>.</p>\n'
        "</div>\n"
    )


def test_html_without_placeholders_is_returned_unchanged():
    out, problems = resolve(
        "<p>plain</p>", build_inventory({}, None, {}, CONTENT)[0], Citations(), page("a.md")
    )
    assert (out, problems) == ("<p>plain</p>", [])


def test_a_malformed_placeholder_is_dropped():
    inventory = build_inventory({}, None, {}, CONTENT)[0]
    out, _ = resolve("a\x00num\x1fheading\x1fx\x00b", inventory, Citations(), page("a.md"))
    assert out == "ab"


def test_placeholder_strips_separators_from_arguments():
    assert placeholder("xref", "numref", 3, "a\x00b\x1fc") == "\x00xref\x1fnumref\x1f3\x1fabc\x00"
