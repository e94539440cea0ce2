"""GitHub Actions annotations: every problem also as ``::error file=…,line=…::message``."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.ci.conftest import RealBuild
from tests.ci.gradient import DOUBLED_LINE, EXPECTED
from tests.conftest import run_cli, write_tree
from xint_site.commands.annotations import (
    annotation_format,
    github_annotation,
    github_annotations,
)
from xint_site.problems import problem_at, warning_at

COMMAND = re.compile(r"^::(error|warning) ([^:]*)::(.*)$")


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command read back as GitHub's runner reads it."""
    found = COMMAND.match(line)
    assert found, line
    kind, props, message = found.groups()
    properties = dict(p.split("=", 1) for p in props.split(","))
    return kind, {k: unquote(v) for k, v in properties.items()}, unquote(message)


def annotations(stdout: str) -> list[tuple[str, dict[str, str], str]]:
    return [parse(line) for line in stdout.splitlines() if line.startswith("::")]


@pytest.mark.slow
def test_on_github_actions_a_warning_is_annotated(real_build: RealBuild) -> None:
    found = annotations(real_build.result.stdout)
    assert found == [
        (
            "warning",
            {"file": "content/doubled.md", "line": str(DOUBLED_LINE), "title": "xint-site"},
            EXPECTED,
        )
    ]


@pytest.mark.slow
def test_annotate_github_prints_errors_with_their_lines(tmp_path: Path) -> None:
    write_tree(
        tmp_path / "content",
        {
            "a.md": "---\ntitle: A\n---\n\n[x](../nothing/)\n\n![i](gone,1.png)\n",
            "b.md": "---\ntitle: B\ndate: 2021-13-01\n---\n",
        },
    )
    result = run_cli(
        "build", "content", "-o", "out", "--no-execute", "--annotate", "github",
        cwd=tmp_path, env={"GITHUB_ACTIONS": ""},
    )  # fmt: skip
    assert result.returncode == 1
    found = annotations(result.stdout)
    assert [(kind, props["file"], props.get("line")) for kind, props, _ in found] == [
        ("error", "content/b.md", "3")
    ], "the build stops before writing pages, so no link is checked"
    assert found[0][2].startswith("front matter 'date'")
    (tmp_path / "content" / "b.md").unlink()
    result = run_cli(
        "build", "content", "-o", "out", "--no-execute", "--strict", "--annotate", "github",
        cwd=tmp_path, env={"GITHUB_ACTIONS": ""},
    )  # fmt: skip
    found = annotations(result.stdout)
    assert found == [
        ("error", {"file": "content/a.md", "line": "5", "title": "xint-site"},
         "link to '../nothing/' does not resolve"),
        ("error", {"file": "content/a.md", "line": "7", "title": "xint-site"},
         "image 'gone,1.png' does not resolve"),
    ]  # fmt: skip


@pytest.mark.slow
def test_no_annotations_off_github(tmp_path: Path) -> None:
    write_tree(tmp_path / "content", {"a.md": "---\ntitle: A\n---\n\n[x](../nothing/)\n"})
    result = run_cli(
        "build", "content", "-o", "out", "--no-execute", cwd=tmp_path, env={"GITHUB_ACTIONS": ""}
    )
    assert result.returncode == 0
    assert "::" not in result.stdout
    on_github = run_cli(
        "build", "content", "-o", "out", "--no-execute", "--annotate", "none",
        cwd=tmp_path, env={"GITHUB_ACTIONS": "true"},
    )  # fmt: skip
    assert "::" not in on_github.stdout


def test_a_traceback_and_odd_paths_stay_one_command() -> None:
    problem = problem_at(
        "docs/a,b:c.md", 12, "NameError: 50% gone", "Traceback\n  line 1", column=3,
        framework="PyTorch",
    )  # fmt: skip
    line = github_annotation(problem)
    assert "\n" not in line
    assert parse(line) == (
        "error",
        {"file": "docs/a,b:c.md", "line": "12", "col": "3", "title": "xint-site"},
        "[PyTorch] NameError: 50% gone\nTraceback\n  line 1",
    )
    assert github_annotation(warning_at("x.md", 0, "m")) == "::warning file=x.md,title=xint-site::m"


def test_an_absolute_path_in_the_checkout_is_given_relative_to_it() -> None:
    inside, outside = warning_at("/w/repo/content/a.md", 3, "m"), warning_at("/tmp/a.md", 3, "m")
    found = github_annotations([inside, outside], {"GITHUB_WORKSPACE": "/w/repo"})
    assert [parse(line)[1]["file"] for line in found] == ["content/a.md", "/tmp/a.md"]


def test_github_actions_turns_annotations_on() -> None:
    assert annotation_format(None, {"GITHUB_ACTIONS": "true"}) == "github"
    assert annotation_format(None, {}) is None
    assert annotation_format("none", {"GITHUB_ACTIONS": "true"}) is None
    assert annotation_format("github", {}) == "github"
