"""The globs of ``_config.yml`` (``skip_render``, ``include``, ``exclude``, ``ignore``),
matched as Hexo's micromatch matches them: against the whole path below ``source/``,
``*`` within one folder, ``**`` across folders, ``{a,b}`` either."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_PART = re.compile(r"\*\*/|/\*\*$|\*\*|\*|\?|\{[^{}]*\}")


def matches(patterns: Iterable[str], rel: str) -> bool:
    """Whether the posix path ``rel`` matches any of the globs."""
    return any(_regex(p).fullmatch(rel) for p in patterns)


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    pattern = pattern.removeprefix("./").lstrip("/")
    out = []
    pos = 0
    for m in _PART.finditer(pattern):
        out.append(re.escape(pattern[pos : m.start()]))
        part = m.group(0)
        if part.startswith("{"):
            out.append("(?:" + "|".join(re.escape(a) for a in part[1:-1].split(",")) + ")")
        else:
            out.append(
                {"**/": "(?:.*/)?", "/**": "(?:/.*)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}[part]
            )
        pos = m.end()
    out.append(re.escape(pattern[pos:]))
    return re.compile("".join(out))
