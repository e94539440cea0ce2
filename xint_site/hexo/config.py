"""A Hexo blog's ``_config.yml``: is a folder a Hexo site, and what of its config the
site takes.

A folder holding ``_config.yml`` and its ``source/`` folder is a Hexo site, and so is
that ``source/`` folder given on its own. The keys that shape the site (title, URL,
permalinks, listing folders, pagination) are read; the many that belong to Hexo's
themes, renderers and deployers mean nothing here and are left alone, named once when
asked (``-v``), never an error. ``xint.yml`` beside ``_config.yml`` adds what Hexo has
no word for (frameworks, execution) and wins where both set a key.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from xint_site.config import CONFIG_NAME, SiteConfig, config_from_data
from xint_site.hexo.permalinks import HexoUrls
from xint_site.hexo.rules import get, source_rules
from xint_site.problems import Problem, problem_at
from xint_site.yamlfile import KeyPath, YamlError, load_yaml

HEXO_CONFIG_NAME = "_config.yml"

# SiteConfig field <- where Hexo keeps it (the first key set wins)
_FIELDS: dict[str, tuple[KeyPath, ...]] = {
    "title": (("title",),),
    "subtitle": (("subtitle",),),
    "description": (("description",),),
    "author": (("author",),),
    "language": (("language",),),
    "url": (("url",),),
    "permalink": (("permalink",),),
    "per_page": (("index_generator", "per_page"), ("per_page",)),
    "listing_per_page": (("per_page",),),
    "tag_dir": (("tag_dir",),),
    "category_dir": (("category_dir",),),
    "archive_dir": (("archive_dir",),),
    "pagination_dir": (("pagination_dir",),),
    "default_category": (("default_category",),),
}
# keys read besides those: the URL's path, the source folder, asset folders, rules.py's
_OTHER_KEYS = {
    "root",
    "source_dir",
    "post_asset_folder",
    "index_generator",
    "new_post_name",
    "filename_case",
    "tag_map",
    "category_map",
    "timezone",
    "skip_render",
    "include",
    "exclude",
    "ignore",
    "tag_generator",
    "category_generator",
    "archive_generator",
}
HEXO_DEFAULTS = {"archive_dir": "archives", "permalink": ":year/:month/:day/:title/"}


@dataclass(frozen=True)
class HexoSite:
    """Where a Hexo blog is, and what of ``_config.yml`` is not site config."""

    root: Path  # the blog's folder: _config.yml, source/
    source: Path  # its source folder: the content folder of the site
    config_path: Path
    urls: HexoUrls  # its permalinks, slugs, dates and listings
    skip_render: tuple[str, ...] = ()  # globs of files copied as they are (a README.md)
    include: tuple[str, ...] = ()  # globs of _ and . files published all the same
    exclude: tuple[str, ...] = ()  # globs of files left out (``exclude`` and ``ignore``)
    ignored: tuple[str, ...] = ()  # top-level keys of _config.yml not read (themes, plugins)


def find_hexo_root(folder: Path) -> Path | None:
    """The blog folder when ``folder`` is a Hexo blog or its source folder, else None."""
    for root in (folder, folder.parent):
        if not (root / HEXO_CONFIG_NAME).is_file():
            continue
        source = root / _source_dir(root / HEXO_CONFIG_NAME)
        if source.is_dir() and (root == folder or _same(source, folder)):
            return root
    return None


def load_hexo_site(
    folder: Path, config: SiteConfig
) -> tuple[HexoSite | None, SiteConfig, list[Problem]]:
    """The Hexo site at ``folder`` (None if it is none) and the site config: ``config``
    (read from ``xint.yml`` beside ``_config.yml``) with Hexo's values where ``xint.yml``
    is silent."""
    root = find_hexo_root(folder)
    if root is None:
        return None, config, []
    path = root / HEXO_CONFIG_NAME
    try:
        doc = load_yaml(path.read_text(encoding="utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError as exc:
        return None, config, [problem_at(path, 1, f"not UTF-8 text ({exc.reason})")]
    except YamlError as exc:
        return None, config, [problem_at(path, exc.line, f"invalid YAML: {exc.message}")]
    data = doc.data if isinstance(doc.data, dict) else {}
    values, where = _site_values(data)
    hexo_config, found = config_from_data(values)  # the checks xint.yml's values get
    errors = sorted(  # two fields read from one key say the same once
        {problem_at(path, doc.line(where.get(str(key[0]), ())), message) for key, message in found}
    )
    rules, more = source_rules(data)
    errors += [problem_at(path, doc.line((key,)), message) for key, message in more]
    if errors:
        return None, config, errors
    own = _keys_of(root / CONFIG_NAME)
    merged = replace(
        config, **{name: getattr(hexo_config, name) for name in values if name not in own}
    )
    url_rules = {f.name for f in fields(HexoUrls)}
    urls = HexoUrls(
        permalink=merged.permalink,
        default_category=merged.default_category,
        post_asset_folder=data.get("post_asset_folder") is True,
        **{k: v for k, v in rules.items() if k in url_rules},
    )
    site = HexoSite(
        root=root,
        source=root / _source_dir(path),
        config_path=path,
        urls=urls,
        **{k: v for k, v in rules.items() if k not in url_rules},
        ignored=tuple(str(k) for k in data if str(k) not in _read_keys()),
    )
    return site, merged, []


def unused_keys_note(folder: Path) -> str | None:
    """The one line ``-v`` prints for a Hexo blog: the keys of ``_config.yml`` that belong
    to Hexo's themes, renderers and plugins, which this site does not read."""
    site, _, problems = load_hexo_site(folder, SiteConfig())
    if site is None or problems or not site.ignored:
        return None
    keys = ", ".join(site.ignored)
    return f"{site.config_path}: not used here (Hexo's themes and plugins): {keys}"


def _site_values(data: dict[Any, Any]) -> tuple[dict[str, Any], dict[str, KeyPath]]:
    """SiteConfig values from ``_config.yml`` (Hexo's defaults where it differs from
    ours), and the key each came from."""
    values: dict[str, Any] = dict(HEXO_DEFAULTS)
    where: dict[str, KeyPath] = {}
    for name, paths in _FIELDS.items():
        for key_path in paths:
            value = get(data, key_path)
            if value is not None:
                values[name], where[name] = value, key_path
                break
    if isinstance(values.get("language"), list):  # Hexo allows a list; the first is the site's
        values["language"] = values["language"][0] if values["language"] else "en"
    url = str(values.get("url") or "http://example.com")
    root = data.get("root")
    if root is not None:
        parts = urlsplit(url)
        url = urlunsplit((parts.scheme, parts.netloc, "/" + str(root).strip("/"), "", ""))
        where["url"] = ("root",)
    values["url"] = url
    return values, where


def _read_keys() -> set[str]:
    return {str(p[0]) for paths in _FIELDS.values() for p in paths} | _OTHER_KEYS


def _source_dir(config_path: Path) -> str:
    """``source_dir`` of a ``_config.yml`` (``source`` when unreadable: reported later)."""
    try:
        data = load_yaml(config_path.read_text(encoding="utf-8")).data
    except (OSError, UnicodeDecodeError, YamlError):
        return "source"
    value = data.get("source_dir") if isinstance(data, dict) else None
    return str(value).strip("/") if value else "source"


def _keys_of(path: Path) -> set[str]:
    """The top-level keys ``xint.yml`` sets (its problems are reported where it is read)."""
    if not path.is_file():
        return set()
    try:
        data = load_yaml(path.read_text(encoding="utf-8")).data
    except (OSError, UnicodeDecodeError, YamlError):
        return set()
    return {str(k).replace("-", "_") for k in data} if isinstance(data, dict) else set()


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
