"""A running Jupyter kernel we own: started for one notebook, always stopped.

We start the ``AsyncKernelManager`` and its client ourselves and hand them to
nbclient only to execute cells, so that the kernel can come from a kernel
parent's fork (``forking.py``) and so that a timeout or a death is ours to
report. Every kernel process group is recorded so that an interrupted build
(Ctrl-C, SIGTERM) can kill what is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import queue
import re
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import nbformat
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from xint_site.execute import groups
from xint_site.execute.forking import (
    NO_PRELOAD,
    ForkedProcess,
    ForkingProvisioner,
    KernelParents,
    Preload,
    Zygote,
)
from xint_site.execute.runfiles import run_folder

STARTUP_TIMEOUT = 120.0
FORKED_STARTUP_TIMEOUT = 30.0

# ipykernel's own start-up chatter, not a reason the kernel died
_NOISE = re.compile(r"^\[IPKernelApp\] WARNING \| Kernel is running over TCP")


class _RememberedSpecs(KernelSpecManager):
    """Kernelspecs looked up once per process: every notebook starts a kernel, and each
    lookup scans every kernel folder (``xint-site kernels`` runs in its own process)."""

    @functools.cache  # noqa: B019 - one instance, alive as long as the process
    def get_kernel_spec(self, kernel_name: str) -> Any:
        return super().get_kernel_spec(kernel_name)


_SPECS = _RememberedSpecs()


class KernelMissing(Exception):
    """No kernelspec of that name is installed."""


class KernelLost(Exception):
    """The kernel died or was killed after a timeout; the notebook cannot go on.

    ``replies`` are the cells that finished before, and ``partial`` what the lost
    cell had printed: a page shows them, with the failure in place.
    """

    def __init__(
        self,
        message: str,
        cell_index: int | None = None,
        replies: list[CellReply] | None = None,
        partial: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.cell_index = cell_index
        self.replies = replies or []
        self.partial = partial or []


@dataclass
class CellReply:
    outputs: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


class KernelSession:
    def __init__(self, kernel_name: str, env: dict[str, str] | None = None) -> None:
        self.kernel_name = kernel_name
        self.env = env or {}
        self.km: AsyncKernelManager | None = None
        self.kc: AsyncKernelClient | None = None
        self.pgid: int | None = None
        self.log: IO[bytes] | None = None  # the kernel process's own stdout and stderr
        self.forked = False  # started by a kernel parent's fork, not from scratch

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

    async def start(
        self, cwd: Path, parents: KernelParents | None = None, preload: Preload = NO_PRELOAD
    ) -> None:
        """Start the kernel: forked from its runtime's parent when ``parents`` has one.

        A forked kernel that dies while starting means forking does not work for this
        runtime: it is given up for the rest of the run and this kernel starts fresh.
        """
        zygote = await parents.get(self.kernel_name, self.env, preload) if parents else None
        try:
            await self._start(cwd, zygote)
        except KernelLost as exc:
            if zygote is None or parents is None:
                raise
            parents.give_up(self.kernel_name, self.env, preload, f"{exc} (forked)")
            await self._start(cwd, None)

    async def _start(self, cwd: Path, zygote: Zygote | None) -> None:
        km = AsyncKernelManager(kernel_name=self.kernel_name, kernel_spec_manager=_SPECS)
        try:
            spec = km.kernel_spec
        except NoSuchKernel:
            raise KernelMissing(self.kernel_name) from None
        km.kernel_id = str(uuid.uuid4())
        km.connection_file = str(run_folder() / f"kernel-{km.kernel_id}.json")
        # Unix sockets in the run folder: no ports to find, nothing on the network, and
        # cheaper per message than TCP on loopback
        ipc = str(run_folder() / f"kernel-{km.kernel_id[:8]}")
        if len(ipc) < 90:  # a Unix socket's path has room for about 100 bytes
            km.transport, km.ip = "ipc", ipc
        if zygote is not None:
            provisioner = ForkingProvisioner(kernel_id=km.kernel_id, kernel_spec=spec, parent=km)
            provisioner.zygote = zygote
            km.provisioner = provisioner
        # a named file: a forked kernel opens it by name
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by shutdown()
            prefix="kernel-", suffix=".log", dir=run_folder()
        )
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
        self.forked = isinstance(km.provisioner, ForkingProvisioner) and isinstance(
            km.provisioner.process, ForkedProcess
        )
        pid = getattr(km.provisioner, "pid", None)
        if pid:
            self.pgid = pid
            groups.started(pid)
        self.kc = km.client()
        self.kc.start_channels()
        try:
            # a forked kernel is ready in a fraction of a second: one that is not within
            # seconds is stuck (a lock copied from its parent) and starts fresh instead
            await wait_until_ready(
                self.kc, self.km, FORKED_STARTUP_TIMEOUT if zygote else STARTUP_TIMEOUT
            )
        except RuntimeError as exc:
            tail = self.log_tail()
            await self.shutdown()
            why = f"kernel '{self.kernel_name}' did not start: {exc}"
            raise KernelLost(why + (f":\n{tail}" if tail else "")) from None

    @property
    def alive(self) -> bool:
        return self.km is not None

    async def run_cells(
        self, sources: list[str], cell_timeout: float, deadline: float, may_fail: list[bool]
    ) -> list[CellReply]:
        """Run code cells in order; stop after an error in a cell that may not fail."""
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
        client = _CellClient(nb, km=self.km, allow_errors=True, coalesce_streams=True)
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
                await client.stop_output_pollers()
                await self.kill(interrupt_first=True)
                what = f"cell timed out after {cell_timeout:g} s"
                if left < cell_timeout:
                    what = "notebook timed out: the page's time ran out in this cell"
                raise KernelLost(what, index, replies, list(cell.outputs)) from None
            except DeadKernelError:
                tail = self.log_tail()
                await self.kill()
                what = "the kernel died" + (f":\n{tail}" if tail else "")
                raise KernelLost(what, index, replies, list(cell.outputs)) from None
            replies.append(CellReply(list(cell.outputs), time.perf_counter() - started))
            failed = any(o.get("output_type") == "error" for o in cell.outputs)
            if failed and not may_fail[index]:
                break
        return replies

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
        if km is not None and self.forked and self.pgid is not None:
            # the kernel parent reaps its children: kill and move on, no 0.1 s polling
            groups.kill(self.pgid)
            with contextlib.suppress(Exception):
                await km.cleanup_resources()
        elif km is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(km.shutdown_kernel(now=now), timeout=10)
        if self.log is not None:
            self.log.close()
            self.log = None
        if self.pgid is not None:
            groups.kill(self.pgid)
            groups.stopped(self.pgid)
            self.pgid = None


class _CellClient(NotebookClient):
    """nbclient's client, keeping hold of each cell's output poller.

    On a cell's timeout nbclient raises but leaves that cell's poller running (it cancels
    it on every other error); when the kernel is then killed and its channels closed, the
    poller fails, and asyncio prints "Task exception was never retrieved" with a
    traceback when the build ends. The caller stops the pollers first.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.output_pollers: set[asyncio.Task[Any]] = set()

    async def _async_poll_output_msg(self, *args: Any, **kwargs: Any) -> None:
        task = asyncio.current_task()
        if task is not None:
            self.output_pollers.add(task)
        await super()._async_poll_output_msg(*args, **kwargs)

    async def stop_output_pollers(self) -> None:
        pollers = [t for t in self.output_pollers if t is not asyncio.current_task()]
        self.output_pollers.clear()
        for task in pollers:
            task.cancel()
        await asyncio.gather(*pollers, return_exceptions=True)


async def wait_until_ready(kc: AsyncKernelClient, km: AsyncKernelManager, timeout: float) -> None:
    """Wait for the kernel's answer to ``kernel_info`` on both channels.

    jupyter_client's ``wait_for_ready`` ends by waiting 0.2 s for IOPub to fall
    silent, a fixed cost per kernel; seeing the kernel go idle after our own request
    proves the same (IOPub is connected, and nothing older is still queued).
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg_id = kc.kernel_info()
        try:
            while True:
                reply = await kc.get_shell_msg(timeout=1)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            while True:
                msg = await kc.get_iopub_msg(timeout=0.05)
                if (
                    msg["parent_header"].get("msg_id") == msg_id
                    and msg["msg_type"] == "status"
                    and msg["content"].get("execution_state") == "idle"
                ):
                    return
        except queue.Empty:
            if not await km.is_alive():
                raise RuntimeError("the kernel died before replying to kernel_info") from None
    raise RuntimeError(f"the kernel did not reply in {timeout:g} s")
