"""Build, serve, then rebuild after every burst of saves and tell the open pages.

The builder runs on the calling (main) thread, so Ctrl-C interrupts a rebuild
the way it interrupts ``xint-site build``; the server answers from its own
threads meanwhile, reading files the builder replaces atomically.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from xint_site.config import load_config
from xint_site.execute.results import NotebookRun
from xint_site.pipeline import BuildOptions, RebuildResult, SiteBuilder
from xint_site.plan import NotebookJob
from xint_site.serve.http import PreviewServer, SiteView
from xint_site.serve.hub import ReloadHub
from xint_site.serve.watch import Watcher, ignored_paths
from xint_site.site.writer import WriteProblem


class Preview:
    def __init__(
        self, builder: SiteBuilder, options: BuildOptions, host: str, port: int, log: TextIO
    ) -> None:
        self.builder = builder
        self.content_dir = options.content_dir.resolve()
        self.out_dir = options.out_dir.resolve()
        self.log = log
        self.hub = ReloadHub()
        self.stop = threading.Event()
        # binding now makes a taken port fail before a long first build, not after it
        self.server = PreviewServer((host, port), SiteView(self.out_dir), self.hub)
        self.watcher = Watcher(ignored_paths(self.content_dir, self.out_dir))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        address, port = self.server.server_address[:2]
        host = str(address)  # a name or a numeric address, never bytes for TCP
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}{self.server.site.root}"

    def start(self) -> None:
        """Watch, build once (whatever the outcome), then answer requests."""
        self.watcher.watch(self.builder.watched_paths())
        self._run(self.builder.build)
        self.watcher.watch(self.builder.watched_paths())  # the theme is known now
        self._thread = threading.Thread(
            target=self.server.serve_forever, name="xint-serve-http", daemon=True
        )
        self._thread.start()

    def watch(self) -> None:
        """Rebuild after each burst of saves until ``stop`` is set; Ctrl-C raises."""
        while not self.stop.is_set():
            changed = self.watcher.get(timeout=0.5)
            if changed:
                self.rebuild(changed)
                self.watcher.watch(self.builder.watched_paths())  # a config edit may move the theme

    def rebuild(self, changed: Iterable[Path]) -> None:
        paths = sorted(changed)
        self._run(lambda: self.builder.rebuild(paths))

    def close(self) -> None:
        """Stop every kernel the builder keeps, then the server and its connections."""
        self.stop.set()
        try:
            self.builder.close()
        finally:
            self.watcher.close()
            if self._thread is not None:
                self.server.close()
                self._thread.join(timeout=10)
            else:
                self.hub.close()
                self.server.server_close()

    def _run(self, build: Callable[[], RebuildResult]) -> None:
        self.hub.started()
        started = time.perf_counter()
        try:
            result = build()
        except WriteProblem as exc:  # a full disk, a read-only folder: the last site stays
            self._say(str(exc.error))
            self.hub.failed([str(exc.error)])
            return
        except Exception:  # a bug in a stage must not take the preview down with it
            detail = traceback.format_exc(limit=-8).rstrip()
            message = "xint-site: internal error while building\n" + detail
            self._say(message)
            self.hub.failed([message])
            return
        self._publish(result, time.perf_counter() - started)

    def _publish(self, result: RebuildResult, seconds: float) -> None:
        report = result.report
        if result.kind == "none":  # only files no build reads changed (an editor's backup)
            self.hub.unchanged()
            return
        for warning in report.warnings:
            self._say(str(warning))
        if report.errors:
            errors = [str(e) for e in report.errors]
            self._say("\n".join(errors))
            count = len(errors)
            self._say(
                f"build failed ({count} error{'s' * (count > 1)}); still serving the last good site"
            )
            self.hub.failed(errors)
            return
        state = self.builder.state  # the config the build used (a Hexo blog's _config.yml too)
        config = state.config if state is not None else load_config(self.content_dir)[0]
        self.server.site = SiteView(self.out_dir, config.root)  # before pages are told to reload
        self.hub.succeeded(tuple(result.written))
        self._say(
            f"{result.kind} build: {len(result.written)} files written, "
            f"{result.executed} notebooks executed, {seconds * 1000:.0f} ms"
        )

    def _say(self, text: str) -> None:
        print(text, file=self.log, flush=True)


class LogProgress:
    """Kernel progress as log lines: a bar would fight with the build messages."""

    def __init__(self, log: TextIO = sys.stderr) -> None:
        self.log = log

    def planned(self, total: int, cached: int) -> None:
        if total > cached:
            print(f"running {total - cached} notebooks", file=self.log, flush=True)

    def started(self, job: NotebookJob) -> None:
        pass

    def finished(self, run: NotebookRun) -> None:
        state = "ok" if run.ok else "FAILED"
        print(
            f"  ran {run.job.rel} [{run.job.label}] {state} in {run.seconds:.1f} s",
            file=self.log,
            flush=True,
        )
