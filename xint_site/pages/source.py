"""A page as read from disk: where it is, its front matter and its Markdown body."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from xint_site.pages.frontmatter import FrontMatter, parse_front_matter, split_front_matter
from xint_site.pages.names import NOT_UTF8_NAME, is_utf8_path, readable_path
from xint_site.paths import is_hidden
from xint_site.problems import Problem, problem_at, warning_at
from xint_site.yamlfile import YamlError, load_yaml


@dataclass(frozen=True, slots=True)
class SourcePage:
    path: Path  # the file, as given (content dir joined with rel)
    rel: str  # posix path relative to the content folder
    meta: FrontMatter
    body: str
    body_line: int  # 1-based line in the file of the body's first line

    @property
    def slug(self) -> str:
        """Hexo's ``:title``: the file path without extension, relative to its folder."""
        return self.rel.rsplit(".", 1)[0]


@dataclass(frozen=True)
class ContentTree:
    """The files of a content folder that the site is made of, and the links left out."""

    pages: list[Path]  # every ``*.md``
    files: list[Path]  # everything else, copied as it is
    skipped: list[Problem]  # warnings: symbolic links that are not followed


def walk_content(content_dir: Path) -> ContentTree:
    """Every file under the folder that is not hidden, in name order.

    A symbolic link is followed only to a file inside the content folder: one that leads
    out (``/etc/passwd``) would publish a file the author never put in the site, and a
    link to a folder would publish its pages twice. Those, loops and links to nothing are
    left out with a warning, never silently and never as a traceback.
    """
    root = content_dir.resolve()
    pages: list[Path] = []
    files: list[Path] = []
    skipped: list[Problem] = []
    for path in sorted(content_dir.rglob("*")):
        if is_hidden(path.relative_to(content_dir)):
            continue
        if path.is_symlink():
            problem = _link_problem(path, root)
            if problem:
                skipped.append(warning_at(path, 0, f"symbolic link {problem} skipped"))
                continue
        if path.is_file():
            (pages if path.suffix == ".md" else files).append(path)
    return ContentTree(pages, files, skipped)


def find_pages(content_dir: Path) -> list[Path]:
    """Every ``*.md`` under the folder that is not hidden (see :func:`walk_content`)."""
    return walk_content(content_dir).pages


def _link_problem(link: Path, root: Path) -> str | None:
    """Why a symbolic link is not followed, or None for a link to a file of the site."""
    shown = repr(os.readlink(link))
    try:
        target = link.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop this way
        return "loop"
    except OSError as exc:
        return "loop" if exc.errno == errno.ELOOP else f"to nothing ({shown})"
    if target.is_dir():
        return f"to the folder {shown}"
    if not target.is_relative_to(root):
        return f"to {shown} outside the content folder"
    return None


def read_page(path: Path, content_dir: Path) -> SourcePage | list[Problem]:
    """Read and check one page; return it, or the problems that stop it."""
    if not is_utf8_path(path.relative_to(content_dir)):  # no URL can name it: say which file
        return [problem_at(readable_path(path), 1, NOT_UTF8_NAME)]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [problem_at(path, 0, f"cannot read this page: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [problem_at(path, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})")]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    yaml_text, body, body_line = split_front_matter(text)
    rel = path.relative_to(content_dir).as_posix()
    if yaml_text is None:
        return SourcePage(path, rel, FrontMatter(), body, body_line)
    if body_line < 0:
        return [problem_at(path, 1, "front matter is not closed: add a '---' line after it")]
    try:
        doc = load_yaml(yaml_text)
    except YamlError as exc:
        return [problem_at(path, exc.line + 1, f"invalid front matter: {exc.message}")]
    meta, problems = parse_front_matter(doc, first_line=2)
    if problems:
        return [problem_at(path, doc.line(k) + 1, m) for k, m in problems]
    return SourcePage(path, rel, meta, body, body_line)
