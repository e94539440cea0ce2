"""The plugin's options in ``mkdocs.yml``, and the xint config they make.

Frameworks come from ``frameworks`` (the list ``xint.yml`` holds), else from the
``xint.yml`` named by ``config``, else from an ``xint.yml`` beside ``mkdocs.yml``, else
the built-in three. The execution cache lives beside ``mkdocs.yml`` by default: inside
the docs folder it would be published, and its writes would wake ``mkdocs serve``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c

from xint_site.config import CONFIG_NAME, SiteConfig, config_from_data, load_config_file
from xint_site.paths import FREEZE_DIR
from xint_site.problems import Problem, problem_at
from xint_site.yamlfile import KeyPath


class XintOptions(base.Config):  # type: ignore[no-untyped-call]  # MkDocs: untyped
    """``plugins: - xint: {...}``; every option may be left out."""

    config = c.Optional(c.File(exists=True))  # an xint.yml, relative to mkdocs.yml
    frameworks = c.Optional(c.ListOfItems(c.Type(dict)))  # as `frameworks` of xint.yml
    execute = c.Type(bool, default=True)  # false: run nothing, show written outputs
    timeout = c.Optional(c.Type((int, float)))  # seconds per cell
    cache_dir = c.Optional(c.Type(str))  # default: _freeze beside mkdocs.yml
    frozen = c.Type(bool, default=False)  # stored outputs only, start no kernel
    jobs = c.Type(int, default=0)  # notebooks at once (0: one per CPU)


def site_config(options: XintOptions, config_file: Path) -> tuple[SiteConfig, list[Problem]]:
    """The xint config the options describe, and what is wrong with it."""
    beside = config_file.parent / CONFIG_NAME
    if options.config:
        config, problems = load_config_file(Path(options.config))
    elif beside.is_file():
        config, problems = load_config_file(beside)
    else:
        config, problems = SiteConfig(), []
    if options.frameworks is not None:
        inline, found = config_from_data({"frameworks": options.frameworks})
        problems += [problem_at(config_file, 0, f"xint {_key(k)}: {m}") for k, m in found]
        config = replace(config, frameworks=inline.frameworks)
    if options.timeout is not None:
        config = replace(config, timeout=float(options.timeout))
    return config, problems


def cache_dir(options: XintOptions, config_file: Path) -> Path:
    folder = Path(options.cache_dir) if options.cache_dir else Path(FREEZE_DIR)
    return folder if folder.is_absolute() else config_file.parent / folder


def _key(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "options"
