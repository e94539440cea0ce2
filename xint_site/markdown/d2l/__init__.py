"""markdown-it-py plugins for d2l-book's Markdown (the D2L book's source format).

Each plugin is a plain ``plugin(md, **options)`` and works on a bare
``MarkdownIt("commonmark")``; :func:`d2l_plugin` uses them all. None knows books,
configs or kernels: a book's numbering, citations and table of contents are made
from the tokens they leave (see each module), and every such token keeps its
line (``token.map``) for ``path:line`` messages.

- :func:`d2l_cells_plugin`: ```` ```{.python .input} ```` cells (``#@tab``, ``%%tab``)
  as tab sets, one fence per framework, ``tab.selected`` branches of other
  frameworks left out of what each tab shows (``cells.py``, ``tab_runs.py``,
  ``selected.py``).
- :func:`d2l_prose_tabs_plugin`: ``:begin_tab:`pytorch``` … ``:end_tab:``.
- :func:`d2l_roles_plugin`: ``:numref:``, ``:ref:``, ``:eqref:``, ``:cite:``.
- :func:`d2l_marks_plugin`: ``:label:``, ``:eqlabel:``, ``:width:``, ``:height:``.
- :func:`d2l_figures_plugin`: an image on its own is a figure, captioned.
- :func:`d2l_table_captions_plugin`: ``:caption`` before a table.
- :func:`d2l_slide_marks_plugin`: ``[**…**]``, ``(**…**)``, ``[~~…~~]``, ``(~~…~~)``.
- :func:`d2l_eval_rst_plugin`: ```` ```eval_rst ```` (``raw:: html``, ``only:: html``).
- :func:`d2l_toc_plugin`: ```` ```toc ````.
- :func:`d2l_bibliography_plugin`: ``:bibliography:`../d2l.bib```.

Problems go to ``env["problems"]`` like those of the other plugins; those that
d2l-book passes over silently (a mark with nothing to attach to, an unknown
``eval_rst`` directive, a ``#@tab`` naming no framework) are warnings.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from xint_site.markdown.d2l.bibliography import d2l_bibliography_plugin
from xint_site.markdown.d2l.cells import d2l_cells_plugin
from xint_site.markdown.d2l.eval_rst import d2l_eval_rst_plugin
from xint_site.markdown.d2l.figures import d2l_figures_plugin
from xint_site.markdown.d2l.marks import d2l_marks_plugin
from xint_site.markdown.d2l.prose_tabs import d2l_prose_tabs_plugin
from xint_site.markdown.d2l.roles import d2l_roles_plugin
from xint_site.markdown.d2l.selected import shown_code
from xint_site.markdown.d2l.slide_marks import d2l_slide_marks_plugin
from xint_site.markdown.d2l.table_captions import d2l_table_captions_plugin
from xint_site.markdown.d2l.toc import d2l_toc_plugin
from xint_site.markdown.tab_names import ANY_LABEL, TabNames

_INPUT_FENCE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})[ \t]*\{[^}\n]*\.input\b", re.M)

__all__ = [
    "d2l_bibliography_plugin",
    "d2l_cells_plugin",
    "d2l_eval_rst_plugin",
    "d2l_figures_plugin",
    "d2l_marks_plugin",
    "d2l_plugin",
    "d2l_prose_tabs_plugin",
    "d2l_roles_plugin",
    "d2l_slide_marks_plugin",
    "d2l_table_captions_plugin",
    "d2l_toc_plugin",
    "is_d2l_source",
    "shown_code",
]


def d2l_plugin(md: MarkdownIt, names: TabNames = ANY_LABEL, default_tab: str = "") -> None:
    """Every d2l plugin; cells without ``#@tab`` are ``default_tab``'s (the first of a
    book's tabs)."""
    md.use(d2l_cells_plugin, names=names, default_tab=default_tab)
    md.use(d2l_prose_tabs_plugin, names=names)
    md.use(d2l_roles_plugin)
    md.use(d2l_figures_plugin)
    md.use(d2l_table_captions_plugin)
    md.use(d2l_marks_plugin)
    md.use(d2l_slide_marks_plugin)
    md.use(d2l_eval_rst_plugin)
    md.use(d2l_toc_plugin)
    md.use(d2l_bibliography_plugin)


def is_d2l_source(markdown: str) -> bool:
    """Whether a page is written for d2l-book: one of its fences is
    ```` ```{.python .input} ````."""
    return _INPUT_FENCE.search(markdown) is not None
