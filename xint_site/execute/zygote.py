"""A kernel parent: imports a framework once, then forks one fresh kernel per notebook.

This file runs inside a framework's own environment (its venv's Python), where
xint-site is not installed, so it uses the standard library only. It is started
as ``python -c <loader> REQUEST_FD REPLY_FD PRELOAD_JSON`` and never runs user
code: it imports ipykernel and the framework's modules, reports whether that was
silent, then serves fork requests. Each child becomes exactly what
``python -m ipykernel_launcher -f FILE`` would be in the page's folder (same
argv, environment, working directory and ``sys.path``), with the imports done.

Protocol: JSON lines. Requests ``{"argv", "env", "cwd", "log"}`` get
``{"pid"}`` or ``{"error"}``; a child's exit is reported as ``{"exit", "status"}``.
When the request pipe closes (xint-site ended, even by ``kill -9``) the parent
kills every child's process group and exits; a child whose parent dies exits by
itself (ipykernel polls its parent).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import os
import runpy
import select
import signal
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypedDict

if TYPE_CHECKING:
    import re
    from importlib.metadata import Distribution
    from io import FileIO

    from ipykernel.kernelapp import IPKernelApp

    # one entry of ``warnings.filters``
    _Filter = tuple[
        str,
        re.Pattern[str] | None,
        type[Warning] | tuple[type[Warning], ...],
        re.Pattern[str] | None,
        int,
    ]


class Request(TypedDict):
    """A fork request: the kernel's command line, environment, folder and log file."""

    argv: list[str]
    env: dict[str, str]
    cwd: str
    log: str


class Imported(TypedDict):
    """What importing the framework changed, for each kernel to see as a fresh one would."""

    filters: list[_Filter]
    env_set: dict[str, str]
    env_removed: list[str]
    thread_numbers: tuple[int | None, int | None]


KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "ipykernel.comm",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.logger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "sqlite3",
    "tornado.platform.asyncio",
    "zmq.utils.garbage",
)


INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def _normal(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def modules_of(requirements: list[str]) -> list[str]:
    """Top-level modules of the given distributions whose names begin the
    distribution's name (``tensorflow`` for ``tensorflow-cpu``, not ``torchgen``).

    Only the named distributions are read: ``packages_distributions()`` reads every
    installed one (0.4 s in an environment of a hundred packages, at each start)."""
    if not requirements:
        return []
    from importlib.metadata import PackageNotFoundError, distribution

    found: set[str] = set()
    for requirement in dict.fromkeys(requirements):
        try:
            dist = distribution(requirement)
        except (PackageNotFoundError, ValueError):
            continue
        name = _normal(dist.metadata["Name"] or requirement)
        for module in _top_level(dist):
            if module.startswith("_") or module in sys.modules:
                continue
            if name.startswith(_normal(module)):
                found.add(module)
    return sorted(found)


def _top_level(dist: Distribution) -> set[str]:
    """A distribution's top-level modules as ``packages_distributions()`` finds them:
    its ``top_level.txt``, else the first part of each ``.py`` file it installed."""
    declared = (dist.read_text("top_level.txt") or "").split()
    if declared:
        return set(declared)
    return {
        f.parts[0] if len(f.parts) > 1 else f.with_suffix("").name
        for f in dist.files or ()
        if f.suffix == ".py"
    }


def preload(modules: list[str]) -> tuple[list[str], list[str]]:
    """Import each module; name those that printed, warned, failed or left a Python
    thread running. Importing them here would hide from the page what a fresh kernel
    would show, or fork a copy of locks that no thread in the child will release.
    Warning filters the imports add are kept (``catch_warnings`` would drop them)."""
    loaded: list[str] = []
    noisy: list[str] = []
    for module in modules:
        shown: list[tuple[Any, ...]] = []
        threads = threading.active_count()
        with tempfile.TemporaryFile() as captured:
            sys.stdout.flush()
            sys.stderr.flush()
            saved = os.dup(1), os.dup(2)
            saved_show = warnings.showwarning
            warnings.showwarning = lambda *args, shown=shown, **kwargs: shown.append(args)
            os.dup2(captured.fileno(), 1)
            os.dup2(captured.fileno(), 2)
            try:
                __import__(module)
                ok = True
            except BaseException:
                ok = False
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                warnings.showwarning = saved_show
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
                os.close(saved[0])
                os.close(saved[1])
            captured.seek(0)
            printed = captured.read()
        if not ok or shown or printed or threading.active_count() > threads:
            noisy.append(module)
        else:
            loaded.append(module)
    return loaded, noisy


def become_kernel(request: Request, closing: list[int], imported: Imported) -> NoReturn:
    """In the forked child: be the kernel ``request["argv"]`` would start."""
    os.setsid()
    for fd in closing:
        os.close(fd)
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    null = os.open(os.devnull, os.O_RDONLY)
    log = os.open(request["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(null)
    os.close(log)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ.update(imported["env_set"])
    for name in imported["env_removed"]:
        os.environ.pop(name, None)
    argv = request["argv"]
    module = argv[2]
    sys.argv = [argv[0], *argv[3:]]
    # ``python -m`` puts the starting folder first on sys.path
    sys.path[0] = os.getcwd()
    _reseed()
    if module == "ipykernel_launcher":
        _as_if_imported_in_a_cell(imported)
    code = 0
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _as_if_imported_in_a_cell(imported: Imported) -> None:
    """In a fresh kernel the framework is imported by a cell, after the kernel started;
    here the import came first. Undo the two traces of that order a page could see:
    the import's warning filters go back in front of those IPython installs at start,
    and threads the import made do not shift the numbers of the kernel's own threads."""
    from ipykernel.kernelapp import IPKernelApp

    start: Callable[[IPKernelApp], object] = IPKernelApp.start
    first, after = imported["thread_numbers"]
    if first is not None:
        _set_thread_counter(first)
    added = imported["filters"]

    def start_as_if_imported(self: IPKernelApp) -> object:
        IPKernelApp.start = start  # type: ignore[method-assign]  # our patch, undone
        ours = [f for f in warnings.filters if any(f is a for a in added)]
        rest = [f for f in warnings.filters if not any(f is a for a in added)]
        filters = warnings.filters
        assert isinstance(filters, list)  # typeshed says Sequence: "do not mutate"
        filters[:] = ours + rest
        vars(warnings)["_filters_mutated"]()  # private to CPython: not in typeshed
        if first is not None and after is not None:
            now = _next_thread_number()
            if now is not None:
                _set_thread_counter(now + after - first)
        return start(self)

    # patched for the one call that starts this kernel
    IPKernelApp.start = start_as_if_imported  # type: ignore[method-assign]


def _reseed() -> None:
    """Generators seeded from the OS at import: a fresh kernel would get new seeds,
    so a forked one must too (Python's ``random`` reseeds itself after fork;
    MXNet's generators start from a fixed seed, so a copy is already right)."""
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        numpy_random.seed()
    torch = sys.modules.get("torch")
    if torch is not None and hasattr(torch, "seed"):
        torch.seed()


class Parent:
    def __init__(self, request_fd: int, reply_fd: int, imported: Imported) -> None:
        self.imported = imported
        self.requests: FileIO = os.fdopen(request_fd, "rb", buffering=0)
        self.replies: FileIO = os.fdopen(reply_fd, "wb", buffering=0)
        self.children: set[int] = set()
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_w, False)
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, lambda *_: self.stop())
        self.buffer = b""

    def send(self, message: dict[str, Any]) -> None:
        self.replies.write((json.dumps(message) + "\n").encode())

    def serve(self) -> NoReturn:
        watched: list[FileIO | int] = [self.requests, self.wake_r]
        while True:
            try:
                ready, _, _ = select.select(watched, [], [])
            except InterruptedError:
                continue
            if self.wake_r in ready:
                os.read(self.wake_r, 512)
                self.reap()
            if self.requests in ready:
                chunk = self.requests.read(65536)
                if not chunk:
                    self.stop()
                self.buffer += chunk
                while b"\n" in self.buffer:
                    line, self.buffer = self.buffer.split(b"\n", 1)
                    self.fork(json.loads(line))

    def fork(self, request: Request) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError as exc:
            self.send({"error": f"cannot fork a kernel: {exc.strerror}"})
            return
        if pid == 0:
            closing = [self.requests.fileno(), self.replies.fileno(), self.wake_r, self.wake_w]
            become_kernel(request, closing, self.imported)
        self.children.add(pid)
        self.send({"pid": pid})

    def reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.children.discard(pid)
            self.send({"exit": pid, "status": os.waitstatus_to_exitcode(status)})

    def stop(self) -> NoReturn:
        for pid in list(self.children):
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        os._exit(0)


def main() -> None:
    request_fd, reply_fd = int(sys.argv[1]), int(sys.argv[2])
    wanted = json.loads(sys.argv[3])
    sys.argv = sys.argv[:1]
    started_env = dict(os.environ)
    # ipykernel makes matplotlib's inline backend the default (MPLBACKEND) as a kernel
    # starts, and matplotlib reads it once, on import: a preloaded matplotlib must see
    # it too, or every forked kernel draws with Agg and shows no figure
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    names_before = _next_thread_number()
    # what every kernel imports while it starts, before any cell (the debugger pulls
    # in debugpy): importing it here changes nothing a page can see
    for module in KERNEL_MODULES:
        with contextlib.suppress(Exception):
            __import__(module)

    modules = wanted["modules"] + modules_of(wanted["requirements"])
    skip = set(wanted["exclude"])
    before = list(warnings.filters)
    loaded, noisy = preload([m for m in dict.fromkeys(modules) if m not in skip])
    imported: Imported = {
        # filters the imports put in front (libraries insert at the front, as IPython does)
        "filters": _front_filters(before),
        # environment variables the imports set or removed: a kernel sees them too
        "env_set": {k: v for k, v in os.environ.items() if started_env.get(k) != v},
        "env_removed": [k for k in started_env if k not in os.environ],
        "thread_numbers": (names_before, _next_thread_number()),
    }
    # what is imported now lives as long as any kernel: keep the collector off it, so
    # children do not copy every page of it just to walk it (copy-on-write)
    gc.collect()
    gc.freeze()
    parent = Parent(request_fd, reply_fd, imported)
    threads = len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else 0
    parent.send({"ready": True, "preloaded": loaded, "noisy": noisy, "threads": threads})
    parent.serve()


def _front_filters(before: list[_Filter]) -> list[_Filter]:
    front = []
    for f in warnings.filters:
        if any(f is b for b in before):
            break
        front.append(f)
    return front


def _next_thread_number() -> int | None:
    """The number the next unnamed thread gets ("Thread-N"), without using it up."""
    counter: Callable[[], int] | None = getattr(threading, "_counter", None)
    if counter is None:
        return None
    number = counter()
    _set_thread_counter(number)
    return number


def _set_thread_counter(first: int) -> None:
    """Number the next unnamed thread ``first`` (``threading._counter`` is private to
    CPython: not in typeshed)."""
    vars(threading)["_counter"] = itertools.count(first).__next__


if __name__ == "__main__":
    main()
