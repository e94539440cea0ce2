"""The theme's interface strings in the site's language.

A theme keeps one YAML table per language in ``i18n/`` (``en.yml``, ``zh-CN.yml``), a
site may override single strings in ``_theme/i18n/``. ``language`` in ``xint.yml``
picks a table by BCP 47 tag (``zh``, ``zh-Hans`` and ``zh-CN`` are one table); every
string the table lacks comes from English, so a half-done translation still builds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from xint_site.problems import Problem, problem_at
from xint_site.yamlfile import YamlError, load_yaml

I18N_DIR = "i18n"
FALLBACK = "en"
# Simplified Chinese by any of its usual names; Traditional (zh-TW, zh-Hant) is not it.
_ALIASES = {"zh": "zh-cn", "zh-hans": "zh-cn", "zh-hans-cn": "zh-cn", "zh-sg": "zh-cn"}
_NOT_PRIMARY = {"zh-tw", "zh-hk", "zh-mo", "zh-hant"}

Tables = dict[str, dict[str, str]]  # language as its file names it -> key -> text


def load_tables(folders: Sequence[Path]) -> tuple[Tables, list[Problem]]:
    """Every ``i18n/<language>.yml`` of the folders (highest priority first), merged per
    language so that a site's override replaces single strings of its theme."""
    tables: Tables = {}
    problems: list[Problem] = []
    for folder in reversed(folders):
        for path in sorted((folder / I18N_DIR).glob("*.yml")):
            table = _read_table(path, problems)
            language = next((k for k in tables if k.casefold() == path.stem.casefold()), None)
            tables.setdefault(language or path.stem, {}).update(table)
    return tables, problems


def _read_table(path: Path, problems: list[Problem]) -> dict[str, str]:
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        problems.append(problem_at(path, 1, f"not UTF-8 text ({exc.reason})"))
        return {}
    except YamlError as exc:
        problems.append(problem_at(path, exc.line, f"invalid YAML: {exc.message}"))
        return {}
    if doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        problems.append(problem_at(path, 1, "expected a mapping of names to texts"))
        return {}
    table = {}
    for key, text in doc.data.items():
        if isinstance(text, str | int | float) and not isinstance(text, bool):
            table[str(key)] = str(text)
        else:
            problems.append(problem_at(path, doc.line((key,)), f"'{key}': expected a text"))
    return table


def table_name(language: str, tables: Mapping[str, object]) -> str | None:
    """The table for a BCP 47 ``language``: its own, its alias's (``zh`` -> ``zh-CN``),
    or its primary language's (``en-GB`` -> ``en``); None when the theme has none."""
    by_key = {name.casefold(): name for name in tables}
    wanted = language.strip().replace("_", "-").casefold()
    wanted = _ALIASES.get(wanted, wanted)
    if wanted in by_key:
        return by_key[wanted]
    if wanted in _NOT_PRIMARY or wanted.startswith("zh-hant"):
        return None
    primary = wanted.split("-")[0]
    primary = _ALIASES.get(primary, primary)
    return by_key.get(primary)


@dataclass(frozen=True)
class Strings:
    """The interface strings of one language, English where it has none; ``t(key,
    name=value)`` in a template. Texts are the theme's own HTML; values are escaped."""

    language: str
    table: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, key: str, **values: Any) -> Markup:
        try:
            text = self.table[key]
        except KeyError:  # a template error, reported at the template's line
            raise jinja2.UndefinedError(
                f"no interface string '{key}' in the theme's {I18N_DIR}/{FALLBACK}.yml"
            ) from None
        return Markup(text).format(**values) if values else Markup(text)

    def pick(self, *keys: str) -> dict[str, str]:
        """The texts of ``keys`` (for a script), as plain strings."""
        return {key: str(self(key)) for key in keys}


def strings_for(language: str, tables: Mapping[str, Mapping[str, str]]) -> Strings:
    """The strings a site in ``language`` shows: its table over English."""
    english = tables.get(table_name(FALLBACK, tables) or FALLBACK, {})
    name = table_name(language, tables)
    own = tables.get(name, {}) if name else {}
    return Strings(language, {**english, **own})
