"""A d2l-book at D2L's scale, built with ``--no-execute``; and the mini book with kernels.

    .venv/bin/python bench/book.py [--chapters 20] [--sections 9] [--repeat 2] [--no-mini]

The generated book is written in d2l-book's Markdown as the D2L book is: a root
``index.md`` whose toc blocks list a preface, 20 numbered chapters and the references;
each chapter an ``index.md`` and 9 sections (200 pages). A section has labelled
headings, a figure, a table and display formulas, prose tabs, about 16
``{.python .input}`` cells over 4 frameworks (``%%tab`` runs and ``#@tab all`` cells,
some with ``tab.selected`` branches), 5 cross-references and 3 citations against a
``d2l.bib``: about 2,900 cells, 900 references and 540 citations in all.

Printed: the cold ``--no-execute`` build of the 4-tab book (the issue's target is
24 s, 10x faster than d2l-book's 3 min 57 s), an unchanged rebuild (target < 1 s),
and the mini book of the tests built with its real kernels, cold and warm (the warm
build must start no kernel).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "books" / "mini"
FRAMEWORKS = ("pytorch", "mxnet", "jax", "tensorflow")
IMPORTS = {
    "pytorch": "import torch\nfrom torch import nn",
    "mxnet": "from mxnet import autograd, np, npx\nfrom mxnet.gluon import nn\nnpx.set_np()",
    "jax": "import jax\nfrom jax import numpy as jnp\nfrom flax import linen as nn",
    "tensorflow": "import tensorflow as tf",
}
ARRAY = {"pytorch": "torch", "mxnet": "np", "jax": "jnp", "tensorflow": "tf"}
WORDS = [
    "model",
    "data",
    "training",
    "gradient",
    "loss",
    "layer",
    "network",
    "parameter",
    "weight",
    "bias",
    "batch",
    "example",
    "feature",
    "label",
    "tensor",
    "optimization",
    "learning",
    "rate",
    "function",
    "vector",
    "matrix",
    "probability",
    "distribution",
    "estimate",
    "error",
    "sample",
    "input",
    "output",
    "hidden",
    "linear",
    "regression",
    "classification",
    "softmax",
    "convolution",
    "kernel",
    "channel",
    "sequence",
    "attention",
]
FORMULAS = (
    r"\hat{\mathbf{y}} = \mathbf{X} \mathbf{w} + b",
    r"L(\mathbf{w}, b) = \frac{1}{n} \sum_{i=1}^n \frac{1}{2} \left(\hat{y}^{(i)} - y^{(i)}\right)^2",
    r"\mathrm{softmax}(\mathbf{o})_j = \frac{\exp(o_j)}{\sum_k \exp(o_k)}",
    r"\mathbf{h} = \sigma(\mathbf{W}_1 \mathbf{x} + \mathbf{b}_1)",
    r"\partial_{\mathbf{w}} l = \mathbf{x} (\mathbf{w}^\top \mathbf{x} + b - y)",
)
CONFIG = """\
[project]
name = bench
title = A Generated Book
author = Ada Lovelace, Grace Hopper, and Alan Turing
copyright = 2024, the bench

[build]
notebooks = *.md */*.md
tabs = pytorch, mxnet, jax, tensorflow

[pdf]
bibfile = d2l.bib
"""
XINT_YML = """\
frameworks:
  - {id: pytorch, label: PyTorch, kernel: xint-pytorch}
  - {id: mxnet, label: MXNet, kernel: xint-mxnet}
  - {id: jax, label: JAX, kernel: xint-jax}
  - {id: tensorflow, label: TensorFlow, kernel: xint-tensorflow}
"""


def sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 5) -> str:
    text = " ".join(sentence(rng) for _ in range(sentences))
    return text.replace(" data ", " $\\mathbf{x}_i$ ", 1) + "\n"


class Book:
    """Labels and keys known so far, so references point both ways across files."""

    def __init__(self, chapters: int, sections: int, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.chapters = chapters
        self.sections = sections
        self.keys = [f"Author{i}.Other.{1950 + i % 70}" for i in range(300)]
        self.labels = [
            (f"sec_c{c}_s{s}", kind)
            for c in range(chapters)
            for s in range(sections)
            for kind in ("numref", "ref")
        ] + [
            (f"{kind}_c{c}_s{s}", role)
            for c in range(chapters)
            for s in range(sections)
            for kind, role in (("fig", "numref"), ("tab", "numref"), ("eq", "eqref"))
        ]
        self.cells = self.references = self.citations = 0

    def reference(self) -> str:
        label, role = self.rng.choice(self.labels)
        self.references += 1
        return f":{role}:`{label}`"

    def cite(self) -> str:
        keys = self.rng.sample(self.keys, self.rng.choice((1, 1, 2)))
        self.citations += 1
        return f":cite:`{','.join(keys)}`"

    def cell(self, first_line: str, body: str) -> str:
        self.cells += 1
        return f"```{{.python .input}}\n{first_line}\n{body}\n```\n"

    def tab_run(self, step: int) -> str:
        """One framework-specific cell per framework: a tab set of four."""
        out = []
        for fw in FRAMEWORKS:
            lines = [IMPORTS[fw]] if step == 0 else []
            for i in range(self.rng.randint(3, 8)):
                scale = self.rng.randint(1, 99)
                lines.append(f"x{i} = {ARRAY[fw]}.ones(({step + 2}, {i + 1})) * {scale}")
            lines.append("x0.shape")
            out.append(self.cell(f"%%tab {fw}", "\n".join(lines)))
        return "\n".join(out)

    def shared(self, with_selected: bool) -> str:
        if with_selected:
            body = (
                "def relu(x):  #@save\n"
                "    if tab.selected('pytorch'):\n"
                "        return torch.relu(x)\n"
                "    if tab.selected('mxnet'):\n"
                "        return npx.relu(x)\n"
                "    if tab.selected('jax'):\n"
                "        return jax.nn.relu(x)\n"
                "    return tf.nn.relu(x)"
            )
        else:
            n = self.rng.randint(2, 40)
            body = (
                f"batch_size, num_epochs, lr = {n}, {n % 7 + 1}, 0.{n:02d}\nbatch_size * num_epochs"
            )
        return self.cell("#@tab all", body)

    def section(self, c: int, s: int) -> str:
        rng = self.rng
        parts = [
            f"# Section {s + 1} of Chapter {c + 1}\n:label:`sec_c{c}_s{s}`\n\n",
            paragraph(rng),
            f"\nThis builds on {self.reference()} and follows {self.cite()}.\n\n",
            self.tab_run(0),
            "\n",
            paragraph(rng),
            f"\n## Theory\n:label:`subsec_c{c}_s{s}`\n\n",
            paragraph(rng, 6),
            f"\n$${rng.choice(FORMULAS)}$$\n:eqlabel:`eq_c{c}_s{s}`\n\n",
            f"Equation {self.reference()} relates to {self.reference()} [**as shown**].\n\n",
            f"$${rng.choice(FORMULAS)}$$\n\n",
            f"![A figure of chapter {c + 1}.](../img/fig{s % 4}.svg)\n:width:`400px`\n"
            f":label:`fig_c{c}_s{s}`\n\n",
            paragraph(rng),
            f"\nSee also {self.cite()} and {self.cite()}(~~for the slides~~).\n\n",
            self.shared(with_selected=True),
            "\n",
            self.tab_run(1),
            "\n## Practice\n\n",
            paragraph(rng),
            f"\nThe results below compare with {self.reference()}.\n",
            "\n: A table of results\n\n| model | loss | accuracy |\n|:--|--:|--:|\n",
            "".join(f"| m{i} | 0.{i}{s} | 0.9{i} |\n" for i in range(5)),
            f":label:`tab_c{c}_s{s}`\n\n",
        ]
        for fw in FRAMEWORKS:
            parts.append(f":begin_tab:`{fw}`\n{sentence(rng)}\n:end_tab:\n\n")
        parts += [
            self.tab_run(2),
            "\n",
            self.shared(with_selected=False),
            "\n",
            self.shared(with_selected=False),
            "\n",
            self.shared(with_selected=False),
            "\n",
            paragraph(rng, 8),
            f"\n## Exercises\n\n1. Compare with {self.reference()}.\n"
            f"1. {sentence(rng)}\n1. {sentence(rng)}\n",
        ]
        return "".join(parts)

    def chapter_index(self, c: int) -> str:
        entries = "\n".join(f"s{s}" for s in range(self.sections))
        return (
            f"# Chapter {c + 1}\n:label:`chap_c{c}`\n\n{paragraph(self.rng, 8)}\n"
            f"```toc\n:maxdepth: 2\n\n{entries}\n```\n"
        )

    def bib(self) -> str:
        return "".join(
            f"@article{{{key},\n  title = {{A study of {self.rng.choice(WORDS)} number {i}}},\n"
            f"  author = {{Author{i}, First and Other, Second and Third, Someone}},\n"
            f"  journal = {{Journal of {self.rng.choice(WORDS).capitalize()}}},\n"
            f"  volume = {{{i % 40 + 1}}},\n  pages = {{{i}--{i + 9}}},\n"
            f"  year = {{{1950 + i % 70}}}\n}}\n\n"
            for i, key in enumerate(self.keys)
        )

    def write(self, folder: Path) -> Path:
        files = {
            "config.ini": CONFIG,
            "xint.yml": XINT_YML,
            "d2l.bib": self.bib(),
            "chapter_preface/index.md": f"# Preface\n\n{paragraph(self.rng, 10)}",
            "chapter_references/zreferences.md": (
                "```eval_rst\n\n.. only:: html\n\n   References\n   ==========\n\n```\n\n"
                ":bibliography:`../d2l.bib`\n"
            ),
        }
        chapters = "\n".join(f"chapter_c{c}/index" for c in range(self.chapters))
        files["index.md"] = (
            "A Generated Book\n================\n\n"
            "```toc\n:maxdepth: 1\n\nchapter_preface/index\n```\n\n"
            f"```toc\n:maxdepth: 2\n:numbered:\n\n{chapters}\n```\n\n"
            "```toc\n:maxdepth: 1\n\nchapter_references/zreferences\n```\n"
        )
        for c in range(self.chapters):
            files[f"chapter_c{c}/index.md"] = self.chapter_index(c)
            for s in range(self.sections):
                files[f"chapter_c{c}/s{s}.md"] = self.section(c, s)
        for i in range(4):
            files[f"img/fig{i}.svg"] = (
                '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
                f'<rect width="{10 * (i + 1)}" height="20"/></svg>\n'
            )
        for rel, text in files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return folder


def build(content: Path, out: Path, *args: str) -> tuple[float, str]:
    """One ``xint-site build`` from this checkout: its wall time and its output."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "xint_site", "build", str(content), "-o", str(out), *args],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(result.stderr)
    return seconds, result.stdout + result.stderr


def summary(output: str) -> str:
    found = re.search(r"built .*", output)
    return found.group(0) if found else output.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chapters", type=int, default=20)
    parser.add_argument("--sections", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-mini", action="store_true", help="skip the mini book (kernels)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="xint-bench-book-"))
    try:
        book = Book(args.chapters, args.sections)
        content = book.write(root / "book")
        pages = len(list(content.rglob("*.md")))
        print(
            f"generated book: {pages} pages, {book.cells} cells over {len(FRAMEWORKS)} "
            f"frameworks, {book.references} cross-references, {book.citations} citations, "
            f"{len(book.keys)} BibTeX entries"
        )
        cold = []
        for n in range(args.repeat):
            shutil.rmtree(root / "out", ignore_errors=True)
            seconds, output = build(content, root / "out", "--no-execute")
            cold.append(seconds)
            print(f"  cold --no-execute build {n + 1}: {seconds:.2f} s ({summary(output)})")
        again, output = build(content, root / "out", "--no-execute")
        print(f"book, --no-execute, cold (best of {args.repeat}): {min(cold):.2f} s")
        print(f"book, --no-execute, unchanged rebuild: {again:.2f} s ({summary(output)})")
        if not args.no_mini:
            mini = root / "mini"
            shutil.copytree(MINI, mini, ignore=shutil.ignore_patterns("_freeze"))
            seconds, output = build(mini, root / "mini-out", "-j", "2")
            print(f"mini book, real kernels, cold cache: {seconds:.2f} s ({summary(output)})")
            seconds, output = build(mini, root / "mini-out", "-j", "2")
            print(f"mini book, real kernels, warm cache: {seconds:.2f} s ({summary(output)})")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
