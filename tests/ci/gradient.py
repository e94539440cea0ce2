"""A content folder whose pages run in the real MXNet, TensorFlow and PyTorch kernels.

``doubled.md`` is the sample page's mistake: the PyTorch tab computes the gradient of
``y = 2xᵀx`` a second time without zeroing ``x.grad``, so PyTorch shows twice the true
gradient (PyTorch accumulates gradients; MXNet and TensorFlow do not). ``zeroed.md`` is
the same page done right. Both mark their gradient cells ``agree``.
"""

from __future__ import annotations

XINT_YML = """\
frameworks:
  - {id: mxnet, label: MXNet, kernel: xint-mxnet}
  - id: tensorflow
    label: TensorFlow
    kernel: xint-tensorflow
    env: {TF_CPP_MIN_LOG_LEVEL: "1", TF_ENABLE_ONEDNN_OPTS: "0"}
  - {id: pytorch, label: PyTorch, kernel: xint-pytorch}
"""

SETUP = """\
```python mxnet
from mxnet import autograd, np, npx
npx.set_np()
x = np.arange(4.0)
x.attach_grad()
```
```python tensorflow
import tensorflow as tf
x = tf.Variable(tf.range(4.0))
```
```python pytorch
import torch
x = torch.arange(4.0, requires_grad=True)
```
"""

GRADIENT = """\
```python mxnet agree
with autograd.record():
    y = 2 * np.dot(x, x)
y.backward()
x.grad
```
```python tensorflow agree
with tf.GradientTape() as t:
    y = 2 * tf.tensordot(x, x, axes=1)
t.gradient(y, x)
```
```python pytorch agree
{zero}y = 2 * torch.dot(x, x)
y.backward()
x.grad
```
"""


def page(title: str, zero: bool) -> str:
    again = GRADIENT.format(zero="x.grad.zero_()\n" if zero else "")
    return (
        f"---\ntitle: {title}\n---\n\n"  # lines 1-4
        + SETUP  # lines 5-18
        + "\nThe gradient of $y = 2x^Tx$ is $4x$:\n\n"  # lines 19-21
        + GRADIENT.format(zero="")  # line 22 on: the first time, right in every framework
        + "\nThe same again:\n\n"
        + again
    )


DOUBLED = page("Doubled", zero=False)
ZEROED = page("Zeroed", zero=True)
DOUBLED_LINE = 1 + DOUBLED.splitlines().index("```python mxnet agree", 30)
EXPECTED = "PyTorch gives [0, 8, 16, 24] where MXNet and TensorFlow give [0, 4, 8, 12]"
