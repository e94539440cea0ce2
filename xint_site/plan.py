"""Which notebooks a build runs: one per page and framework, cells in page order.

A page with a framework tab set runs by default, once per framework that has a
tab on it: the shared cells plus that framework's cells. A page without one runs
only when its front matter or the site says ``execute: true``, once, in the
default kernel. ``execute: false`` turns a page off; ``skip`` and ``run`` in a
fence's info string take one cell out or in; doctest-style cells are only shown.

A page in d2l-book's Markdown runs once per framework of the site (a book's tabs),
even when all its cells are ``#@tab all``, as d2l-book builds each framework. Each
such notebook starts with a hidden cell that defines d2l-book's ``tab`` helper for
that framework (:func:`tab_setup`), so ``tab.selected('pytorch')`` is true exactly
in the PyTorch run; it is code, so it is part of the notebook's cache key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from xint_site.config import Framework, SiteConfig
from xint_site.model import Cell, Document

SETUP_CELL = -1  # the index of a d2l notebook's tab setup cell: no fence shows it


@dataclass(frozen=True)
class NotebookJob:
    path: Path  # the page file, for messages
    rel: str  # the page, relative to the content folder
    framework: str | None  # None: a page without framework tabs, in the default kernel
    label: str  # "TensorFlow", or the kernel name
    kernel: str
    cwd: Path
    cells: tuple[Cell, ...]
    cell_timeout: float
    notebook_timeout: float
    isolate: bool
    env: tuple[tuple[str, str], ...] = ()  # extra environment of the kernel process
    files: tuple[str, ...] = ()  # data files the page reads (front matter), page-relative

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.rel, self.framework)

    @property
    def runtime(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """Jobs with the same runtime can share one kernel, one after the other."""
        return (self.kernel, self.env)


class _PageSettings(TypedDict):
    """What every notebook of one page shares."""

    path: Path
    rel: str
    cwd: Path
    cell_timeout: float
    notebook_timeout: float
    isolate: bool
    files: tuple[str, ...]


def is_doctest(code: str) -> bool:
    first = next((line for line in code.splitlines() if line.strip()), "")
    return first.lstrip().startswith(">>>")


def runnable(cell: Cell, page_runs: bool) -> bool:
    if "skip" in cell.options or is_doctest(cell.code):
        return False
    return page_runs or "run" in cell.options


def plan_notebooks(documents: list[Document], config: SiteConfig) -> list[NotebookJob]:
    jobs: list[NotebookJob] = []
    for document in documents:
        jobs.extend(plan_page(document, config))
    return jobs


def plan_page(document: Document, config: SiteConfig) -> list[NotebookJob]:
    meta = document.page.meta
    setting = meta.execute if meta.execute is not None else config.execute
    if setting is False:
        return []
    frameworks = tuple(f.id for f in config.frameworks) if document.d2l else document.frameworks
    page_runs = setting is True or bool(frameworks)
    cells = [c for c in document.cells if runnable(c, page_runs)]
    common: _PageSettings = {
        "path": document.page.path,
        "rel": document.page.rel,
        "cwd": document.page.path.parent.resolve(),
        "cell_timeout": meta.timeout or config.timeout,
        "notebook_timeout": meta.notebook_timeout or config.notebook_timeout,
        "isolate": meta.isolate or config.isolate,
        "files": meta.files,
    }
    if not frameworks:
        shared = tuple(c for c in cells if c.framework is None)
        if not shared:
            return []
        return [
            NotebookJob(
                framework=None, label=config.kernel, kernel=config.kernel, cells=shared, **common
            )
        ]
    jobs = []
    for fw_id in frameworks:
        fw = next(f for f in config.frameworks if f.id == fw_id)
        mine = tuple(c for c in cells if c.framework in (None, fw_id))
        if mine and document.d2l:
            mine = (tab_setup(fw, mine[0].line), *mine)
        if mine:
            env = tuple(sorted(fw.env.items()))
            jobs.append(
                NotebookJob(
                    framework=fw_id, label=fw.label, kernel=fw.kernel, cells=mine, env=env, **common
                )
            )
    return jobs


def tab_setup(framework: Framework, line: int) -> Cell:
    """The hidden first cell of a d2l page's notebook: d2l-book's ``tab`` helper
    (``d2lbook/tab.py``) as it is in this framework's run. ``selected(*tabs)`` (or one
    list) is true when a name is this framework's id, label or alias (any case, as the
    tabs of the page read them); ``interact_select`` and ``select_tab`` do nothing, since
    every framework runs. Defined without imports, so the run sees nothing else new."""
    names = sorted(framework.names())
    code = f"""\
class tab:
    \"\"\"d2l-book's tab helper in the {framework.label or framework.id} run of this page.\"\"\"

    _TAB = {framework.id!r}
    _NAMES = frozenset({names!r})

    @classmethod
    def selected(cls, *tabs):
        if len(tabs) == 1 and isinstance(tabs[0], (list, tuple)):
            tabs = tabs[0]
        return any(str(t).casefold() in cls._NAMES for t in tabs)

    @staticmethod
    def interact_select(*tabs):
        return None

    @staticmethod
    def select_tab(tab=None):
        return None
"""
    return Cell(SETUP_CELL, code, framework.id, line, frozenset({"hide-output"}))
