"""The output folder is never the user's files: `-o` slips are refused, nothing is touched.

Each refused case snapshots the whole test folder (sources, the folder named by `-o`, the
folders around it) before and after, and compares them byte for byte.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_tree
from tests.reliability.files import snapshot

pytestmark = pytest.mark.slow

PAGE = "---\ntitle: A\ndate: 2021-01-01\n---\n\nSome prose.\n"
MARKER = ".xint-site"


def make_content(root: Path) -> Path:
    return write_tree(root / "content", {"a.md": PAGE, "img/logo.txt": "logo", "xint.yml": ""})


def mark(folder: Path) -> None:
    """Make ``folder`` look like a site xint-site wrote, so only the rule under test refuses."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("adopted\n")


def refused(result, out: Path | str, reason: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == f"{out}: refusing to write the site here: {reason}"


def build(content: Path, out: Path | str, *args: str, **kw):
    return run_cli("build", content, "-o", out, "--no-execute", *args, **kw)


def test_the_content_folder_is_refused_before_any_kernel_starts(tmp_path: Path) -> None:
    sentinel = tmp_path / "ran"
    cell = f"```python\nopen({str(sentinel)!r}, 'w').write('x')\n```\n"
    content = write_tree(
        tmp_path / "content", {"a.md": f"---\ntitle: A\nexecute: true\n---\n\n{cell}"}
    )
    before = snapshot(tmp_path)
    result = run_cli("build", "content", "-o", "content", cwd=tmp_path)
    refused(result, "content", "it is the content folder")
    assert not sentinel.exists()  # no kernel ran the cell
    assert snapshot(tmp_path) == before
    assert (content / "a.md").is_file()


def test_a_folder_holding_the_content_folder_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "project"
    content = make_content(project)
    mark(project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = snapshot(tmp_path)
    result = build(content, project, cwd=elsewhere)
    refused(result, project, "it contains the content folder")
    assert snapshot(tmp_path) == before


def test_the_current_folder_is_refused(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    project = write_tree(tmp_path / "project", {"src/main.py": "print(1)\n", ".git/HEAD": "x"})
    mark(project)
    before = snapshot(tmp_path)
    result = build(content, ".", cwd=project)
    refused(result, ".", "it is the current folder")
    assert snapshot(tmp_path) == before


def test_a_parent_of_the_current_folder_is_refused(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    project = write_tree(tmp_path / "project", {"src/main.py": "print(1)\n"})
    mark(project)
    before = snapshot(tmp_path)
    result = build(content, "..", cwd=project / "src")
    refused(result, "..", "it contains the current folder")
    assert snapshot(tmp_path) == before


def test_the_home_folder_is_refused(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    home = write_tree(tmp_path / "home", {".bashrc": "export A=1\n", "notes/todo.txt": "x"})
    mark(home)
    cwd = tmp_path / "work"
    cwd.mkdir()
    before = snapshot(tmp_path)
    result = build(content, home, cwd=cwd, env={"HOME": str(home)})
    refused(result, home, "it is your home folder")
    assert snapshot(tmp_path) == before


def test_a_filesystem_root_is_refused(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    before = snapshot(tmp_path)
    top = sorted(os.listdir("/"))
    result = build(content, "/", cwd=tmp_path)
    refused(result, "/", "it is a filesystem root")
    assert snapshot(tmp_path) == before
    assert sorted(os.listdir("/")) == top


def test_a_folder_xint_site_did_not_write_is_refused_and_can_be_adopted(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    mine = write_tree(tmp_path / "mine", {"thesis.tex": "\\begin{document}", "fig/a.png": b"\x89"})
    before = snapshot(tmp_path)
    result = build(content, mine, cwd=tmp_path)
    refused(
        result,
        mine,
        "it is a folder xint-site did not write; to let xint-site replace it, "
        f"delete it or create {mine / MARKER}",
    )
    assert snapshot(tmp_path) == before
    mark(mine)  # the way the message says to adopt it
    result = build(content, mine, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (mine / "thesis.tex").exists() and (mine / "index.html").is_file()


def test_an_empty_folder_is_taken_and_a_built_folder_is_marked_and_replaced(
    tmp_path: Path,
) -> None:
    content = make_content(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    sources = snapshot(content)
    assert build(content, out).returncode == 0
    marker = json.loads((out / MARKER).read_text())
    assert marker["generator"] == "xint-site" and marker["version"]
    (content / "img/logo.txt").unlink()
    result = build(content, out)
    assert result.returncode == 0, result.stderr
    assert not (out / "img/logo.txt").exists() and (out / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "out"]
    (content / "img/logo.txt").write_text("logo")
    assert snapshot(content) == sources


def test_an_existing_file_is_not_moved_aside(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    (tmp_path / "notes.txt").write_text("my notes\n")
    before = snapshot(tmp_path)
    result = build(content, "notes.txt", cwd=tmp_path)
    refused(result, "notes.txt", "it is a file, not a folder")
    assert snapshot(tmp_path) == before


def test_a_folder_below_a_file_is_a_message(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    (tmp_path / "notes.txt").write_text("my notes\n")
    before = snapshot(tmp_path)
    result = build(content, "notes.txt/site", cwd=tmp_path)
    refused(result, "notes.txt/site", "notes.txt is a file")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("out", ["content", "mine"])
def test_serve_refuses_the_same_folders_and_starts_no_server(tmp_path: Path, out: str) -> None:
    make_content(tmp_path)
    write_tree(tmp_path / "mine", {"keep.txt": "keep"})
    temp = tmp_path / "tmp"
    temp.mkdir()
    before = snapshot(tmp_path)
    result = run_cli(
        "serve",
        "content",
        "-o",
        out,
        "--no-execute",
        "--port",
        "0",
        cwd=tmp_path,
        env={"TMPDIR": str(temp)},
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Serving" not in result.stdout
    assert result.stderr.startswith(f"{out}: refusing to write the site here: ")
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(tmp_path) == before


def test_serve_port_out_of_range_is_a_message_and_leaves_no_temp_folder(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    temp = tmp_path / "tmp"
    temp.mkdir()
    result = run_cli(
        "serve", content, "--port", "70000", "--no-execute", env={"TMPDIR": str(temp)}, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr == "xint-site: --port must be between 0 and 65535\n"
    assert list(temp.iterdir()) == []


def test_serve_port_in_use_is_one_line_and_leaves_no_temp_folder(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    temp = tmp_path / "tmp"
    temp.mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(
            "serve",
            content,
            "--port",
            str(port),
            "--no-execute",
            env={"TMPDIR": str(temp)},
            timeout=60,
        )
    assert result.returncode == 1
    assert (
        result.stderr == f"xint-site: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    )
    assert list(temp.iterdir()) == []
