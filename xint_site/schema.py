"""Turn loaded YAML mappings into frozen dataclasses, with line-numbered errors.

Each dataclass field documents itself through ``field(metadata={"doc": ...})``;
the README's config reference lists the same fields (a test keeps them in step).
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from xint_site.yamlfile import KeyPath

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


class SchemaError(ValueError):
    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def build(cls: type[T], value: Any, path: KeyPath, errors: list[SchemaError]) -> T | None:
    """Build ``cls`` from a mapping; append problems to ``errors``, never raise.

    ``None`` when a required key is missing (that problem is in ``errors``)."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        errors.append(SchemaError(path, f"expected a mapping, got {_kind(value)}"))
        value = {}
    hints = typing.get_type_hints(cls)
    names = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, item in value.items():
        key_text = str(key)
        name = key_text.replace("-", "_")
        if name not in names:
            errors.append(SchemaError((*path, key), unknown_key(key_text, names)))
            continue
        converted = _convert(hints[name], item, (*path, key), errors)
        if converted is not _INVALID:
            kwargs[name] = converted
    for name, f in names.items():
        if (
            name not in kwargs
            and f.default is dataclasses.MISSING
            and (f.default_factory is dataclasses.MISSING)
        ):
            errors.append(SchemaError(path, f"missing required key '{name}'"))
            return None
    return cls(**kwargs)


_INVALID: Any = object()


def unknown_key(key: str, known: Iterable[str]) -> str:
    """The message for a key no field has: the closest field first, then every field, all
    spelt as the README documents them (``per_page``; ``per-page`` is also read)."""
    names = sorted(known)
    close = difflib.get_close_matches(key.replace("-", "_").casefold(), names, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown key '{key}' (known: {', '.join(names)}){hint}"


def _convert(hint: Any, value: Any, path: KeyPath, errors: list[SchemaError]) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value, path, errors)
    if origin is tuple:
        items = value if isinstance(value, list) else [value]
        out = [_convert(args[0], item, (*path, i), errors) for i, item in enumerate(items)]
        return _INVALID if any(o is _INVALID for o in out) else tuple(out)
    if origin is dict:
        if not isinstance(value, dict):
            errors.append(SchemaError(path, f"expected a mapping, got {_kind(value)}"))
            return _INVALID
        return {str(k): _convert(args[1], v, (*path, k), errors) for k, v in value.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        built = build(hint, value, path, errors)
        return _INVALID if built is None else built
    if hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif hint is str:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
    else:
        return value
    errors.append(SchemaError(path, f"expected {hint.__name__}, got {_kind(value)}"))
    return _INVALID


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(
        type(value), f"{type(value).__name__} {value!r}"
    )
