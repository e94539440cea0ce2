"""Executed outputs as a page shows them: converted, by page, cell and framework.

Kept apart from running them (``execute``): conversion turns LaTeX into MathML,
which is rendering.
"""

from __future__ import annotations

from xint_site.config import SiteConfig
from xint_site.execute.outputs import convert_outputs
from xint_site.execute.results import NotebookRun
from xint_site.model import Output
from xint_site.render.mathml import latex_to_mathml

# cell index -> {framework (None for the default kernel): outputs}
PageOutputs = dict[int, dict[str | None, tuple[Output, ...]]]


def page_outputs(runs: list[NotebookRun], config: SiteConfig) -> dict[str, PageOutputs]:
    """Outputs as shown, grouped by page, then cell, then framework."""
    pages: dict[str, PageOutputs] = {}
    hidden = {c.index for run in runs for c in run.job.cells if "hide-output" in c.options}
    for run in runs:
        cells = pages.setdefault(run.job.rel, {})
        for index, raw in run.outputs.items():
            shown = (
                ()
                if index in hidden
                else convert_outputs(
                    raw,
                    latex=latex_to_mathml,
                    limit=config.output_limit,
                    show_stderr=config.show_stderr,
                )
            )
            cells.setdefault(index, {})[run.job.framework] = shown
    return pages
