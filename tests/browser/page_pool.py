"""Browser pages kept open from one test to the next: one per site and set of options.

A new Chromium context costs about 0.8 CPU-s and its first page load about another
second, while a new renderer process starts; loading a page again in an open tab
costs about 0.4 in all (measured on this suite's seed page, 8 loads each way). So a
test takes an open page from this pool, which gives it back as a new context's page
would be:

- at ``about:blank``, the only page of its context;
- its site's storage (local storage, cookies, caches, IndexedDB, service workers)
  cleared, and the HTTP cache off, so every load fetches what a first visit would;
- with the viewport and the media emulation of its options, and the mouse at the
  corner;
- with no listener but those its test's fixture asked for (a test that adds listeners
  of its own asks for ``own_context=True``: a context of its own, closed after it).

A test that asks twice for the same options gets a new context the second time (two
readers must not share storage). A page whose reset fails is closed, not reused.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, CDPSession, Page

Handlers = dict[str, Callable[[Any], None]]
EVENTS = ("pageerror", "request", "response")


@dataclass
class _Kept:
    key: str  # the site and the options
    context: BrowserContext
    page: Page
    cdp: CDPSession
    origin: str
    options: dict[str, Any]
    handlers: Handlers = field(default_factory=dict)  # the current test's

    def dispatch(self, event: str) -> Callable[[Any], None]:
        return lambda value: self.handlers[event](value) if event in self.handlers else None


class PagePool:
    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.idle: dict[str, _Kept] = {}

    @contextlib.contextmanager
    def pages(self, base_url: str, handlers: Handlers) -> Iterator[Callable[..., Page]]:
        """``make(**options)``: a page of ``base_url`` with those context options, its
        events going to ``handlers``, for the length of the ``with`` block."""
        taken: list[_Kept] = []
        own: list[BrowserContext] = []

        def make(own_context: bool = False, **options: Any) -> Page:
            key = f"{base_url} {sorted(options.items())!r}"
            kept = None if own_context else self.idle.pop(key, None)
            if kept is None:
                kept = self._open(key, base_url, options)
                if own_context:
                    own.append(kept.context)
            if not own_context:
                taken.append(kept)
            kept.handlers = handlers
            return kept.page

        try:
            yield make
        finally:
            for context in own:
                context.close()
            for kept in taken:
                self._give_back(kept)

    def _open(self, key: str, base_url: str, options: dict[str, Any]) -> _Kept:
        context = self.browser.new_context(base_url=base_url, **options)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        # setCacheDisabled does nothing on a session without the Network domain enabled
        # (test_every_load_fetches_what_a_first_visit_would fails without it)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        parts = urlsplit(base_url)
        origin = f"{parts.scheme}://{parts.netloc}"
        kept = _Kept(key, context, page, cdp, origin, dict(options))
        for event in EVENTS:
            page.on(event, kept.dispatch(event))
        return kept

    def _give_back(self, kept: _Kept) -> None:
        kept.handlers = {}
        try:
            for other in kept.context.pages:
                if other is not kept.page:
                    other.close()
            kept.page.goto("about:blank")
            kept.context.clear_cookies()
            kept.cdp.send(
                "Storage.clearDataForOrigin", {"origin": kept.origin, "storageTypes": "all"}
            )
            viewport = kept.options.get("viewport")
            if viewport:
                kept.page.set_viewport_size(viewport)
            kept.page.emulate_media(
                media="null", color_scheme=kept.options.get("color_scheme", "light")
            )
            kept.page.mouse.move(0, 0)
        except Exception:
            with contextlib.suppress(Exception):
                kept.context.close()
            return
        if kept.key in self.idle:  # another page of these options came back first
            kept.context.close()
        else:
            self.idle[kept.key] = kept

    def close(self) -> None:
        for kept in self.idle.values():
            with contextlib.suppress(Exception):
                kept.context.close()
        self.idle.clear()
