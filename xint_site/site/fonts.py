"""The math font: STIX Two Math from the ziamath wheel, compressed to WOFF2 once.

MathML only looks like LaTeX with an OpenType MATH font; we take it from a
package dependency at build time and never commit a font file.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
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


def math_font_woff2() -> bytes:
    """The WOFF2 bytes, compressed once per font version and cached on disk."""
    source = source_font()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    cached = cache_dir() / "fonts" / f"STIXTwoMath-{digest}.woff2"
    if cached.is_file():
        return cached.read_bytes()
    from fontTools.ttLib import TTFont

    font = TTFont(str(source))
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    write_file_atomic(cached, buffer.getvalue())
    return buffer.getvalue()
