"""The math font: STIX Two Math from the ziamath wheel, cut to what the site uses.

MathML only looks like LaTeX with an OpenType MATH font; we take it from a
package dependency at build time and never commit a font file. The whole font is
over half a megabyte of WOFF2, so a site gets a subset: the characters of its
formulas (and the italic letters the browser shows for single-letter ``<mi>``), with
the glyphs the MATH table builds from them (bigger brackets, radicals, stretchy
arrows). fontTools cuts it once per set of characters; the result is cached on disk.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import io
import re
import unicodedata
from pathlib import Path

from xint_site.files import write_file_atomic
from xint_site.paths import cache_dir

MATH_FONT_NAME = "STIXTwoMath.woff2"


def source_font() -> Path:
    """The font file inside the installed ziamath package (found without importing it)."""
    spec = importlib.util.find_spec("ziamath")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "the ziamath package (which carries STIX Two Math) is not installed"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "fonts" / "STIXTwoMath-Regular.ttf"


def math_font_woff2(chars: str | None = None) -> bytes:
    """The WOFF2 bytes, made once per font version (and set of characters) and cached on
    disk: the whole font, or with ``chars`` only what shows them (:func:`math_chars`)."""
    source = source_font()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    if chars is not None:
        digest += "-" + hashlib.sha256(chars.encode("utf-8")).hexdigest()[:16]
    cached = cache_dir() / "fonts" / f"STIXTwoMath-{digest}.woff2"
    if cached.is_file():
        return cached.read_bytes()
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source))
    if chars is not None:
        options = subset.Options()
        options.layout_features = ["*"]  # ssty (script sizes), dtls, flac... all of them
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes={ord(c) for c in chars})
        subsetter.subset(font)  # the MATH table's variants and parts come along
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    write_file_atomic(cached, buffer.getvalue())
    return buffer.getvalue()


_MATH = re.compile(r"<math\b.*?</math\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")


def math_chars(markup: str) -> str:
    """The characters the math font must show for the formulas of ``markup``, sorted:
    their text, and each letter's mathematical italic, which Chromium draws for a
    single-letter ``<mi>`` (``x`` is shown as U+1D465)."""
    text = set(html.unescape(_TAG.sub("", "".join(_MATH.findall(markup)))))
    text.discard("\n")
    return "".join(sorted(text | {_italic(c) for c in text} - {""}))


def _italic(char: str) -> str:
    """The mathematical italic form of a Latin or Greek letter (or of ∂ and ∇), or ''."""
    if char == "h":
        return "\u210e"  # PLANCK CONSTANT: the math alphabet leaves a hole for it
    name = unicodedata.name(char, "")
    script, _, rest = name.partition(" ")
    if name in ("NABLA", "PARTIAL DIFFERENTIAL"):
        rest = name
    elif script not in ("LATIN", "GREEK"):
        return ""
    try:  # GREEK SMALL LETTER ALPHA -> MATHEMATICAL ITALIC SMALL ALPHA
        return unicodedata.lookup(
            "MATHEMATICAL ITALIC " + rest.replace("LETTER ", "").replace("LUNATE ", "")
        )
    except KeyError:
        return ""
