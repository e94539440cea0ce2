"""What a framework's tab shows of a d2l-book cell: its own ``tab.selected`` branch."""

from __future__ import annotations

from textwrap import dedent

import pytest

from xint_site.markdown.d2l import shown_code


def shown(code: str, framework: str) -> str:
    return shown_code(dedent(code), lambda name: name == framework)


SCRATCH = """\
class LinearRegressionScratch(d2l.Module):  #@save
    def __init__(self, num_inputs, lr, sigma=0.01):
        super().__init__()
        if tab.selected('mxnet'):
            self.w = d2l.normal(0, sigma, (num_inputs, 1))
            self.w.attach_grad()
        if tab.selected('pytorch'):
            # gradients are tracked from the start
            self.w = d2l.normal(0, sigma, (num_inputs, 1),
                                requires_grad=True)

            self.b = d2l.zeros(1, requires_grad=True)
        if tab.selected('tensorflow'):
            self.w = tf.Variable(w, trainable=True)
"""


def test_each_framework_sees_its_branch_moved_left_with_comments_and_layout_kept() -> None:
    assert shown(SCRATCH, "pytorch") == (
        "class LinearRegressionScratch(d2l.Module):  #@save\n"
        "    def __init__(self, num_inputs, lr, sigma=0.01):\n"
        "        super().__init__()\n"
        "        # gradients are tracked from the start\n"
        "        self.w = d2l.normal(0, sigma, (num_inputs, 1),\n"
        "                            requires_grad=True)\n"
        "\n"
        "        self.b = d2l.zeros(1, requires_grad=True)\n"
    )
    assert shown(SCRATCH, "tensorflow").endswith(
        "        super().__init__()\n        self.w = tf.Variable(w, trainable=True)\n"
    )


def test_a_framework_with_no_branch_sees_none() -> None:
    assert shown(SCRATCH, "jax") == (
        "class LinearRegressionScratch(d2l.Module):  #@save\n"
        "    def __init__(self, num_inputs, lr, sigma=0.01):\n"
        "        super().__init__()\n"
    )


CHAIN = """\
def configure_optimizers(self):
    if tab.selected('mxnet') or tab.selected('pytorch'):
        return SGD([self.w, self.b], self.lr)
    elif tab.selected('tensorflow', 'jax'):
        return SGD(self.lr)
    else:  # any other framework
        return None
"""


@pytest.mark.parametrize(
    ("framework", "body"),
    [
        ("mxnet", "    return SGD([self.w, self.b], self.lr)\n"),
        ("pytorch", "    return SGD([self.w, self.b], self.lr)\n"),
        ("jax", "    return SGD(self.lr)\n"),
        ("paddle", "    return None\n"),
    ],
)
def test_if_elif_else_chains_keep_the_branch_that_runs(framework: str, body: str) -> None:
    assert shown(CHAIN, framework) == "def configure_optimizers(self):\n" + body


def test_one_line_branches_lists_and_not() -> None:
    code = """\
    if tab.selected(['jax', 'pytorch']): x = 1  # one line
    if not tab.selected('jax'):
        y = 2
    """
    assert shown(code, "pytorch") == "x = 1  # one line\ny = 2\n"
    assert shown(code, "jax") == "x = 1  # one line\n"


def test_a_block_left_empty_shows_pass() -> None:
    code = """\
    def step(self):
        if tab.selected('mxnet'):
            return 1
    """
    assert shown(code, "pytorch") == "def step(self):\n    pass\n"


def test_tests_that_are_not_only_tab_selected_are_left_alone() -> None:
    code = """\
    if tab.selected('mxnet') and debug:
        x = 1
    if tab.selected('mxnet'):
        y = 1
    elif ready:
        y = 2
    z = 3 if tab.selected('mxnet') else 4
    """
    assert shown(code, "pytorch") == dedent(code)


def test_else_holding_an_if_is_no_elif() -> None:
    code = """\
    if tab.selected('mxnet'):
        a = 1
    else:
        if tab.selected('pytorch'):
            b = 2
    """
    assert shown(code, "pytorch") == "b = 2\n"
    assert shown(code, "mxnet") == "a = 1\n"


def test_ipython_magics_do_not_stop_the_pruning_and_stay_as_written() -> None:
    code = """\
    %matplotlib inline
    if tab.selected('mxnet'):
        !pip install mxnet
    x = 1
    """
    assert shown(code, "pytorch") == "%matplotlib inline\nx = 1\n"
    assert shown(code, "mxnet") == "%matplotlib inline\n!pip install mxnet\nx = 1\n"


def test_code_python_cannot_read_is_shown_as_written() -> None:
    code = "if tab.selected('mxnet'):\n    x = (\n"
    assert shown(code, "pytorch") == code


def test_code_without_tab_selected_is_returned_as_it_is() -> None:
    code = "x = 1  # tab\n"
    assert shown_code(code, lambda name: True) is code
