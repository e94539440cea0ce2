"""The preview of a book (the mini book, ``tests/books/mini``, without running cells).

An edit that leaves the book's index as it was (the page's labels, numbers, citations
and titles, at the same lines) renders that page again, resolved against the index the
preview keeps; any other edit builds the book again. Either way the output folder is
then byte for byte what a full build makes of the same sources.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, edited, full_build, previewed_copy
from tests.conftest import built_files as files
from xint_site.pipeline import SiteBuilder

pytestmark = pytest.mark.slow

BOOK = REPO / "tests" / "books" / "mini"
NDARRAY = "chapter_basics/ndarray.md"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[SiteBuilder, Path, Path]]:
    with previewed_copy(BOOK, tmp_path) as served:
        yield served


def test_an_edit_of_the_first_paragraph_composes_the_book_from_the_kept_index(served) -> None:
    """The page's excerpt (its description) changes: every file is composed again, none
    is read or resolved again, and the book is still what a full build makes."""
    builder, content, tmp = served
    page = edited(content / NDARRAY, "is a grid of numbers", "is a grid of values")
    result = builder.rebuild([page])
    assert result.report.ok, result.report.errors
    assert result.written == ("chapter_basics/ndarray.html",)  # the only file that differs
    assert files(tmp / "out") == full_build(content, tmp / "full")


def test_a_prose_edit_renders_that_page_only_with_its_numbers(served) -> None:
    builder, content, tmp = served
    page = edited(
        content / NDARRAY,
        "TensorFlow reshapes with",
        "TensorFlow, unlike the others, reshapes with",
    )
    result = builder.rebuild([page])
    assert result.report.ok, result.report.errors
    assert result.written == ("chapter_basics/ndarray.html",)
    shown = (tmp / "out" / "chapter_basics/ndarray.html").read_text(encoding="utf-8")
    assert "unlike the others" in shown
    assert files(tmp / "out") == full_build(content, tmp / "full")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (":label:`sec_ndarray`", ":label:`sec_arrays`"),  # three pages refer to it
        ("## Shapes", "## Shapes and sizes"),  # a title the toc shows
    ],
)
def test_an_edit_the_index_sees_builds_the_book_again(served, old: str, new: str) -> None:
    builder, content, tmp = served
    result = builder.rebuild([edited(content / NDARRAY, old, new)])
    assert result.report.ok, result.report.errors
    assert set(result.written) == set(files(tmp / "out"))  # a full build: every file
    assert files(tmp / "out") == full_build(content, tmp / "full")


def test_a_reference_to_no_label_is_a_warning_at_its_line(served) -> None:
    """References are resolved again on the prose path, with their warnings."""
    builder, content, tmp = served
    page = edited(content / NDARRAY, "TensorFlow reshapes with", "See :numref:`sec_nowhere`.")
    result = builder.rebuild([page])
    assert result.written == ("chapter_basics/ndarray.html",)
    lines = page.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "sec_nowhere" in text)
    assert [str(w) for w in result.report.warnings] == [
        f"{page}:{line}: unknown label 'sec_nowhere'"
    ]
    assert files(tmp / "out") == full_build(content, tmp / "full")


def test_a_paragraph_added_above_the_labels_renders_that_page_only(served) -> None:
    """The page's labels, numbers and titles move down but stay what they were: its
    lines are the only change the index would see, and the index uses them only for
    its warnings."""
    builder, content, tmp = served
    page = edited(content / NDARRAY, "## Shapes", "A new paragraph.\n\n## Shapes")
    result = builder.rebuild([page])
    assert result.report.ok, result.report.errors
    assert result.written == ("chapter_basics/ndarray.html",)
    assert files(tmp / "out") == full_build(content, tmp / "full")


def test_markdown_the_book_leaves_out_starts_no_build(served) -> None:
    """``config.ini`` leaves ``README.md`` out of the book: saving it changes nothing
    the book shows, so nothing is built (it was a full build of the book)."""
    builder, content, tmp = served
    readme = edited(content / "README.md", "\n", "\nA line for the repository's readers.\n")
    result = builder.rebuild([readme])
    assert (result.kind, result.written) == ("none", ())
    assert files(tmp / "out") == full_build(content, tmp / "full")
