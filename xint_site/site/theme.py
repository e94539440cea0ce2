"""A theme is a folder: ``templates/`` (Jinja2) and ``static/`` (copied to ``assets/``).

A site overrides any template or static file by putting its own under
``<content>/_theme/templates`` or ``<content>/_theme/static``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from xint_site.paths import builtin_themes_dir as builtin_themes_dir  # theirs to import too
from xint_site.paths import cache_dir
from xint_site.problems import Problem, problem_at
from xint_site.site.anchors import section_links
from xint_site.site.i18n import Strings, Tables, load_tables, strings_for
from xint_site.site.template_cache import TemplateCache

OVERRIDE_DIR = "_theme"


@dataclass(frozen=True)
class Theme:
    name: str
    folders: tuple[Path, ...]  # highest priority first: site override, then the theme
    i18n: Tables = field(default_factory=dict, hash=False)  # interface strings by language

    def strings(self, language: str) -> Strings:
        return strings_for(language, self.i18n)

    def template_dirs(self) -> list[Path]:
        return [f / "templates" for f in self.folders if (f / "templates").is_dir()]

    def static_files(self) -> dict[str, Path]:
        """Relative name -> file, the override winning over the theme."""
        files: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file():
                        files[path.relative_to(static).as_posix()] = path
        return files


def find_theme(name: str, content_dir: Path, config_path: Path) -> Theme | Problem:
    candidates = (
        [content_dir / name, builtin_themes_dir() / name]
        if "/" in name
        else [builtin_themes_dir() / name]
    )
    for folder in candidates:
        if (folder / "templates").is_dir():
            override = content_dir / OVERRIDE_DIR
            folders = (override, folder) if override.is_dir() else (folder,)
            tables, problems = load_tables(folders)
            return problems[0] if problems else Theme(name, folders, tables)
    known = sorted(p.name for p in builtin_themes_dir().iterdir() if p.is_dir())
    return problem_at(
        config_path, 1, f"unknown theme '{name}' (built-in themes: {', '.join(known)})"
    )


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string (for ``content:``), safe inside ``<style>``."""
    escaped = "".join(c if c.isalnum() or c in " .,:;!?()-" else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{escaped}"')


def make_environment(theme: Theme) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in theme.template_dirs()]),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=TemplateCache(cache_dir() / "templates"),
    )
    env.filters["date"] = lambda d, fmt="%Y-%m-%d": d.strftime(fmt) if d else ""
    env.filters["css_string"] = css_string
    env.filters["section_links"] = section_links  # names the # links of headings
    return env
