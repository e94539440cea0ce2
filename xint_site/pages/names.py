"""What a name that becomes a file or folder of the site may hold.

Linux refuses a NUL in a path and a path segment over 255 bytes; a file name that
is not UTF-8 has no text form for a URL. Each is found here, before anything is
written, so it is reported with its page and line rather than failing the write.
"""

from __future__ import annotations

import os
from pathlib import Path

MAX_NAME_BYTES = 255  # NAME_MAX of Linux, macOS and Windows file systems


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be one file or folder name, or None."""
    if "\x00" in name:
        return "contains a NUL character"
    size = len(name.encode("utf-8", "surrogatepass"))
    if size > MAX_NAME_BYTES:
        return f"is {size} bytes long; a file name holds at most {MAX_NAME_BYTES}"
    return None


def path_problem(path: str) -> str | None:
    """Why the ``/``-separated ``path`` cannot be written, or None."""
    for segment in path.split("/"):
        problem = name_problem(segment)
        if problem:
            return problem if segment == path else f"has a part that {problem}"
    return None


def shown(text: str, limit: int = 40) -> str:
    """``text`` quoted for a message: control characters escaped, long text cut."""
    cut = text if len(text) <= limit else text[:limit] + "…"
    return repr(cut)


def readable_path(path: Path | str) -> str:
    """A path as printable text: bytes of a non-UTF-8 file name escaped (``caf\\xe9.md``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def is_utf8_path(path: Path | str) -> bool:
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


NOT_UTF8_NAME = "name is not UTF-8: rename it (a page's path becomes its URL)"
