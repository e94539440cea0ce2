"""LaTeX to MathML at build time, with math-core (fast, strict, no JavaScript)."""

from __future__ import annotations

import re
from functools import lru_cache

from math_core import LatexError, LatexToMathML

from xint_site.markdown.math_depth import too_deep

_TAG = re.compile(r"\\tag\*?\s*\{")
# `\bigg]^\top`: Chromium does not stretch a sized <mo> that is the base of a script;
# inside an <mrow> it does.
_SIZED_SCRIPT_BASE = re.compile(r"<(msup|msub|msubsup)><mo( [^>]*minsize=[^>]*)>([^<]*)</mo>")
# Environments where math-core takes \tag; elsewhere the formula is wrapped in one.
_NUMBERED = re.compile(r"\\begin\s*\{(?:equation|align|gather|multline|flalign|alignat)\*?\}")
# `\(`, `\)`, `\[`, `\]`, `\*` (not after another backslash: `\\[2pt]` stays): Hexo's
# Markdown renderer unescapes them before MathJax sees the formula, so pages written for
# it have them. (`\_` and `\{` are LaTeX of their own and stay.)
_ESCAPED_PAREN = re.compile(r"(?<!\\)((?:\\\\)*)\\([()[\]*])")

_converter = LatexToMathML(fancy_error=False)


@lru_cache(maxsize=4096)
def latex_to_mathml(latex: str, display: bool) -> str:
    """MathML for one formula; raise ``ValueError`` with math-core's message, or for a
    formula nested so deeply that math-core would overflow the stack (kernel outputs
    come here without the Markdown plugin's check)."""
    problem = too_deep(latex)
    if problem:
        raise ValueError(problem)
    source = _ESCAPED_PAREN.sub(r"\1\2", latex.strip())
    if display and _TAG.search(source) and not _NUMBERED.search(source):
        source = f"\\begin{{equation}}{source}\\end{{equation}}"  # math-core wants \tag there
    try:
        mathml = _converter.convert_with_local_state(source, displaystyle=display)
    except LatexError as exc:
        raise ValueError(_message(str(exc))) from None
    return _SIZED_SCRIPT_BASE.sub(r"<\1><mrow><mo\2>\3</mo></mrow>", mathml)


def _message(text: str) -> str:
    position, _, rest = text.partition(": ")
    return rest if position.isdigit() and rest else text
