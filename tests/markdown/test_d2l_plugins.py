"""The d2l plugins as a public API: each on a bare ``MarkdownIt("commonmark")``, with its
defaults, and the tokens another tool (a book's numbering, its citations) builds on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

import xint_site.markdown
from xint_site.config import SiteConfig
from xint_site.document import parse_document
from xint_site.markdown import (
    TabNames,
    d2l_bibliography_plugin,
    d2l_cells_plugin,
    d2l_eval_rst_plugin,
    d2l_figures_plugin,
    d2l_marks_plugin,
    d2l_plugin,
    d2l_prose_tabs_plugin,
    d2l_roles_plugin,
    d2l_slide_marks_plugin,
    d2l_table_captions_plugin,
    d2l_toc_plugin,
    is_d2l_source,
    math_plugin,
)
from xint_site.model import Cell, Tab, TabSet
from xint_site.pages.source import SourcePage, read_page
from xint_site.problems import Severity
from xint_site.render.site_parser import parser_for

Env = dict[str, Any]


def parse(md: MarkdownIt, source: str) -> tuple[list[Token], Env]:
    env: Env = {}
    return md.parse(source, env), env


def problems(env: Env) -> list[tuple[int, str, str]]:
    return [(p.line, str(p.severity), p.message) for p in env.get("problems", [])]


def of_type(tokens: list[Token], kind: str) -> list[Token]:
    return [t for t in tokens if t.type == kind]


def children(tokens: list[Token], kind: str) -> list[Token]:
    return [c for t in tokens if t.type == "inline" for c in t.children or [] if c.type == kind]


def test_every_d2l_plugin_is_public() -> None:
    exported = set(xint_site.markdown.__all__)
    assert {
        "d2l_plugin",
        "d2l_cells_plugin",
        "d2l_prose_tabs_plugin",
        "d2l_roles_plugin",
        "d2l_marks_plugin",
        "d2l_figures_plugin",
        "d2l_table_captions_plugin",
        "d2l_slide_marks_plugin",
        "d2l_eval_rst_plugin",
        "d2l_toc_plugin",
        "d2l_bibliography_plugin",
        "is_d2l_source",
    } <= exported


CELLS = (
    "```{.python .input  n=1}\n%load_ext d2lbook.tab\ntab.interact_select(['mxnet', 'pytorch'])\n```\n"
    "\n```{.python .input  n=2}\nx = 1\n```\n"
    "\n```{.python .input}\n%%tab pytorch\nif tab.selected('mxnet'):\n    x = 2\nx = 3\n```\n"
    "\n```{.python .input}\n#@tab all\ny = x\n```\n"
    "\n```bash\npip install d2l\n```\n"
)


def test_cells_on_a_bare_parser_carry_what_cells_plugin_sets_and_the_shown_code() -> None:
    md = MarkdownIt("commonmark").use(d2l_cells_plugin, default_tab="mxnet")
    tokens, env = parse(md, CELLS)
    assert [t.meta for t in of_type(tokens, "fence")] == [
        {"shown": "x = 1\n", "cell": 0, "framework": "mxnet", "options": []},
        {"shown": "x = 3\n", "cell": 1, "framework": "pytorch", "options": []},
        {"shown": "y = x\n", "cell": 2, "framework": None, "options": []},
        {"shown_only": True},
    ]
    assert of_type(tokens, "fence")[1].content == "if tab.selected('mxnet'):\n    x = 2\nx = 3\n"
    assert [t.meta["form"] for t in of_type(tokens, "tab_set_open")] == ["d2l"]
    assert [t.map for t in of_type(tokens, "fence")] == [[5, 8], [9, 15], [16, 20], [21, 24]]
    assert env["cell_count"] == 3 and problems(env) == []
    html = md.render(CELLS)
    assert '<div class="highlight" data-lang="python" data-cell="1"><pre><code>x = 3</code>' in html
    assert "tab.selected" not in html and "%%tab" not in html and "load_ext" not in html


def test_a_comment_after_the_tab_line_names_no_framework() -> None:
    md = MarkdownIt("commonmark").use(d2l_cells_plugin)
    source = "```{.python .input}\n#@tab pytorch, jax  # both\nx = 1\n```\n"
    tokens, env = parse(md, source)
    assert [t.meta["framework"] for t in of_type(tokens, "fence")] == ["pytorch", "jax"]
    assert problems(env) == []


def test_without_a_default_tab_untagged_cells_are_shared() -> None:
    md = MarkdownIt("commonmark").use(d2l_cells_plugin)
    tokens, env = parse(md, "```{.python .input}\nx = 1\n```\n")
    assert [t.meta["framework"] for t in of_type(tokens, "fence")] == [None]
    assert of_type(tokens, "tab_set_open") == [] and problems(env) == []


def test_a_d2l_page_gives_the_same_cells_and_tab_sets_as_the_shorthand(tmp_path: Path) -> None:
    d2l = page(
        tmp_path,
        "d2l.md",
        "# T\n\n```{.python .input}\nx = 1\n```\n\n```{.python .input}\n#@tab pytorch\nx = 2\n```\n"
        "\n```{.python .input}\n#@tab all\ny = x\n```\n",
    )
    shorthand = page(
        tmp_path,
        "plain.md",
        "# T\n\n```python mxnet\nx = 1\n```\n```python pytorch\nx = 2\n```\n\n```python\ny = x\n```\n",
    )
    mine, errors = parse_document(parser_for(SiteConfig(), d2l=True), d2l)
    theirs, _ = parse_document(parser_for(SiteConfig()), shorthand)
    assert errors == []
    assert [(c.index, c.code, c.framework, c.options) for c in mine.cells] == [
        (c.index, c.code, c.framework, c.options) for c in theirs.cells
    ]
    assert mine.cells[0] == Cell(index=0, code="x = 1\n", framework="mxnet", line=3)
    tabs = (Tab("MXNet", "mxnet"), Tab("PyTorch", "pytorch"))
    assert mine.tab_sets == (TabSet(0, 3, tabs),)
    assert [s.tabs for s in mine.tab_sets] == [s.tabs for s in theirs.tab_sets]
    assert mine.frameworks == ("mxnet", "pytorch") and mine.title == "T"


def test_problems_of_a_d2l_page_are_path_line_messages(tmp_path: Path) -> None:
    source = page(tmp_path, "p.md", "# T\n\n```{.python .input}\n#@tab jax\nx = 1\n```\n")
    _, errors = parse_document(parser_for(SiteConfig(), d2l=True), source)
    assert [(str(p), p.severity) for p in errors] == [
        (
            f"{tmp_path / 'p.md'}:4: '#@tab jax': 'jax' is not one of the tabs"
            " (MXNet, TensorFlow, PyTorch): its code is left out",
            Severity.WARNING,
        )
    ]


def test_the_site_parser_reads_d2l_syntax_only_when_asked() -> None:
    source = "```{.python .input}\nx = 1\n```\n"
    _, env = parse(parser_for(SiteConfig()), source)
    assert problems(env) == [
        (0, "error", "unknown framework or cell option '.input}' in '```{.python .input}'")
    ]
    tokens, env = parse(parser_for(SiteConfig(), d2l=True, default_tab="pytorch"), source)
    assert [t.meta["framework"] for t in of_type(tokens, "fence")] == ["pytorch"]
    assert problems(env) == []


def page(content: Path, rel: str, text: str) -> SourcePage:
    (content / rel).write_text(text, encoding="utf-8")
    result = read_page(content / rel, content)
    assert isinstance(result, SourcePage), result
    return result


def test_prose_tabs_on_a_bare_parser() -> None:
    md = MarkdownIt("commonmark").use(d2l_prose_tabs_plugin)
    source = ":begin_tab:`mxnet`\nText *a*.\n:end_tab:\n\n:begin_tab:`pytorch, jax`\nText b.\n:end_tab:\n"
    tokens, env = parse(md, source)
    assert [t.meta["label"] for t in of_type(tokens, "tab_open")] == ["mxnet", "pytorch", "jax"]
    assert [t.map for t in of_type(tokens, "tab_open")] == [[0, 3], [4, 7], [4, 7]]
    assert "<p>Text <em>a</em>.</p>" in md.render(source)
    assert problems(env) == []


def test_prose_tabs_with_named_frameworks_follow_their_order_and_labels() -> None:
    names = TabNames.of([("pytorch", "PyTorch", ["torch"]), ("mxnet", "MXNet", [])])
    md = MarkdownIt("commonmark").use(d2l_prose_tabs_plugin, names=names)
    source = ":begin_tab:`mxnet`\na\n:end_tab:\n:begin_tab:`torch`\nb\n:end_tab:\n"
    tokens, _ = parse(md, source)
    assert [(t.meta["label"], t.meta["framework"]) for t in of_type(tokens, "tab_open")] == [
        ("PyTorch", "pytorch"),
        ("MXNet", "mxnet"),
    ]


def test_roles_carry_their_role_targets_and_line() -> None:
    md = MarkdownIt("commonmark").use(d2l_roles_plugin)
    source = "Intro.\n\nAs in :numref:`sec_a`\nand :cite:`Gauss.1809, Legendre.1805` (:eqref:``eq_b``).\n"
    tokens, env = parse(md, source)
    roles = children(tokens, "d2l_role")
    assert [(r.meta, r.map) for r in roles] == [
        ({"role": "numref", "target": "sec_a"}, [2, 3]),
        ({"role": "cite", "targets": ["Gauss.1809", "Legendre.1805"]}, [3, 4]),
        ({"role": "eqref", "target": "eq_b"}, [3, 4]),
    ]
    assert '<span class="d2l-role d2l-numref">sec_a</span>' in md.render(source)
    assert problems(env) == []


def test_a_reference_may_give_its_own_text_as_in_sphinx() -> None:
    md = MarkdownIt("commonmark").use(d2l_roles_plugin)
    tokens, _ = parse(md, "See :ref:`the model <sec_model>`.\n")
    assert [r.meta for r in children(tokens, "d2l_role")] == [
        {"role": "ref", "target": "sec_model", "title": "the model"}
    ]


def test_unknown_roles_and_unclosed_ones_stay_text() -> None:
    md = MarkdownIt("commonmark").use(d2l_roles_plugin)
    assert md.render(":class:`Foo` and :numref:`open\n") == (
        "<p>:class:<code>Foo</code> and :numref:`open</p>\n"
    )


MARKED = (
    "## Model\n:label:`sec_model`\n\n"
    "$$y = wx$$\n:eqlabel:`eq_y`\n\n"
    "![A fit.](fit.svg)\n:width:`300px`\n:height:`200px`\n:label:`fig_fit`\n\n"
    ":Data\n\n|a|\n|-|\n|1|\n:label:`tab_data`\n"
)


def test_marks_go_into_the_open_token_of_the_block_before_them() -> None:
    md = (
        MarkdownIt("commonmark")
        .enable("table")
        .use(math_plugin)
        .use(d2l_marks_plugin)
        .use(d2l_figures_plugin)
        .use(d2l_table_captions_plugin)
    )
    tokens, env = parse(md, MARKED)
    assert problems(env) == []
    heading, formula = of_type(tokens, "heading_open")[0], tokens[3]
    figure, table = of_type(tokens, "figure_open")[0], of_type(tokens, "table_open")[0]
    assert heading.meta == {"label": "sec_model"}
    assert (formula.type, formula.info, formula.meta["label"], formula.map) == (
        "math_block_label",
        "eq_y",
        "eq_y",
        [3, 4],
    )
    assert figure.meta == {
        "src": "fit.svg",
        "caption": "A fit.",
        "title": "",
        "width": "300px",
        "height": "200px",
        "label": "fig_fit",
    }
    assert figure.map == [6, 7]
    assert table.meta == {"caption": "Data", "label": "tab_data"}
    assert of_type(tokens, "d2l_marks") == [] and of_type(tokens, "paragraph_open") == []
    html = md.render(MARKED)
    assert '<img src="fit.svg" alt="A fit." style="width: 300px; height: 200px">' in html
    assert '<table id="tab_data">\n<caption>Data</caption>' in html


def test_marks_attach_whichever_plugin_is_used_first() -> None:
    orders = [
        (d2l_figures_plugin, d2l_table_captions_plugin, d2l_marks_plugin),
        (d2l_marks_plugin, d2l_table_captions_plugin, d2l_figures_plugin),
        (d2l_table_captions_plugin, d2l_marks_plugin, d2l_figures_plugin),
    ]
    for order in orders:
        md = MarkdownIt("commonmark").enable("table").use(math_plugin)
        for plugin in order:
            md.use(plugin)
        tokens, env = parse(md, MARKED)
        assert of_type(tokens, "figure_open")[0].meta["label"] == "fig_fit"
        assert of_type(tokens, "table_open")[0].meta["label"] == "tab_data"
        assert problems(env) == []


def test_a_mark_with_nothing_to_attach_to_is_a_warning_with_its_line() -> None:
    md = MarkdownIt("commonmark").use(d2l_marks_plugin)
    _, env = parse(md, "Text.\n\n:label:`x`\n")
    assert md.render("Text.\n\n:label:`x`\n") == "<p>Text.</p>\n"
    assert problems(env) == [
        (
            2,
            "warning",
            "':label:`x`' has nothing to attach to: put it right after a heading, a figure,"
            " a table or a display formula",
        )
    ]


def test_a_figure_needs_an_image_alone_in_its_paragraph() -> None:
    md = MarkdownIt("commonmark").use(d2l_figures_plugin)
    html = md.render('![A *b* c](x.png "T")\n\nAn ![icon](i.png) here.\n')
    assert html == (
        '<figure>\n<img src="x.png" alt="A b c" title="T">\n'
        "<figcaption>A <em>b</em> c</figcaption>\n</figure>\n"
        '<p>An <img src="i.png" alt="icon" /> here.</p>\n'
    )


def test_slide_marks_render_their_text_or_nothing() -> None:
    md = MarkdownIt("commonmark").use(d2l_slide_marks_plugin)
    html = md.render("(**a *b***) [**c**] [~~d~~] (~~e~~) [**f**](g) (**open\n")
    assert html == '<p>a <em>b</em> c   <a href="g"><strong>f</strong></a> (**open</p>\n'


def test_eval_rst_raw_file_only_html_and_the_rest() -> None:
    md = MarkdownIt("commonmark").use(d2l_eval_rst_plugin)
    source = (
        "```eval_rst\n.. raw:: html\n   :file: front.html\n\n.. only:: html\n\n   ## Refs\n\n"
        ".. toctree::\n   a\n```\n"
    )
    tokens, env = parse(md, source)
    assert [(t.type, t.map) for t in tokens if t.block and t.nesting >= 0] == [
        ("d2l_raw_file", [1, 4]),
        ("heading_open", [6, 7]),
        ("inline", [6, 7]),
        ("fence", [8, 10]),
    ]
    assert tokens[0].meta == {"file": "front.html"}
    assert problems(env) == [
        (
            8,
            "warning",
            "'.. toctree::' in an eval_rst block is not supported"
            " (only '.. raw:: html' and '.. only:: html' are read)",
        )
    ]
    tokens[0].meta["html"] = "<b>front</b>"  # what the site reads from the file
    assert md.renderer.render(tokens, md.options, {}).startswith("<b>front</b><h2>Refs</h2>")


def test_toc_blocks_list_their_entries() -> None:
    md = MarkdownIt("commonmark").use(d2l_toc_plugin)
    tokens, env = parse(
        md, "# Book\n\n```toc\n:maxdepth: 2\n:numbered:\n\nch_a/index\nch_b/index\n```\n"
    )
    toc = of_type(tokens, "d2l_toc")
    assert [(t.meta, t.map) for t in toc] == [
        (
            {
                "maxdepth": 2,
                "numbered": True,
                "entries": ["ch_a/index", "ch_b/index"],
                "options": {"maxdepth": "2", "numbered": ""},
            },
            [2, 9],
        )
    ]
    tokens, env = parse(md, "```toc\n:numbered: 2\n\nchapter_preface/index\n```\n")
    assert [(t.meta["maxdepth"], t.meta["numbered"]) for t in tokens] == [(0, 2)]
    tokens, env = parse(md, "```toc\nchapter_preface/index\n```\n")
    assert [(t.meta["maxdepth"], t.meta["numbered"]) for t in tokens] == [(0, False)]
    assert problems(env) == []
    assert md.render("```toc\na\n```\n") == ""


def test_the_bibliography_line() -> None:
    md = MarkdownIt("commonmark").use(d2l_bibliography_plugin)
    tokens, _ = parse(md, "References\n:bibliography:`../d2l.bib`\n")
    assert [(t.meta, t.map) for t in of_type(tokens, "d2l_bibliography")] == [
        ({"file": "../d2l.bib"}, [1, 2])
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("```{.python .input}\nx\n```\n", True),
        ("# T\n\n  ```{.python .input  n=3}\nx\n```\n", True),
        ("```python\nx\n```\n{.python .input}\n", False),
        ("```{.python}\nx\n```\n", False),
    ],
)
def test_is_d2l_source(source: str, expected: bool) -> None:
    assert is_d2l_source(source) is expected


def test_d2l_plugin_uses_them_all_on_a_bare_parser() -> None:
    md = MarkdownIt("commonmark").use(d2l_plugin, default_tab="mxnet")
    source = "## A\n:label:`sec_a`\n\nSee :numref:`sec_a`.\n\n```{.python .input}\nx\n```\n"
    tokens, env = parse(md, source)
    assert of_type(tokens, "heading_open")[0].meta == {"label": "sec_a"}
    assert children(tokens, "d2l_role")[0].meta == {"role": "numref", "target": "sec_a"}
    assert of_type(tokens, "fence")[0].meta["framework"] == "mxnet"
    assert problems(env) == []
