"""``--report FILE``: a JSON report of the build, valid against the schema shipped with
the package."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.ci.conftest import RealBuild
from tests.ci.gradient import DOUBLED_LINE, EXPECTED
from tests.conftest import run_cli, write_tree


def schema() -> dict[str, Any]:
    text = files("xint_site").joinpath("schemas/report.schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(data)
    return data


def validated(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)
    return data


@pytest.mark.slow
def test_the_report_of_a_real_build_holds_every_notebook_and_problem(
    real_build: RealBuild,
) -> None:
    report = validated(real_build.root / "report.json")
    assert report["ok"] is True
    assert report["pages"] == 2
    notebooks = report["notebooks"]
    assert sorted((Path(n["page"]).name, n["framework"]) for n in notebooks) == sorted(
        (page, fw)
        for page in ("doubled.md", "zeroed.md")
        for fw in ("mxnet", "tensorflow", "pytorch")
    )
    assert all(n["status"] == "executed" and n["seconds"] > 0 for n in notebooks)
    assert report["summary"]["executed"] == 6 and report["summary"]["warnings"] == 1
    [problem] = report["problems"]
    assert problem["path"] == "content/doubled.md"
    assert (problem["line"], problem["severity"]) == (DOUBLED_LINE, "warning")
    assert problem["message"] == EXPECTED


@pytest.mark.slow
def test_the_report_of_a_frozen_strict_build_says_cached_and_failed(
    real_build: RealBuild,
) -> None:
    result = run_cli(
        "build", "content", "-o", "o2", "--frozen", "--strict", "--report", "r2.json",
        cwd=real_build.root,
    )  # fmt: skip
    assert result.returncode == 1
    report = validated(real_build.root / "r2.json")
    assert report["ok"] is False and report["files"] == 0
    assert {n["status"] for n in report["notebooks"]} == {"cached"}
    assert report["summary"]["cached"] == 6
    assert [(p["line"], p["severity"]) for p in report["problems"]] == [(DOUBLED_LINE, "error")]


@pytest.mark.slow
def test_a_report_is_written_when_the_input_is_bad(tmp_path: Path) -> None:
    write_tree(tmp_path / "content", {"p.md": "---\ntitle: x\ndate: yesterday\n---\n"})
    result = run_cli("build", "content", "-o", "out", "--report", "r.json", cwd=tmp_path)
    assert result.returncode == 1
    report = validated(tmp_path / "r.json")
    assert report["ok"] is False and report["notebooks"] == []
    [problem] = report["problems"]
    assert (problem["path"], problem["line"]) == ("content/p.md", 3)


@pytest.mark.slow
def test_an_unwritable_report_is_an_error(tmp_path: Path) -> None:
    write_tree(tmp_path / "content", {"p.md": "---\ntitle: x\n---\n\ntext\n"})
    (tmp_path / "blocked").write_text("a file, not a folder")
    result = run_cli(
        "build", "content", "-o", "out", "--no-execute", "--report", "blocked/r.json",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert "blocked/r.json: cannot write the report: " in result.stderr
    assert "Traceback" not in result.stderr
