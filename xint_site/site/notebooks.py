"""Notebooks to download: one ``.ipynb`` per page and framework, with the build's outputs.

A reader who wants to run a page takes the notebook of the framework they chose: the
page's prose as Markdown cells (its own source lines, so math, links and marks read as
written), that framework's cells and the shared ones with the outputs the page shows,
in page order. Other frameworks' tabs, hand-written ``<output>`` blocks and the tab
sets' own markup are left out. Cells the page never runs (``skip``, ``>>>`` sessions)
stay in the prose as fenced code, so "Run all" does only what the build did. A d2l
page's notebook starts with its hidden ``tab`` setup cell, as it ran.

Each notebook is written beside its page: ``<page folder>/<file stem>.<framework>.ipynb``
(``<file stem>.ipynb`` for a page run in the site's default kernel).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from markdown_it.token import Token

from xint_site.config import SiteConfig
from xint_site.execute.results import NotebookRun
from xint_site.model import Cell, Document
from xint_site.plan import SETUP_CELL
from xint_site.site.bodies import BodyStore
from xint_site.site.urls import file_for


@dataclass(frozen=True)
class PageNotebook:
    """A notebook of a page: its framework, its label and where it is in the site."""

    framework: str | None  # None: the page ran in the site's default kernel
    label: str
    file: str  # output-relative path, beside the page's own file
    stored: Path  # its text in the body store (site/bodies.py), copied into the site


@dataclass(frozen=True)
class _Prose:
    text: str


@dataclass(frozen=True)
class _Code:
    cell: Cell


_Piece = _Prose | _Code


def notebook_file(page_path: str, rel: str, framework: str | None) -> str:
    """``2021/05/04/autograd/autograd.pytorch.ipynb`` for the page at
    ``2021/05/04/autograd/`` from ``posts/autograd.md``."""
    folder = posixpath.dirname(file_for(page_path))
    stem = PurePosixPath(rel).stem
    name = f"{stem}.{framework}.ipynb" if framework else f"{stem}.ipynb"
    return posixpath.join(folder, name) if folder else name


def notebook_text(document: Document, run: NotebookRun, config: SiteConfig) -> str:
    """The notebook of one run of ``document``, as nbformat v4 JSON."""
    import nbformat  # only pages whose cells ran need it

    v4 = nbformat.v4
    ran = {c.index: c for c in run.job.cells}
    cells: list[Any] = []
    count = 0
    for n, piece in enumerate(_pieces(document, ran, run.job.framework)):
        if isinstance(piece, _Prose):
            cells.append(v4.new_markdown_cell(piece.text, id=f"md-{n}"))
            continue
        cell = piece.cell
        count += 1
        metadata: dict[str, Any] = {}
        if cell.index == SETUP_CELL or "hide-code" in cell.options:
            metadata["jupyter"] = {"source_hidden": True}
        shown = [] if "hide-output" in cell.options else run.outputs.get(cell.index, [])
        outputs = [o for raw in shown if (o := _output(v4, raw, count, config)) is not None]
        cells.append(
            v4.new_code_cell(
                cell.code.rstrip("\n"),
                id=f"code-{n}",
                execution_count=count,
                outputs=outputs,
                metadata=metadata,
            )
        )
    notebook = v4.new_notebook(cells=cells, metadata=_metadata(run))
    text: str = nbformat.writes(notebook)
    return text + "\n"


def _metadata(run: NotebookRun) -> dict[str, Any]:
    job = run.job
    return {
        "kernelspec": {"name": job.kernel, "display_name": job.label, "language": "python"},
        "language_info": {"name": "python"},
    }


def _output(v4: Any, raw: dict[str, Any], count: int, config: SiteConfig) -> Any | None:
    """One stored output in nbformat's own shape (cached outputs have no execution
    count; a live one may carry fields the format does not allow)."""
    kind = raw.get("output_type")
    if kind == "stream":
        if raw.get("name") == "stderr" and not config.show_stderr:
            return None
        return v4.new_output("stream", name=raw.get("name", "stdout"), text=raw.get("text", ""))
    if kind == "execute_result":
        data, meta = raw.get("data", {}), raw.get("metadata", {})
        return v4.new_output(kind, data=data, metadata=meta, execution_count=count)
    if kind == "display_data":
        return v4.new_output(kind, data=raw.get("data", {}), metadata=raw.get("metadata", {}))
    if kind == "error":
        return v4.new_output(
            "error",
            ename=raw.get("ename", ""),
            evalue=raw.get("evalue", ""),
            traceback=list(raw.get("traceback") or []),
        )
    return None


def _pieces(document: Document, ran: dict[int, Cell], framework: str | None) -> list[_Piece]:
    """The page in order: prose (merged between code cells) and the cells that ran."""
    lines = document.page.body.splitlines()
    pieces: list[_Piece] = [_Code(ran[SETUP_CELL])] if SETUP_CELL in ran else []
    found = list(_walk(document.tokens, 0, len(document.tokens), lines, ran, framework))
    for piece in found:
        if isinstance(piece, _Prose) and pieces and isinstance(pieces[-1], _Prose):
            pieces[-1] = _Prose(pieces[-1].text + "\n\n" + piece.text)
        elif not isinstance(piece, _Prose) or piece.text.strip():
            pieces.append(piece)
    return pieces


def _walk(
    tokens: Sequence[Token],
    start: int,
    stop: int,
    lines: list[str],
    ran: dict[int, Cell],
    framework: str | None,
) -> Iterator[_Piece]:
    i = start
    while i < stop:
        token = tokens[i]
        end = _after(tokens, i)
        if token.type == "tab_set_open":
            yield from _tabs(tokens, i + 1, end - 1, lines, ran, framework)
        elif token.type == "fence" and token.meta.get("cell") in ran:
            yield _Code(ran[token.meta["cell"]])
        elif token.type == "output_block" or token.map is None:
            pass  # hand-written outputs (the build's replace them), closing tokens
        elif _holds_cell(tokens[i:end], ran):  # a list or quote holding a cell: its blocks
            yield from _walk(tokens, i + 1, end - 1, lines, ran, framework)
        else:
            yield _Prose("\n".join(lines[token.map[0] : token.map[1]]).rstrip())
        i = end


def _tabs(
    tokens: Sequence[Token],
    start: int,
    stop: int,
    lines: list[str],
    ran: dict[int, Cell],
    framework: str | None,
) -> Iterator[_Piece]:
    """This framework's tabs and prose tabs of one set; their Markdown may be indented
    (raw HTML tab sets), so each tab's prose loses its common indent."""
    i = start
    while i < stop:
        end = _after(tokens, i)
        tab = tokens[i]
        if tab.type == "tab_open" and tab.meta.get("framework") in (None, framework):
            inner = list(_walk(tokens, i + 1, end - 1, lines, ran, framework))
            yield from _dedented(inner)
        i = end


def _dedented(pieces: list[_Piece]) -> Iterator[_Piece]:
    prose = [line for p in pieces if isinstance(p, _Prose) for line in p.text.splitlines()]
    indents = [_indent(line) for line in prose if line.strip()]
    common = min(indents, key=len, default="")
    if not all(indent.startswith(common) for indent in indents):  # tabs and spaces mixed
        common = ""
    for piece in pieces:
        if isinstance(piece, _Prose) and common:
            kept = (line.removeprefix(common) for line in piece.text.splitlines())
            yield _Prose("\n".join(kept))
        else:
            yield piece


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _after(tokens: Sequence[Token], i: int) -> int:
    """The index after the block that starts at ``i`` (after its closing token),
    by nesting alone (a tab set's closing token may not be at its opening's level)."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth <= 0:
            return j + 1
    return len(tokens)


def _holds_cell(tokens: Sequence[Token], ran: dict[int, Cell]) -> bool:
    return any(t.type == "fence" and t.meta.get("cell") in ran for t in tokens)


def runs_by_page(runs: Iterable[NotebookRun]) -> dict[str, list[NotebookRun]]:
    """Each page's runs, by its path relative to the content folder."""
    pages: dict[str, list[NotebookRun]] = {}
    for run in runs:
        pages.setdefault(run.job.rel, []).append(run)
    return pages


def page_notebooks(
    document: Document,
    runs: Sequence[NotebookRun],
    page_path: str,
    config: SiteConfig,
    bodies: BodyStore,
) -> tuple[PageNotebook, ...]:
    """The notebooks of a page (one per run), put in the body store; ``document`` must
    hold its tokens."""
    return tuple(
        PageNotebook(
            framework=run.job.framework,
            label=run.job.label,
            file=notebook_file(page_path, document.page.rel, run.job.framework),
            stored=bodies.file(bodies.put(notebook_text(document, run, config))),
        )
        for run in runs
    )
