"""Pass one as a whole: which .bib the book reads, and the warnings about it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.book.book_pages import bibliography, heading, outlines, toc
from tests.conftest import run_cli, write_tree
from xint_site.book.config import parse_book_config
from xint_site.book.index import index_book

BIB = "@article{Zhang.2021, author = {Zhang, Aston}, title = {D2L}, journal = {J}, year = {2021}}\n"


def book(content: Path, extra: str = ""):
    config, problems = parse_book_config(f"[project]\ntitle = B\n{extra}", content / "config.ini")
    assert problems == [] and config is not None
    return config


def pages(bib_file: str = "../d2l.bib"):
    return outlines(
        {
            "index.md": [heading(1, "B"), toc("a", "refs/index")],
            "a.md": [heading(1, "A")],
            "refs/index.md": [heading(1, "References"), bibliography(bib_file, line=3)],
        },
        cites={"a.md": ["Zhang.2021"]},
    )


def hrefs():
    return {"index.md": "/index.html", "a.md": "/a.html", "refs/index.md": "/refs/index.html"}


def test_the_bibfile_of_config_ini_is_read(tmp_path):
    write_tree(tmp_path, {"refs.bib": BIB})
    index, problems = index_book(
        book(tmp_path, "[pdf]\nbibfile = refs.bib\n"), pages(), hrefs(), tmp_path
    )
    assert problems == []
    assert index.citations.works["Zhang.2021"].label == "Zhang, 2021"
    assert index.citations.href == "/refs/index.html"


def test_without_bibfile_the_bibliography_pages_file_is_read(tmp_path):
    write_tree(tmp_path, {"d2l.bib": BIB})
    index, problems = index_book(book(tmp_path), pages(), hrefs(), tmp_path)
    assert problems == []
    assert list(index.citations.works) == ["Zhang.2021"]


def test_a_bibliography_outside_the_content_folder_is_never_read(tmp_path):
    content = tmp_path / "content"
    write_tree(tmp_path, {"secret.bib": BIB, "content/x": ""})
    index, problems = index_book(book(content), pages("../../secret.bib"), hrefs(), content)
    assert index.citations.works == {}
    assert [str(p) for p in problems] == [
        f"{content}/refs/index.md:3: the bibliography is outside the content folder"
    ]


def test_citations_without_a_bibliography_page_are_a_warning(tmp_path):
    write_tree(tmp_path, {"d2l.bib": BIB})
    found = outlines(
        {"index.md": [heading(1, "B"), toc("a")], "a.md": [heading(1, "A")]},
        cites={"a.md": ["Zhang.2021"]},
    )
    _, problems = index_book(book(tmp_path, "[pdf]\nbibfile = d2l.bib\n"), found, hrefs(), tmp_path)
    assert [str(p) for p in problems] == [
        f"{tmp_path}/config.ini: the book cites works but no page holds :bibliography: "
        "(citations are not linked)"
    ]


def test_a_site_without_config_ini_has_labels_but_no_toc(tmp_path):
    index, problems = index_book(
        None, outlines({"a.md": [heading(1, "A", "sec_a")]}), hrefs(), tmp_path
    )
    assert problems == [] and index.toc is None and index.nav is None
    assert index.inventory.targets["sec_a"].url == "/a.html"


@pytest.mark.slow
def test_a_tab_no_framework_describes_fails_the_build_naming_it(tmp_path):
    content = write_tree(
        tmp_path / "content",
        {
            "config.ini": "[project]\ntitle = B\n\n[build]\ntabs = pytorch, paddle\n",
            "index.md": "# B\n",
        },
    )
    result = run_cli("build", content, "-o", tmp_path / "out", "--no-execute")
    assert result.returncode == 1
    assert (
        f"{content}/config.ini:5: tab 'paddle' is no framework that xint.yml describes: "
        "add it under 'frameworks:' in xint.yml with its kernel"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
    assert (content / "config.ini").is_file() and (content / "index.md").is_file()
