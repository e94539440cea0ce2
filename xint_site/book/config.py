"""d2l-book's ``config.ini``: the book's title and authors, its tabs, files and bibliography.

Read with ``configparser`` as d2l-book reads it; only the keys a website needs are kept.
``xint.yml`` beside it still describes the frameworks (kernels, requirements): the
book's ``tabs`` only choose which of them are tabs, and in what order.
"""

from __future__ import annotations

import ast
import configparser
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from xint_site.config import DEFAULT_FRAMEWORKS, Framework, SiteConfig
from xint_site.problems import Problem, problem_at

BOOK_CONFIG_NAME = "config.ini"

_SECTION = re.compile(r"\s*\[(?P<name>[^\]]+)\]")
_OPTION = re.compile(r"(?P<key>[^\s=:#;][^=:]*?)\s*[=:]")
_GLOB_PART = re.compile(r"\*\*/|\*\*|\*|\?")


@dataclass(frozen=True)
class BookConfig:
    """What the website takes from ``config.ini`` (paths are relative to the content folder)."""

    path: Path
    title: str = ""
    author: str = ""  # as written: "Aston Zhang, Zachary C. Lipton, and Mu Li"
    copyright: str = ""
    release: str = ""
    index: str = "index.md"  # the root page, whose toc lists the parts and chapters
    tabs: tuple[str, ...] = ()  # framework names in tab order; the first is the default
    notebooks: tuple[str, ...] = ("**/*.md",)
    exclusions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    bibfile: str = ""
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # "build.tabs" -> line

    @property
    def default_tab(self) -> str | None:
        return self.tabs[0] if self.tabs else None

    @property
    def authors(self) -> tuple[str, ...]:
        """``A, B, and C`` as three names."""
        names = re.split(r",\s*(?:and\s+)?|\s+and\s+", self.author)
        return tuple(n.strip() for n in names if n.strip())

    def line(self, section: str, option: str) -> int:
        """The line of ``option`` in ``[section]``, for problems about its value (1 if absent)."""
        return self.lines.get(f"{section}.{option}", 1)

    def includes(self, rel: str) -> bool:
        """Whether a page is part of the book: matched by ``notebooks``, not by
        ``exclusions`` (d2l-book's globs, relative to the book's folder)."""
        return any(glob_matches(p, rel) for p in self.notebooks) and not any(
            glob_matches(p, rel) for p in self.exclusions
        )


def glob_matches(pattern: str, rel: str) -> bool:
    """``glob.glob(pattern, recursive=True)`` semantics on a posix path: ``*`` stays within
    a folder, ``**/`` crosses any number of them (none included)."""
    pattern = pattern.removeprefix("./")
    out = []
    pos = 0
    for m in _GLOB_PART.finditer(pattern):
        out.append(re.escape(pattern[pos : m.start()]))
        out.append({"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}[m.group(0)])
        pos = m.end()
    out.append(re.escape(pattern[pos:]))
    return re.fullmatch("".join(out), rel) is not None


def load_book_config(content_dir: Path) -> tuple[BookConfig | None, list[Problem]]:
    """``config.ini`` of the content folder: None when there is none (not a book)."""
    path = content_dir / BOOK_CONFIG_NAME
    if not path.is_file():
        return None, []
    try:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        return None, [problem_at(path, 1, f"not UTF-8 text ({exc.reason})")]
    except OSError as exc:
        return None, [problem_at(path, 0, f"cannot read the book's config: {exc.strerror}")]
    return parse_book_config(text, path)


def parse_book_config(text: str, path: Path) -> tuple[BookConfig | None, list[Problem]]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as exc:
        return None, _ini_problems(exc, path)

    def get(section: str, option: str, default: str = "") -> str:
        return parser.get(section, option, fallback=default).strip()

    config = BookConfig(
        path=path,
        title=get("project", "title"),
        author=get("project", "author"),
        copyright=get("project", "copyright"),
        release=get("project", "release"),
        index=(get("build", "index") or "index").removesuffix(".md") + ".md",
        tabs=tuple(t.strip() for t in get("build", "tabs").split(",") if t.strip()),
        notebooks=tuple(get("build", "notebooks", "**/*.md").split()),
        exclusions=tuple(get("build", "exclusions").split()),
        resources=tuple(get("build", "resources").split()),
        bibfile=get("pdf", "bibfile"),
        lines=option_lines(text),
    )
    return config, []


def _ini_problems(exc: configparser.Error, path: Path) -> list[Problem]:
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return [problem_at(path, exc.lineno, "a '[section]' line must come before any option")]
    if isinstance(exc, configparser.ParsingError):
        return [
            problem_at(path, line, f"not an 'option = value' line: {_unrepr(text).strip()!r}")
            for line, text in exc.errors
        ]
    if isinstance(exc, configparser.DuplicateOptionError):
        return [
            problem_at(path, exc.lineno or 0, f"'{exc.option}' is set twice in [{exc.section}]")
        ]
    if isinstance(exc, configparser.DuplicateSectionError):
        return [problem_at(path, exc.lineno or 0, f"section [{exc.section}] appears twice")]
    return [problem_at(path, 0, f"cannot read the book's config: {exc.message}")]


def _unrepr(text: str) -> str:
    """configparser keeps a bad line as its repr()."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


def option_lines(text: str) -> dict[str, int]:
    """``section.option`` -> 1-based line, for problems about a value (configparser keeps
    no lines)."""
    lines: dict[str, int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), 1):
        if m := _SECTION.match(line):
            section = m.group("name").strip()
        elif line[:1].strip() and (m := _OPTION.match(line)):
            lines.setdefault(f"{section}.{m.group('key').strip().lower()}", number)
    return lines


def merge_site_config(book: BookConfig, site: SiteConfig) -> tuple[SiteConfig, list[Problem]]:
    """The site's config for a book: the frameworks of ``tabs``, in their order, as
    ``xint.yml`` (or the built-in defaults) describes them; title and author from
    ``config.ini`` unless ``xint.yml`` set them."""
    tabs: list[Framework] = []
    problems: list[Problem] = []
    line = book.line("build", "tabs")
    for name in book.tabs:
        framework = site.framework(name) or _built_in(name)
        if framework is None:
            problems.append(
                problem_at(
                    book.path,
                    line,
                    f"tab '{name}' is no framework that xint.yml describes: add it under "
                    "'frameworks:' in xint.yml with its kernel",
                )
            )
        elif framework in tabs:
            problems.append(problem_at(book.path, line, f"tab '{name}' is listed twice"))
        else:
            tabs.append(framework)
    # the book builds its tabs and nothing else (as d2l-book builds one notebook per tab);
    # a book without tabs keeps the site's frameworks
    frameworks = tuple(tabs) if book.tabs else site.frameworks
    defaults = SiteConfig()
    merged = replace(
        site,
        frameworks=frameworks,
        title=book.title if site.title == defaults.title and book.title else site.title,
        author=site.author or book.author,
    )
    return merged, problems


def _built_in(name: str) -> Framework | None:
    key = name.strip().casefold()
    return next((f for f in DEFAULT_FRAMEWORKS if key in f.names()), None)
