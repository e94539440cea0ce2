"""``dask worker SCHEDULER --preload xint_site.dask.preload --xint-content CONTENT``.

Provisions, when the worker starts, the kernels of every framework that
``CONTENT/xint.yml`` describes, before the worker takes any task (a build does the
same when it connects; preloading only moves the wait to the worker's start).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from xint_site.config import load_config
from xint_site.dask.plugin import XintSiteWorker


@click.command()
@click.option("--xint-content", default="content", help="content folder whose xint.yml to read")
async def dask_setup(worker: Any, xint_content: str) -> None:
    config, errors = load_config(Path(xint_content))
    if errors:
        raise click.UsageError("\n".join(str(e) for e in errors))
    await worker.plugin_add(XintSiteWorker(config.frameworks), name="xint-site")
