"""Formulas from real Hexo pages become MathML as MathJax would show them there."""

from __future__ import annotations

import pytest

from xint_site.render.mathml import latex_to_mathml


@pytest.mark.parametrize(
    "latex",
    [
        r"A = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} \tag{1}",
        r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases} \tag{2.3}",
        r"\begin{aligned} a &= b \\ c &= d \end{aligned} \tag{4}",
    ],
)
def test_a_tag_beside_an_environment_numbers_the_formula(latex: str) -> None:
    mathml = latex_to_mathml(latex, True)
    number = latex.rsplit("{", 1)[1].rstrip("}")
    assert f"<mtext>({number})</mtext>" in mathml


def test_a_tag_in_a_numbered_environment_is_left_to_it() -> None:
    mathml = latex_to_mathml(r"\begin{align} a &= b \tag{5} \end{align}", True)
    assert mathml.count("<mtext>(5)</mtext>") == 1


def test_escaped_parentheses_are_parentheses_as_in_hexo() -> None:
    assert latex_to_mathml(r"f\(x\)", False) == latex_to_mathml("f(x)", False)
    assert latex_to_mathml(r"a\[i\] \* b", False) == latex_to_mathml("a[i] * b", False)
    spaced = r"\begin{aligned} a \\[2pt] b \end{aligned}"  # a row's spacing stays one
    assert "2pt" not in latex_to_mathml(spaced, True)
    # `\\` is a line break, and the `(` after it stays a parenthesis
    assert '<mo stretchy="false">(</mo>' in latex_to_mathml(r"a \\(b)", True)


def test_a_formula_that_is_wrong_for_every_engine_is_still_an_error() -> None:
    with pytest.raises(ValueError, match="Unknown command"):
        latex_to_mathml(r"\notacommand{x}", True)
