"""What a reader downloads for one page: bytes per file of a built page, and the total.

    .venv/bin/python bench/page_weight.py [--page /2021/05/04/autograd/] [--baseline REV]

Builds ``content/`` (whose autograd post is the seed page) with ``--no-execute`` into a
temporary folder, with a cache folder of its own, then lists the page's HTML and every
file it loads: its stylesheets, the fonts they name (the math font is fetched only by a
page with formulas, as this one is), its scripts and images (``data:`` images are in the
HTML already). With ``--baseline REV`` the same build by xint-site at git revision REV
(checked out in a temporary worktree) is measured too, for a before/after table.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

REPO = Path(__file__).resolve().parent.parent
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


class _Loads(HTMLParser):
    """The URLs a page loads: stylesheets, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and "stylesheet" in (found.get("rel") or "").split():
            self.urls.append(found.get("href") or "")
        elif tag in ("script", "img") and found.get("src"):
            self.urls.append(found["src"] or "")


def _file(site: Path, url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme in ("data", "http", "https") or parts.netloc:
        return None  # inline already, or another host (a built page has none)
    path = unquote(parts.path).lstrip("/")
    target = site / path
    return target / "index.html" if target.is_dir() else target


def page_weight(site: Path, page: str) -> dict[str, int]:
    """Bytes of the page and of each file it loads, by URL path, in load order."""
    html_file = site / page.strip("/") / "index.html"
    text = html_file.read_text(encoding="utf-8")
    sizes = {page: html_file.stat().st_size}
    parser = _Loads()
    parser.feed(text)
    for url in parser.urls:
        path = _file(site, urljoin(page, url))
        if path is None or not path.is_file():
            continue
        name = urlsplit(urljoin(page, url)).path
        sizes[name] = path.stat().st_size
        if path.suffix == ".css":
            for font in _CSS_URL.findall(path.read_text(encoding="utf-8")):
                font_url = urljoin(name, font)
                font_path = _file(site, font_url)
                used = "math" not in font_url.lower() or "<math" in text
                if font_path is not None and font_path.is_file() and used:
                    sizes[urlsplit(font_url).path] = font_path.stat().st_size
    return sizes


def build(repo: Path, out: Path, cache: Path) -> None:
    command = [sys.executable, "-m", "xint_site", "build", str(REPO / "content")]
    result = subprocess.run(
        [*command, "-o", str(out), "--no-execute"],
        cwd=repo,  # ``python -m`` imports from the current folder first
        env={**os.environ, "PYTHONPATH": str(repo), "XDG_CACHE_HOME": str(cache)},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(result.stderr)


def worktree(root: Path, rev: str) -> Path:
    folder = root / "baseline"
    command = ["git", "-C", str(REPO), "worktree", "add", "--detach", str(folder), rev]
    subprocess.run(command, check=True, capture_output=True)
    return folder


def show(weights: dict[str, dict[str, int]]) -> None:
    names = list(dict.fromkeys(n for sizes in weights.values() for n in sizes))
    width = max(len(n) for n in [*names, "total"]) + 2
    print(f"{'':{width}s}" + "".join(f"{v:>16s}" for v in weights))
    for name in [*names, "total"]:
        row = [
            sizes.get(name) if name != "total" else sum(sizes.values())
            for sizes in weights.values()
        ]
        print(f"{name:{width}s}" + "".join(f"{'-' if b is None else f'{b:,} B':>16s}" for b in row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--page", default="/2021/05/04/autograd/")
    parser.add_argument("--baseline", help="also measure xint-site at this git revision")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="xint-weight-"))
    versions = {"this version": REPO}
    try:
        if args.baseline:
            versions = {args.baseline: worktree(root, args.baseline), **versions}
        weights = {}
        for i, (name, repo) in enumerate(versions.items()):
            out = root / f"out-{i}"
            build(repo, out, root / f"cache-{i}")
            weights[name] = page_weight(out, args.page)
        show(weights)
    finally:
        if args.baseline:
            command = ["git", "-C", str(REPO), "worktree", "remove", "--force"]
            subprocess.run([*command, str(root / "baseline")], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
