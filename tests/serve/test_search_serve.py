"""The preview server serves a search index made at start and made again (in the
background) when pages change, and shows the theme's interface strings again when a
translation is saved."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest

from tests.serve.conftest import edit, page

pytestmark = pytest.mark.slow


def indexed_text(out: Path) -> str:
    """Every record's text in Pagefind's fragments (gzip-compressed JSON)."""
    texts = []
    for fragment in sorted((out / "pagefind" / "fragment").glob("*.pf_fragment")):
        try:
            texts.append(gzip.decompress(fragment.read_bytes()).decode("utf-8"))
        except FileNotFoundError:  # the index being swapped: read it again
            return ""
    return "\n".join(texts)


def test_the_index_follows_the_pages(serve) -> None:
    server = serve({"xint.yml": "title: T\n", "p.md": page("P", "A zebra here.")}, "--no-execute")
    status, headers, _ = server.get("/pagefind/pagefind.js")
    assert status == 200 and "javascript" in headers["Content-Type"]
    assert "zebra" in indexed_text(server.out)
    events = server.events()
    edit(server.content / "p.md", "zebra", "giraffe")
    events.next("reload")  # the index follows in the background, whole or not at all
    deadline = time.monotonic() + 60
    while "giraffe" not in (text := indexed_text(server.out)):
        assert time.monotonic() < deadline, "the index was not made again"
        time.sleep(0.1)
    assert "zebra" not in text
    assert server.get("/pagefind/pagefind.js")[0] == 200


def test_a_saved_translation_is_shown(serve) -> None:
    server = serve(
        {
            "xint.yml": "title: T\nlanguage: de\n",
            "p.md": page("P", "Text."),
            "_theme/i18n/de.yml": "skip_to_content: Zum Inhalt\n",
        },
        "--no-execute",
    )
    assert ">Zum Inhalt</a>" in server.text("/p/")
    assert ">Home</a>" in server.text("/p/")  # no German for it: English
    events = server.events()
    edit(server.content / "_theme/i18n/de.yml", "Zum Inhalt", "Zum Text")
    events.next("reload")
    assert ">Zum Text</a>" in server.text("/p/")
