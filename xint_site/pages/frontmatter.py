"""Hexo-style YAML front matter: the fields, their types, and their checks."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from typing import Any

from xint_site.pages.names import name_problem, path_problem, shown
from xint_site.yamlfile import KeyPath, YamlDoc

KNOWN = {
    "layout",
    "title",
    "date",
    "updated",
    "tags",
    "categories",
    "permalink",
    "excerpt",
    "description",
    "draft",
    "execute",
    "timeout",
    "notebook_timeout",
    "isolate",
    "files",
    "author",
}


@dataclass(frozen=True, slots=True)
class FrontMatter:
    layout: str = ""  # empty: post.html for posts, page.html for pages
    title: str = ""
    date: dt.datetime | None = None
    updated: dt.datetime | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    # Hexo's reading of ``categories``: ``[a, b]`` is one chain, b inside a; a list that
    # holds lists (``[[a, b], [c]]``) gives one chain per item
    category_chains: tuple[tuple[str, ...], ...] = ()
    permalink: str | None = None
    excerpt: str = ""
    description: str = ""
    author: str = ""
    draft: bool = False
    execute: bool | None = None
    timeout: float | None = None
    notebook_timeout: float | None = None
    isolate: bool = False
    files: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # key -> line in the file

    def line(self, key: str) -> int:
        """The line of a key in the page file, for errors about its value (1 if absent)."""
        return self.lines.get(key, 1)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (yaml text or None, body, 1-based line of the body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    return "\n".join(lines[1:]), "", -1


def parse_front_matter(
    doc: YamlDoc, first_line: int = 1
) -> tuple[FrontMatter, list[tuple[KeyPath, str]]]:
    """Check and convert the loaded YAML; return the value and (key path, problem)s.

    ``first_line`` is the line of the page file where the YAML starts."""
    data = doc.data
    problems: list[tuple[KeyPath, str]] = []
    if data is None:
        return FrontMatter(), problems
    if not isinstance(data, dict):
        return FrontMatter(), [((), "front matter must be a mapping of keys to values")]
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        name = str(key)
        if name not in KNOWN:
            extra[name] = value
            continue
        try:
            values[name] = _CONVERT[name](value)
        except ValueError as exc:
            problems.append(((key,), f"front matter '{name}': {exc}"))
    if values.get("categories"):
        values["category_chains"] = _chains(data["categories"])
    # keys and names repeat on every page: one string each, not one per page
    lines = {sys.intern(str(k)): doc.line((str(k),)) + first_line - 1 for k in data}
    return FrontMatter(**values, extra=extra, lines=lines), problems


def _text(value: Any) -> str:
    if isinstance(value, dict | list):
        raise ValueError(
            "expected text, got a " + ("mapping" if isinstance(value, dict) else "list")
        )
    return "" if value is None else str(value)


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, list):  # Hexo's nested categories: [parent, child]
            out.extend(_text(x) for x in item)
        else:
            out.append(_text(item))
    names = tuple(sys.intern(n.strip()) for n in out if n is not None and str(n).strip())
    for name in names:
        if "\x00" in name:
            raise ValueError(f"{shown(name)} contains a NUL character")
    return names


def _chains(value: Any) -> tuple[tuple[str, ...], ...]:
    """Categories as Hexo nests them (its ``setCategories``); names already checked."""
    items = value if isinstance(value, list) else [value]
    if not any(isinstance(item, list) for item in items):
        items = [items]
    chains = (_names(item) for item in items)
    return tuple(chain for chain in chains if chain)


def _folder_names(value: Any) -> tuple[str, ...]:
    """Tags and categories: each names a folder of the site (``tags/<name>/``)."""
    names = _names(value)
    for name in names:
        problem = name_problem(name)
        if problem:
            raise ValueError(f"{shown(name)} {problem}")
    return names


def _date(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    try:
        return dt.datetime.fromisoformat(str(value).strip())
    except ValueError as exc:
        reason = str(exc)  # "month must be in 1..12"; not for text that is no date at all
        if reason.startswith("Invalid isoformat"):
            reason = "use 2021-05-04 16:44:49 or ISO 8601"
        raise ValueError(f"cannot read {value!r} as a date ({reason})") from None


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"expected true or false, got {value!r}")


def _opt_bool(value: Any) -> bool | None:
    return None if value is None else _bool(value)


def _seconds(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    raise ValueError(f"expected a positive number of seconds, got {value!r}")


def _opt_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _permalink(value: Any) -> str | None:
    path = _opt_text(value)
    if path and (problem := path_problem(path)):
        raise ValueError(f"{shown(path)} {problem}")
    return path


_CONVERT = {
    "layout": _text,
    "title": _text,
    "date": _date,
    "updated": _date,
    "tags": _folder_names,
    "categories": _folder_names,
    "permalink": _permalink,
    "excerpt": _text,
    "description": _text,
    "author": _text,
    "draft": _bool,
    "execute": _opt_bool,
    "timeout": _seconds,
    "notebook_timeout": _seconds,
    "isolate": _bool,
    "files": _names,
}
