"""The keys of ``_config.yml`` that decide how Hexo reads a blog's source folder: how
posts are named and their dates read, how tags and categories become slugs, which files
are left out or copied as they are, and how the generators page their listings.

Each reader takes the loaded YAML and adds what it found to ``values`` (named as the
fields of ``HexoUrls`` and ``HexoSite``) and what is wrong to ``problems`` (by key).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from xint_site.yamlfile import KeyPath

Values = dict[str, Any]
Problems = list[tuple[str, str]]


def source_rules(data: dict[Any, Any]) -> tuple[Values, Problems]:
    values: Values = {}
    problems: Problems = []
    for read in _READERS:
        read(data, values, problems)
    return values, problems


def get(data: Any, key_path: KeyPath) -> Any:
    """The value at ``key_path`` (``("index_generator", "per_page")``), or None."""
    for key in key_path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _post_names(data: dict[Any, Any], values: Values, problems: Problems) -> None:
    name = data.get("new_post_name")
    if name is None:
        return
    if isinstance(name, str) and name.strip():
        values["new_post_name"] = name
    else:
        problems.append(("new_post_name", "expected a file name pattern like ':title.md'"))


def _timezone(data: dict[Any, Any], values: Values, problems: Problems) -> None:
    zone = data.get("timezone")
    if not zone:
        return
    try:
        ZoneInfo(str(zone))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(("timezone", f"unknown time zone {str(zone)!r} (e.g. Asia/Shanghai)"))
    else:
        values["timezone"] = str(zone)


def _slugs(data: dict[Any, Any], values: Values, problems: Problems) -> None:
    case = data.get("filename_case")
    if case is not None:
        if case in (0, 1, 2) and not isinstance(case, bool):
            values["filename_case"] = case
        else:
            problems.append(("filename_case", f"expected 0, 1 or 2, got {case!r}"))
    for key in ("tag_map", "category_map"):
        names = data.get(key)
        if names is None:
            continue
        if isinstance(names, dict):
            values[key] = tuple((str(k), str(v)) for k, v in names.items() if v is not None)
        else:
            problems.append((key, "expected a mapping of names to the names of their URLs"))


def _globs(data: dict[Any, Any], values: Values, problems: Problems) -> None:
    """``ignore`` leaves files out as ``exclude`` does."""
    for key, name in (
        ("skip_render", "skip_render"),
        ("include", "include"),
        ("exclude", "exclude"),
        ("ignore", "exclude"),
    ):
        globs = data.get(key)
        if globs is None:
            continue
        items = globs if isinstance(globs, list) else [globs]
        if all(isinstance(g, str) for g in items):
            values[name] = (*values.get(name, ()), *items)
        else:
            problems.append((key, "expected a glob or a list of globs ('README.md', 'demo/**')"))


def _generators(data: dict[Any, Any], values: Values, problems: Problems) -> None:
    """The settings of hexo-generator-index, -tag, -category and -archive that change
    URLs: posts per page, the home page's folders, which archives there are."""
    for kind in ("tag", "category", "archive"):
        count = get(data, (f"{kind}_generator", "per_page"))
        if count is None:
            continue
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
            values["per_page"] = (*values.get("per_page", ()), (kind, count))
        else:
            problems.append((f"{kind}_generator", f"per_page: expected a number, got {count!r}"))
    for key, name in (("path", "home"), ("pagination_dir", "home_pages")):
        folder = get(data, ("index_generator", key))
        if folder is None:
            continue
        if isinstance(folder, str):
            values[name] = folder
        else:
            problems.append(("index_generator", f"{key}: expected a folder, got {folder!r}"))
    archive = data.get("archive_generator")
    if isinstance(archive, dict):
        flags = {"yearly": True, "monthly": True, "daily": False}
        flags.update({k: archive[k] is True for k in flags if k in archive})
        values["archives"] = " ".join(k for k, on in flags.items() if on)


_READERS: tuple[Callable[[dict[Any, Any], Values, Problems], None], ...] = (
    _post_names,
    _timezone,
    _slugs,
    _globs,
    _generators,
)
