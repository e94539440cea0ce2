"""What a kernel is, read from its environment without starting it.

The cache key needs the kernel's identity (kernelspec, Python version, the
versions of what is installed where it runs, the framework among them). Reading
the environment's ``*.dist-info`` names gives exactly the versions the kernel
would report on import, and costs one directory listing: a prose edit or a
``--frozen`` build never starts a kernel to learn them.
"""

from __future__ import annotations

import hashlib
import shutil
from functools import cache
from pathlib import Path


@cache
def kernel_identity(name: str) -> dict[str, str] | None:
    """``{"kernel", "python", "packages"}`` for an installed kernel, else None."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel  # 0.15 s: on use

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return None
    python = _python(spec.argv[0] if spec.argv else "")
    site_packages = _site_packages(python) if python else []
    installed = sorted(
        p.name
        for folder in site_packages
        for p in folder.iterdir()
        if p.name.endswith(".dist-info")
    )
    return {
        "kernel": name,
        "argv0": str(python or ""),
        "python": _python_version(python, site_packages),
        "packages": hashlib.sha256("\n".join(installed).encode()).hexdigest()[:20],
    }


def _python(argv0: str) -> Path | None:
    found = shutil.which(argv0) if argv0 and "/" not in argv0 else argv0
    return Path(found) if found else None


def _site_packages(python: Path) -> list[Path]:
    prefix = python.parent.parent
    return sorted(p for p in prefix.glob("lib/python3*/site-packages") if p.is_dir())


def _python_version(python: Path | None, site_packages: list[Path]) -> str:
    if python is not None:
        cfg = python.parent.parent / "pyvenv.cfg"
        if cfg.is_file():
            for line in cfg.read_text(encoding="utf-8", errors="replace").splitlines():
                key, _, value = line.partition("=")
                if key.strip() in ("version", "version_info"):
                    return value.strip()
    return site_packages[0].parent.name.removeprefix("python") if site_packages else "unknown"
