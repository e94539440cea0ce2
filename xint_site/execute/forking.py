"""Fresh kernels in milliseconds: forked from a parent that imported the framework.

A new kernel process costs a Python start, IPython's imports and the framework's
(TensorFlow: about 4 s); a reused kernel leaks state from page to page. A
*zygote* (``zygote.py``, run in the framework's environment) pays the imports
once and forks one child per notebook; the child becomes the kernel exactly as
``python -m ipykernel_launcher`` would, with nothing run in it before the page.

Only kernelspecs of the form ``PYTHON -m MODULE ...`` can be forked; the zygote
preloads only modules whose import is silent (no output, no warning), so what
a page shows is what a fresh kernel shows. A zygote that cannot start falls back
to plain fresh kernels (``LocalProvisioner``) for its runtime.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import string
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from xint_site.execute import groups
from xint_site.execute.runfiles import run_folder

ZYGOTE = Path(__file__).with_name("zygote.py")
LOADER = (
    "import sys; p = sys.argv.pop(1); g = {'__name__': '__xint_zygote__', '__file__': p}; "
    "exec(compile(open(p).read(), p, 'exec'), g); g['main']()"
)
READY_TIMEOUT = 300.0


_Launch = tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]


class ZygoteFailed(Exception):
    """The kernel parent could not start or died: use plain fresh kernels instead."""


def forkable(argv: list[str]) -> bool:
    """A kernelspec we can fork: ``python -m module ...`` (every ipykernel spec)."""
    return len(argv) >= 3 and argv[1] == "-m" and "python" in Path(argv[0]).name


@dataclass
class ForkedProcess:
    """What ``LocalProvisioner`` needs of a ``Popen``, for a child of the zygote."""

    pid: int
    zygote: Zygote
    stdin: None = None
    stdout: None = None
    stderr: None = None

    def poll(self) -> int | None:
        return self.zygote.exits.get(self.pid)

    def wait(self, timeout: float | None = None) -> int | None:
        return self.poll()

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


@dataclass
class Zygote:
    """One kernel parent: a Python, an environment and the modules it imported."""

    python: str
    env: dict[str, str]
    requirements: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    exits: dict[int, int] = field(default_factory=dict)
    preloaded: tuple[str, ...] = ()
    noisy: tuple[str, ...] = ()
    pid: int | None = None
    _process: asyncio.subprocess.Process | None = None
    _requests: int | None = None
    _replies: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    _reader: asyncio.Task[None] | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _folder: tempfile.TemporaryDirectory[str] | None = None

    async def start(self) -> None:
        """Start the parent and wait until its imports are done."""
        self._folder = tempfile.TemporaryDirectory(prefix="zygote-", dir=run_folder())
        request_r, request_w = os.pipe()
        reply_r, reply_w = os.pipe()
        wanted = {
            "requirements": list(self.requirements),
            "modules": list(self.modules),
            "exclude": list(self.exclude),
        }
        log = Path(self._folder.name) / "zygote.log"
        try:
            with log.open("wb") as log_file:
                self._process = await asyncio.create_subprocess_exec(
                    self.python,
                    "-c",
                    LOADER,
                    str(ZYGOTE),
                    str(request_r),
                    str(reply_w),
                    json.dumps(wanted),
                    pass_fds=(request_r, reply_w),
                    stdin=subprocess.DEVNULL,
                    stdout=log_file,
                    stderr=log_file,
                    # what the launcher adds: ipykernel reads it when imported
                    env={**self.env, "JPY_PARENT_PID": str(os.getpid())},
                    cwd=self._folder.name,  # an empty folder: nothing to import by accident
                    start_new_session=True,
                )
        except OSError as exc:
            for fd in (request_r, request_w, reply_r, reply_w):
                os.close(fd)
            raise ZygoteFailed(f"cannot start {self.python}: {exc.strerror}") from None
        finally:
            with contextlib.suppress(OSError):
                os.close(request_r)
                os.close(reply_w)
        self.pid = self._process.pid
        groups.started(self.pid)
        self._requests = request_w
        self._reader = asyncio.create_task(self._read(reply_r))
        try:
            hello = await asyncio.wait_for(self._replies.get(), READY_TIMEOUT)
        except TimeoutError:
            hello = {}
        if not hello.get("ready"):
            tail = log.read_text(errors="replace").strip().splitlines()[-5:]
            await self.close()
            raise ZygoteFailed("the kernel parent did not start: " + " | ".join(tail))
        self.preloaded = tuple(hello.get("preloaded", ()))
        self.noisy = tuple(hello.get("noisy", ()))

    async def _read(self, fd: int) -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        transport, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, "rb", buffering=0)
        )
        try:
            while line := await reader.readline():
                message = json.loads(line)
                if "exit" in message:
                    self.exits[int(message["exit"])] = int(message["status"])
                else:
                    await self._replies.put(message)
        finally:
            transport.close()
            await self._replies.put({"error": "the kernel parent exited"})

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.returncode is None

    async def fork(self, argv: list[str], env: dict[str, str], cwd: str, log: str) -> int:
        """A new kernel process, child of the parent; its pid (also its process group)."""
        if self._requests is None or not self.alive:
            raise ZygoteFailed("the kernel parent is not running")
        env = {**env, "JPY_PARENT_PID": str(os.getpid())}  # as jupyter_client's launcher
        request = {"argv": argv, "env": env, "cwd": cwd, "log": log}
        async with self._lock:
            os.write(self._requests, (json.dumps(request) + "\n").encode())
            reply = await self._replies.get()
        if "pid" not in reply:
            raise ZygoteFailed(str(reply.get("error", "no reply")))
        return int(reply["pid"])

    async def close(self) -> None:
        """Stop the parent; it kills whatever kernels it still has."""
        if self._requests is not None:
            with contextlib.suppress(OSError):
                os.close(self._requests)
            self._requests = None
        if self._process is not None:
            try:
                await asyncio.wait_for(self._process.wait(), 5)
            except TimeoutError:
                groups.kill(self._process.pid)
                await self._process.wait()
            groups.stopped(self._process.pid)
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._reader, 5)
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None


@dataclass(frozen=True)
class Preload:
    """What a runtime's kernel parent imports: its requirements' modules and any named."""

    requirements: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()


NO_PRELOAD = Preload()


class KernelParents:
    """The zygotes of one event loop, one per Python and environment, started once.

    ``get`` returns None where forking is not possible (a kernelspec that is not
    ``python -m``, or a parent that failed to start): those kernels start fresh.
    A runtime is what a job names (kernel, extra environment, preload); its spec
    and launch environment are looked up once.
    """

    def __init__(self) -> None:
        self._starting: dict[tuple[object, ...], asyncio.Task[Zygote | None]] = {}
        # runtime -> (the Python, the kernelspec's argv, the launch environment)
        self._runtimes: dict[tuple[object, ...], _Launch | None] = {}
        self.problems: dict[str, str] = {}  # kernel name -> why its kernels start fresh

    def warm(self, kernel_name: str, env: dict[str, str], preload: Preload) -> None:
        """Start a parent now, so it is ready when the first notebook needs it."""
        self._task(kernel_name, env, preload)

    async def get(self, kernel_name: str, env: dict[str, str], preload: Preload) -> Zygote | None:
        task = self._task(kernel_name, env, preload)
        if task is None:
            return None
        zygote = await asyncio.shield(task)
        return zygote if zygote is not None and zygote.alive else None

    def ready(self, kernel_name: str, env: dict[str, str], preload: Preload) -> bool:
        """Whether a kernel of this runtime can start now without waiting for imports."""
        task = self._task(kernel_name, env, preload)
        return task is None or task.done()

    def give_up(self, kernel_name: str, env: dict[str, str], preload: Preload, why: str) -> None:
        """Start this runtime's kernels fresh from now on (a forked one failed to start)."""
        self._runtimes[(kernel_name, tuple(sorted(env.items())), preload)] = None
        self.problems[kernel_name] = why

    def pids(self) -> set[int]:
        """The running kernel parents' process ids."""
        started = (t.result() for t in self._starting.values() if t.done() and _usable(t))
        return {z.pid for z in started if z is not None and z.pid is not None}

    async def wait_any(self) -> None:
        """Until one more parent has finished starting (or none is starting)."""
        pending = [t for t in self._starting.values() if not t.done()]
        if pending:
            await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)

    def _task(
        self, kernel_name: str, env: dict[str, str], preload: Preload
    ) -> asyncio.Task[Zygote | None] | None:
        runtime = (kernel_name, tuple(sorted(env.items())), preload)
        if runtime not in self._runtimes:
            spec = kernel_spec(kernel_name)
            self._runtimes[runtime] = (
                (
                    python_of(spec.argv),
                    tuple(spec.argv),
                    tuple(sorted(launch_env(spec, env).items())),
                )
                if spec is not None and forkable(spec.argv)
                else None
            )
        found = self._runtimes[runtime]
        if found is None:
            return None
        key = (*found, preload)
        task = self._starting.get(key)
        if task is None or (task.done() and not _usable(task)):
            launch = dict(found[2])
            task = asyncio.ensure_future(self._start(kernel_name, str(found[0]), launch, preload))
            self._starting[key] = task
        return task

    async def _start(
        self, kernel_name: str, python: str, env: dict[str, str], preload: Preload
    ) -> Zygote | None:
        exclude: tuple[str, ...] = ()
        for _ in range(2):  # a second start leaves out modules that were not silent
            zygote = Zygote(python, env, preload.requirements, preload.modules, exclude)
            try:
                await zygote.start()
            except ZygoteFailed as exc:
                self.problems[kernel_name] = str(exc)
                return None
            if not zygote.noisy:
                return zygote
            exclude += zygote.noisy
            await zygote.close()
        return None

    async def close(self) -> None:
        for task in self._starting.values():
            if not task.done():
                task.cancel()
            with contextlib.suppress(BaseException):
                zygote = await task
                if zygote is not None:
                    await zygote.close()
        self._starting.clear()


def _usable(task: asyncio.Task[Zygote | None]) -> bool:
    if task.cancelled() or task.exception() is not None:
        return False
    zygote = task.result()
    return zygote is None or zygote.alive


def python_of(argv: list[str]) -> str:
    """The Python a kernelspec runs, resolved as jupyter_client resolves it."""
    names = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info)}
    return sys.executable if argv[0] in names else argv[0]


def kernel_spec(name: str) -> KernelSpec | None:
    try:
        return KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return None


def launch_env(spec: KernelSpec, extra: dict[str, str]) -> dict[str, str]:
    """The environment jupyter_client gives a kernel of ``spec`` started with ``extra``
    (as ``KernelProvisionerBase.pre_launch`` makes it). Should it ever differ, the
    provisioner sees the mismatch and starts that kernel fresh instead of forking."""
    env = {**os.environ, **extra}
    env.update({k: string.Template(v).safe_substitute(env) for k, v in spec.env.items()})
    if (spec.language or "").lower().startswith("python"):
        env.pop("PYTHONEXECUTABLE", None)
    return env


class ForkingProvisioner(LocalProvisioner):
    """Jupyter's local provisioner, but the process comes from a zygote's fork."""

    zygote: Zygote | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        """Fork when the parent was started for exactly this kernel's environment."""
        env = {k: v for k, v in kwargs["env"].items() if k not in _PER_LAUNCH}
        zygote = self.zygote
        if zygote is None or not zygote.alive or env != zygote.env or cmd[0] != zygote.python:
            return await super().launch_kernel(cmd, **kwargs)
        log = kwargs.get("stdout")
        log_path = getattr(log, "name", os.devnull)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        pid = await zygote.fork(cmd, dict(kwargs["env"]), cwd, str(log_path))
        # jupyter_client types ``process`` as a Popen; it uses only what ForkedProcess has
        self.process = ForkedProcess(pid, zygote)  # type: ignore[assignment]
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info

    async def wait(self) -> int | None:
        while self.process is not None and self.process.poll() is None:
            await asyncio.sleep(0.02)
        return await super().wait()


_PER_LAUNCH = {"JPY_PARENT_PID", "JPY_SESSION_NAME"}
