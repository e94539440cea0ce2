"""Problems in a CI's own language: GitHub Actions' workflow commands.

``::error file=content/a.md,line=12::link to 'x/' does not resolve`` on standard
output makes GitHub show the problem on that line of the pull request's diff. On by
itself when ``GITHUB_ACTIONS=true`` (GitHub sets it on every runner), or with
``--annotate github``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from xint_site.problems import Problem, Severity

FORMATS = ("github", "none")


def annotation_format(asked: str | None, environ: Mapping[str, str] = os.environ) -> str | None:
    """The format asked for (``none`` turns it off), else GitHub's on a GitHub runner."""
    if asked is not None:
        return None if asked == "none" else asked
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else None


def github_annotations(
    problems: Iterable[Problem], environ: Mapping[str, str] = os.environ
) -> list[str]:
    return [github_annotation(p, environ.get("GITHUB_WORKSPACE", "")) for p in problems]


def github_annotation(problem: Problem, workspace: str = "") -> str:
    """One workflow command; its message is the problem's, framework and detail included
    (escaped as GitHub documents, so a traceback stays one command). GitHub places a
    file by its path in the repository: an absolute path inside ``workspace`` (the
    checkout, ``GITHUB_WORKSPACE``) is made relative to it."""
    kind = "error" if problem.severity is Severity.ERROR else "warning"
    properties = [f"file={_property(_in_workspace(problem.path, workspace))}"]
    if problem.line:
        properties.append(f"line={problem.line}")
        if problem.column:
            properties.append(f"col={problem.column}")
    properties.append("title=xint-site")
    message = (f"[{problem.framework}] " if problem.framework else "") + problem.message
    if problem.detail:
        message += "\n" + problem.detail
    return f"::{kind} {','.join(properties)}::{_data(message)}"


def _in_workspace(path: str, workspace: str) -> str:
    if workspace and os.path.isabs(path):
        relative = os.path.relpath(path, workspace)
        if not relative.startswith(".."):
            return relative
    return path


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
