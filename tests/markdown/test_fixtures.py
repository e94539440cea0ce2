"""Parser and renderer goldens: dot-fixture files of Markdown in, HTML fragment out.

Regenerate after a reviewed change with ``XINT_UPDATE_GOLDENS=1 make test``.

Highlighted code is compared without Pygments' token classes: which class a token
gets (``n`` or ``nv``, where a token ends) is Pygments' choice and changes between
its releases; the code, its escaping and our markup around it are ours, and a
block that was highlighted must still be.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from tests.conftest import UPDATE_GOLDENS
from xint_site.config import SiteConfig
from xint_site.render.site_parser import parser_for

FIXTURES = Path(__file__).parent / "fixtures"
WARNINGS = {  # the goldens that show what a warning is about
    "html: prose tabs with p, ul and img, and an empty tab": [
        "tab 'Python Shell' is empty",
        "tab 'IPython' is empty",
    ],
}
CODE = re.compile(r"(<pre><code>)(.*?)(</code></pre>)", re.S)
TOKEN = re.compile(r'<span class="[^"<>]*">|</span>')
CASES = [
    pytest.param(path, line, title, source, expected, id=f"{path.stem}:{line}")
    for path in sorted(FIXTURES.glob("*.md"))
    if path.stem != "d2l"  # d2l-book's Markdown: tests/markdown/test_d2l_fixtures.py
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
    assert [p.message for p in problems] == WARNINGS.get(title, []), title
    if UPDATE_GOLDENS:
        _update(path, source, html)
        return
    assert without_token_classes(html) == without_token_classes(expected), title
    assert highlighted(html) == highlighted(expected), title


def without_token_classes(html: str) -> str:
    return CODE.sub(lambda m: m[1] + TOKEN.sub("", m[2]) + m[3], html)


def highlighted(html: str) -> list[bool]:
    """Per code block, whether Pygments marked it up."""
    return [bool(TOKEN.search(m[2])) for m in CODE.finditer(html)]


def _update(path: Path, source: str, html: str) -> None:
    text = path.read_text(encoding="utf-8")
    old = f".\n{source}.\n"
    start = text.index(old) + len(old)
    end = text.index("\n.\n", start - 1) + 1 if not text[start:].startswith(".\n") else start
    path.write_text(text[:start] + html + text[end:], encoding="utf-8")
