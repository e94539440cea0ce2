"""``xint-site kernels [CONTENT_DIR] [--check] [--only NAME ...]``.

Provisions, for every framework in ``xint.yml`` that declares ``requirements``,
its own environment and kernelspec; ``--check`` only reports where each stands.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from xint_site.commands.report import stop_on_sigterm
from xint_site.config import CONFIG_NAME, Framework, SiteConfig, load_config
from xint_site.kernels.environments import KernelStatus, ProvisionError, kernel_status, provision
from xint_site.kernels.kernelspecs import install_command
from xint_site.problems import Problem, problem_at
from xint_site.yamlfile import YamlError, load_yaml

NATIVE_KERNEL = "python3"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("kernels", help="make each framework's environment and Jupyter kernel")
    p.add_argument("content", nargs="?", default="content", type=Path, help="content folder")
    p.add_argument(
        "--check", action="store_true", help="only report each kernel; exit 1 if one is missing"
    )
    p.add_argument(
        "--only", nargs="+", default=[], metavar="NAME", help="only these frameworks (id or label)"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config, errors = load_config(args.content)
    frameworks, more = _selected(config, args.only, args.content)
    if _print_errors(errors + more + _conflicts(frameworks, args.content)):
        return 1
    if args.check:
        return _check(frameworks, args.content)
    with stop_on_sigterm():
        errors = [e for fw in frameworks if (e := _provision(fw, args.content)) is not None]
    return 1 if _print_errors(errors) else 0


def _selected(
    config: SiteConfig, names: list[str], content: Path
) -> tuple[list[Framework], list[Problem]]:
    chosen, errors = [], []
    for name in names:
        fw = config.framework(name)
        if fw is None:
            known = ", ".join(f.id for f in config.frameworks)
            errors.append(
                problem_at(content / CONFIG_NAME, 0, f"no framework '{name}' (known: {known})")
            )
        elif fw not in chosen:
            chosen.append(fw)
    return (chosen if names else list(config.frameworks)), errors


def _conflicts(frameworks: list[Framework], content: Path) -> list[Problem]:
    """Kernel names we must not write: the shared ``python3``, or one claimed twice."""
    errors: list[Problem] = []
    owners: dict[str, str] = {}  # kernel name -> the framework that provisions it
    for fw in (f for f in frameworks if f.requirements):
        kernel = fw.kernel.lower()
        if kernel == NATIVE_KERNEL:
            message = f"kernel '{fw.kernel}' is xint-site's own; name it e.g. 'xint-{fw.id}'"
        elif kernel in owners:
            message = (
                f"kernel '{fw.kernel}' is also provisioned for '{owners[kernel]}'; "
                "declare its requirements on one framework only"
            )
        else:
            owners[kernel] = fw.id
            continue
        errors.append(problem_at(*_where(content, fw, "kernel"), message, framework=fw.label))
    return errors


def _provision(framework: Framework, content: Path) -> Problem | None:
    label = f"[{framework.label}] {framework.kernel}"
    if not framework.requirements:
        print(f"{label}: no requirements declared; left to you", file=sys.stderr)
        return None
    started = time.perf_counter()
    try:
        env = provision(framework, log=lambda line: print(f"{label}: {line}", file=sys.stderr))
    except ProvisionError as exc:
        return problem_at(*_where(content, framework, "requirements"), str(exc), exc.detail)
    seconds = time.perf_counter() - started
    print(f"{label}: ready ({env}) in {seconds:.1f} s", file=sys.stderr)
    return None


def _check(frameworks: list[Framework], content: Path) -> int:
    statuses = [kernel_status(fw) for fw in frameworks]
    for status in statuses:
        print(_status_line(status, content))
    return 0 if all(s.ok for s in statuses) else 1


def _status_line(status: KernelStatus, content: Path) -> str:
    fw = status.framework
    line = f"{fw.id:<12} {fw.kernel:<18} {status.state:<13} {status.where}".rstrip()
    if status.state in ("missing", "unregistered"):
        line += f"  (run: {install_command(fw, content)})"
    elif status.state == "not installed":
        line += "  (no requirements declared: install this kernel yourself)"
    return line


def _where(content: Path, framework: Framework, key: str) -> tuple[Path, int]:
    """The config file and the line of one key of the framework, for ``path:line``."""
    path = content / CONFIG_NAME
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlError):
        return path, 0
    items = doc.data.get("frameworks") if isinstance(doc.data, dict) else None
    for index, item in enumerate(items or []):
        if isinstance(item, dict) and item.get("id") == framework.id:
            return path, doc.line(("frameworks", index, key))
    return path, 0


def _print_errors(errors: list[Problem]) -> int:
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        count = len(errors)
        print(f"xint-site: {count} error{'s' if count > 1 else ''}", file=sys.stderr)
    return len(errors)
