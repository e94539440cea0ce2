"""Cells whose frameworks must agree: the numbers in their outputs are compared.

A page that teaches one idea in three frameworks claims they compute the same
thing; a cell marked ``agree`` (a shared cell, or any cell of a tab set) makes the
build check it. The numbers of each framework's text outputs (printed text and
``text/plain`` results) are read in order, so ``tensor([0., 4.])``,
``array([0., 4.])`` and ``<tf.Tensor: shape=(2,), ... numpy=array([0., 4.])>`` all
read as ``[0, 4]``, and compared with a relative tolerance (``agree_rtol`` in
``xint.yml``). A disagreement is a warning at the cell's line::

    page.md:40: PyTorch gives [0, 8, 16, 24] where MXNet and TensorFlow give [0, 4, 8, 12]
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from xint_site.config import SiteConfig
from xint_site.execute.results import NotebookRun
from xint_site.model import Cell, Document
from xint_site.problems import Problem, warning_at

AGREE = "agree"  # the fence word
ABS_TOL = 1e-8  # below this, numbers are zero whatever their ratio (as numpy's allclose)
SHOWN = 8  # numbers shown of a list before "…"

# What a framework's repr says about a value besides the value itself.
_TF_TENSOR = re.compile(r"<tf\.(?:Tensor|Variable)\b[^<>]*?numpy=(.*?)>", re.S)
_METADATA = re.compile(
    r"\b(?:shape|dtype|device|grad_fn|requires_grad|name|ctx)=(?:\([^()]*\)|<[^<>]*>|[^\s,)]+)"
    r"|<(?:NDArray|Symbol)\b[^<>]*>"
    r"|\b0x[0-9a-fA-F]+"
)
_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|inf|nan)(?![\w])"
    r"|(?<![\w.])(?:True|False)(?!\w)"
)


def disagreements(
    documents: Iterable[Document], runs: Iterable[NotebookRun], config: SiteConfig
) -> list[Problem]:
    """A warning for every ``agree`` cell (or tab set) whose frameworks' numbers differ."""
    by_job = {run.job.key: run for run in runs}
    labels = {f.id: f.label or f.id for f in config.frameworks}
    problems = []
    for document in documents:
        for line, cells in agreeing_groups(document):
            numbers: dict[str, list[float]] = {}
            for framework in (f.id for f in config.frameworks):
                run = by_job.get((document.page.rel, framework))
                if run is None or not run.ok:
                    continue  # not on this page, or failed (already an error)
                mine = [c for c in cells if c.framework in (None, framework)]
                if any(c.index in run.outputs for c in mine):
                    outputs = (o for c in mine for o in run.outputs.get(c.index, []))
                    numbers[labels[framework]] = numbers_of(outputs)
            message = compare(numbers, config.agree_rtol)
            if message:
                problems.append(warning_at(document.page.path, line, message))
    return problems


def agreeing_groups(document: Document) -> list[tuple[int, list[Cell]]]:
    """The cells to compare, with the line to report: each shared ``agree`` cell alone,
    and every framework cell of a tab set one of whose cells says ``agree``."""
    starts = [tab_set.line for tab_set in document.tab_sets]
    sets: dict[int, list[Cell]] = {}
    groups: list[tuple[int, list[Cell]]] = []
    for cell in document.cells:
        if cell.framework is None:
            if AGREE in cell.options:
                groups.append((cell.line, [cell]))
        else:
            at = bisect.bisect_right(starts, cell.line) - 1  # the tab set it is in
            sets.setdefault(at, []).append(cell)
    for cells in sets.values():
        marked = [c for c in cells if AGREE in c.options]
        if marked:
            groups.append((marked[0].line, cells))
    return sorted(groups, key=lambda group: group[0])


def numbers_of(outputs: Iterable[dict[str, Any]]) -> list[float]:
    """The numbers in the text a cell printed or returned, in order."""
    found: list[float] = []
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") == "stdout":
            text = _text(output.get("text", ""))
        elif kind in ("execute_result", "display_data"):
            text = _text(output.get("data", {}).get("text/plain", ""))
        else:
            continue
        text = _METADATA.sub(" ", _TF_TENSOR.sub(r" \1 ", text))
        found += [_number(m) for m in _NUMBER.findall(text)]
    return found


def compare(numbers: dict[str, list[float]], rtol: float) -> str:
    """``""`` when every framework gives the same numbers; otherwise who gives what,
    against the numbers most frameworks give (the first framework's on a tie)."""
    classes: list[tuple[list[float], list[str]]] = []
    for label, values in numbers.items():
        for first, members in classes:
            if _close(first, values, rtol):
                members.append(label)
                break
        else:
            classes.append((values, [label]))
    if len(classes) < 2:
        return ""
    most = max(range(len(classes)), key=lambda i: (len(classes[i][1]), -i))
    odd = " and ".join(
        f"{_names(members)} {_verb(members)} {_shown(values)}"
        for i, (values, members) in enumerate(classes)
        if i != most
    )
    values, members = classes[most]
    return f"{odd} where {_names(members)} {_verb(members)} {_shown(values)}"


def _close(a: Sequence[float], b: Sequence[float], rtol: float) -> bool:
    return len(a) == len(b) and all(
        (math.isnan(x) and math.isnan(y)) or math.isclose(x, y, rel_tol=rtol, abs_tol=ABS_TOL)
        for x, y in zip(a, b, strict=True)
    )


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def _number(text: str) -> float:
    return {"True": 1.0, "False": 0.0}[text] if text in ("True", "False") else float(text)


def _names(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _verb(labels: list[str]) -> str:
    return "gives" if len(labels) == 1 else "give"


def _shown(values: list[float]) -> str:
    shown = [_format(v) for v in values[:SHOWN]]
    more = ", …" if len(values) > SHOWN else ""
    return "[" + ", ".join(shown) + more + "]"


def _format(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"
