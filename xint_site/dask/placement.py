"""Which workers a framework's notebooks prefer.

A worker that has run a framework keeps its kernel parent warm (the framework
imported once), so each framework's notebooks go preferably to such workers, and a
framework that is warm nowhere gets a share of the workers in proportion to its
notebooks. The preference is loose: Dask still moves a notebook to an idle worker.
Only workers with the resources a framework asks for (``resources: {GPU: 1}``) can
take its notebooks; when none has them, its notebooks fail at once instead of
waiting for a worker that never comes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

Runtime = tuple[str, tuple[tuple[str, str], ...]]  # a job's kernel and environment


@dataclass(frozen=True)
class WorkerView:
    address: str
    resources: Mapping[str, float] = field(default_factory=dict)
    warm: frozenset[Runtime] = frozenset()


@dataclass(frozen=True)
class Need:
    notebooks: int
    resources: Mapping[str, float] = field(default_factory=dict)


def able(worker: WorkerView, resources: Mapping[str, float]) -> bool:
    return all(worker.resources.get(name, 0) >= amount for name, amount in resources.items())


def place(needs: Mapping[Runtime, Need], workers: list[WorkerView]) -> dict[Runtime, list[str]]:
    """The preferred workers of each runtime; an empty list when workers are there but
    none has the resources it needs; no entry when there is no worker yet (its notebooks
    wait for one, as Dask does)."""
    total = sum(n.notebooks for n in needs.values()) or 1
    load = {w.address: 0.0 for w in workers}
    placed: dict[Runtime, list[str]] = {}
    for runtime, need in sorted(needs.items(), key=lambda item: -item[1].notebooks):
        fit = [w for w in workers if able(w, need.resources)]
        if not fit:
            if workers:
                placed[runtime] = []
            continue
        share = max(1, round(len(fit) * need.notebooks / total))
        ranked = sorted(fit, key=lambda w: (runtime not in w.warm, load[w.address], w.address))
        chosen = [w.address for w in ranked[:share]]
        for address in chosen:
            load[address] += need.notebooks / len(chosen)
        placed[runtime] = chosen
    return placed
