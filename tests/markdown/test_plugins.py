"""The plugins work on any MarkdownIt instance, with engines passed in."""

from __future__ import annotations

from markdown_it import MarkdownIt

from xint_site.markdown.math import math_plugin
from xint_site.markdown.tab_names import TabNames
from xint_site.markdown.tab_sets import tab_sets_plugin


def test_tab_sets_and_math_on_a_plain_markdown_it() -> None:
    md = (
        MarkdownIt("commonmark", {"html": True})
        .use(tab_sets_plugin, names=TabNames.of([("jax", "JAX", ["j"]), ("numpy", "NumPy", [])]))
        .use(math_plugin, convert=lambda latex, display: f"<m d={int(display)}>{latex}</m>")
    )
    env: dict = {}
    html = md.render("```python j\nx = 1\n```\n```python numpy\nx = 2\n```\n\nSo $x^2$.\n", env)
    assert env.get("problems", []) == []
    assert '<label for="tab-set--0-input--1"' in html and ">JAX</label>" in html
    assert 'data-framework="numpy"' in html
    assert "<m d=0>x^2</m>" in html


def test_a_failing_engine_is_reported_with_its_line() -> None:
    def convert(latex: str, display: bool) -> str:
        raise ValueError("no")

    md = MarkdownIt("commonmark").use(math_plugin, convert=convert)
    env: dict = {}
    md.render("a\n\nb $x$\n", env)
    assert [(p.line, p.message) for p in env["problems"]] == [(2, "invalid formula: no")]
