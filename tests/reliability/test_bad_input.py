"""Bad input that was a traceback, a crash or a silent loss: now ``path:line: message``.

Each case builds through the real CLI and checks what a user sees: exit status 1,
the exact line, no traceback, no crash by signal, nothing written.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_cli, write_tree
from tests.serve.client import Server
from tests.serve.conftest import edit, page
from xint_site.markdown.math_depth import MAX_DEPTH
from xint_site.markdown.nesting import MAX_BLOCK_DEPTH

pytestmark = pytest.mark.slow

GOOD = "---\ntitle: ok\ndate: 2021-01-01\n---\n\nfine\n"


def build(content: Path, *args: str):
    out = content.parent / f"{content.name}-out"
    result = run_cli("build", content, "-o", out, *args)
    assert result.returncode >= 0, f"killed by signal {-result.returncode}"
    assert "Traceback" not in result.stderr, result.stderr
    return result, out


def fails(content: Path) -> list[str]:
    """The build's error lines (exit 1, nothing written), with the content path cut off."""
    result, out = build(content, "--no-execute")
    assert result.returncode == 1, result.stdout + result.stderr
    assert not out.exists(), "a failed build wrote its output folder"
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"xint-site: \d+ errors?; nothing written", lines[-1]), result.stderr
    return [ln.removeprefix(f"{content}/") for ln in lines[:-1]]


def front(*lines: str) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n\ntext\n"


@pytest.mark.parametrize(
    ("date", "reason"),
    [
        ("2021-13-01", "month must be in 1..12"),
        ("2021-12-32", "day is out of range for month"),
        ("2021-02-29 10:00:00", "day is out of range for month"),
        ("2021-12-01 25:00:00", "hour must be in 0..23"),
        ("2021-12-01 10:61:00", "minute must be in 0..59"),
    ],
)
def test_a_date_that_does_not_exist(site_dir, date: str, reason: str) -> None:
    content = site_dir({"p.md": front("title: x", f"date: {date}")})
    assert fails(content) == [
        f"p.md:3: front matter 'date': cannot read '{date}' as a date ({reason})"
    ]


def test_a_date_that_does_not_exist_is_text_elsewhere(site_dir) -> None:
    """Only a key that wants a date minds: a title that looks like one is text."""
    content = site_dir({"p.md": front("title: 2021-13-01", "date: 2021-01-01")})
    result, out = build(content, "--no-execute")
    assert result.returncode == 0, result.stderr
    assert "2021-13-01" in (out / "2021/01/01/p/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ("tags: !!int nine",),
            "p.md:4: invalid front matter: cannot read 'nine' as int: "
            "invalid literal for int() with base 10: 'nine'",
        ),
        (
            ('tags: ["\\udce9"]',),
            "p.md:4: invalid front matter: '\\udce9' is not Unicode text "
            "(it holds a lone surrogate)",
        ),
        (("tags: " + "[" * 3000,), "p.md:2: invalid front matter: nested too deeply"),
    ],
    ids=["int", "lone surrogate", "nested"],
)
def test_yaml_values_that_do_not_construct(site_dir, lines, expected: str) -> None:
    content = site_dir({"p.md": front("title: x", "date: 2021-01-01", *lines)})
    assert fails(content) == [expected]


@pytest.mark.parametrize("key", ["tags", "categories"])
def test_a_nul_in_a_tag_or_category(site_dir, key: str) -> None:
    content = site_dir({"p.md": front("title: x", "date: 2021-01-01", f'{key}: [ok, "a\\0b"]')})
    assert fails(content) == [f"p.md:4: front matter '{key}': 'a\\x00b' contains a NUL character"]


def test_a_nul_in_the_files_a_page_reads(site_dir) -> None:
    content = site_dir({"p.md": front("title: x", 'files: ["data\\0.csv"]')})
    assert fails(content) == [
        "p.md:3: front matter 'files': 'data\\x00.csv' contains a NUL character"
    ]


def test_a_tag_longer_than_a_file_name(site_dir) -> None:
    tag = "深" * 86  # 258 bytes in UTF-8
    content = site_dir({"p.md": front("title: x", "date: 2021-01-01", f"tags: [ok, {tag}]")})
    shown = "深" * 40 + "…"
    assert fails(content) == [
        f"p.md:4: front matter 'tags': '{shown}' is 258 bytes long; a file name holds at most 255"
    ]


def test_a_permalink_part_longer_than_a_file_name(site_dir) -> None:
    content = site_dir({"p.md": front("title: x", f"permalink: /docs/{'b' * 256}/")})
    assert fails(content) == [
        f"p.md:3: front matter 'permalink': '/docs/{'b' * 34}…' has a part that "
        "is 256 bytes long; a file name holds at most 255"
    ]


def test_a_slug_from_the_permalink_pattern_longer_than_a_file_name(site_dir) -> None:
    name = "n" * 100
    content = site_dir(
        {
            "xint.yml": "permalink: :year/:title-:title-:title/\n",
            f"{name}.md": front("title: x", "date: 2021-01-01"),
        }
    )
    assert fails(content) == [
        f"{name}.md:3: permalink '2021/{name}-{name}-{name}/' has a part that "
        "is 302 bytes long; a file name holds at most 255"
    ]


def test_a_page_whose_name_is_not_utf8(site_dir) -> None:
    """An error, not a skip: a skipped page would be missing from a site that built fine.
    The name is shown with its undecodable byte escaped."""
    content = site_dir({"ok.md": GOOD, "img/logo.txt": "logo"})
    name = os.path.join(os.fsencode(content), b"caf\xe9.md")
    with open(name, "wb") as f:
        f.write(b"# Caf\xc3\xa9\n")
    assert fails(content) == [
        "caf\\xe9.md:1: name is not UTF-8: rename it (a page's path becomes its URL)"
    ]
    assert os.path.exists(name)


def deep(n: int, closed: bool = True) -> str:
    return "\\frac{1}{" * n + ("x" + "}" * n if closed else "")


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "unclosed"])
def test_a_formula_nested_too_deeply(site_dir, closed: bool) -> None:
    content = site_dir(
        {
            "p.md": f"intro\n\nthen ${deep(5000, closed)}$ here\n",
            "q.md": f"<div>\n\n$$\n{deep(5000, closed)}\n$$\n</div>\n",
        }
    )
    message = f"formula nested too deeply (more than {MAX_DEPTH} levels)"
    assert fails(content) == [f"p.md:3: {message}", f"q.md:3: {message}"]


def test_a_formula_at_the_depth_limit_renders(site_dir) -> None:
    braces = "{" * MAX_DEPTH + "x" + "}" * MAX_DEPTH
    content = site_dir({"p.md": f"---\ntitle: p\n---\n\n$${deep(MAX_DEPTH - 1)}$$\n\n${braces}$\n"})
    result, out = build(content, "--no-execute")
    assert result.returncode == 0, result.stderr
    html = (out / "p/index.html").read_text(encoding="utf-8")
    assert html.count("<math") == 2 and html.count("<mfrac>") == MAX_DEPTH - 1
    too_deep = f"${braces[:1]}{braces}{braces[-1:]}$"
    deeper = write_tree(content.parent / "deeper", {"p.md": f"---\ntitle: p\n---\n\n{too_deep}\n"})
    assert fails(deeper) == [f"p.md:5: formula nested too deeply (more than {MAX_DEPTH} levels)"]


def test_the_preview_survives_a_formula_nested_too_deeply(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", {"p.md": page("P", "Fine $x$.")})
    server = Server(content, tmp_path / "out", "--no-execute")
    try:
        events = server.events()
        edit(content / "p.md", "Fine $x$.", f"Fine ${deep(5000)}$.")
        _, failed = events.next("failed", timeout=60)
        assert failed["errors"] == [
            f"{content}/p.md:6: formula nested too deeply (more than {MAX_DEPTH} levels)"
        ]
        assert server.proc.poll() is None, "the preview server died"
        assert "Fine" in server.text("/p/")
    finally:
        try:
            server.interrupt()
        finally:
            server.kill()


def nested_tab_sets(n: int, form: str) -> str:
    """``n`` tab sets inside each other, each tab with a line of text and a cell."""
    if form == "container":
        opened = "".join(
            f"{':' * (4 + 2 * (n - i))} tab-set\n{':' * (3 + 2 * (n - i))} tab Notes{i}\n"
            f"level {i}\n```python\nprint({i})\n```\n"
            for i in range(n)
        )
        closed = "".join(
            f"{':' * (3 + 2 * (n - i))}\n{':' * (4 + 2 * (n - i))}\n" for i in reversed(range(n))
        )
    else:
        opened = "".join(
            f'<div class="tab-set w3-light-grey">\n<input id=t{i} type=radio>\n'
            f'<label for=t{i}>Notes{i}</label>\n<div class="tab-content">\n\n'
            f"level {i}\n\n```python\nprint({i})\n```\n\n"
            for i in range(n)
        )
        closed = "</div>\n</div>\n\n" * n
    return f"---\ntitle: p\n---\n\n{opened}deepest\n\n{closed}after all\n"


@pytest.mark.parametrize("form", ["container", "html"])
@pytest.mark.parametrize("depth", [10, MAX_BLOCK_DEPTH // 2])
def test_tab_sets_nested_deeply_keep_every_cell(site_dir, form: str, depth: int) -> None:
    content = site_dir({"p.md": nested_tab_sets(depth, form)})
    result, out = build(content, "--no-execute")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((out / "p/index.html").read_text(encoding="utf-8"), "html.parser")
    text = soup.get_text()
    assert all(f"level {i}" in text for i in range(depth))
    assert len(soup.select("div.tab-set")) == depth
    assert len(soup.select("pre")) == depth
    assert "deepest" in text and "after all" in text


@pytest.mark.parametrize("form", ["container", "html"])
def test_tab_sets_nested_too_deeply(site_dir, form: str) -> None:
    depth = MAX_BLOCK_DEPTH // 2 + 1
    source = nested_tab_sets(depth, form)
    content = site_dir({"p.md": source})
    # the first line inside the set that goes past the limit: its tab, or (HTML) its text
    inside = f"tab Notes{depth - 1}" if form == "container" else f"level {depth - 1}"
    line = next(i for i, ln in enumerate(source.splitlines(), 1) if ln.endswith(inside))
    assert fails(content) == [
        f"p.md:{line}: tab sets nested too deeply "
        f"(more than {MAX_BLOCK_DEPTH} levels of lists, quotes, tab sets and tabs)"
    ]


def test_quotes_nested_too_deeply(site_dir) -> None:
    content = site_dir({"p.md": "intro\n\n" + ">" * 200 + " deep\n"})
    assert fails(content) == [
        f"p.md:3: blocks nested too deeply "
        f"(more than {MAX_BLOCK_DEPTH} levels of lists, quotes, tab sets and tabs)"
    ]


def test_an_unknown_key_suggests_the_documented_spelling(site_dir) -> None:
    content = site_dir({"xint.yml": "title: t\nper-pag: 5\n", "p.md": GOOD})
    (line,) = fails(content)
    assert line.startswith("xint.yml:2: unknown key 'per-pag' (known: "), line
    assert line.endswith("; did you mean 'per_page'?"), line
    assert "per_page" in line and "per-page" not in line and "notebook_timeout" in line


def test_a_documented_key_is_read(site_dir) -> None:
    content = site_dir({"xint.yml": "per_page: 1\n", "a.md": GOOD, "b.md": GOOD})
    result, out = build(content, "--no-execute")
    assert result.returncode == 0, result.stderr
    assert (out / "page/2/index.html").is_file()


RUN_PAGE = "---\ntitle: P\nlayout: page\nexecute: true\n---\n\n```python\nprint(6 * 7)\n```\n"
WRONG_SHAPES = {  # valid JSON, each once a traceback on every build until deleted
    "a list": "[]",
    "cells not a list": json.dumps({"format": 1, "cells": {"0": []}}),
    "text of numbers": json.dumps(
        {"format": 1, "cells": [[{"output_type": "stream", "text": [4, 2]}]]}
    ),
    "data as text": json.dumps(
        {"format": 1, "cells": [[{"output_type": "display_data", "data": "text/html"}]]}
    ),
    "traceback a number": json.dumps(
        {"format": 1, "cells": [[{"output_type": "error", "traceback": 5}]]}
    ),
    "nested deeper than the JSON reader goes": "[" * 100_000 + "]" * 100_000,
}


def test_a_cache_entry_of_the_wrong_shape_is_run_again(site_dir) -> None:
    """One page per shape: each page's notebook has its own entry, so one build checks
    them all (one kernel start instead of one per shape)."""
    names = list(WRONG_SHAPES)
    content = site_dir({f"p{i}.md": RUN_PAGE for i in range(len(names))})
    first, out = build(content)
    assert first.returncode == 0, first.stderr
    entries = {
        json.loads(path.read_text(encoding="utf-8"))["page"]: path
        for path in (content / "_freeze").glob("*/*.json")
    }
    assert sorted(entries) == sorted(f"p{i}.md" for i in range(len(names)))
    for i, name in enumerate(names):
        entries[f"p{i}.md"].write_text(WRONG_SHAPES[name], encoding="utf-8")
    result, out = build(content)
    assert result.returncode == 0, result.stderr
    assert "kept going" not in result.stderr
    for i, name in enumerate(names):
        entry = entries[f"p{i}.md"]
        warning = f"{entry}: cache entry is unreadable; ignored and run again"
        assert warning in result.stderr.splitlines(), (name, result.stderr)
        html = (out / f"p{i}/index.html").read_text(encoding="utf-8")
        assert "<output" in html and "42" in html, name
        stored = json.loads(entry.read_text(encoding="utf-8"))  # run again and stored again
        assert stored["cells"][0][0]["text"] == "42\n", name


def test_a_kernel_output_of_latex_nested_too_deeply(site_dir) -> None:
    """LaTeX a cell displays goes to the same math engine: shown as text, no crash."""
    body = "```python\nfrom IPython.display import Math\nMath(r'" + deep(5000) + "')\n```\n"
    content = site_dir({"p.md": "---\ntitle: P\nlayout: page\nexecute: true\n---\n\n" + body})
    result, out = build(content)
    assert result.returncode == 0, result.stderr
    html = (out / "p/index.html").read_text(encoding="utf-8")
    assert "&lt;IPython.core.display.Math object&gt;" in html


POSTS = {
    "a.md": "---\ntitle: A\ndate: 2021-01-01\n---\n\nx\n",
    "b.md": "---\ntitle: B\ndate: 2021-02-01\n---\n\ny\n",
}


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("archive_dir: ../outside", "archive_dir '../outside' must be a folder inside the site"),
        ("tag_dir: /tags", "tag_dir '/tags' must be a folder inside the site"),
        ("pagination_dir: a/../../b", "pagination_dir 'a/../../b' must be a folder inside"),
        ("category_dir: ''", "category_dir must name a folder"),
        ("agree_rtol: -1", "agree_rtol must be 0 or more"),
    ],
)
def test_a_listing_folder_that_leaves_the_site_is_an_error(
    site_dir, setting: str, message: str
) -> None:
    content = site_dir({"xint.yml": f"per_page: 1\n{setting}\n", **POSTS})
    [error] = fails(content)
    assert error.startswith(f"xint.yml:2: {message}"), error
    assert sorted(p.name for p in content.parent.iterdir()) == ["content"]  # nothing beside


def test_a_hexo_listing_folder_that_leaves_the_site_is_an_error(tmp_path: Path) -> None:
    blog = write_tree(
        tmp_path / "blog",
        {"_config.yml": "title: H\narchive_dir: ../../escape\n"}
        | {f"source/_posts/{name}": text for name, text in POSTS.items()},
    )
    result = run_cli("build", blog, "-o", blog / "public", "--no-execute")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    expected = f"{blog}/_config.yml:2: archive_dir '../../escape' must be a folder inside the site"
    assert expected in result.stderr, result.stderr
    assert not (tmp_path.parent / "escape").exists() and not (blog / "public").exists()


def test_every_file_of_the_plan_stays_inside_the_site() -> None:
    """The last line of defence: a listing folder that escaped the config's check is
    refused where every file of the site gets its owner."""
    import dataclasses
    import datetime as dt

    from xint_site.config import SiteConfig
    from xint_site.pages.frontmatter import FrontMatter
    from xint_site.pages.source import SourcePage
    from xint_site.site.routes import plan_site
    from xint_site.site.urls import PagePlace

    meta = FrontMatter(title="A", date=dt.datetime(2021, 1, 1))
    page = SourcePage(Path("c/a.md"), "a.md", meta, "x\n", 5)
    config = dataclasses.replace(SiteConfig(), archive_dir="../outside")
    routes, errors = plan_site(config, [PagePlace(page, "2021/01/01/a/", True)], {}, [])
    assert errors and all("contains '..'" in str(e) for e in errors), errors
    assert not any(name.startswith("..") for name in routes.files)
