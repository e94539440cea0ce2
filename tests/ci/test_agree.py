"""Frameworks that must agree: the doubled gradient caught with the real kernels."""

from __future__ import annotations

import pytest

from tests.ci.conftest import RealBuild
from tests.ci.gradient import DOUBLED_LINE, EXPECTED
from tests.conftest import run_cli
from xint_site.execute.agree import agreeing_groups, compare, numbers_of
from xint_site.model import Cell, Document, TabSet
from xint_site.pages.frontmatter import FrontMatter
from xint_site.pages.source import SourcePage


@pytest.mark.slow
def test_the_doubled_gradient_is_caught_with_real_kernels(real_build: RealBuild) -> None:
    result = real_build.result
    assert result.returncode == 0, result.stderr  # a warning: the site is written
    assert "Traceback" not in result.stderr
    warnings = [ln for ln in result.stderr.splitlines() if " gives " in ln]
    assert warnings == [f"content/doubled.md:{DOUBLED_LINE}: {EXPECTED}"]
    shown = (real_build.root / "out" / "doubled" / "index.html").read_text(encoding="utf-8")
    assert "tensor([ 0.,  8., 16., 24.])" in shown  # PyTorch really gave twice the gradient


@pytest.mark.slow
def test_strict_fails_on_the_disagreement_from_the_cache(real_build: RealBuild) -> None:
    result = run_cli(
        "build", "content", "-o", "strict-out", "--frozen", "--strict", cwd=real_build.root
    )
    assert result.returncode == 1
    assert f"content/doubled.md:{DOUBLED_LINE}: {EXPECTED}" in result.stderr.splitlines()
    assert "xint-site: 1 error; nothing written" in result.stderr
    assert not (real_build.root / "strict-out").exists()


@pytest.mark.slow
def test_a_looser_tolerance_is_configurable(real_build: RealBuild, tmp_path) -> None:
    """``agree_rtol`` in xint.yml: a tolerance of 2 lets [0, 8, 16, 24] pass as [0, 4, 8, 12]."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(real_build.content, content)
    config = content / "xint.yml"
    config.write_text(config.read_text(encoding="utf-8") + "agree_rtol: 2\n", encoding="utf-8")
    result = run_cli("build", "content", "-o", "out", "--frozen", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def output(text: str) -> list[dict[str, object]]:
    return [{"output_type": "execute_result", "data": {"text/plain": text}}]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("array([ 0.,  4.,  8., 12.])", [0, 4, 8, 12]),
        (
            "<tf.Tensor: shape=(4,), dtype=float32, numpy=array([ 0.,  4.,  8., 12.], "
            "dtype=float32)>",
            [0, 4, 8, 12],
        ),
        ("tensor([ 0.,  8., 16., 24.], grad_fn=<MulBackward0>)", [0, 8, 16, 24]),
        ("tensor([1.5000e-03, 2.0000e+00], requires_grad=True)", [0.0015, 2]),
        ("\n[0. 4.]\n<NDArray 2 @cpu(0)>", [0, 4]),
        ("(True, False, nan)", [1, 0, float("nan")]),
        ("float32 int64 x1 at 0x7f3a2b", []),
    ],
)
def test_numbers_are_read_from_each_frameworks_repr(text: str, numbers: list[float]) -> None:
    assert repr(numbers_of(output(text))) == repr([float(n) for n in numbers])


def test_printed_text_counts_but_stderr_does_not() -> None:
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "loss 0.25\n"},
        {"output_type": "stream", "name": "stderr", "text": "warning 99\n"},
    ]
    assert numbers_of(outputs) == [0.25]


def test_compare_names_the_odd_framework_against_the_majority() -> None:
    agree = {"MXNet": [0.0, 4.0], "TensorFlow": [0.0, 4.0 + 1e-6], "PyTorch": [0.0, 4.0]}
    assert compare(agree, 1e-5) == ""
    assert compare({**agree, "PyTorch": [0.0, 8.0]}, 1e-5) == (
        "PyTorch gives [0, 8] where MXNet and TensorFlow give [0, 4]"
    )
    assert compare({"MXNet": [1.0], "PyTorch": [1.0, 2.0]}, 1e-5) == (
        "PyTorch gives [1, 2] where MXNet gives [1]"
    )


def test_a_shared_cell_and_a_tab_set_are_compared_as_marked(tmp_path) -> None:
    page = SourcePage(tmp_path / "p.md", "p.md", FrontMatter(), "", 1)
    cells = (
        Cell(0, "x", None, 3, frozenset({"agree"})),
        Cell(1, "a", "mxnet", 10),
        Cell(2, "b", "pytorch", 14, frozenset({"agree"})),
        Cell(3, "y", None, 20),
        Cell(4, "c", "mxnet", 30),
    )
    sets = (TabSet(0, 10, ()), TabSet(1, 30, ()))
    document = Document(page, "p", [], cells, sets, ())
    groups = agreeing_groups(document)
    assert [(line, [c.index for c in group]) for line, group in groups] == [(3, [0]), (14, [1, 2])]
