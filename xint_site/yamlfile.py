"""YAML loading that remembers the line of every key, for ``path:line`` errors."""

from __future__ import annotations

from dataclasses import dataclass, field
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


def load_yaml(text: str) -> YamlDoc:
    """Parse one YAML document; raise :class:`YamlError` with a 1-based line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        message = " ".join(p for p in (exc.context, exc.problem) if p)
        raise YamlError(line, message or "invalid YAML") from None
    except yaml.YAMLError as exc:
        raise YamlError(1, str(exc)) from None
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
