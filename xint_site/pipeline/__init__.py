"""The one pipeline every front end calls: read pages, plan notebooks, execute (or take
from the cache), render, write.

``build_site`` is a full build (``xint-site build``); ``SiteBuilder`` keeps a build
between saves and re-runs only the stages a change reaches (``xint-site serve``);
the stages themselves are in ``stages.py`` for any other front end.
"""

from xint_site.pipeline.build import build_site, build_state
from xint_site.pipeline.incremental import ChangeKind, RebuildResult, SiteBuilder
from xint_site.pipeline.options import BuildOptions, BuildReport, SiteState

__all__ = [
    "BuildOptions",
    "BuildReport",
    "ChangeKind",
    "RebuildResult",
    "SiteBuilder",
    "SiteState",
    "build_site",
    "build_state",
]
