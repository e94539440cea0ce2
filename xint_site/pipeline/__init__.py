"""The one pipeline every front end calls: read pages, plan notebooks, execute (or take
from the cache), render, write.

``build_site`` is a full build (``xint-site build``; nothing when the output is up to
date); ``SiteBuilder`` keeps a build between saves and re-runs only the stages a change
reaches (``xint-site serve``); the stages themselves are in ``stages.py`` for any other
front end. Names are imported on first use, so that an unchanged rebuild loads none of
the stages' libraries.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xint_site.pipeline.build import build_state
    from xint_site.pipeline.incremental import ChangeKind, RebuildResult, SiteBuilder
    from xint_site.pipeline.options import BuildOptions, BuildReport, SiteState
    from xint_site.pipeline.site_build import build_site

_HOMES = {
    "BuildOptions": "options",
    "BuildReport": "options",
    "SiteState": "options",
    "ChangeKind": "incremental",
    "RebuildResult": "incremental",
    "SiteBuilder": "incremental",
    "build_site": "site_build",
    "build_state": "build",
}

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'xint_site.pipeline' has no attribute {name!r}")
    return getattr(import_module(f"xint_site.pipeline.{home}"), name)
