"""YAML with lines: libyaml reads it fast, PyYAML's parser gives the words of an error.

Both must give the same data and the same lines for every document; a document
libyaml refuses is read again by PyYAML, so its error is the one users always saw.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from xint_site.yamlfile import _FAST, YamlError, _Loader, _parse, _with_lines, load_yaml

# Every YAML file and front matter of the repository's sample content and test blogs.
FOLDERS = (
    "content",
    "book",
    "tests/hexo/blog",
    "tests/fixtures",
    "tests/browser/pages",
    "examples",
)
DOCUMENTS = sorted(
    p for folder in FOLDERS for p in (REPO / folder).rglob("*") if p.suffix in (".yml", ".md")
)


def _yaml_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".yml":
        return text
    parts = text.split("---\n", 2)
    return parts[1] if text.startswith("---\n") and len(parts) == 3 else ""


def test_libyaml_is_there() -> None:
    assert yaml.__with_libyaml__, "PyYAML without libyaml: every build reads YAML slowly"
    assert _FAST is not None


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_both_parsers_give_the_same_data_and_lines(path: Path) -> None:
    text = _yaml_of(path)
    assert _FAST is not None
    fast_node, fast = _parse(_FAST, text)
    slow_node, slow = _parse(_Loader, text)
    assert fast == slow
    assert load_yaml(text).lines == _lines_of(slow_node)
    assert (fast_node is None) == (slow_node is None)


def _lines_of(node: yaml.Node | None) -> dict:
    return _with_lines(node, None).lines


def test_lines_of_keys_and_items() -> None:
    doc = load_yaml("title: T\nlist:\n  - a\n  - b: 1\n    c: 2\ndate: 2021-05-04\n")
    assert doc.data["date"] == dt.date(2021, 5, 4)
    assert doc.line(("list", 1, "c")) == 5 and doc.line(("list", 0)) == 3
    assert doc.line(("date",)) == 6 and doc.line(("missing",)) == 1


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            "a: 1\nb: [1, 2\nc: 3\n",
            3,
            "while parsing a flow sequence expected ',' or ']', but got ':'",
        ),
        ("a: 1\n  b: 2\n", 2, "mapping values are not allowed here"),
        ("a: 1\nb: !!int x\n", 2, "cannot read 'x' as int"),
    ],
)
def test_an_error_says_what_pyyaml_says_at_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(YamlError) as error:
        load_yaml(text)
    assert error.value.line == line
    assert words in error.value.message


def test_a_date_that_is_no_date_stays_text() -> None:
    assert load_yaml("date: 2021-13-01\n").data == {"date": "2021-13-01"}


@pytest.mark.slow  # a Python process of its own, where PyYAML has no libyaml
def test_without_libyaml_pyyaml_reads_everything() -> None:
    code = (
        "import yaml; yaml.__with_libyaml__ = False\n"
        "from xint_site.yamlfile import _FAST, YamlError, load_yaml\n"
        "print(_FAST, load_yaml('a: 1\\nb: [x]\\n').lines[('b', 0)])\n"
        "try: load_yaml('a: 1\\nb: [1, 2\\nc: 3\\n')\n"
        "except YamlError as e: print(e.line, e.message)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == [
        "None 2",
        "3 while parsing a flow sequence expected ',' or ']', but got ':'",
    ]
