"""Each save shows up: new content, a reload event, errors as an overlay, kernels spared."""

from __future__ import annotations

import re
import threading
import time

import pytest

from tests.execute.conftest import TWO_FRAMEWORKS
from tests.serve.client import EventStream
from tests.serve.conftest import edit, page

pytestmark = pytest.mark.slow

PROSE = "A first sentence."
CODE = (
    "Intro paragraph.\n\n"
    "```python alpha\nimport os\nprint(os.environ['XINT_FW'], 6 * 7)\n```\n"
    "```python beta\nimport os\nprint(os.environ['XINT_FW'], 6 * 7)\n```\n"
)


def rebuild_line(server, start: int) -> re.Match:
    return server.wait_log(r"build: (\d+) files written, (\d+) notebooks executed", start)


def test_a_saved_edit_is_served_and_announced(serve) -> None:
    server = serve({"xint.yml": "title: T\n", "p.md": page("P", PROSE)}, "--no-execute")
    assert PROSE in server.text("/p/")
    events = server.events()
    edit(server.content / "p.md", "first", "second")
    _, build = events.next("reload")
    assert build["written"] is None or "p/index.html" in build["written"]
    assert "A second sentence." in server.text("/p/")
    assert f'data-version="{build["version"]}"' in server.text("/p/")


def test_a_new_page_appears_and_a_removed_one_goes(serve) -> None:
    server = serve({"xint.yml": "title: T\n", "p.md": page("P", PROSE)}, "--no-execute")
    status, _, body = server.get("/q/")
    assert status == 404 and b'data-file="q/index.html"' in body  # reloads once it exists
    events = server.events()
    (server.content / "q.md").write_text(page("Q", "The new page."), encoding="utf-8")
    events.next("reload")
    assert "The new page." in server.text("/q/")
    (server.content / "q.md").unlink()
    events.next("reload")
    assert server.get("/q/")[0] == 404


TEMPLATE = '{% extends "base.html" %}{% block main %}<div class="CLASS">{{ page.content }}</div>{% endblock %}'


def test_config_and_template_edits(serve) -> None:
    server = serve(
        {
            "xint.yml": "title: Before\n",
            "p.md": page("P", PROSE),
            "_theme/templates/page.html": TEMPLATE.replace("CLASS", "old"),
        },
        "--no-execute",
    )
    assert '<div class="old">' in server.text("/p/")
    events = server.events()
    (server.content / "xint.yml").write_text("title: After\n", encoding="utf-8")
    events.next("reload")
    assert "<title>After</title>" in server.text("/p/")
    edit(server.content / "_theme/templates/page.html", "old", "new")
    events.next("reload")
    assert '<div class="new">' in server.text("/p/")


BROKEN = {
    "front matter": ("title: P", "title: [P", r"p\.md:\d+: invalid front matter"),
    "formula": (PROSE, "Then $\\frac{1}{$ here.", r"p\.md:\d+: invalid formula"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_edit_shows_errors_and_keeps_the_last_good_page(serve, case: str) -> None:
    old, new, message = BROKEN[case]
    server = serve({"xint.yml": "title: T\n", "p.md": page("P", PROSE)}, "--no-execute")
    good = server.text("/p/")
    events = server.events()
    edit(server.content / "p.md", old, new)
    name, failed = events.next("failed", "reload")
    assert name == "failed"
    assert any(re.search(message, e) for e in failed["errors"]), failed["errors"]
    assert server.text("/p/") == good  # the last good page, still served
    assert _hello(server)["errors"] == failed["errors"]  # a page opened now shows them too
    edit(server.content / "p.md", new, old)
    events.next("reload")
    assert _hello(server)["errors"] == []


def _hello(server) -> dict:
    stream = EventStream(server.url)
    try:
        name, data = stream.next(timeout=10)
        assert name == "hello"
        return data
    finally:
        stream.close()


def test_a_failing_cell_shows_path_line_and_traceback(serve) -> None:
    server = serve({"xint.yml": TWO_FRAMEWORKS, "p.md": page("P", CODE)})
    events = server.events()
    edit(
        server.content / "p.md",
        "print(os.environ['XINT_FW'], 6 * 7)\n```\n```python beta",
        "1 / 0\n```\n```python beta",
    )
    name, failed = events.next("failed", "reload", timeout=120)
    assert name == "failed"
    error = next(e for e in failed["errors"] if "ZeroDivisionError" in e)
    assert re.match(r".*p\.md:\d+: \[Alpha\] ZeroDivisionError: division by zero\n", error)
    assert "----> 2 1 / 0" in error  # the traceback's tail
    assert "alpha 42" in server.text("/p/")  # the last good page


def test_a_prose_edit_starts_no_kernel(serve) -> None:
    server = serve({"xint.yml": TWO_FRAMEWORKS, "p.md": page("P", CODE)})
    first = rebuild_line(server, 0)
    assert first.group(2) == "2"  # the first build ran alpha and beta
    assert "alpha 42" in server.text("/p/")
    before = server.kernels()
    started: set[int] = set()
    stop = threading.Event()

    def sample() -> None:  # catch a kernel that starts and stops within the rebuild
        while not stop.is_set():
            started.update(server.kernels() - before)
            stop.wait(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    events = server.events()
    mark = len(server.log)
    try:
        edit(server.content / "p.md", "Intro paragraph.", "A reworded intro.")
        events.next("reload", timeout=60)
    finally:
        stop.set()
        sampler.join()
    assert rebuild_line(server, mark).group(2) == "0"
    assert started == set()
    assert "A reworded intro." in server.text("/p/")


def test_a_code_edit_reruns_only_that_framework_forked_from_the_warm_parents(serve) -> None:
    server = serve({"xint.yml": TWO_FRAMEWORKS, "p.md": page("P", CODE), "q.md": page("Q", CODE)})
    assert rebuild_line(server, 0).group(2) == "4"
    warm = server.kernels()
    assert warm, "the first build should leave its kernel parents running for the next edit"
    events = server.events()
    mark = len(server.log)
    text = (server.content / "p.md").read_text(encoding="utf-8")
    (server.content / "p.md").write_text(text.replace("6 * 7", "6 * 8", 1), encoding="utf-8")
    events.next("reload", timeout=120)
    assert rebuild_line(server, mark).group(2) == "1"  # not beta, not the other page
    # forked from the same kernel parents: the rerun's own kernel may still be ending
    deadline = time.monotonic() + 15
    while server.kernels() != warm and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.kernels() == warm
    shown = server.text("/p/")
    assert "alpha 48" in shown and "beta 42" in shown
