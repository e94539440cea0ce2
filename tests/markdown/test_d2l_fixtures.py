"""Goldens of d2l-book's Markdown through xint-site's plugins and the d2l plugins (the
default frameworks MXNet, TensorFlow and PyTorch, MXNet the default tab; code escaped,
math left as LaTeX): Markdown in, HTML out, then each problem as
``! severity line: message`` (1-based lines).

Regenerate after a reviewed change with ``XINT_UPDATE_GOLDENS=1 make test``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from tests.conftest import UPDATE_GOLDENS
from xint_site.config import SiteConfig
from xint_site.markdown import TabNames, d2l_plugin, make_parser

FIXTURES = Path(__file__).parent / "fixtures" / "d2l.md"
CASES = [
    pytest.param(title, source, expected, id=f"d2l:{line}")
    for line, title, source, expected in read_fixture_file(FIXTURES)
]


NAMES = TabNames.of((f.id, f.label, f.aliases) for f in SiteConfig().frameworks)


def render(source: str) -> str:
    md = make_parser(NAMES).use(d2l_plugin, names=NAMES, default_tab="mxnet")
    env: dict = {}
    html = md.render(source, env)
    problems = "".join(
        f"! {p.severity} {p.line + 1}: {p.message}\n" for p in env.get("problems", [])
    )
    return html + problems


@pytest.mark.parametrize(("title", "source", "expected"), CASES)
def test_d2l_fixture(title: str, source: str, expected: str) -> None:
    output = render(source)
    if UPDATE_GOLDENS:
        _update(source, output)
        return
    assert output == expected, title


def _update(source: str, output: str) -> None:
    text = FIXTURES.read_text(encoding="utf-8")
    old = f".\n{source}.\n"
    start = text.index(old) + len(old)
    end = text.index("\n.\n", start - 1) + 1 if not text[start:].startswith(".\n") else start
    FIXTURES.write_text(text[:start] + output + text[end:], encoding="utf-8")
