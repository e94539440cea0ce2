"""Parser and renderer goldens: dot-fixture files of Markdown in, HTML fragment out.

Regenerate after a reviewed change with ``XINT_UPDATE_GOLDENS=1 make test``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from tests.conftest import UPDATE_GOLDENS
from xint_site.config import SiteConfig
from xint_site.render.site_parser import parser_for

FIXTURES = Path(__file__).parent / "fixtures"
CASES = [
    pytest.param(path, line, title, source, expected, id=f"{path.stem}:{line}")
    for path in sorted(FIXTURES.glob("*.md"))
    for line, title, source, expected in read_fixture_file(path)
]


def render(source: str) -> tuple[str, list]:
    md = parser_for(SiteConfig())
    env: dict = {}
    html = md.render(source, env)
    return html, env.get("problems", [])


@pytest.mark.parametrize(("path", "line", "title", "source", "expected"), CASES)
def test_fixture(path: Path, line: int, title: str, source: str, expected: str) -> None:
    html, problems = render(source)
    assert problems == [], title
    if UPDATE_GOLDENS:
        _update(path, source, html)
        return
    assert html == expected, title


def _update(path: Path, source: str, html: str) -> None:
    text = path.read_text(encoding="utf-8")
    old = f".\n{source}.\n"
    start = text.index(old) + len(old)
    end = text.index("\n.\n", start - 1) + 1 if not text[start:].startswith(".\n") else start
    path.write_text(text[:start] + html + text[end:], encoding="utf-8")
