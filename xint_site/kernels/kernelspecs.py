"""The Jupyter kernelspecs xint-site writes, and how the build finds or misses them.

A provisioned framework's kernelspec goes into the ``share/jupyter/kernels`` folder
of the environment that runs xint-site: jupyter_client's ``KernelSpecManager``
searches it before the user's and the system's folders, so the build finds exactly
the kernels ``xint-site kernels`` wrote, and nothing outside that environment changes.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path
from typing import Any

from xint_site.config import CONFIG_NAME, Framework
from xint_site.files import write_file_atomic

KERNEL_JSON = "kernel.json"
_VALID_NAME = re.compile(r"^[a-z0-9._-]+$", re.IGNORECASE)


def kernels_dir() -> Path:
    """Where xint-site registers kernelspecs: this environment's own share folder."""
    return Path(sys.prefix) / "share" / "jupyter" / "kernels"


def kernelspec_dir(name: str) -> Path:
    # jupyter_client lower-cases kernel names when it lists them.
    return kernels_dir() / name.lower()


def valid_kernel_name(name: str) -> bool:
    return bool(_VALID_NAME.match(name))


def kernelspec(framework: Framework, python: Path, metadata: dict[str, Any]) -> dict[str, Any]:
    """The kernel.json that runs ``python`` with the framework's environment variables."""
    return {
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": framework.label or framework.id,
        "language": "python",
        "env": dict(framework.env),
        "metadata": {"xint_site": metadata},
    }


def read_kernelspec(name: str) -> dict[str, Any] | None:
    """The kernel.json xint-site registered under ``name``, if any and readable."""
    try:
        spec = json.loads((kernelspec_dir(name) / KERNEL_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return spec if isinstance(spec, dict) else None


def write_kernelspec(name: str, spec: dict[str, Any]) -> Path:
    """Write kernel.json atomically: a build starting meanwhile never reads half a file."""
    target = kernelspec_dir(name) / KERNEL_JSON
    write_file_atomic(target, (json.dumps(spec, indent=1, ensure_ascii=False) + "\n").encode())
    return target


def kernel_location(name: str) -> Path | None:
    """The folder jupyter_client would load kernel ``name`` from, or None."""
    from jupyter_client.kernelspec import KernelSpecManager  # 0.15 s: only when asked

    found = KernelSpecManager().find_kernel_specs().get(name.lower())
    return Path(found) if found else None


def kernel_installed(name: str) -> bool:
    return kernel_location(name) is not None


def install_command(framework: Framework, content_dir: Path | str = "content") -> str:
    """The command that provisions this framework's kernel from the site config."""
    content = shlex.quote(str(content_dir))
    return f"xint-site kernels {content} --only {shlex.quote(framework.id)}"


def missing_kernel_message(framework: Framework | str, content_dir: Path | str = "content") -> str:
    """Name the framework, the kernel and the command that installs it.

    ``framework`` may be a bare kernel name, for a kernel no framework declares
    (the site's ``kernel`` for pages without framework tabs).
    """
    if isinstance(framework, str):
        name = shlex.quote(framework)
        return (
            f"Jupyter kernel '{framework}' is not installed; "
            f"install it with: python -m ipykernel install --user --name {name}"
        )
    return f"[{framework.label or framework.id}] " + missing_kernel_reason(framework, content_dir)


def missing_kernel_reason(framework: Framework, content_dir: Path | str = "content") -> str:
    """The message for a framework's missing kernel, for callers that name it already."""
    text = f"Jupyter kernel '{framework.kernel}' is not installed; "
    if framework.requirements:
        return text + f"run: {install_command(framework, content_dir)}"
    config = Path(content_dir) / CONFIG_NAME
    return text + (
        f"declare the framework's `requirements` in {config} and run: "
        f"{install_command(framework, content_dir)}"
    )
