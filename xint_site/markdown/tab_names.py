"""Which tab labels name a framework: by id, label or alias, ignoring case.

A site names its frameworks (``TabNames.of``); a parser used elsewhere, with no
list of frameworks, takes :data:`ANY_LABEL`: every label names its own tab, so
tabs with the same label (in any case) are the same tab in every set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TabNames:
    """Framework ids and labels, in tab order, and every name that selects one.

    With ``any_label``, a name that is not listed selects a tab of its own whose
    id is the name in lower case (``PyTorch`` -> ``pytorch``).
    """

    labels: dict[str, str] = field(default_factory=dict)  # id -> label, in order
    names: dict[str, str] = field(default_factory=dict)  # casefolded name -> id
    any_label: bool = False

    @classmethod
    def of(cls, frameworks: Iterable[tuple[str, str, Iterable[str]]]) -> TabNames:
        """Names for ``(id, label, aliases)`` of each framework, in tab order."""
        labels: dict[str, str] = {}
        names: dict[str, str] = {}
        for fw_id, label, aliases in frameworks:
            labels[fw_id] = label or fw_id
            for name in (fw_id, label, *aliases):
                if name:
                    names.setdefault(name.strip().casefold(), fw_id)
        return cls(labels, names)

    def resolve(self, name: str) -> str | None:
        """The id ``name`` selects, or None for a tab that is no framework's."""
        key = name.strip().casefold()
        found = self.names.get(key)
        if found is None and self.any_label and key:
            return key
        return found

    def label(self, fw_id: str, written: str = "") -> str:
        """The label shown for ``fw_id``: the configured one, else as ``written``."""
        return self.labels.get(fw_id) or written or fw_id


#: The default of every plugin: no framework list, each label is its own tab.
ANY_LABEL = TabNames(any_label=True)
