"""YAML loading that remembers the line of every key, for ``path:line`` errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDoc:
    """Loaded YAML data plus the 1-based line where each key or item starts."""

    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, path: KeyPath, default: int = 1) -> int:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), default)


class YamlError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Checked(yaml.constructor.SafeConstructor):
    """PyYAML's safe constructor whose every failure is a ``YAMLError`` with the value's
    line, under either parser (:class:`_Loader`, :data:`_FAST`).

    PyYAML raises plain ``ValueError`` and friends for values such as ``!!int x`` or
    a date with month 13; those become errors marked at the value. A timestamp that
    is no real date stays text, so the key that wants a date says what is wrong.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            value = super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            raise _marked(node, f"cannot read {_shown(node)} as {_tag(node)}: {exc}") from None
        if isinstance(value, str) and not _is_unicode(value):
            raise _marked(node, f"{_shown(node)} is not Unicode text (it holds a lone surrogate)")
        return value


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> date | str:
    """A ``!!timestamp`` that is no real date stays text (see :class:`_Checked`)."""
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, AttributeError):  # month 13; or `!!timestamp` on other text
        return loader.construct_scalar(node)


_Checked.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class _Loader(_Checked, yaml.SafeLoader):
    """PyYAML's own parser (pure Python): its error messages."""


# libyaml's parser (C) under the same constructor: pages and configs are read several
# times a build, and PyYAML's own parser took most of a small build's YAML time. What it
# refuses is read again by _Loader, so an error says what PyYAML says. A PyYAML built
# without libyaml has none: _Loader reads everything.
_FAST: type[yaml.CSafeLoader] | None = None
if yaml.__with_libyaml__:

    class _FastLoader(_Checked, yaml.CSafeLoader):
        pass

    _FAST = _FastLoader


def _marked(node: yaml.Node, problem: str) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, problem, node.start_mark)


def _shown(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return repr(node.value[:40])
    return "this value"


def _tag(node: yaml.Node) -> str:
    return node.tag.rsplit(":", 1)[-1]


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def load_yaml(text: str) -> YamlDoc:
    """Parse one YAML document; raise :class:`YamlError` with a 1-based line."""
    if _FAST is not None:
        try:
            node, data = _parse(_FAST, text)
        except Exception:  # what libyaml refuses or cannot read is read again by PyYAML
            pass
        else:
            return _with_lines(node, data)
    try:
        node, data = _parse(_Loader, text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        message = " ".join(p for p in (exc.context, exc.problem) if p)
        raise YamlError(line, message or "invalid YAML") from None
    except yaml.YAMLError as exc:
        raise YamlError(1, str(exc)) from None
    except RecursionError:
        raise YamlError(1, "nested too deeply") from None
    return _with_lines(node, data)


def _parse(
    loader_class: type[yaml.SafeLoader] | type[yaml.CSafeLoader], text: str
) -> tuple[yaml.Node | None, Any]:
    """The document's nodes (for the lines) and the data made from them: one parse."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _with_lines(node: yaml.Node | None, data: Any) -> YamlDoc:
    lines: dict[KeyPath, int] = {}
    if node is not None:
        lines[()] = node.start_mark.line + 1
        _record(node, (), lines)
    return YamlDoc(data, lines)


def _record(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key_path = (*path, key_node.value)
            lines[key_path] = key_node.start_mark.line + 1
            _record(value_node, key_path, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            item_path = (*path, index)
            lines[item_path] = item.start_mark.line + 1
            _record(item, item_path, lines)
