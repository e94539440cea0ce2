"""The link check: every link, image and anchor of the built site, at its Markdown line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli, write_tree
from xint_site.config import SiteConfig
from xint_site.render.links import SourceLink, source_links
from xint_site.render.site_parser import parser_for

BOOKS = REPO / "tests" / "books"
B = "---\ntitle: B\n---\n\n## There\n\ntext\n"


def pages(body: str) -> dict[str, str | bytes]:
    return {"a.md": "---\ntitle: A\n---\n\n" + body, "b.md": B, "img/ok.png": b"png"}


BROKEN = {
    "a page that does not exist": (
        "Intro.\n\nSee [the other](../b/) and\n[nothing](../nothing/).\n",
        "a.md:8: link to '../nothing/' does not resolve",
    ),
    "an anchor that does not exist": (
        "Intro.\n\n[there](../b/#there) then [nowhere](../b/#nowhere)\n",
        "a.md:7: link to '../b/#nowhere' does not resolve",
    ),
    "an image that does not exist": (
        "Intro.\n\n![ok](../img/ok.png)\n\n![gone](../img/gone.png)\n",
        "a.md:9: image '../img/gone.png' does not resolve",
    ),
    "an anchor of the page itself, in raw HTML": (
        '## Intro\n\ntext\n\n<div>\n<a href="#intro">up</a>\n<a href="#nope">x</a>\n</div>\n',
        "a.md:11: link to '#nope' does not resolve",
    ),
    "a root-relative link inside a tab set": (
        ":::: tab-set\n::: tab MXNet\ntext\n\n[b](/b/) and [c](/c/)\n:::\n::::\n",
        "a.md:9: link to '/c/' does not resolve",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_link_is_a_warning_at_its_markdown_line(case: str, tmp_path: Path) -> None:
    body, expected = BROKEN[case]
    write_tree(tmp_path / "content", pages(body))
    out = tmp_path / "out"
    result = run_cli("build", "content", "-o", "out", "--no-execute", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = [ln for ln in result.stderr.splitlines() if "does not resolve" in ln]
    assert warnings == [f"content/{expected}"]
    assert (out / "a" / "index.html").is_file(), "a warning does not stop the site"


@pytest.mark.slow
@pytest.mark.parametrize("case", BROKEN)
def test_strict_makes_each_broken_link_an_error(case: str, tmp_path: Path) -> None:
    body, expected = BROKEN[case]
    content = write_tree(tmp_path / "content", pages(body))
    out = tmp_path / "out"
    result = run_cli("build", "content", "-o", "out", "--no-execute", "--strict", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"content/{expected}" in result.stderr.splitlines()
    assert result.stderr.rstrip().endswith("xint-site: 1 error; nothing written")
    assert not out.exists()
    assert (content / "a.md").is_file() and (content / "img" / "ok.png").is_file()


@pytest.mark.slow
def test_strict_reports_every_warning_in_one_run_and_keeps_the_old_site(tmp_path: Path) -> None:
    body = "\n".join(body for body, _ in BROKEN.values())
    content = write_tree(tmp_path / "content", pages(body))
    out = tmp_path / "out"
    first = run_cli("build", "content", "-o", "out", "--no-execute", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = (out / "a" / "index.html").read_bytes()
    (content / "b.md").write_text(B + "\nchanged\n", encoding="utf-8")
    result = run_cli("build", "content", "-o", "out", "--no-execute", "--strict", cwd=tmp_path)
    assert result.returncode == 1
    found = re.findall(r"^content/a\.md:(\d+): (.*) does not resolve$", result.stderr, re.M)
    assert len(found) == len(BROKEN), result.stderr
    assert f"xint-site: {len(BROKEN)} errors; nothing written" in result.stderr
    assert (out / "a" / "index.html").read_bytes() == before
    assert "changed" not in (out / "b" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_strict_true_in_xint_yml_is_strict(tmp_path: Path) -> None:
    files = pages("[nothing](../nothing/)\n")
    files["xint.yml"] = "strict: true\n"
    write_tree(tmp_path / "content", files)
    result = run_cli("build", "content", "-o", "out", "--no-execute", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/a.md:5: link to '../nothing/' does not resolve" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_strict_turns_other_warnings_into_errors_too(tmp_path: Path) -> None:
    """A symbolic link that leads out of the content folder: a warning, then an error."""
    files = pages("fine\n")
    content = write_tree(tmp_path / "content", files)
    (content / "escape.txt").symlink_to("/etc/hostname")
    lenient = run_cli("build", "content", "-o", "out", "--no-execute", cwd=tmp_path)
    assert lenient.returncode == 0 and "escape.txt: symbolic link" in lenient.stderr
    strict = run_cli("build", "content", "-o", "out", "--no-execute", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert "content/escape.txt: symbolic link" in strict.stderr
    assert "xint-site: 1 error; nothing written" in strict.stderr


@pytest.mark.slow
def test_a_good_site_has_no_link_warning(tmp_path: Path) -> None:
    body = (
        "## Intro\n\n[b](../b/) [there](../b/#there) [self](#intro) ![ok](../img/ok.png)\n"
        "[home](/) [mail](mailto:a@example.org) [ext](https://example.org/x)\n"
    )
    write_tree(tmp_path / "content", pages(body))
    result = run_cli("build", "content", "-o", "out", "--no-execute", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "does not resolve" not in result.stderr


def test_links_of_a_page_carry_their_markdown_lines() -> None:
    md = parser_for(SiteConfig())
    text = (
        '## T\n\na [x](x/) b\nc ![i](i.png)\n\n<p>\n<a href="h.html" name=n>h</a>\n'
        "<img src='j.png' id=\"j\"></p>\n"
    )
    tokens = md.parse(text, {})
    assert source_links(tokens, 10) == (
        SourceLink("t", 10, anchor=True, attribute="id"),
        SourceLink("#t", 10, attribute="href"),  # the heading's permalink
        SourceLink("x/", 12, attribute="href"),
        SourceLink("i.png", 13, image=True, attribute="src"),
        SourceLink("h.html", 16, attribute="href"),
        SourceLink("n", 16, anchor=True, attribute="name"),
        SourceLink("j.png", 17, image=True, attribute="src"),
        SourceLink("j", 17, anchor=True, attribute="id"),
    )


OTHER_WARNINGS = {
    "an id used twice": (
        '## Intro\n\n<div id="intro">x</div>\n',
        "a.md:7: id 'intro' is used twice on the page",
    ),
    "an empty tab": (
        ":::: tab-set\n::: tab MXNet\n:::\n::: tab PyTorch\ntext\n:::\n::::\n",
        "a.md:6: tab 'MXNet' is empty",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", OTHER_WARNINGS)
def test_other_warnings_and_strict(case: str, tmp_path: Path) -> None:
    body, expected = OTHER_WARNINGS[case]
    write_tree(tmp_path / "content", pages(body))
    lenient = run_cli("build", "content", "-o", "out", "--no-execute", cwd=tmp_path)
    assert lenient.returncode == 0, lenient.stderr
    assert lenient.stderr.splitlines()[0] == f"content/{expected}"
    strict = run_cli("build", "content", "-o", "out2", "--no-execute", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert f"content/{expected}" in strict.stderr.splitlines()
    assert not (tmp_path / "out2").exists()


@pytest.mark.slow
def test_strict_fails_on_a_books_broken_references(tmp_path: Path) -> None:
    """The mini book with a reference to no label and a toc entry naming no page."""
    content = tmp_path / "content"
    shutil.copytree(BOOKS / "mini", content)
    index = content / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("chapter_preface/index\n", "chapter_preface/index\nnowhere\n", 1))
    with (content / "chapter_preface" / "index.md").open("a", encoding="utf-8") as page:
        page.write("\nSee :numref:`sec_nowhere`.\n")
    lenient = run_cli("build", "content", "-o", "out", "--no-execute", cwd=tmp_path)
    assert lenient.returncode == 0, lenient.stderr
    strict = run_cli("build", "content", "-o", "out2", "--no-execute", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    lines = strict.stderr.splitlines()
    assert any(re.fullmatch(r"content/index\.md:\d+: toc entry 'nowhere' names no page", ln)
               for ln in lines), strict.stderr  # fmt: skip
    assert any(
        re.fullmatch(r"content/chapter_preface/index\.md:\d+: unknown label 'sec_nowhere'", ln)
        for ln in lines
    ), strict.stderr
    assert not (tmp_path / "out2").exists()


@pytest.mark.slow
def test_a_large_site_is_checked_alike_on_one_core_and_on_two(tmp_path: Path) -> None:
    """200 pages: enough for the check to read them in worker processes at ``-j 2``
    (links to ids of the next page wait until its ids are read); the warnings are the
    same as at ``-j 1``, and the workers end quietly."""
    files: dict[str, str | bytes] = {"xint.yml": "title: T\nsearch: false\n"}
    for i in range(200):
        after = (i + 1) % 200
        files[f"p{i}.md"] = (
            f"---\ntitle: P{i}\nlayout: page\n---\n\n## Part {i}\n\n"
            f"[next](../p{after}/#part-{after}) [no id](../p{after}/#nope)\n"
            f"[no page](../gone{i}/) [here](#part-{i}) [not here](#x{i})\n"
        )
    content = write_tree(tmp_path / "content", files)
    said = []
    for jobs in ("1", "2"):
        result = run_cli("build", content, "-o", tmp_path / f"out{jobs}", "-j", jobs)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        said.append(sorted(line for line in result.stderr.splitlines() if ": link to" in line))
    assert said[0] == said[1]
    assert len(said[0]) == 600
    assert f"{content / 'p7.md'}:8: link to '../p8/#nope' does not resolve" in said[0]
    assert f"{content / 'p7.md'}:9: link to '#x7' does not resolve" in said[0]
