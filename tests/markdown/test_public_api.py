"""The plugins as a public API: each one on a bare ``MarkdownIt("commonmark")``,
with its default options and no xint-site config, as a user of another tool
would write it."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
from typing import Any

from markdown_it import MarkdownIt

import xint_site.markdown
from xint_site.markdown import (
    MAX_BLOCK_DEPTH,
    Problem,
    TabNames,
    cells_plugin,
    code_plugin,
    make_parser,
    math_plugin,
    nesting_limit_plugin,
    output_block_plugin,
    tab_sets_plugin,
)

Env = dict[str, Any]


def render(md: MarkdownIt, source: str) -> tuple[str, Env]:
    env: Env = {}
    return md.render(source, env), env


def problems(env: Env) -> list[tuple[int, str]]:
    found = env.get("problems", [])
    assert all(isinstance(p, Problem) and p.path == "" for p in found)
    return [(p.line, p.message) for p in found]


def tab_metas(md: MarkdownIt, source: str) -> list[tuple[str, str, str | None, bool]]:
    return [
        (t.type, t.meta["label"], t.meta["framework"], t.meta["checked"])
        for t in md.parse(source, {})
        if t.type == "tab_open"
    ]


def tab_html(n: int, label: str, framework: str, checked: bool = False) -> str:
    """The radio input, label and panel opening of tab ``n`` of the first set."""
    at = f"tab-set--0-input--{n}"
    return (
        f'<input{" checked" if checked else ""} id="{at}" name="tab-set--0" type="radio"'
        f' data-framework="{framework}">\n'
        f'<label for="{at}" id="tab-set--0-tab--{n}">{label}</label>\n'
        f'<div class="tab-content w3-padding" id="tab-set--0-panel--{n}"'
        f' data-framework="{framework}" data-label="{label}">\n'
    )


SET_OPEN = '<div class="tab-set w3-light-grey" id="tab-set--0">\n'


def test_every_public_name_is_listed_and_importable() -> None:
    assert sorted(xint_site.markdown.__all__) == sorted(set(xint_site.markdown.__all__))
    for name in xint_site.markdown.__all__:
        assert getattr(xint_site.markdown, name) is not None, name
    assert {"tab_sets_plugin", "cells_plugin", "output_block_plugin", "math_plugin"} <= set(
        xint_site.markdown.__all__
    )
    assert {"code_plugin", "nesting_limit_plugin", "TabNames"} <= set(xint_site.markdown.__all__)


def test_the_usage_example_in_the_module_docstring_runs() -> None:
    result = doctest.testmod(xint_site.markdown)
    assert result.attempted > 0 and result.failed == 0


def test_importing_the_plugins_starts_no_jupyter_and_loads_no_pygments() -> None:
    heavy = ["jupyter_client", "nbclient", "ipykernel", "nbformat", "zmq", "jinja2", "pygments"]
    code = (
        "import sys, json, xint_site.markdown\n"
        f"heavy = {heavy!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_tab_sets_of_fences_each_word_names_its_tab() -> None:
    md = MarkdownIt("commonmark").use(tab_sets_plugin)
    source = "```python PyTorch\nx = 1\n```\n```python jax\nx = 2\n```\n"
    html, env = render(md, source)
    assert html == (
        SET_OPEN
        + tab_html(1, "PyTorch", "pytorch", checked=True)
        + '<pre><code class="language-python">x = 1\n</code></pre>\n</div>\n'
        + tab_html(2, "jax", "jax")
        + '<pre><code class="language-python">x = 2\n</code></pre>\n</div>\n'
        + "</div>\n"
    )
    assert tab_metas(md, source) == [
        ("tab_open", "PyTorch", "pytorch", True),
        ("tab_open", "jax", "jax", False),
    ]
    assert problems(env) == []


def test_tab_sets_of_containers_any_label_is_a_tab() -> None:
    md = MarkdownIt("commonmark").use(tab_sets_plugin)
    source = (
        ":::: tab-set\n::: tab PyTorch\nSome *prose*\n:::\n"
        "::: tab Python Shell\n```\n$ ls\n```\n:::\n::::\n"
    )
    html, env = render(md, source)
    assert html == (
        SET_OPEN
        + tab_html(1, "PyTorch", "pytorch", checked=True)
        + "<p>Some <em>prose</em></p>\n</div>\n"
        + tab_html(2, "Python Shell", "python shell")
        + "<pre><code>$ ls\n</code></pre>\n</div>\n"
        + "</div>\n"
    )
    assert [t.type for t in md.parse(source, {}) if t.type.startswith("tab")] == [
        "tab_set_open",
        "tab_open",
        "tab_close",
        "tab_open",
        "tab_close",
        "tab_set_close",
    ]
    assert problems(env) == []


def test_tab_sets_in_raw_html_keep_their_checked_tab_and_escape_labels() -> None:
    md = MarkdownIt("commonmark").use(tab_sets_plugin)
    source = (
        '<div class="tab-set w3-light-grey">\n'
        '  <input id="a" name="s" type="radio">\n  <label for="a">MXNet</label>\n'
        '  <div class="tab-content w3-padding">\n\n  Text *here*\n\n  </div>\n'
        '  <input checked id="b" name="s" type="radio">\n  <label for="b">"Q"</label>\n'
        '  <div class="tab-content w3-padding">\n  b\n  </div>\n'
        "</div>\n"
    )
    html, env = render(md, source)
    assert html == (
        SET_OPEN
        + tab_html(1, "MXNet", "mxnet")
        + "<p>Text <em>here</em></p>\n</div>\n"
        + tab_html(2, "&quot;Q&quot;", "&quot;q&quot;", checked=True)
        + "<p>b</p>\n</div>\n"
        + "</div>\n"
    )
    assert tab_metas(md, source) == [
        ("tab_open", "MXNet", "mxnet", False),
        ("tab_open", '"Q"', '"q"', True),
    ]
    assert problems(env) == []


def test_tab_sets_report_a_label_twice_in_one_set_ignoring_case() -> None:
    md = MarkdownIt("commonmark").use(tab_sets_plugin)
    source = ":::: tab-set\n::: tab JAX\na\n:::\n::: tab jax\nb\n:::\n::::\n"
    _, env = render(md, source)
    assert problems(env) == [(4, "tab 'jax' appears twice in one tab set (first on line 2)")]


def test_tab_sets_with_named_frameworks_use_their_labels() -> None:
    names = TabNames.of([("pytorch", "PyTorch", ["torch"])])
    md = MarkdownIt("commonmark").use(tab_sets_plugin, names=names)
    source = ":::: tab-set\n::: tab torch\na\n:::\n::: tab Python Shell\nb\n:::\n::::\n"
    assert tab_metas(md, source) == [
        ("tab_open", "PyTorch", "pytorch", True),
        ("tab_open", "Python Shell", None, False),
    ]


def test_cells_every_python_fence_is_a_cell() -> None:
    md = MarkdownIt().use(cells_plugin)  # the parser of the bug report: no tab sets, no names
    source = "```python\na = 1\n```\n\n```js\nb\n```\n\n```py skip\nc\n```\n"
    html, env = render(md, source)
    assert html == (
        '<pre><code class="language-python">a = 1\n</code></pre>\n'
        '<pre><code class="language-js">b\n</code></pre>\n'
        '<pre><code class="language-py">c\n</code></pre>\n'
    )
    fences = [t.meta for t in md.parse(source, {}) if t.type == "fence"]
    assert fences == [
        {"cell": 0, "framework": None, "options": []},
        {},
        {"cell": 1, "framework": None, "options": ["skip"]},
    ]
    assert env["cell_count"] == 2
    assert problems(env) == []


def test_cells_in_tabs_belong_to_the_tab_whichever_plugin_comes_first() -> None:
    source = (
        ":::: tab-set\n::: tab PyTorch\n```python\nx = 1\n```\n:::\n"
        "::: tab JAX\n```python pytorch\ny\n```\n:::\n::::\n"
    )
    for md in (
        MarkdownIt("commonmark").use(cells_plugin).use(tab_sets_plugin),
        MarkdownIt("commonmark").use(tab_sets_plugin).use(cells_plugin),
    ):
        env: Env = {}
        fences = [t.meta for t in md.parse(source, env) if t.type == "fence"]
        assert fences == [
            {"cell": 0, "framework": "pytorch", "options": []},
            {"cell": 1, "framework": "jax", "options": []},
        ]
        assert problems(env) == [(7, "a pytorch fence in the JAX tab")]


def test_cells_with_named_frameworks_leave_prose_tabs_unrun() -> None:
    names = TabNames.of([("pytorch", "PyTorch", []), ("jax", "JAX", [])])
    md = MarkdownIt("commonmark").use(tab_sets_plugin, names=names).use(cells_plugin, names=names)
    source = (
        ":::: tab-set\n::: tab PyTorch\n```python jax\nx\n```\n:::\n"
        "::: tab Python Shell\n```python\n>>> 1\n```\n:::\n::::\n"
    )
    env: Env = {}
    fences = [t.meta for t in md.parse(source, env) if t.type == "fence"]
    assert fences == [{"cell": 0, "framework": "pytorch", "options": []}, {}]
    assert problems(env) == [(2, "a JAX fence in the PyTorch tab")]


def test_output_blocks_are_escaped_once_and_belong_to_the_cell_above() -> None:
    md = MarkdownIt("commonmark").use(output_block_plugin).use(cells_plugin)
    source = "```python\na\n```\n<output>\na < b &lt; c\n</output>\n\n<output><b>x</b></output>\n"
    html, env = render(md, source)
    assert html == (
        '<pre><code class="language-python">a\n</code></pre>\n'
        '<output class="output-text">a &lt; b &lt; c</output>\n'
        '<output class="output-html"><b>x</b></output>\n'
    )
    blocks = [t.meta for t in md.parse(source, {}) if t.type == "output_block"]
    assert blocks == [
        {"html": False, "text": "a < b < c", "of_cells": [0], "framework": None},
        {"html": True, "text": "<b>x</b>", "of_cells": [0], "framework": None},
    ]
    assert problems(env) == []


def test_an_output_block_never_closed_is_reported_and_shown_as_html() -> None:
    md = MarkdownIt("commonmark").use(output_block_plugin)
    html, env = render(md, "text\n\n<output>\n1\n")
    assert html == "<p>text</p>\n<output>\n1\n"
    assert problems(env) == [(2, "<output> is never closed: add </output>")]


def test_math_without_an_engine_keeps_the_latex_escaped_for_the_browser() -> None:
    md = MarkdownIt("commonmark").use(math_plugin)
    source = "So $a<b$ and\n\n$$\\frac{1}{2}$$\n\n<div>$x$</div>\n"
    html, env = render(md, source)
    assert html == (
        '<p>So <span class="math">\\(a&lt;b\\)</span> and</p>\n'
        '<div class="math-display"><span class="math">\\[\\frac{1}{2}\\]</span></div>\n'
        '<div><span class="math">\\(x\\)</span></div>\n'
    )
    tokens = md.parse(source, {})
    assert [t.type for t in tokens if t.type.startswith("math")] == ["math_block"]
    inline = [c.type for t in tokens if t.children for c in t.children]
    assert "math_inline" in inline
    assert problems(env) == []


def test_math_too_deep_for_any_engine_is_reported_with_its_line() -> None:
    md = MarkdownIt("commonmark").use(math_plugin)
    formula = "{" * 150
    html, env = render(md, f"a\n\nb ${formula}$\n")
    assert f'<code class="math-error">{formula}</code>' in html
    assert problems(env) == [(2, "formula nested too deeply (more than 100 levels)")]


def test_code_without_a_highlighter_is_escaped_and_marks_cells() -> None:
    md = MarkdownIt("commonmark").use(code_plugin)
    html, env = render(md, "```python\nif a < b: pass\n```\n\n```\nplain\n```\n")
    assert html == (
        '<div class="highlight" data-lang="python"><pre><code>if a &lt; b: pass</code></pre></div>\n'
        '<div class="highlight"><pre><code>plain</code></pre></div>\n'
    )
    with_cells = MarkdownIt("commonmark").use(cells_plugin).use(code_plugin)
    assert 'data-cell="0"' in with_cells.render("```python\nx\n```\n")
    assert problems(env) == []


def test_the_nesting_limit_reports_blocks_past_it_instead_of_dropping_them() -> None:
    md = MarkdownIt("commonmark").use(nesting_limit_plugin)
    html, env = render(md, ">" * (MAX_BLOCK_DEPTH + 10) + " deep\n")
    assert html.count("<blockquote>") == MAX_BLOCK_DEPTH + 1
    assert "deep" not in html
    message = "blocks nested too deeply (more than 50 levels of lists, quotes, tab sets and tabs)"
    assert problems(env) == [(0, message)]
    shallow = MarkdownIt("commonmark").use(nesting_limit_plugin)
    html, env = render(shallow, "> " * 30 + "fine\n")
    assert "<p>fine</p>" in html and problems(env) == []


def test_make_parser_has_every_plugin_with_its_defaults() -> None:
    md = make_parser()
    html, env = render(md, "```python jax\nx\n```\n<output>1</output>\n\n$y$\n")
    assert html == (
        SET_OPEN
        + tab_html(1, "jax", "jax", checked=True)
        + '<div class="highlight" data-lang="python" data-cell="0"><pre><code>x</code></pre></div>\n'
        + "</div>\n</div>\n"
        + '<output class="output-text">1</output>\n'
        + '<p><span class="math">\\(y\\)</span></p>\n'
    )
    assert env["cell_count"] == 1 and problems(env) == []


def test_problems_placed_in_a_file_give_its_path_and_1_based_line() -> None:
    _, env = render(MarkdownIt("commonmark").use(output_block_plugin), "a\n\n<output>\n")
    assert [str(p.placed("page.md", 1)) for p in env["problems"]] == [
        "page.md:3: <output> is never closed: add </output>"
    ]
