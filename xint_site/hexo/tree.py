"""The files of a Hexo blog's source folder that make the site.

Hexo hides every ``_`` and ``.`` name except its two post folders: ``_posts/`` (and
``_drafts/`` when drafts are shown) hold the posts, and, with ``post_asset_folder``,
each post's own files in a folder named like the post. Everything else is walked as
any content folder is, then ``_config.yml``'s globs apply: ``exclude`` and ``ignore``
leave files out, ``include`` brings hidden ones in (``.nojekyll``, ``_redirects``), and
Markdown (``.md``, ``.markdown``, …) that matches ``skip_render`` is copied as it is,
not made a page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from pathlib import Path

from xint_site.hexo.config import HexoSite
from xint_site.hexo.globs import matches
from xint_site.hexo.permalinks import DRAFTS_DIR, POSTS_DIR, asset_folder, is_post_file
from xint_site.pages.source import ContentTree, walk_content
from xint_site.paths import FREEZE_DIR, is_hidden

# what hexo-renderer-marked renders: every other file is copied as it is
MARKDOWN = {".md", ".markdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext"}


def walk_hexo(site: HexoSite, drafts: bool) -> ContentTree:
    """Pages and files of the source folder, posts and their asset folders included."""
    tree = walk_content(site.source)
    found, skipped = [*tree.pages, *tree.files], list(tree.skipped)
    posts: list[Path] = []
    assets: list[Path] = []
    for name in (POSTS_DIR, DRAFTS_DIR) if drafts else (POSTS_DIR,):
        folder = site.source / name
        if not folder.is_dir():
            continue
        walked = walk_content(folder)
        skipped += walked.skipped
        for path in [*walked.pages, *walked.files]:
            if _is_post(site, path):
                posts.append(path)
            elif site.urls.post_asset_folder:
                assets.append(path)
    found += _included(site)
    rel = {p: p.relative_to(site.source).as_posix() for p in [*posts, *assets, *found]}
    kept = [p for p in [*posts, *assets, *found] if not matches(site.exclude, rel[p])]
    markdown = {*posts, *(p for p in found if p.suffix in MARKDOWN)}
    pages = [p for p in kept if p in markdown and not matches(site.skip_render, rel[p])]
    files = [p for p in kept if p not in pages]
    return ContentTree(sorted(pages), sorted(set(files)), skipped)


def _is_post(site: HexoSite, path: Path) -> bool:
    """A Markdown file of a post folder; with asset folders, only of ``new_post_name``'s
    extension (any other is one of a post's files), as Hexo decides."""
    if site.urls.post_asset_folder:
        return path.suffix == posixpath.splitext(site.urls.new_post_name)[1]
    return path.suffix in MARKDOWN


def _included(site: HexoSite) -> list[Path]:
    """Hidden files (``_`` or ``.`` in their path) that ``include`` publishes; regular
    files only (a link could lead out of the blog)."""
    if not site.include:
        return []
    found = []
    for path in site.source.rglob("*"):
        rel = path.relative_to(site.source)
        hidden = is_hidden(rel) and rel.parts[0] not in (POSTS_DIR, DRAFTS_DIR, FREEZE_DIR)
        wanted = hidden and matches(site.include, rel.as_posix())
        if wanted and path.is_file() and not path.is_symlink():
            found.append(path)
    return found


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
