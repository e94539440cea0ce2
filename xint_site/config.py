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
    resources: dict[str, float] = field(
        default_factory=dict,
        metadata={
            "doc": "Dask worker resources each of its notebooks needs on a cluster "
            "(`{GPU: 1}`: only workers started with `--resources GPU=1` run them)."
        },
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
    language: str = doc(
        "`lang` of every page, and the language of the theme's interface (`en`, `zh-CN`; "
        "`zh` and `zh-Hans` are `zh-CN`); strings a language lacks are English.",
        default="en",
    )
    search: bool = doc(
        "A search box in the header: the built site is indexed by Pagefind (offline, "
        "static; `false`: no search and no index).",
        default=True,
    )
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
    listing_per_page: int | None = doc(
        "Posts per page of a tag, category or archive listing (unset: `per_page`).", default=None
    )
    subtitle: str = doc("A second line under the title.", default="")
    tag_dir: str = doc("Folder of the tag listings (`tags/<tag>/`).", default="tags")
    category_dir: str = doc(
        "Folder of the category listings (`categories/<a>/<b>/`).", default="categories"
    )
    archive_dir: str = doc(
        "Folder of the archives (`archives/`, `archives/<year>/`, `archives/<year>/<month>/`); "
        "empty: no archives (a Hexo site has them).",
        default="",
    )
    pagination_dir: str = doc("Folder of a listing's further pages (`page/2/`).", default="page")
    default_category: str = doc(
        "`:category` of a post without categories.", default="uncategorized"
    )
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
    scheduler: str | None = doc(
        "Run notebooks on a Dask cluster: a scheduler's address (`tls://HOST:8786`) or "
        "`local:N` (N worker processes here); `--scheduler` overrides it.",
        default=None,
    )
    isolate: bool = doc(
        "Start every notebook's kernel from scratch instead of forking it from a process "
        "that imported the framework (slower; the outputs are the same).",
        default=False,
    )
    strict: bool = doc(
        "Every warning is an error: the build fails and reports them all (as `--strict`).",
        default=False,
    )
    agree_rtol: float = doc(
        "Relative tolerance when the numbers of an `agree` cell's frameworks are compared.",
        default=1e-5,
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
    return load_config_file(path)


def load_config_file(path: Path) -> tuple[SiteConfig, list[Problem]]:
    """Read a config file in the ``xint.yml`` schema, wherever it is (an MkDocs site names
    it in ``mkdocs.yml``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return SiteConfig(), [problem_at(path, 1, f"not UTF-8 text ({exc.reason})")]
    try:
        yaml_doc = load_yaml(text)
    except YamlError as exc:
        return SiteConfig(), [problem_at(path, exc.line, f"invalid YAML: {exc.message}")]
    config, problems = config_from_data(yaml_doc.data)
    return config, [problem_at(path, yaml_doc.line(k), m) for k, m in problems]


def config_from_data(data: Any) -> tuple[SiteConfig, list[tuple[KeyPath, str]]]:
    """The config from parsed YAML (a mapping), and what is wrong with it, by key path;
    defaults where it cannot be built."""
    problems: list[SchemaError] = []
    config = build(SiteConfig, data, (), problems)
    found = [(p.path, p.message) for p in problems]
    if config is None or not isinstance(config, SiteConfig):
        return SiteConfig(), found
    config, more = _check(config)
    return config, found + more


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
    config = replace(config, frameworks=tuple(frameworks))
    for key in _FOLDER_KEYS:  # a bad one is reported once, and its default used meanwhile
        why = _folder_problem(getattr(config, key), may_be_empty=key == "archive_dir")
        if why is not None:
            problems.append(((key,), f"{key} {why}"))
            config = replace(config, **{key: getattr(SiteConfig(), key)})
    if config.agree_rtol < 0:
        problems.append((("agree_rtol",), "agree_rtol must be 0 or more"))
    return config, problems


_FOLDER_KEYS = ("tag_dir", "category_dir", "archive_dir", "pagination_dir")


def _folder_problem(value: str, may_be_empty: bool) -> str | None:
    """Why a listing folder key cannot be a folder inside the site (it must never lead out
    of the output folder), or None."""
    parts = value.strip("/").split("/") if value.strip("/") else []
    if not parts:
        return None if may_be_empty else "must name a folder"
    if value.startswith("/") or "\\" in value or any(p in ("", ".", "..") for p in parts):
        return f"{value!r} must be a folder inside the site, such as 'tags' or 'a/b'"
    return None
