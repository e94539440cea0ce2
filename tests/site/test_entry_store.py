"""A full build keeps its pages' entries on disk and reads each back only to make a file
that shows it, so its memory does not hold the whole site; the site it makes is the one
a build holding every entry in memory (the preview server's) makes.

Each test builds a small blog in-process, with a cache folder of its own.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from tests.conftest import built_files, write_tree
from xint_site.pipeline import BuildOptions, build_state
from xint_site.site import compose
from xint_site.site.bodies import BodyStore
from xint_site.site.entries import Entry
from xint_site.site.entry_store import StoredEntries, load_entry, store_entry

pytestmark = pytest.mark.slow  # in-process builds of 60 pages: seconds

POSTS = 60


def blog() -> dict[str, str]:
    site = {"xint.yml": "title: Stored\nurl: https://example.org/\nsearch: false\n"}
    site["about.md"] = "---\ntitle: About\n---\nAbout this blog, $a+b$.\n"
    for n in range(POSTS):
        site[f"posts/p{n:02d}.md"] = (
            f"---\ntitle: Post {n}\ndate: 2022-01-{n % 28 + 1:02d} {n % 24:02d}:00\n"
            f"tags: [t{n % 3}]\ncategories: [c{n % 2}]\n---\n"
            f"First paragraph of post {n}, with $x_{n}$.\n\n<!-- more -->\n\n"
            f"## More\n\nThe rest, linking [the first](p00.md) and [about](../about.md#x).\n"
        )
    return site


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def live_entries() -> int:
    gc.collect()
    return sum(isinstance(o, Entry) for o in gc.get_objects())


def test_a_build_holds_only_the_entries_of_the_file_it_is_making(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = write_tree(tmp_path / "content", blog())
    counts: list[int] = []
    render = compose.FileRenderer.render

    def counting(self: compose.FileRenderer, job: compose.FileJob) -> bytes:
        counts.append(live_entries())
        return render(self, job)

    monkeypatch.setattr(compose.FileRenderer, "render", counting)
    report, _ = build_state(BuildOptions(content, tmp_path / "out", execute=False, jobs=1))
    assert report.ok, report.errors
    assert len(counts) > POSTS  # every page and listing was counted
    # a page and its two neighbours, or the ten posts of a listing page, not the blog's 61
    assert max(counts) <= 12, counts


def test_the_site_is_the_one_a_build_holding_every_entry_makes(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", blog())
    report, _ = build_state(BuildOptions(content, tmp_path / "stored", execute=False, jobs=1))
    assert report.ok, report.errors
    with BodyStore.create() as bodies:  # kept, as the preview server keeps it
        report, state = build_state(
            BuildOptions(content, tmp_path / "held", execute=False, jobs=1), bodies=bodies
        )
        assert report.ok and state is not None, report.errors
        assert type(state.entries) is dict and len(state.entries) == POSTS + 1
    stored, held = built_files(tmp_path / "stored"), built_files(tmp_path / "held")
    assert "atom.xml" in stored and "sitemap.xml" in stored and "page/2/index.html" in stored
    assert stored == held


def test_an_entry_comes_back_from_the_store_equal_and_new(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", blog())
    with BodyStore.create() as bodies:
        report, state = build_state(
            BuildOptions(content, tmp_path / "out", execute=False, jobs=1), bodies=bodies
        )
        assert report.ok and state is not None
        entries = dict(state.entries)
        keys = {rel: store_entry(bodies, entry) for rel, entry in entries.items()}
        stored = StoredEntries(bodies, keys)
        assert list(stored) == list(entries) and len(stored) == len(entries)
        back = stored["posts/p07.md"]
        assert back == entries["posts/p07.md"] and back is not entries["posts/p07.md"]
        assert back.excerpt_html.startswith("<p>First paragraph of post 7")
        assert load_entry(bodies, keys["about.md"]).title == "About"
