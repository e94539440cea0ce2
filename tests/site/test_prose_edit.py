"""A prose edit in the preview writes that page only, whatever the site's size, and the
output folder is then byte for byte what a full build makes of the same sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import built_files as files
from tests.conftest import full_build, previewed, saved_atomically, write_tree
from xint_site.pipeline import incremental
from xint_site.render import highlight

pytestmark = pytest.mark.slow

CONFIG = "title: Prose\nsearch: false\n"


def post(n: int) -> str:
    return (
        f"---\ntitle: Post {n}\ndate: 2022-03-{n + 1:02d}\ntags: [t{n % 3}]\n---\n\n"
        f"Excerpt of post {n}.\n\n<!-- more -->\n\nBody of post {n}, with $x^{n % 2 + 1}$.\n\n"
        f"```python\nimport math\n```\n\nCode of post {n}:\n\n```python\nprint(math.pi * {n})\n```\n"
    )


@pytest.fixture
def served(tmp_path: Path):
    pages = {f"p{n}.md": post(n) for n in range(12)}
    content = write_tree(tmp_path / "content", {"xint.yml": CONFIG, **pages})
    with previewed(content, tmp_path / "out") as builder:
        yield builder, content, tmp_path


def test_a_body_edit_writes_that_page_only_and_equals_a_full_build(served) -> None:
    builder, content, tmp = served
    page = content / "p5.md"
    page.write_text(page.read_text().replace("Body of post 5", "Edited body of post 5"))
    result = builder.rebuild([page])
    assert result.report.ok, result.report.errors
    assert result.written == ("2022/03/06/p5/index.html",)
    assert files(tmp / "out") == full_build(content, tmp / "full")


def test_a_save_through_a_temporary_file_is_still_a_prose_edit(
    served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor that writes a temporary file and renames it onto the page: the file
    that came and went is no content to read again, so the save costs what a prose edit
    costs (no walk of the content folder, no URL plan), whatever the site's size."""
    builder, content, tmp = served

    def whole_site(*args: object, **kwargs: object) -> None:
        raise AssertionError("a prose edit went over the whole site")

    for name in ("walk_content", "plan_urls"):
        monkeypatch.setattr(incremental, name, whole_site)
    changed = saved_atomically(content / "p5.md", "Body of post 5", "Edited body of post 5")
    result = builder.rebuild(changed)
    monkeypatch.undo()
    assert result.report.ok, result.report.errors
    assert result.written == ("2022/03/06/p5/index.html",)
    assert files(tmp / "out") == full_build(content, tmp / "full")


def test_a_folder_moved_away_takes_its_files_with_it(served) -> None:
    """A path that is gone still counts when the last build read files under it."""
    builder, content, tmp = served
    write_tree(content, {"data/a.csv": "1,2\n", "data/b.csv": "3,4\n"})
    assert builder.rebuild([content / "data/a.csv", content / "data/b.csv"]).report.ok
    assert (tmp / "out/data/a.csv").is_file()
    (content / "data").rename(tmp / "elsewhere")
    result = builder.rebuild([content / "data"])  # all a watcher may say of a move
    assert result.report.ok, result.report.errors
    assert set(result.written) >= {"data/a.csv", "data/b.csv"}
    assert files(tmp / "out") == full_build(content, tmp / "full")


def test_an_excerpt_or_title_edit_also_rewrites_what_shows_it(served) -> None:
    builder, content, tmp = served
    page = content / "p5.md"
    page.write_text(page.read_text().replace("Excerpt of post 5", "New excerpt of post 5"))
    result = builder.rebuild([page])
    assert "2022/03/06/p5/index.html" in result.written
    assert any(name.startswith("tags/") for name in result.written)  # its tag's listing
    assert files(tmp / "out") == full_build(content, tmp / "full")
    page.write_text(page.read_text().replace("title: Post 5", "title: Fifth"))
    result = builder.rebuild([page])
    assert "2022/03/05/p4/index.html" in result.written  # a neighbour shows its title
    assert files(tmp / "out") == full_build(content, tmp / "full2")


def test_new_math_characters_remake_the_font(served) -> None:
    builder, content, tmp = served
    page = content / "p5.md"
    page.write_text(page.read_text().replace("$x^", "$\\Omega + y^"))
    result = builder.rebuild([page])
    assert "2022/03/06/p5/index.html" in result.written
    assert any("font" in name or name.endswith(".woff2") for name in result.written)
    assert files(tmp / "out") == full_build(content, tmp / "full")


def test_an_edited_page_is_rendered_again_with_the_code_blocks_it_had(
    served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its code was highlighted by the first build (kept beside its body): a prose edit
    highlights nothing, a changed block only that block; the folder equals a full build."""
    builder, content, tmp = served
    ran: list[str] = []
    pygments = highlight.pygments_highlight
    monkeypatch.setattr(
        highlight, "pygments_highlight", lambda code, *a: ran.append(code) or pygments(code, *a)
    )
    page = content / "p5.md"
    for old, new, highlighted in [
        ("Body of post 5", "Edited body of post 5", []),
        ("math.pi * 5", "math.tau * 5", ["print(math.tau * 5)"]),
    ]:
        highlight.highlight_code.cache_clear()  # the first build's blocks are not in memory
        page.write_text(page.read_text().replace(old, new))
        result = builder.rebuild([page])
        assert result.report.ok, result.report.errors
        assert result.written == ("2022/03/06/p5/index.html",)
        assert ran == highlighted
        assert files(tmp / "out") == full_build(content, tmp / f"full-{len(highlighted)}")
        ran.clear()  # the full build highlighted in this process too


@pytest.mark.parametrize("lost", ["one body", "the whole store"])
def test_a_store_cleaned_away_under_the_server_means_one_full_build(served, lost: str) -> None:
    """A preview left running for days may see its temporary folder cleaned (macOS and
    some Linux systems remove files not read for days): the next save builds the site
    again instead of failing on every save until the server is restarted."""
    builder, content, tmp = served
    store = builder.state.bodies
    if lost == "one body":
        store.file(builder.state.entries["p4.md"].body).unlink()  # a neighbour of p5
    else:
        shutil.rmtree(store.folder)
    page = content / "p5.md"
    page.write_text(page.read_text().replace("title: Post 5", "title: Fifth"))
    result = builder.rebuild([page])
    assert result.report.ok, result.report.errors
    assert set(result.written) == set(files(tmp / "out"))  # a full build
    assert files(tmp / "out") == full_build(content, tmp / "full")
    page.write_text(page.read_text().replace("Body of post 5", "Edited body of post 5"))
    result = builder.rebuild([page])  # the new store serves the next edit
    assert result.written == ("2022/03/06/p5/index.html",)
