"""Which modules a kernel parent preloads for a framework's requirements.

``modules_of`` reads only the distributions it is given; these tests check that it
finds what the standard library's ``packages_distributions()`` (which reads every
installed distribution) would, for every distribution of this environment.
"""

from __future__ import annotations

import sys
from functools import cache
from importlib.metadata import distributions, packages_distributions

import pytest

from xint_site.execute.zygote import _normal, modules_of

# over a second: every installed distribution's files are read (``dist.files`` where a
# distribution has no top_level.txt), once for the rule under test, once for the other
pytestmark = pytest.mark.slow


def _from_all_distributions(requirements: list[str]) -> list[str]:
    """The rule as written over ``packages_distributions()``."""
    wanted = {_normal(r) for r in requirements}
    return sorted(
        module
        for module, dists in _all().items()
        if not module.startswith("_")
        and module not in sys.modules
        and any(_normal(d) in wanted and _normal(d).startswith(_normal(module)) for d in dists)
    )


@cache
def _all() -> dict[str, list[str]]:
    return dict(packages_distributions())


@cache
def _each_alone() -> dict[str, list[str]]:
    """Every installed distribution's name -> ``modules_of`` that name alone."""
    names = sorted({d.metadata["Name"] for d in distributions() if d.metadata["Name"]})
    return {name: modules_of([name]) for name in names}


def test_each_installed_distribution_gives_what_all_distributions_give() -> None:
    found = _each_alone()
    names = list(found)
    assert len(names) > 50  # the test environment: jupyter, playwright, mkdocs, dask...
    for name in names:
        assert found[name] == _from_all_distributions([name]), name
    assert sum(1 for modules in found.values() if modules) > 20  # not all left out
    assert modules_of(names) == _from_all_distributions(names)


def test_names_are_matched_as_pip_does() -> None:
    """Any case, ``-`` or ``_``: the installed distributions whose modules are preloaded
    and whose names have capitals or a dash, written otherwise, give the same modules."""
    found = _each_alone()
    odd = sorted(n for n, modules in found.items() if n != n.lower().replace("-", "_") and modules)
    assert odd  # in this venv: Markdown, charset-normalizer, markdown-it-py, ...
    for name in odd:
        for written in (name.lower(), name.upper(), name.replace("-", "_"), name.replace("_", "-")):
            assert modules_of([written]) == found[name], (written, name)
    assert modules_of(["PyYAML"]) == modules_of(["pyyaml"]) == []  # module `yaml`: no prefix


def test_nothing_asked_or_nothing_installed_gives_nothing() -> None:
    assert modules_of([]) == []
    assert modules_of(["no-such-distribution-here"]) == []
