"""Entries kept on disk during a full build: the build holds each page's key only.

A full build renders every page before it composes any file, and composing a page
needs its neighbours', its listings' and the feeds' entries. Held in memory until
then, the entries (title, excerpt, headings, links, formulas' characters: 1.5 KB a
page) made the build's memory grow with the site. Each is pickled into the body store
by the worker that renders it; the build keeps ``StoredEntries`` (source path to key)
and reads an entry back whenever a stage needs it, so only the entries of the file
being made are in memory at once. The preview server holds its entries in a dict: it
compares them between saves.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from xint_site.site.bodies import BodyStore
from xint_site.site.entries import Entry

SUFFIX = ".entry.pickle"


def store_entry(bodies: BodyStore, entry: Entry) -> str:
    """Put ``entry`` in the store (from any process of the build); the key to read it."""
    return bodies.put_bytes(pickle.dumps(entry, pickle.HIGHEST_PROTOCOL), SUFFIX)


def load_entry(bodies: BodyStore, key: str) -> Entry:
    entry = pickle.loads(bodies.get_bytes(key, SUFFIX))
    assert isinstance(entry, Entry)
    return entry


@dataclass(frozen=True, eq=False)
class StoredEntries(Mapping[str, Entry]):
    """Entries by source path, each read from the store when asked for (a new object each
    time: compare entries by value, not identity)."""

    bodies: BodyStore
    by_page: Mapping[str, str]  # source path -> the key of its stored entry

    def __getitem__(self, rel: str) -> Entry:
        return load_entry(self.bodies, self.by_page[rel])

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_page)

    def __len__(self) -> int:
        return len(self.by_page)
