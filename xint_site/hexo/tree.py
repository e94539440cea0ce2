"""The files of a Hexo blog's source folder that make the site.

Hexo hides every ``_`` and ``.`` name except its two post folders: ``_posts/`` (and
``_drafts/`` when drafts are shown) hold the posts, and, with ``post_asset_folder``,
each post's own files in a folder named like the post. Everything else is walked as
any content folder is.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from pathlib import Path

from xint_site.hexo.config import DRAFTS_DIR, POSTS_DIR, HexoSite
from xint_site.hexo.permalinks import asset_folder, is_post_file
from xint_site.pages.source import ContentTree, walk_content


def walk_hexo(site: HexoSite, drafts: bool) -> ContentTree:
    """Pages and files of the source folder, posts and their asset folders included."""
    tree = walk_content(site.source)
    pages, files, skipped = list(tree.pages), list(tree.files), list(tree.skipped)
    for name in (POSTS_DIR, DRAFTS_DIR) if drafts else (POSTS_DIR,):
        folder = site.source / name
        if not folder.is_dir():
            continue
        posts = walk_content(folder)
        pages += posts.pages
        skipped += posts.skipped
        if site.post_asset_folder:
            files += posts.files
    return ContentTree(sorted(pages), sorted(files), skipped)


def place_assets(static: Mapping[str, Path], posts: Mapping[str, str]) -> dict[str, Path]:
    """Copied files with each post's own files moved beside the post, as Hexo publishes
    them: ``_posts/my-post/plot.svg`` of a post at ``2021/05/04/my-post/`` is
    ``2021/05/04/my-post/plot.svg``, so the post's ``![](plot.svg)`` finds it. ``posts``
    maps each post's source path to its URL path; a file of no post is not published."""
    by_depth = sorted(posts.items(), key=lambda item: -len(item[0]))  # the innermost first
    folders = {asset_folder(rel): path for rel, path in by_depth}
    placed: dict[str, Path] = {}
    for rel, file in static.items():
        if not is_post_file(rel):
            placed[rel] = file
            continue
        folder = next((f for f in folders if rel.startswith(f)), None)
        if folder is not None:
            base = folders[folder].removesuffix(".html").removesuffix(".htm")
            placed[posixpath.join(base, rel[len(folder) :])] = file
    return placed
