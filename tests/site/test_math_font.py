"""The math font holds what the site's formulas show, and follows them as pages change."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from tests.conftest import write_tree
from xint_site.pipeline import BuildOptions, SiteBuilder

pytestmark = pytest.mark.slow

# No search index: the font is the subject (the index has tests of its own).
CONFIG = "search: false\nframeworks:\n  - {id: alpha, kernel: python3}\n"
PAGE = "---\ntitle: P\nlayout: page\n---\n\nThe sum $\\sum_i x_i$ of all.\n"
FONT = "assets/fonts/STIXTwoMath.woff2"


def glyphs(out: Path) -> set[str]:
    font = TTFont(io.BytesIO((out / FONT).read_bytes()))
    return {chr(c) for c in font.getBestCmap()}


def test_a_new_formula_in_the_preview_brings_its_glyphs(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", {"xint.yml": CONFIG, "p.md": PAGE})
    out = tmp_path / "out"
    with SiteBuilder(BuildOptions(content_dir=content, out_dir=out, jobs=1)) as builder:
        report = builder.build().report
        assert report.ok, report.errors
        first = glyphs(out)
        assert {"∑", "𝑥", "𝑖"} <= first and "∫" not in first and "𝛼" not in first
        assert (out / FONT).stat().st_size < 20_000
        page = content / "p.md"
        page.write_text(page.read_text().replace("of all.", "of all, and $\\int \\alpha$."))
        result = builder.rebuild([page])
        assert result.report.ok, result.report.errors
        assert FONT in result.written
        assert {"∫", "α", "𝛼"} <= glyphs(out) and first <= glyphs(out)
        page.write_text(page.read_text() + "\nMore prose.\n")  # the same formulas
        assert FONT not in builder.rebuild([page]).written
