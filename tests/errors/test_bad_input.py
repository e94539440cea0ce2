"""Bad input: ``path:line: message`` on stderr, exit 1, no traceback, nothing written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.slow

GOOD = "---\ntitle: ok\ndate: 2021-01-01\n---\n\nfine\n"


def build_fails(content: Path, out: Path | None = None) -> str:
    out = out or content.parent / "out"
    result = run_cli("build", content, "-o", out, "--no-execute")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists(), "a failed build wrote its output folder"
    return result.stderr


CASES = {
    "bad front matter": (
        {"p.md": "---\ntitle: x\ntags: [a, b\n---\n\ntext\n"},
        r"p\.md:3: invalid front matter: .*",
    ),
    "front matter date": (
        {"p.md": "---\ntitle: x\ndate: yesterday\n---\n"},
        r"p\.md:3: front matter 'date': cannot read 'yesterday' as a date",
    ),
    "unclosed front matter": (
        {"p.md": "---\ntitle: x\n\ntext\n"},
        r"p\.md:1: front matter is not closed",
    ),
    "unclosed html tab set": (
        {
            "p.md": 'intro\n\n<div class="tab-set w3-light-grey">\n<input id=a type=radio>\n'
            '<label for=a>MXNet</label>\n<div class="tab-content">\ntext\n</div>\n'
        },
        r"p\.md:3: tab set is never closed",
    ),
    "unclosed container": (
        {"p.md": ":::: tab-set\n::: tab MXNet\n```python\nx\n```\n:::\n"},
        r"p\.md:1: '::::' container is never closed",
    ),
    "unknown config key": (
        {"xint.yml": "title: t\nthem: dark\n", "p.md": GOOD},
        r"xint\.yml:2: unknown key 'them' \(known: .*theme.*\)",
    ),
    "unknown framework key": (
        {"xint.yml": "frameworks:\n  - id: jax\n    kernal: x\n", "p.md": GOOD},
        r"xint\.yml:3: unknown key 'kernal'",
    ),
    "invalid formula": (
        {"p.md": "line one\n\nthen $\\frac{1}{$ here\n"},
        r"p\.md:3: invalid formula: .*",
    ),
    "invalid display formula in html": (
        {"p.md": "<div>\n$$\n\\foo x\n$$\n</div>\n"},
        r"p\.md:2: invalid formula: Unknown command \"\\foo\"",
    ),
    "duplicate tab label": (
        {"p.md": ":::: tab-set\n::: tab PyTorch\na\n:::\n::: tab torch\nb\n:::\n::::\n"},
        r"p\.md:5: tab 'torch' appears twice in one tab set \(first on line 2\)",
    ),
    "non-utf8 file": (
        {"p.md": "title\n\ncaf\xe9\n".encode("latin-1")},
        r"p\.md:3: not UTF-8 text \(byte 0xe9\)",
    ),
    "permalink outside the output": (
        {"p.md": "---\ntitle: x\npermalink: ../../etc/\n---\n"},
        r"p\.md:3: permalink '\.\./\.\./etc/' contains '\.\.' or '\.'",
    ),
    "template that does not parse": (
        {"p.md": GOOD, "_theme/templates/post.html": '{% extends "base.html" %}\n{{ page.title\n'},
        r"_theme/templates/post\.html:2: template: unexpected end of template",
    ),
    "layout whose template does not parse": (
        {
            "p.md": "---\ntitle: ok\nlayout: wide\n---\n\nfine\n",
            "_theme/templates/wide.html": '{% extends "page.html" %}\n{{ page.title }\n',
        },
        r"_theme/templates/wide\.html:2: template: unexpected '}'",
    ),
    "template that fails while rendering": (
        {
            "p.md": GOOD,
            "_theme/templates/post.html": '{% extends "base.html" %}\n'
            "{% block main %}\n{{ page.nope.deeper }}\n{% endblock %}\n",
        },
        r"_theme/templates/post\.html:3: template: 'dict object' has no attribute 'nope'",
    ),
    "misspelt framework in a fence": (
        {"p.md": "```python pytroch\nx\n```\n"},
        r"p\.md:1: unknown framework or cell option 'pytroch'",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_is_reported_with_path_and_line(case: str, site_dir) -> None:
    files, expected = CASES[case]
    content = site_dir(files)
    stderr = build_fails(content)
    assert re.search(rf"^{re.escape(str(content))}/{expected}", stderr, re.M), stderr


def test_missing_content_folder(tmp_path: Path) -> None:
    stderr = build_fails(tmp_path / "nowhere", tmp_path / "out")
    assert f"{tmp_path / 'nowhere'}: content folder not found" in stderr


def test_every_error_of_the_build_is_reported(site_dir) -> None:
    content = site_dir(
        {
            "a.md": "---\ntitle: [\n---\n",
            "b.md": "$\\frac{$ and\n\n$$\n\\nope\n$$\n",
            "xint.yml": "titel: x\n",
        }
    )
    stderr = build_fails(content)
    lines = [ln for ln in stderr.splitlines() if ln.startswith(str(content))]
    assert len(lines) == 4, stderr
    assert stderr.rstrip().endswith("4 errors; nothing written")


def test_a_label_given_twice_is_a_warning_at_both_lines_in_a_site_that_is_no_book(
    site_dir,
) -> None:
    """Not only a book's labels: the warning names the Markdown lines (the link check's
    own warning, about the page's HTML, cannot)."""
    content = site_dir({"p.md": "---\ntitle: L\n---\n\n$$x$$ (eq)\n\n$$y$$ (eq)\n"})
    result = run_cli("build", content, "-o", content.parent / "out", "--no-execute")
    assert result.returncode == 0, result.stderr
    page = content / "p.md"
    assert f"{page}:7: label 'eq' is defined twice: here and at {page}:5\n" in result.stderr


def test_failed_build_keeps_the_previous_site(site_dir) -> None:
    content = site_dir({"p.md": GOOD})
    out = content.parent / "out"
    assert run_cli("build", content, "-o", out, "--no-execute").returncode == 0
    before = (out / "2021/01/01/p/index.html").read_bytes()
    (content / "p.md").write_text("$\\frac{$\n")
    result = run_cli("build", content, "-o", out, "--no-execute")
    assert result.returncode == 1
    assert (out / "2021/01/01/p/index.html").read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["content", "out"]


def test_front_matter_is_html_escaped(site_dir) -> None:
    content = site_dir(
        {
            "p.md": "---\ntitle: <script>alert(1)</script>\ndate: 2021-01-01\n"
            'tags: ["<b>x</b>"]\n---\n'
        }
    )
    out = content.parent / "out"
    assert run_cli("build", content, "-o", out, "--no-execute").returncode == 0
    for rel in ("2021/01/01/p/index.html", "index.html"):
        html = (out / rel).read_text()
        assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>x</b>" not in html
