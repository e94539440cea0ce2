"""A running Jupyter kernel we own: started, reused across notebooks, always stopped.

We start the ``AsyncKernelManager`` and its client ourselves and hand them to
nbclient only to execute cells: nbclient's own ``setup_kernel()`` would shut the
kernel down after each notebook. Every kernel process group is recorded so that
an interrupted build (Ctrl-C, SIGTERM) can kill what is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import nbformat
from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

STARTUP_TIMEOUT = 120.0

_live_groups: set[int] = set()
# ipykernel's own start-up chatter, not a reason the kernel died
_NOISE = re.compile(r"^\[IPKernelApp\] WARNING \| Kernel is running over TCP")


# IPython's reset() clears the namespace, the output cache and the history, and then
# runs gc.collect() twice: with TensorFlow loaded that takes ~0.4 s, longer than most
# notebooks. Cycles left behind are collected by the interpreter's own gc later.
_RESET = """\
def __xint_reset(cwd):
    import gc, os
    collect, gc.collect = gc.collect, lambda *a, **k: 0
    try:
        get_ipython().reset(new_session=True)  # also removes this function's name
    finally:
        gc.collect = collect
    os.chdir(cwd)
__xint_reset({cwd!r})
"""


class KernelMissing(Exception):
    """No kernelspec of that name is installed."""


class KernelLost(Exception):
    """The kernel died or was killed after a timeout; the notebook cannot go on."""

    def __init__(self, message: str, cell_index: int | None = None) -> None:
        super().__init__(message)
        self.cell_index = cell_index


@dataclass
class CellReply:
    outputs: list[dict] = field(default_factory=list)
    seconds: float = 0.0


class KernelSession:
    def __init__(self, kernel_name: str, env: dict[str, str] | None = None) -> None:
        self.kernel_name = kernel_name
        self.env = env or {}
        self.km: AsyncKernelManager | None = None
        self.kc = None
        self.pgid: int | None = None
        self.notebooks = 0
        self.log: IO[bytes] | None = None  # the kernel process's own stdout and stderr

    def log_tail(self, lines: int = 6) -> str:
        """The last lines the kernel process printed (a crash message, say)."""
        if self.log is None:
            return ""
        self.log.seek(0)
        text = self.log.read().decode("utf-8", "replace")
        kept = [ln for ln in text.rstrip().splitlines() if not _NOISE.search(ln)]
        return "\n".join(kept[-lines:])

    @property
    def runtime(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        return (self.kernel_name, tuple(sorted(self.env.items())))

    async def start(self, cwd: Path) -> None:
        km = AsyncKernelManager(kernel_name=self.kernel_name)
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by shutdown()
        try:
            await km.start_kernel(
                # history in memory: parallel kernels sharing one history.sqlite print
                # "Session/line number was not unique" into cell output
                extra_arguments=["--HistoryManager.hist_file=:memory:"],
                cwd=str(cwd),
                env={**os.environ, **self.env},
                stdout=self.log,
                stderr=self.log,
            )
        except NoSuchKernel:
            raise KernelMissing(self.kernel_name) from None
        self.km = km
        pid = getattr(km.provisioner, "pid", None)
        if pid:
            self.pgid = pid
            _live_groups.add(pid)
        self.kc = km.client()
        self.kc.start_channels()
        try:
            await self.kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
        except RuntimeError as exc:
            await self.shutdown()
            raise KernelLost(f"kernel '{self.kernel_name}' did not start: {exc}") from None

    @property
    def alive(self) -> bool:
        return self.km is not None

    async def reset(self, cwd: Path) -> None:
        """Make a used kernel look fresh: empty namespace, counter 1, page folder as cwd."""
        await self._run_silently(_RESET.format(cwd=str(cwd)))

    async def run_cells(
        self, sources: list[str], cell_timeout: float, deadline: float, may_fail: list[bool]
    ) -> list[CellReply]:
        """Run code cells in order; stop after an error in a cell that may not fail."""
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
        client = NotebookClient(nb, km=self.km, allow_errors=True, coalesce_streams=True)
        client.kc = self.kc
        replies: list[CellReply] = []
        for index, cell in enumerate(nb.cells):
            left = deadline - time.monotonic()
            budget = max(min(cell_timeout, left), 0.1)
            client.timeout_func = lambda _cell, budget=budget: budget
            started = time.perf_counter()
            try:
                await client.async_execute_cell(cell, index)
            except CellTimeoutError:
                await self.kill(interrupt_first=True)
                what = f"cell timed out after {cell_timeout:g} s"
                if left < cell_timeout:
                    what = "notebook timed out: the page's time ran out in this cell"
                raise KernelLost(what, index) from None
            except DeadKernelError:
                tail = self.log_tail()
                await self.kill()
                raise KernelLost(
                    "the kernel died" + (f":\n{tail}" if tail else ""), index
                ) from None
            replies.append(CellReply(list(cell.outputs), time.perf_counter() - started))
            failed = any(o.get("output_type") == "error" for o in cell.outputs)
            if failed and not may_fail[index]:
                break
        self.notebooks += 1
        return replies

    async def _run_silently(self, code: str) -> None:
        assert self.kc is not None
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        while True:
            reply = await self.kc.get_shell_msg(timeout=STARTUP_TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        if reply["content"].get("status") != "ok":
            raise KernelLost(f"could not reset the kernel: {reply['content'].get('evalue')}")

    async def kill(self, interrupt_first: bool = False) -> None:
        if self.km is None:
            return
        if interrupt_first:
            with contextlib.suppress(Exception):
                await self.km.interrupt_kernel()
                await asyncio.sleep(0.2)
        await self.shutdown(now=True)

    async def shutdown(self, now: bool = True) -> None:
        km, kc, self.km, self.kc = self.km, self.kc, None, None
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        if km is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(km.shutdown_kernel(now=now), timeout=10)
        if self.log is not None:
            self.log.close()
            self.log = None
        if self.pgid is not None:
            _kill_group(self.pgid)
            _live_groups.discard(self.pgid)
            self.pgid = None


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def kill_all_kernels() -> None:
    """Last resort after an interrupted build: no kernel process outlives us."""
    for pgid in list(_live_groups):
        _kill_group(pgid)
        _live_groups.discard(pgid)
