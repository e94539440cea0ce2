"""The info string of a fenced code block: ``python pytorch raises``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PYTHON = frozenset({"python", "py", "python3", "ipython", "ipython3", "pycon"})

#: Words after the language that are cell options, not frameworks.
OPTIONS = frozenset({"skip", "run", "raises", "hide-output", "hide-code", "agree"})


@dataclass(frozen=True)
class FenceInfo:
    language: str
    framework_name: str | None  # as written; resolved by the tab-set rules
    options: frozenset[str]
    unknown: tuple[str, ...]  # bare words that are neither framework nor option


def parse_fence_info(info: str, is_framework: Callable[[str], bool]) -> FenceInfo:
    words = info.strip().split()
    if not words:
        return FenceInfo("", None, frozenset(), ())
    language = words[0].strip("{}.").lower()
    framework = None
    options = set()
    unknown = []
    for word in words[1:]:
        if "=" in word:  # key=value attributes belong to other tools
            continue
        if word.lower() in OPTIONS:
            options.add(word.lower())
        elif framework is None and is_framework(word):
            framework = word
        else:
            unknown.append(word)
    return FenceInfo(language, framework, frozenset(options), tuple(unknown))
