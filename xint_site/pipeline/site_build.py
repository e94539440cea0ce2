"""``build_site``, the build a command asks for: nothing when the output folder is up to
date, every stage otherwise.

This module is light on purpose: an unchanged rebuild imports no Markdown parser,
template engine, highlighter or Jupyter library, and answers in a fraction of a second.
"""

from __future__ import annotations

from dataclasses import replace

from xint_site.pipeline.options import BuildOptions, BuildReport
from xint_site.pipeline.uptodate import forget, inputs_digest, previous_report, remember


def build_site(options: BuildOptions) -> BuildReport:
    """Build the whole site and, if nothing is wrong, replace the output folder with it;
    when nothing it is made from changed since the last build, do nothing and report the
    last build's warnings again."""
    before = inputs_digest(options)
    if before is not None:
        previous = previous_report(options, before)
        if previous is not None:
            return replace(previous, up_to_date=True)
    from xint_site.pipeline.build import build_state  # every stage, and their libraries

    report, _ = build_state(options)
    if before is not None and report.ok and inputs_digest(options) == before:
        remember(options, before, report)  # not when a file changed while it was built
    else:
        forget(options.out_dir)
    return report
