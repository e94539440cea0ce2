"""Hexo's slugs (hexo-util's ``slugize``): how a tag, a category or a post title
becomes a URL segment.

Letters lose their accents (``Café`` -> ``Cafe``), control characters go, each run of
whitespace and ASCII punctuation becomes one ``-``, and ``-`` is trimmed at both ends.
Every other character, Chinese included, is kept as it is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CONTROL = re.compile(r"[\x00-\x1f]")
_SPECIAL = re.compile(r"""[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:"'<>,.?/]+""")
_SEPARATORS = re.compile(r"-{2,}")
# Letters that carry no combining mark to drop but that Hexo spells in plain Latin.
_LETTERS = {
    "Æ": "AE",
    "æ": "ae",
    "Ø": "O",
    "ø": "o",
    "Œ": "OE",
    "œ": "oe",
    "Đ": "D",
    "đ": "d",
    "Ł": "L",
    "ł": "l",
    "Ħ": "H",
    "ħ": "h",
    "ß": "ss",
}


def slugize(text: str, lower: bool = False) -> str:
    """``text`` as Hexo's ``slugize`` writes it; ``lower`` as its ``transform: 1``
    (which ``:post_title`` uses)."""
    slug = _SPECIAL.sub("-", _CONTROL.sub("", plain_letters(text)))
    slug = _SEPARATORS.sub("-", slug).strip("-")
    return slug.lower() if lower else slug


def plain_letters(text: str) -> str:
    """Latin letters without their accents; every other character unchanged."""
    return "".join(_plain(c) for c in text)


@lru_cache(maxsize=4096)
def _plain(char: str) -> str:
    if char.isascii():
        return char
    if char in _LETTERS:
        return _LETTERS[char]
    if not unicodedata.name(char, "").startswith(("LATIN", "CIRCLED LATIN", "FULLWIDTH LATIN")):
        return char
    base = unicodedata.normalize("NFKD", char)
    return "".join(c for c in base if not unicodedata.combining(c))
