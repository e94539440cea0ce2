"""Synthetic pages like the seed: 7 tab sets of 3 tabs, ~10 formulas, shared cells.

Each page differs (numbers in code and prose), so caches only help where real
sites repeat themselves (imports, common formulas).
"""

from __future__ import annotations

import random
from pathlib import Path

FRAMEWORKS = ("mxnet", "tensorflow", "pytorch")
FORMULAS = [
    r"\nabla_{\mathbf{x}} \mathbf{x}^\top \mathbf{A} \mathbf{x} = (\mathbf{A} + \mathbf{A}^\top)\mathbf{x}",
    r"\frac{\partial \mathbf{y}}{\partial x} = \bigg[\frac{\partial y_1}{\partial x}, \ldots, \frac{\partial y_m}{\partial x}\bigg]^\top",
    r"\mathbf{Ax} = \begin{bmatrix} \mathbf{a}_1^T \mathbf{x} \\ \vdots \\ \mathbf{a}_m^T \mathbf{x} \end{bmatrix}",
    r"\|\mathbf{X}\|_F^2 = \sum_{i,j} x_{ij}^2",
    r"\langle f(\mathbf{x}), g(\mathbf{x}) \rangle",
]


def page(n: int, rng: random.Random) -> str:
    parts = [
        f"---\ntitle: Synthetic page {n}\ndate: 2021-{1 + n % 12:02d}-{1 + n % 28:02d} 10:00:00\n"
        f"tags: [bench, t{n % 17}]\ncategories: bench\n---\n\n## Theory {n}\n"
    ]
    for k in range(3):
        f = rng.choice(FORMULAS)
        parts.append(
            f"Let $x_{{{n}}} \\in \\mathbb{{R}}^{{{k + 2}}}$ and $y = {k}x$ hold.\n\n$$\n{f} + {n}\n$$\n"
        )
    for s in range(7):
        parts.append(f"Step {s} of page {n}:\n\n")
        for fw in FRAMEWORKS:
            body = "\n".join(
                f"y{i} = x * {rng.randint(1, 999)} + {fw[:2]}.ones(({n % 7 + 1}, {s + 1}))"
                for i in range(rng.randint(2, 6))
            )
            parts.append(f"```python {fw}\n{body}\ny0.sum()\n```\n")
        parts.append("\n<output>28.0</output>\n\n")
    return "".join(parts)


def make_corpus(folder: Path, pages: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    # the search index (Pagefind, a process of its own) is measured apart: README, Speed
    (folder / "xint.yml").write_text("title: bench\nsearch: false\n")
    for n in range(pages):
        (folder / f"page{n:04d}.md").write_text(page(n, rng), encoding="utf-8")
    return folder
