"""The CI recipe in ``examples/github-actions/docs.yml``: a workflow GitHub can read, whose
xint-site commands are ones the CLI accepts, doing what the README says."""

from __future__ import annotations

import shlex
from typing import Any

import yaml

from tests.conftest import REPO
from xint_site.cli import make_parser

WORKFLOW = REPO / "examples" / "github-actions" / "docs.yml"


def steps() -> list[dict[str, Any]]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert set(data[True]) == {"push", "pull_request"}  # YAML 1.1 reads `on` as true
    found: list[dict[str, Any]] = data["jobs"]["build"]["steps"]
    return found


def commands(event: str) -> list[list[str]]:
    """The xint-site command lines that run on ``event``."""
    out = []
    for step in steps():
        condition = step.get("if", "")
        if "github.event_name ==" in condition and f"'{event}'" not in condition:
            continue
        for line in step.get("run", "").splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == ["xint-site"]:
                out.append(words[1:])
    return out


def test_every_command_of_the_workflow_is_one_the_cli_accepts() -> None:
    parser = make_parser()
    for event in ("push", "pull_request"):
        for words in commands(event):
            parser.parse_args(words)


def test_main_runs_the_kernels_and_pull_requests_build_frozen_and_strict() -> None:
    assert commands("push") == [
        ["kernels", "content"],
        ["build", "content", "-o", "_site", "--strict", "--report", "build.json"],
    ]
    assert commands("pull_request") == [
        ["build", "content", "-o", "_site", "--frozen", "--strict", "--report", "build.json"]
    ]


def test_the_execution_cache_is_restored_and_saved_on_main() -> None:
    used = {step.get("uses", "").split("@")[0]: step for step in steps()}
    assert used["actions/cache/restore"]["with"]["path"] == "content/_freeze"
    saved = used["actions/cache/save"]
    assert saved["with"]["path"] == "content/_freeze" and "push" in saved["if"]
    assert "actions/upload-pages-artifact" in used
