"""Highlighting with the blocks of a page's last render (what the preview server passes)."""

from __future__ import annotations

import threading

from xint_site.render.highlight import highlight, highlight_code, page_blocks


def test_a_known_block_is_taken_only_for_the_same_code_and_language() -> None:
    known = {("x = 1", "python"): "<kept>"}
    with page_blocks(known) as made:
        assert highlight("x = 1", "python") == "<kept>"
        assert highlight("x = 1", "text") == highlight_code("x = 1", "text")  # escaped only
        assert highlight("x = 2", "python") == highlight_code("x = 2", "python")
    assert made == {
        ("x = 1", "python"): "<kept>",
        ("x = 1", "text"): highlight_code("x = 1", "text"),
        ("x = 2", "python"): highlight_code("x = 2", "python"),
    }
    assert highlight("x = 1", "python") == highlight_code("x = 1", "python")  # after: none


def test_the_blocks_belong_to_the_thread_that_renders() -> None:
    """The preview server renders in its own thread: another thread's pages see none."""
    seen: list[str] = []
    with page_blocks({("x = 1", "python"): "<kept>"}):
        other = threading.Thread(target=lambda: seen.append(highlight("x = 1", "python")))
        other.start()
        other.join()
    assert seen == [highlight_code("x = 1", "python")]
