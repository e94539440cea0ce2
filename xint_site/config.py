"""The site configuration, ``content/xint.yml``: a typed schema, one doc per field."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar, overload
from urllib.parse import urlsplit

from xint_site.problems import Problem, problem_at
from xint_site.schema import SchemaError, build
from xint_site.yamlfile import KeyPath, YamlError, load_yaml

CONFIG_NAME = "xint.yml"

T = TypeVar("T")


@overload
def doc(text: str) -> Any: ...
@overload
def doc(text: str, *, default: T) -> T: ...
def doc(text: str, *, default: Any = MISSING) -> Any:
    """A dataclass field whose ``doc`` metadata the README's config reference lists."""
    return field(default=default, metadata={"doc": text})


@dataclass(frozen=True)
class Framework:
    """One framework a page can show a tab for, and the kernel that runs its cells."""

    id: str = doc("Short name used in fences, URLs and CSS (`pytorch`).")
    label: str = doc("Name shown on tabs (`PyTorch`).", default="")
    aliases: tuple[str, ...] = doc("Other names that select this framework.", default=())
    kernel: str = doc("Jupyter kernel that runs its cells.", default="python3")
    requirements: tuple[str, ...] = doc(
        "pip requirements of its environment (`xint-site kernels` installs them).",
        default=(),
    )
    env: dict[str, str] = field(
        default_factory=dict, metadata={"doc": "Environment variables for its kernel."}
    )
    preload: tuple[str, ...] | None = doc(
        "Modules imported once, before kernels are forked from that process (default: the "
        "modules of `requirements`; `[]`: none). Modules that print or warn on import are "
        "never preloaded.",
        default=None,
    )

    def names(self) -> set[str]:
        return {n.casefold() for n in (self.id, self.label, *self.aliases) if n}


DEFAULT_FRAMEWORKS = (
    Framework(id="mxnet", label="MXNet", aliases=("mx",), kernel="xint-mxnet"),
    Framework(id="tensorflow", label="TensorFlow", aliases=("tf",), kernel="xint-tensorflow"),
    Framework(id="pytorch", label="PyTorch", aliases=("torch",), kernel="xint-pytorch"),
)


@dataclass(frozen=True)
class SiteConfig:
    """Everything in ``xint.yml``; every key is optional."""

    title: str = doc("Site title, shown in the header and the browser tab.", default="xint-site")
    description: str = doc("One line under the title and in `<meta>`.", default="")
    author: str = doc("Default author of posts.", default="")
    language: str = doc("`lang` of every page.", default="en")
    url: str = doc(
        "Base URL of the published site; its path is the site root.",
        default="http://localhost/",
    )
    permalink: str = doc(
        "URL pattern of posts (`:year :month :day :title :name :category`).",
        default=":year/:month/:day/:title/",
    )
    theme: str = doc("Theme folder name under `themes/`, or a path.", default="default")
    per_page: int = doc("Posts per index page (0: all on one page).", default=10)
    frameworks: tuple[Framework, ...] = doc("Frameworks, in tab order.", default=DEFAULT_FRAMEWORKS)
    execute: bool | None = doc(
        "Which pages run: unset runs pages with a framework tab set; true runs every page "
        "with Python cells; false runs none.",
        default=None,
    )
    kernel: str = doc("Kernel for pages without framework tabs.", default="python3")
    timeout: float = doc("Seconds one cell may run before it is stopped.", default=120.0)
    notebook_timeout: float = doc(
        "Seconds one page's notebook (per framework) may run.", default=1200.0
    )
    show_stderr: bool = doc("Show what cells write to stderr.", default=True)
    output_limit: int = doc(
        "Characters of one output shown before it is cut with a note.", default=20000
    )
    isolate: bool = doc(
        "Start every notebook's kernel from scratch instead of forking it from a process "
        "that imported the framework (slower; the outputs are the same).",
        default=False,
    )

    @property
    def root(self) -> str:
        path = urlsplit(self.url).path or "/"
        return path if path.endswith("/") else path + "/"

    def framework(self, name: str) -> Framework | None:
        """The framework whose id, label or alias is ``name`` (any case)."""
        key = name.strip().casefold()
        for fw in self.frameworks:
            if key in fw.names():
                return fw
        return None


def load_config(content_dir: Path) -> tuple[SiteConfig, list[Problem]]:
    """Read ``xint.yml`` if present; defaults otherwise."""
    path = content_dir / CONFIG_NAME
    if not path.is_file():
        return SiteConfig(), []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return SiteConfig(), [problem_at(path, 1, f"not UTF-8 text ({exc.reason})")]
    try:
        yaml_doc = load_yaml(text)
    except YamlError as exc:
        return SiteConfig(), [problem_at(path, exc.line, f"invalid YAML: {exc.message}")]
    problems: list[SchemaError] = []
    config = build(SiteConfig, yaml_doc.data, (), problems)
    errors = [problem_at(path, yaml_doc.line(p.path), p.message) for p in problems]
    if config is None or not isinstance(config, SiteConfig):
        return SiteConfig(), errors
    config, more = _check(config)
    errors += [problem_at(path, yaml_doc.line(k), m) for k, m in more]
    return config, errors


def _check(config: SiteConfig) -> tuple[SiteConfig, list[tuple[KeyPath, str]]]:
    problems: list[tuple[KeyPath, str]] = []
    seen: dict[str, str] = {}
    frameworks = []
    for i, fw in enumerate(config.frameworks):
        fw = replace(fw, label=fw.label or fw.id)
        for name in fw.names():
            if name in seen:
                problems.append(
                    (("frameworks", i), f"framework name '{name}' is used by '{seen[name]}' too")
                )
            seen[name] = fw.id
        frameworks.append(fw)
    return replace(config, frameworks=tuple(frameworks)), problems
