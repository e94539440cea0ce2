"""Where xint-site keeps things, and which paths of a content folder are not content.

One rule each, used by the build, the preview server and the cache commands.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath


def builtin_themes_dir() -> Path:
    """``xint_site/themes`` in an installed wheel, ``themes/`` in a source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "themes"
    return installed if installed.is_dir() else package.parent / "themes"


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/xint-site`` (``~/.cache/xint-site``): environments, the font."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "xint-site"


FREEZE_DIR = "_freeze"


def freeze_dir(content_dir: Path) -> Path:
    """The execution cache of a content folder (a folder you may commit, like Quarto's)."""
    return content_dir / FREEZE_DIR


def is_hidden(rel: PurePath) -> bool:
    """A path inside the content folder that is neither a page nor copied: a file or
    folder whose name starts with ``_`` (the cache, theme overrides) or ``.``."""
    return any(p.startswith(("_", ".")) for p in rel.parts)


def is_dotted(rel: PurePath) -> bool:
    """A path no change of which matters (``.git``, an editor's ``.swp``); unlike
    ``_`` paths, which are not published but may change the site (``_theme``)."""
    return any(p.startswith(".") for p in rel.parts)
