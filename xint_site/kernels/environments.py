"""One virtual environment per framework, named by the hash of what goes into it.

Frameworks pin conflicting packages (MXNet needs numpy 1.23, TensorFlow numpy 2),
so each one gets its own venv under ``$XDG_CACHE_HOME/xint-site/envs/``. The folder
name carries a hash of the requirements and the Python version: changing either
makes a new environment, and an unchanged one is reused without running pip.
A venv cannot be moved once made, so it is built in place and marked complete
last; a failed or interrupted install removes the folder, never leaving a broken
environment that looks cached.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xint_site.config import Framework
from xint_site.files import write_file_atomic
from xint_site.kernels.kernelspecs import (
    kernel_location,
    kernelspec,
    kernelspec_dir,
    read_kernelspec,
    valid_kernel_name,
    write_kernelspec,
)
from xint_site.paths import cache_dir

KERNEL_PACKAGE = "ipykernel"
MARKER = "xint-site-env.json"
NO_DEPS = "--no-deps"  # after a requirement: install it without its dependencies

Log = Callable[[str], None]


class ProvisionError(Exception):
    """Making a framework's environment failed; says which step and why."""

    def __init__(self, framework: Framework, message: str, detail: str = "") -> None:
        super().__init__(f"[{framework.label or framework.id}] {message}")
        self.framework = framework
        self.detail = detail


def python_version() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def install_requirements(framework: Framework) -> list[str]:
    """What pip installs: the kernel package plus the framework's own requirements."""
    return sorted({KERNEL_PACKAGE, *(r.strip() for r in framework.requirements if r.strip())})


def split_no_deps(requirements: list[str]) -> tuple[list[str], list[str]]:
    """Requirements pip resolves, and those written ``name --no-deps``: installed after,
    without their dependencies (a package such as ``d2l`` pins old versions of what it
    imports; the environment's own requirements give those instead)."""
    plain: list[str] = []
    alone: list[str] = []
    for requirement in requirements:
        if requirement.endswith(NO_DEPS):
            if name := requirement.removesuffix(NO_DEPS).strip():
                alone.append(name)
        else:
            plain.append(requirement)
    return plain, alone


def env_hash(framework: Framework) -> str:
    """Hash only what changes the environment's contents: requirements and Python."""
    key = {"python": python_version(), "requirements": install_requirements(framework)}
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]


def envs_dir() -> Path:
    return cache_dir() / "envs"


def env_dir(framework: Framework) -> Path:
    return envs_dir() / f"{framework.id}-{env_hash(framework)}"


def env_python(env: Path) -> Path:
    return env / "bin" / "python"


def desired_kernelspec(framework: Framework) -> dict[str, Any]:
    env = env_dir(framework)
    metadata = {"env": str(env), "env_hash": env_hash(framework), "framework": framework.id}
    return kernelspec(framework, env_python(env), metadata)


def env_ready(env: Path) -> bool:
    """Complete: the marker is written last, and the interpreter still resolves."""
    return (env / MARKER).is_file() and env_python(env).exists()


@dataclass(frozen=True)
class KernelStatus:
    """Where one framework's kernel stands, for ``xint-site kernels --check``."""

    framework: Framework
    state: str  # ready | missing | unregistered | shadowed | installed | not installed
    where: str = ""

    @property
    def ok(self) -> bool:
        return self.state in ("ready", "installed")


def kernel_status(framework: Framework) -> KernelStatus:
    found = kernel_location(framework.kernel)
    if not framework.requirements:
        state = "installed" if found else "not installed"
        return KernelStatus(framework, state, str(found or ""))
    env = env_dir(framework)
    if not env_ready(env):
        return KernelStatus(framework, "missing", str(env))
    if read_kernelspec(framework.kernel) != desired_kernelspec(framework):
        return KernelStatus(framework, "unregistered", str(env))
    if not _same(found, kernelspec_dir(framework.kernel)):
        return KernelStatus(framework, "shadowed", str(found))
    return KernelStatus(framework, "ready", str(env))


def provision(framework: Framework, *, log: Log = lambda _line: None) -> Path:
    """Make the framework's environment and register its kernelspec; idempotent."""
    if not framework.requirements:
        raise ValueError(f"framework '{framework.id}' declares no requirements")
    if not valid_kernel_name(framework.kernel):
        raise ProvisionError(
            framework,
            f"kernel name '{framework.kernel}' may hold only letters, digits, '.', '_' and '-'",
        )
    env = env_dir(framework)
    spec = desired_kernelspec(framework)
    with _locked(env, log):
        if not env_ready(env):
            _build(framework, env, log)
        if read_kernelspec(framework.kernel) != spec:
            path = write_kernelspec(framework.kernel, spec)
            log(f"registered kernel '{framework.kernel}' in {path.parent}")
    found = kernel_location(framework.kernel)
    if not _same(found, kernelspec_dir(framework.kernel)):
        log(f"warning: kernel '{framework.kernel}' in {found} hides the one just registered")
    return env


def _same(found: Path | None, ours: Path) -> bool:
    return found is not None and found.resolve() == ours.resolve()


@contextlib.contextmanager
def _locked(env: Path, log: Log) -> Iterator[None]:
    """One process builds a given environment; the others wait, then reuse it."""
    env.parent.mkdir(parents=True, exist_ok=True)
    with open(env.parent / f"{env.name}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"waiting for another xint-site to finish {env.name}")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(framework: Framework, env: Path, log: Log) -> None:
    if env.exists():
        log(f"removing the incomplete environment {env}")
        shutil.rmtree(env)
    packages = install_requirements(framework)
    pip_log = env.parent / f"{env.name}.log"
    log(f"creating {env} (pip log: {pip_log})")
    started = time.perf_counter()
    try:
        with open(pip_log, "w", encoding="utf-8") as out:
            _run(
                framework,
                "creating the virtual environment",
                [sys.executable, "-m", "venv", str(env)],
                out,
            )
            log(f"installing {' '.join(packages)}")
            pip = [str(env_python(env)), "-m", "pip", "--disable-pip-version-check"]
            plain, alone = split_no_deps(packages)
            _run(framework, "pip install", [*pip, "install", *plain], out)
            if alone:
                step = f"pip install {NO_DEPS}"
                _run(framework, step, [*pip, "install", NO_DEPS, *alone], out)
            frozen = subprocess.run([*pip, "freeze"], capture_output=True, text=True, check=False)
        _write_marker(framework, env, packages, frozen.stdout.splitlines())
    except BaseException:
        shutil.rmtree(env, ignore_errors=True)
        raise
    log(f"environment ready in {time.perf_counter() - started:.1f} s")


def _run(framework: Framework, step: str, argv: list[str], out: Any) -> None:
    """Run one step with its output in the log; stop it if we are interrupted."""
    out.write(f"$ {' '.join(argv)}\n")
    out.flush()
    env = {**os.environ, "PIP_NO_INPUT": "1"}
    process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        code = process.wait()
    except BaseException:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        raise
    if code:
        raise ProvisionError(
            framework,
            f"{step} failed (exit status {code}); full log: {out.name}",
            _error_lines(Path(out.name)),
        )


def _error_lines(log: Path, limit: int = 12) -> str:
    """pip's ERROR lines if it printed some, else the end of the log."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    errors = [ln for ln in lines if ln.startswith("ERROR")]
    return "\n".join((errors or lines)[-limit:])


def _write_marker(framework: Framework, env: Path, packages: list[str], frozen: list[str]) -> None:
    record = {
        "framework": framework.id,
        "env_hash": env_hash(framework),
        "python": python_version(),
        "requirements": packages,
        "installed": frozen,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    write_file_atomic(env / MARKER, (json.dumps(record, indent=1) + "\n").encode())
