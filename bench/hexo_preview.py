"""The preview of a Hexo blog: how long a save of one post's text takes to rebuild.

    .venv/bin/python bench/hexo_preview.py [--posts 1000] [--edits 8] [--baseline REV]

The blog is ``tests/hexo/blog`` with ``--posts`` more posts whose body is the seed page's
(tab sets, code, formulas), over 20 tags and 7 categories. The preview server's builder
(``SiteBuilder``, in this process, ``--no-execute``, ``-j 2``) makes its first build; then,
``--edits`` times each, a line is added at the end of one post (a prose edit), a tag is
added to it or taken away (its front matter), and a new post is saved. Printed: the
first build and, for each kind of save, the median rebuild and the files it wrote. ``--baseline`` runs the same in
a worktree of that revision, after this tree's run, in a process of its own.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BLOG = REPO / "tests" / "hexo" / "blog"
SEED = REPO / "tests" / "fixtures" / "seed.md"


def make_blog(root: Path, posts: int) -> Path:
    blog = root / "blog"
    shutil.copytree(BLOG, blog)
    (blog / "xint.yml").write_text("search: false\n", encoding="utf-8")
    body = SEED.read_text(encoding="utf-8").split("---", 2)[2]
    for i in range(posts):
        front = (
            f"title: Post {i}\ndate: 2022-{1 + i % 12:02d}-{1 + i % 28:02d} 10:00:00\n"
            f"tags: [t{i % 20}]\ncategories: [c{i % 7}]\n"
        )
        (blog / f"source/_posts/p{i:05d}.md").write_text(f"---\n{front}---\n{body}", "utf-8")
    return blog


def run(repo: Path, posts: int, edits: int) -> None:
    """Measure with the xint-site of ``repo`` (imported from there)."""
    sys.path.insert(0, str(repo))
    from xint_site.pipeline import BuildOptions, SiteBuilder

    with tempfile.TemporaryDirectory(prefix="xint-hexo-bench-") as tmp:
        blog = make_blog(Path(tmp), posts)
        options = BuildOptions(blog, Path(tmp) / "out", execute=False, jobs=2)
        post = blog / "source/_posts/p00003.md"
        text = post.read_text(encoding="utf-8")
        with SiteBuilder(options, warm_kernels=False) as builder:
            started = time.perf_counter()
            first = builder.build()
            assert first.report.ok, first.report.errors
            print(
                f"  first build {time.perf_counter() - started:6.1f} s, {len(first.written)} files"
            )
            tagged = text.replace("tags: [t3]", "tags: [t3, more]", 1)
            saves = {
                "prose edit": lambda k: _save(post, f"{text}\nOne more line, {k}.\n"),
                "tag added": lambda k: _save(post, tagged if k % 2 == 0 else text),
                "new post": lambda k: _save(
                    blog / f"source/_posts/new{k}.md",
                    f"---\ntitle: New {k}\ndate: 2023-01-0{k % 9 + 1} 10:00:00\n---\nNew.\n",
                ),
            }
            for kind, save in saves.items():
                times, written = [], []
                for k in range(edits):
                    changed = save(k)
                    started = time.perf_counter()
                    result = builder.rebuild([changed])
                    times.append(time.perf_counter() - started)
                    assert result.report.ok, result.report.errors
                    written.append(len(result.written))
                median = statistics.median(times) * 1000
                files = statistics.median(written)
                print(f"  {kind:11} {median:8.0f} ms median, {files:.0f} files written")


def _save(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=8)
    parser.add_argument("--baseline", help="also measure xint-site at this git revision")
    parser.add_argument("--repo", type=Path, help=argparse.SUPPRESS)  # the baseline's run
    args = parser.parse_args()
    if args.repo is not None:
        run(args.repo, args.posts, args.edits)
        return
    print(f"this tree, {args.posts} posts more:", flush=True)
    own = [sys.executable, __file__, "--posts", str(args.posts), "--edits", str(args.edits)]
    subprocess.run([*own, "--repo", str(REPO)], check=True)
    if args.baseline:
        with tempfile.TemporaryDirectory(prefix="xint-hexo-base-") as tmp:
            tree = Path(tmp) / "tree"
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), args.baseline],
                check=True,
                capture_output=True,
            )
            try:
                print(f"{args.baseline}:", flush=True)
                subprocess.run([*own, "--repo", str(tree)], check=True)
            finally:
                subprocess.run(
                    ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)],
                    check=True,
                )


if __name__ == "__main__":
    main()
