"""Fixtures: a server started on a content folder made of {path: text}."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import write_tree
from tests.serve.client import Server


@pytest.fixture
def serve(tmp_path: Path) -> Iterator:
    """Start a server on a content folder made of {path: text}; stopped after the test."""
    servers: list[Server] = []

    def start(files: dict[str, str | bytes], *args: str) -> Server:
        content = write_tree(tmp_path / f"content{len(servers) or ''}", files)
        server = Server(content, tmp_path / f"out{len(servers) or ''}", *args)
        servers.append(server)
        return server

    yield start
    for server in servers:
        if server.proc.poll() is None:
            try:
                server.interrupt()
            finally:
                server.kill()


def page(title: str, body: str, front: str = "layout: page") -> str:
    return f"---\ntitle: {title}\n{front}\n---\n\n{body}\n"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
