"""The build kept alive between saves (what the preview server runs on each save)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, write_tree
from tests.execute.conftest import TWO_FRAMEWORKS
from xint_site.pipeline import BuildOptions, SiteBuilder

pytestmark = pytest.mark.slow

PAGE = """\
---
title: One
date: 2021-01-02
tags: [a]
---

First paragraph.

Some prose.

```python alpha
import os
os.environ["XINT_FW"] + "-1"
```
```python beta
import os
os.environ["XINT_FW"] + "-1"
```
"""
OTHER = "---\ntitle: Two\ndate: 2021-01-01\ntags: [a]\n---\n\nOther prose.\n"
POST = "2021/01/02/one/index.html"


@pytest.fixture
def site(tmp_path: Path):
    post_template = (REPO / "themes/default/templates/post.html").read_text()
    content = write_tree(
        tmp_path / "content",
        {
            "xint.yml": TWO_FRAMEWORKS,
            "one.md": PAGE,
            "two.md": OTHER,
            "_theme/templates/post.html": post_template.replace("<article", "<!-- v1 --><article"),
        },
    )
    builder = SiteBuilder(BuildOptions(content_dir=content, out_dir=tmp_path / "out", jobs=1))
    first = builder.build()
    assert first.report.ok, first.report.errors
    assert first.executed == 2
    yield builder, content, tmp_path / "out"
    builder.close()


def edit(path: Path, old: str, new: str) -> Path:
    path.write_text(path.read_text().replace(old, new))
    return path


def test_prose_edit_rewrites_that_page_only_and_runs_nothing(site) -> None:
    builder, content, out = site
    result = builder.rebuild([edit(content / "one.md", "Some prose.", "Better prose.")])
    assert result.report.ok and result.kind == "content"
    assert result.executed == 0
    notebooks = tuple(f"2021/01/02/one/one.{fw}.ipynb" for fw in ("alpha", "beta"))
    assert result.written == (POST, *notebooks)  # the notebooks hold the prose too
    for name in (POST, *notebooks):
        assert "Better prose." in (out / name).read_text()


def test_title_edit_also_rewrites_the_listings_and_neighbours(site) -> None:
    builder, content, _ = site
    result = builder.rebuild([edit(content / "one.md", "title: One", "title: Uno")])
    assert set(result.written) == {
        POST,
        "index.html",
        "tags/a/index.html",
        "2021/01/01/two/index.html",
    }


def test_code_edit_reruns_only_that_framework_forked_from_a_warm_parent(site) -> None:
    builder, content, out = site
    before = builder.pool.parents.pids()
    assert before, "the first build leaves a kernel parent per framework"
    page = content / "one.md"
    text = page.read_text()
    page.write_text(text.replace('+ "-1"\n```\n```python beta', '+ "-2"\n```\n```python beta'))
    result = builder.rebuild([page])
    assert result.report.ok, result.report.errors
    assert result.executed == 1
    runs = {r.job.framework: r.from_cache for r in result.report.execution.runs}
    assert runs == {"alpha": False, "beta": True}
    assert builder.pool.parents.pids() == before  # forked from the same parents
    html = (out / POST).read_text()
    assert "alpha-2" in html and "beta-1" in html


def test_template_edit_rerenders_without_executing(site) -> None:
    builder, content, out = site
    template = edit(content / "_theme/templates/post.html", "<!-- v1 -->", "<!-- v2 -->")
    result = builder.rebuild([template])
    assert result.kind == "template" and result.report.ok
    assert result.executed == 0 and result.report.execution.planned == 0
    assert set(result.written) == {POST, "2021/01/01/two/index.html"}
    assert "<!-- v2 -->" in (out / POST).read_text()


def test_a_notebook_cleaned_from_the_store_is_made_again_by_one_full_build(site) -> None:
    """The preview keeps each page's notebooks in its temporary store; one removed under
    it (a cleaner of the temporary folder) makes the next rebuild a full build, from the
    cache, instead of a failure on every save."""
    builder, content, out = site
    [notebook, *_] = builder.state.entries["one.md"].notebooks
    notebook.stored.unlink()
    (out / notebook.file).unlink()
    template = edit(content / "_theme/templates/post.html", "<!-- v1 -->", "<!-- v2 -->")
    result = builder.rebuild([template])
    assert result.report.ok, result.report.errors
    assert result.executed == 0  # the outputs come from the cache
    assert notebook.file in result.written and "2021/01/01/two/index.html" in result.written
    assert (out / notebook.file).is_file() and "<!-- v2 -->" in (out / POST).read_text()


def test_failed_rebuild_writes_nothing_and_keeps_the_last_good_page(site) -> None:
    builder, content, out = site
    good = (out / POST).read_bytes()
    result = builder.rebuild([edit(content / "one.md", "Some prose.", "Broken $\\frac{$ prose.")])
    assert not result.report.ok and result.written == ()
    assert "invalid formula" in str(result.report.errors[0])
    assert (out / POST).read_bytes() == good
    fixed = builder.rebuild([edit(content / "one.md", "Broken $\\frac{$ prose.", "Fixed.")])
    assert fixed.report.ok and "Fixed." in (out / POST).read_text()


def test_deleted_page_disappears_with_its_listing_entries(site) -> None:
    builder, content, out = site
    (content / "two.md").unlink()
    result = builder.rebuild([content / "two.md"])
    assert result.report.ok
    assert not (out / "2021/01/01/two/index.html").exists()
    assert "Two" not in (out / "index.html").read_text()


def test_config_edit_rebuilds_everything(site) -> None:
    builder, content, out = site
    config = content / "xint.yml"
    config.write_text("title: Renamed\n" + config.read_text())
    result = builder.rebuild([config])
    assert result.kind == "config" and result.report.ok
    assert "Renamed" in (out / "index.html").read_text()


def test_a_template_override_made_after_the_first_build_is_used(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", {"about.md": "---\ntitle: About\n---\n\nHi.\n"})
    with SiteBuilder(BuildOptions(content_dir=content, out_dir=tmp_path / "out")) as builder:
        assert builder.build().report.ok
        base = (REPO / "themes/default/templates/page.html").read_text()
        mine = base.replace("<article", "<!-- mine --><article")
        made = write_tree(content, {"_theme/templates/page.html": mine})
        result = builder.rebuild([made / "_theme/templates/page.html"])
        assert result.kind == "template" and result.report.ok
        assert "<!-- mine -->" in (tmp_path / "out/about/index.html").read_text()
