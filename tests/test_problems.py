"""The one problem type: how a problem reads, where it is placed, how it sorts."""

from __future__ import annotations

from pathlib import Path

from xint_site.problems import Problem, Severity, problem_at, warning_at


def test_path_line_column_framework_and_message() -> None:
    assert str(problem_at("p.md", 3, "invalid formula")) == "p.md:3: invalid formula"
    assert str(problem_at(Path("a/p.md"), 3, "bad", column=7)) == "a/p.md:3:7: bad"
    assert str(problem_at("p.md", 10, "NameError: x", framework="Alpha")) == (
        "p.md:10: [Alpha] NameError: x"
    )
    assert str(problem_at("content", 0, "content folder not found")) == (
        "content: content folder not found"  # line 0: the file or folder as a whole
    )
    assert str(problem_at("p.md", 0, "whole file", column=4)) == "p.md: whole file"


def test_the_detail_is_indented_under_the_message() -> None:
    problem = problem_at("p.md", 6, "the kernel died", "last words\n  indented", framework="A")
    assert str(problem) == "p.md:6: [A] the kernel died\n    last words\n      indented"


def test_severity_errors_by_default_and_warnings_on_request() -> None:
    assert problem_at("p.md", 1, "x").severity is Severity.ERROR
    warning = warning_at("_freeze", 0, "cannot store outputs in the cache: Read-only")
    assert warning.severity is Severity.WARNING and warning.severity == "warning"
    assert str(warning) == "_freeze: cannot store outputs in the cache: Read-only"
    kept = problem_at("p.md", 2, "NameError: x").as_warning(" (kept going)")
    assert (kept.severity, str(kept)) == (Severity.WARNING, "p.md:2: NameError: x (kept going)")


def test_a_plugins_problem_is_placed_in_its_file() -> None:
    """Plugins count lines from 0 in the parsed text; the body starts at ``first_line``."""
    found = Problem("", 2, "invalid formula: no")
    assert found.placed(Path("c/p.md"), 6) == problem_at("c/p.md", 8, "invalid formula: no")


def test_problems_sort_by_path_then_line() -> None:
    problems = [problem_at("b.md", 1, "x"), problem_at("a.md", 9, "y"), problem_at("a.md", 2, "z")]
    assert [(p.path, p.line) for p in sorted(problems)] == [("a.md", 2), ("a.md", 9), ("b.md", 1)]
