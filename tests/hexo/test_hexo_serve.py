"""``xint-site serve`` on a Hexo blog: served under the path of its ``url``, and a new
post shows up at its Hexo URL, with its listings, on save."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import REPO
from tests.serve.client import Server

pytestmark = pytest.mark.slow  # a server


def test_serve_a_hexo_blog_and_follow_a_new_post(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    shutil.copytree(REPO / "tests" / "hexo" / "blog", blog)
    server = Server(blog / "source", tmp_path / "out", "--no-execute")  # the source folder
    try:
        assert server.url.endswith("/blog/")  # _config.yml's url: http://example.com/blog
        assert "Attention, Briefly" in server.text("/blog/2021/09/09/notes/deep/attention/")
        assert server.get("/blog/" + quote("categories/机器学习/回归/"))[0] == 200
        start = len(server.log)
        (blog / "source/_posts/fresh.md").write_text(
            "---\ntitle: Fresh\ndate: 2022-02-02 10:00:00\ntags: [新标签]\n---\nNew.\n",
            encoding="utf-8",
        )
        server.wait_log(r"build: \d+ files written", start)
        assert "Fresh" in server.text("/blog/2022/02/02/fresh/")
        assert "Fresh" in server.text("/blog/" + quote("tags/新标签/"))
        assert "Fresh" in server.text("/blog/archives/2022/02/")
        start = len(server.log)  # _config.yml is beside the source folder served
        config = blog / "_config.yml"
        config.write_text(
            config.read_text(encoding="utf-8").replace("title: 梯度笔记", "title: 新的标题"),
            encoding="utf-8",
        )
        server.wait_log(r"build: \d+ files written", start)
        assert "新的标题" in server.text("/blog/")
    finally:
        code, _ = server.interrupt()
    assert code == 0
