"""Which saves matter: the content folder, the config and the theme, in debounced bursts.

Each watched folder has its own watcher thread, started before the first build
(a save made while the first build runs kernels is not lost) and added or
dropped when a config edit picks another theme. Ignored: the output folder and
the execution cache (the build writes both: watching them would rebuild
forever), hidden files and editors' temporaries.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable
from pathlib import Path

from watchfiles import Change, DefaultFilter, watch

from xint_site.paths import freeze_dir, is_dotted

STEP_MS = 10  # a burst ends after 1-2 steps without another event (an editor saves in ~1 ms)
DEBOUNCE_MS = 500  # and is cut here at the latest; the next rebuild takes the rest
READY_MS = 100  # the first (empty) yield after this says the watcher is in place


class SiteFilter(DefaultFilter):
    def __init__(self, root: Path, ignored: Iterable[Path]) -> None:
        super().__init__(ignore_paths=[str(p) for p in ignored])
        self.root = root

    def __call__(self, change: Change, path: str) -> bool:
        if not super().__call__(change, path):
            return False
        p = Path(path)
        if p.is_relative_to(self.root):
            return not is_dotted(p.relative_to(self.root))
        return True


class Watcher:
    """Watches folders from threads; ``get`` returns what changed since, merged."""

    def __init__(self, ignored: Iterable[Path]) -> None:
        self.ignored = [p.resolve() for p in ignored]
        self.changes: queue.Queue[set[Path]] = queue.Queue()
        self._folders: dict[Path, tuple[threading.Thread, threading.Event]] = {}

    def watch(self, folders: Iterable[Path]) -> None:
        """Watch exactly these folders (those that exist); returns once they are watched."""
        wanted = {p.resolve() for p in folders if p.is_dir()}
        for folder in set(self._folders) - wanted:
            self._stop(folder)
        for folder in sorted(wanted - set(self._folders)):
            ready, stop = threading.Event(), threading.Event()
            thread = threading.Thread(
                target=self._run, args=(folder, ready, stop), name=f"watch {folder}", daemon=True
            )
            thread.start()
            ready.wait(timeout=10)
            self._folders[folder] = (thread, stop)

    def get(self, timeout: float) -> set[Path]:
        """Every change queued so far, waiting up to ``timeout`` for the first."""
        try:
            changed = set(self.changes.get(timeout=timeout))
        except queue.Empty:
            return set()
        while True:
            try:
                changed |= self.changes.get_nowait()
            except queue.Empty:
                return changed

    def close(self) -> None:
        for folder in list(self._folders):
            self._stop(folder)

    def _stop(self, folder: Path) -> None:
        thread, stop = self._folders.pop(folder)
        stop.set()
        thread.join(timeout=5)

    def _run(self, folder: Path, ready: threading.Event, stop: threading.Event) -> None:
        try:
            for changes in watch(
                folder,
                watch_filter=SiteFilter(folder, self.ignored),
                debounce=DEBOUNCE_MS,
                step=STEP_MS,
                stop_event=stop,
                rust_timeout=READY_MS,
                yield_on_timeout=True,
            ):
                ready.set()
                if changes:
                    self.changes.put({Path(path) for _, path in changes})
        finally:
            ready.set()


def ignored_paths(content_dir: Path, out_dir: Path) -> list[Path]:
    return [out_dir, freeze_dir(content_dir)]
