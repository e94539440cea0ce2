"""Rendered page bodies, kept on disk between rendering a page and composing its file.

A body is rendered in a worker process as soon as its page is read (or its cells
ran), but its page is composed only once every page's URL and title is known, and
the preview server composes it again after a template edit. Kept in memory, the
bodies made a build's memory grow with the site; here each is a file named by its
digest, so an entry names exactly the body it shows (an old entry never shows a
newer body) and the same body is stored once. The preview server also keeps each
page's highlighted code blocks here (``put_blocks``), to render the page again after an
edit without highlighting its code again.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from xint_site.files import write_file_atomic
from xint_site.render.highlight import Blocks
from xint_site.site.writer import digest, remove_dead_folders, writing

PREFIX = "xint-site-bodies-"
BLOCKS = ".blocks.json.z"  # a page's highlighted code blocks, compressed


class StoreLost(Exception):
    """A stored file is gone: something else removed it (a cleaner of the temporary
    folder, after days of a preview server that kept the store)."""


@dataclass(frozen=True)
class BodyStore:
    folder: Path

    @classmethod
    def create(cls) -> BodyStore:
        """A new store in the temporary folder (those of killed processes are removed)."""
        base = Path(tempfile.gettempdir())
        remove_dead_folders(base, rf"{PREFIX}(\d+)-[a-z0-9_]{{8}}")
        with writing(base):
            return cls(Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=base)))

    def put(self, body: str) -> str:
        """Store a body (from any process of the build); the key to read it back."""
        return self.put_bytes(body.encode("utf-8", "surrogatepass"), ".html")

    def get(self, key: str) -> str:
        return self.get_bytes(key, ".html").decode("utf-8", "surrogatepass")

    def put_blocks(self, blocks: Blocks) -> str:
        """Store a page's highlighted blocks (``render.highlight.page_blocks``), compressed:
        markup made of short spans shrinks about tenfold."""
        listed = [[code, lang, markup] for (code, lang), markup in blocks.items()]
        return self.put_bytes(zlib.compress(json.dumps(listed).encode("ascii"), 1), BLOCKS)

    def get_blocks(self, key: str) -> Blocks:
        listed = json.loads(zlib.decompress(self.get_bytes(key, BLOCKS)))
        return {(code, lang): markup for code, lang, markup in listed}

    def put_bytes(self, data: bytes, suffix: str) -> str:
        """Store data of a page (its body, its blocks, its entry: ``site/entry_store.py``)
        under its digest with ``suffix``, once; the key to read it back."""
        key = digest(data)
        path = self._path(key, suffix)
        if not path.exists():
            with writing(self.folder):
                write_file_atomic(path, data)
        return key

    def get_bytes(self, key: str, suffix: str) -> bytes:
        path = self._path(key, suffix)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise StoreLost(str(path)) from None

    def file(self, key: str) -> Path:
        """Where a stored text is: copied as it is into the site (a page's notebooks)."""
        return self._path(key)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> BodyStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def holds(self, path: Path) -> bool:
        """Whether ``path`` is (or was) a file of this store."""
        return path.parent == self.folder

    def _path(self, key: str, suffix: str = ".html") -> Path:
        return self.folder / f"{key}{suffix}"
