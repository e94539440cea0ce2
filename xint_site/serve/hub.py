"""The latest build outcome, told to every open page as server-sent events.

The builder thread publishes (``building``, then ``reload``, ``failed`` or ``idle``); each event
stream waits on the hub for what came after the last event it sent. A short
history lets a slow stream catch up; one that fell further behind gets a fresh
``hello`` instead, which is enough for a page to decide whether to reload.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

HISTORY = 64
MAX_WRITTEN = 500  # more written files than this is announced as "everything"


@dataclass(frozen=True)
class Event:
    seq: int
    name: str  # "hello", "building", "idle", "reload" or "failed"
    data: dict[str, Any] = field(default_factory=dict)

    def encode(self) -> bytes:
        return f"event: {self.name}\ndata: {json.dumps(self.data)}\n\n".encode()


class ReloadHub:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._seq = 0
        self._history: deque[Event] = deque(maxlen=HISTORY)
        self.version = 0  # successful builds so far: what a served page was built from
        self.errors: tuple[str, ...] = ()  # problems of the last build, () when it was good
        self.building = False
        self.closed = False

    def started(self) -> None:
        with self._cond:
            self.building = True
            self._publish("building", {})

    def succeeded(self, written: tuple[str, ...] | None) -> None:
        """A build wrote these output files (None: too many to list, treat as all)."""
        if written is not None and len(written) > MAX_WRITTEN:
            written = None
        with self._cond:
            self.version += 1
            self.errors = ()
            self.building = False
            data = {"version": self.version, "written": None if written is None else list(written)}
            self._publish("reload", data)

    def unchanged(self) -> None:
        """The build found nothing to do: pages keep what they show."""
        with self._cond:
            self.building = False
            self._publish("idle", {"version": self.version})

    def failed(self, errors: list[str]) -> None:
        with self._cond:
            self.errors = tuple(errors)
            self.building = False
            self._publish("failed", {"version": self.version, "errors": list(errors)})

    def hello(self) -> Event:
        """Where a new stream starts: the current state, and the sequence to wait from."""
        with self._cond:
            data = {"version": self.version, "errors": list(self.errors), "building": self.building}
            return Event(self._seq, "hello", data)

    def wait(self, after: int, timeout: float) -> list[Event]:
        """Events published after sequence ``after``; [] on timeout or when closed."""
        with self._cond:
            self._cond.wait_for(lambda: self._seq > after or self.closed, timeout)
            if self.closed or self._seq == after:
                return []
            missed = [e for e in self._history if e.seq > after]
            if not missed or missed[0].seq != after + 1:
                hello = self.hello()
                return [hello]
            return missed

    def wait_built(self, timeout: float) -> None:
        """Block until no build is running (a request that missed during a rebuild retries)."""
        with self._cond:
            self._cond.wait_for(lambda: not self.building or self.closed, timeout)

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def _publish(self, name: str, data: dict[str, Any]) -> None:
        self._seq += 1
        self._history.append(Event(self._seq, name, data))
        self._cond.notify_all()
