"""markdown-it-py plugins for framework tab sets, code cells, outputs and math.

Each plugin is a plain ``plugin(md, **options)`` for ``md.use(...)`` and works on
any ``MarkdownIt`` instance with its default options, without an xint-site
config; importing this package starts no Jupyter and loads no Pygments:

>>> from markdown_it import MarkdownIt
>>> from xint_site.markdown import cells_plugin, math_plugin, tab_sets_plugin
>>> md = MarkdownIt("commonmark").use(tab_sets_plugin).use(cells_plugin).use(math_plugin)
>>> env = {}
>>> page = md.render("```python jax\\nx = 1\\n```\\n```python numpy\\nx = 2\\n```\\n", env)
>>> print(page.splitlines()[2])
<label for="tab-set--0-input--1" id="tab-set--0-tab--1">jax</label>
>>> env["cell_count"], env.get("problems", [])
(2, [])

The defaults:

- ``tab_sets_plugin``: all three forms (raw HTML, ``::: tab`` containers, tagged
  fences); with no ``names`` every label is a tab of its own (:data:`ANY_LABEL`);
  pass ``TabNames.of([(id, label, aliases), ...])`` to name frameworks.
- ``cells_plugin``: every Python fence is a cell (``token.meta["cell"]``), except
  one in a tab that is no framework's when ``names`` are given.
- ``math_plugin``: without ``convert`` the LaTeX stays, escaped, in
  ``<span class="math">\\(…\\)</span>`` (``\\[…\\]`` for display) for MathJax or
  KaTeX in the browser (:func:`latex_source`).
- ``code_plugin``: without ``highlight`` code is only escaped (:func:`escape_code`).
- ``output_block_plugin``: ``<output>…</output>`` blocks under a cell.
- ``nesting_limit_plugin``: use it last; blocks nested deeper than
  :data:`MAX_BLOCK_DEPTH` are reported instead of silently dropped.
- ``make_parser()``: all of them, in the order xint-site uses them.
- ``d2l_plugin`` and the ``d2l_*_plugin`` it uses: d2l-book's Markdown
  (```` ```{.python .input} ```` cells, ``:begin_tab:``, ``:numref:``, ``:label:``,
  figures, table captions, slide marks, ``eval_rst``, ``toc``, ``:bibliography:``);
  see :mod:`xint_site.markdown.d2l`. ``is_d2l_source(text)`` tells such a page.

Problems found while parsing are appended to ``env["problems"]`` as ``Problem``
values (``xint_site.problems``) with an empty path and 0-based lines of the parsed
text, so a tool can report them all at once; ``problem.placed(path, 1)`` gives
the 1-based ``path:line`` form.
"""

from xint_site.markdown.cells import cells_plugin
from xint_site.markdown.code import Highlight, code_plugin, escape_code
from xint_site.markdown.d2l import (
    d2l_bibliography_plugin,
    d2l_cells_plugin,
    d2l_eval_rst_plugin,
    d2l_figures_plugin,
    d2l_marks_plugin,
    d2l_plugin,
    d2l_prose_tabs_plugin,
    d2l_roles_plugin,
    d2l_slide_marks_plugin,
    d2l_table_captions_plugin,
    d2l_toc_plugin,
    is_d2l_source,
)
from xint_site.markdown.math import Convert, latex_source, math_plugin
from xint_site.markdown.nesting import MAX_BLOCK_DEPTH, nesting_limit_plugin
from xint_site.markdown.output_block import output_block_plugin
from xint_site.markdown.parser import make_parser
from xint_site.markdown.tab_names import ANY_LABEL, TabNames
from xint_site.markdown.tab_sets import tab_sets_plugin
from xint_site.problems import Problem

__all__ = [
    "ANY_LABEL",
    "MAX_BLOCK_DEPTH",
    "Convert",
    "Highlight",
    "Problem",
    "TabNames",
    "cells_plugin",
    "code_plugin",
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
    "escape_code",
    "is_d2l_source",
    "latex_source",
    "make_parser",
    "math_plugin",
    "nesting_limit_plugin",
    "output_block_plugin",
    "tab_sets_plugin",
]
