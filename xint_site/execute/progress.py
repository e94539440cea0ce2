"""Where the runner says what it is doing (a progress bar, log lines, a server).

Its own light module, so that front ends can name it without importing Jupyter.
"""

from __future__ import annotations

from typing import Protocol

from xint_site.execute.results import NotebookRun
from xint_site.plan import NotebookJob


class Progress(Protocol):
    def planned(self, total: int, cached: int) -> None: ...
    def started(self, job: NotebookJob) -> None: ...
    def finished(self, run: NotebookRun) -> None: ...
