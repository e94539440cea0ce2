"""Which tab labels name a framework: by id, label or alias, ignoring case."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TabNames:
    """Framework ids and labels, in tab order, and every name that selects one."""

    labels: dict[str, str] = field(default_factory=dict)  # id -> label, in order
    names: dict[str, str] = field(default_factory=dict)  # casefolded name -> id

    @classmethod
    def of(cls, frameworks: Iterable[tuple[str, str, Iterable[str]]]) -> TabNames:
        labels: dict[str, str] = {}
        names: dict[str, str] = {}
        for fw_id, label, aliases in frameworks:
            labels[fw_id] = label or fw_id
            for name in (fw_id, label, *aliases):
                if name:
                    names.setdefault(name.strip().casefold(), fw_id)
        return cls(labels, names)

    def resolve(self, name: str) -> str | None:
        return self.names.get(name.strip().casefold())
