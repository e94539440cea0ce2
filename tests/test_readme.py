"""The README documents every configuration key, command option and cell marker."""

from __future__ import annotations

import dataclasses

from tests.conftest import REPO
from xint_site.cli import make_parser
from xint_site.config import Framework, SiteConfig
from xint_site.markdown.fence_info import OPTIONS

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_config_key_is_in_the_reference() -> None:
    for cls in (SiteConfig, Framework):
        for field in dataclasses.fields(cls):
            assert f"| `{field.name}` |" in README, field.name


def test_every_cell_marker_is_documented() -> None:
    for marker in OPTIONS:
        assert f"| `{marker}` |" in README, marker


def test_every_build_option_is_documented() -> None:
    parser = make_parser()
    build = parser._subparsers._group_actions[0].choices["build"]
    for action in build._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert f"`{flag}" in README, flag


def test_readme_starts_with_the_two_setup_commands() -> None:
    head = README.split("\n## ", 1)[0]
    assert "make build" in head and "make test" in head
