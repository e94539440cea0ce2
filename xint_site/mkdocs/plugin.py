"""The ``xint`` MkDocs plugin: MkDocs' events, each handing over to the pipeline.

    on_config        the xint config (frameworks, cache), the parser in Material markup
    on_files         every page read, and all their notebooks run or taken from the cache
    on_page_markdown tab sets, outputs and formulas set aside as placeholders
    on_page_content  the placeholders filled with xint's HTML

Problems are MkDocs log messages with ``path:line`` (errors for failing cells and bad
tab sets, so ``mkdocs build --strict`` fails). Defining ``on_startup`` keeps one plugin
object for the whole of ``mkdocs serve``, and with it warm kernel parents.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from importlib.resources import files as package_files
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from markdown_it import MarkdownIt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from xint_site.config import SiteConfig
from xint_site.execute.results import NotebookRun
from xint_site.markdown.d2l import is_d2l_source
from xint_site.mkdocs.markup import arithmatex_math, material_parser
from xint_site.mkdocs.notebooks import SiteRun, run_pages
from xint_site.mkdocs.options import XintOptions, cache_dir, site_config
from xint_site.mkdocs.splice import fill, splice_page
from xint_site.pipeline.options import BuildOptions
from xint_site.plan import NotebookJob
from xint_site.problems import Problem, Severity
from xint_site.render.mathml import latex_to_mathml

if TYPE_CHECKING:  # the runner imports Jupyter: only a build that runs cells needs it
    from xint_site.execute.runner import KernelPool

log = get_plugin_logger("xint")
CSS = "assets/stylesheets/xint.css"


@dataclass(frozen=True)
class _Setup:
    """What ``on_config`` made, for the rest of the build."""

    config: SiteConfig
    md: MarkdownIt
    d2l: MarkdownIt  # for pages in d2l-book's Markdown
    mathml: bool  # no arithmatex in the site: formulas are xint's, as MathML
    cache_dir: Path
    nonce: str  # placeholders of this build: text no page holds by chance

    def parser(self, markdown: str) -> MarkdownIt:
        return self.d2l if is_d2l_source(markdown) else self.md


class XintPlugin(BasePlugin[XintOptions]):  # type: ignore[no-untyped-call]  # MkDocs: untyped
    def __init__(self) -> None:
        self.serving = False
        self.pool: KernelPool | None = None
        self.setup: _Setup | None = None
        self.run: SiteRun | None = None
        self.blocks: dict[str, dict[str, str]] = {}

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = command == "serve"

    def on_shutdown(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config_file = Path(config.config_file_path or "mkdocs.yml")
        site, problems = site_config(self.config, config_file)
        if problems:  # a wrong framework would make every page's notebooks wrong
            raise PluginError("\n".join(str(p) for p in problems))
        arithmatex = "pymdownx.arithmatex" in config.markdown_extensions
        generic = bool(config.mdx_configs.get("pymdownx.arithmatex", {}).get("generic"))
        math = arithmatex_math(generic) if arithmatex else latex_to_mathml
        md = material_parser(site, math)
        d2l = material_parser(site, math, d2l=True)
        folder = cache_dir(self.config, config_file)
        self.setup = _Setup(site, md, d2l, not arithmatex, folder, secrets.token_hex(4))
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        setup = self._setup()
        docs = Path(config.docs_dir)
        shown = _shown(docs)
        rels = [
            f.src_uri
            for f in files.documentation_pages()
            if f.abs_src_path and Path(f.abs_src_path).resolve().is_relative_to(docs.resolve())
        ]
        if self.serving and self.pool is None and self.config.execute and not self.config.frozen:
            from xint_site.execute.runner import KernelPool

            self.pool = KernelPool()
        options = BuildOptions(
            content_dir=shown,
            out_dir=Path(config.site_dir),
            execute=self.config.execute,
            frozen=self.config.frozen,
            jobs=self.config.jobs,
            progress=_LogProgress(),
        )
        self.run = run_pages(
            setup.parser, setup.config, shown, rels, options, setup.cache_dir, self.pool
        )
        for problem in [*self.run.errors, *self.run.warnings]:
            _log(problem)
        execution = self.run.execution
        if execution.planned:
            ran = len(execution.runs) - execution.from_cache
            log.info(
                f"{execution.planned} notebooks: {execution.from_cache} from the cache, {ran} run"
            )
        css = package_files("xint_site.mkdocs").joinpath("xint.css").read_text(encoding="utf-8")
        files.append(File.generated(config, CSS, content=css))
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        setup, run = self._setup(), self.run
        rel = page.file.src_uri
        outputs = run.outputs.get(rel, {}) if run else {}
        md = setup.parser(markdown)
        spliced = splice_page(md, markdown, outputs, setup.mathml, setup.nonce)
        document = run.documents.get(rel) if run else None
        ran = {c.index: c.code for c in document.cells} if document else {}
        if outputs and any(spliced.cells.get(i) != code for i, code in ran.items()):
            log.warning(f"{page.file.src_uri}: changed by another plugin before xint: no outputs")
            spliced = splice_page(md, markdown, {}, setup.mathml, setup.nonce)
        self.blocks[rel] = spliced.blocks
        return spliced.markdown

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        filled, missing = fill(html, self.blocks.pop(page.file.src_uri, {}))
        if missing:
            log.warning(f"{page.file.src_uri}: {len(missing)} xint blocks were lost on the way")
        return filled

    def _setup(self) -> _Setup:
        if self.setup is None:
            raise PluginError("xint: on_config did not run")
        return self.setup


class _LogProgress:
    """One log line per notebook that ran, as the CLI writes in a log (MkDocs' own
    output has no progress bar)."""

    def planned(self, total: int, cached: int) -> None:
        pass

    def started(self, job: NotebookJob) -> None:
        log.debug(f"{job.path} [{job.label}] started")

    def finished(self, run: NotebookRun) -> None:
        state = "ran" if run.ok else "failed"
        log.info(f"{run.job.path} [{run.job.label}] {state} in {run.seconds:.1f} s")


def _shown(docs: Path) -> Path:
    """The docs folder as messages show it: relative to the current folder when inside it
    (``docs/index.md:12``), absolute otherwise."""
    relative = os.path.relpath(docs)
    return docs if relative.startswith("..") else Path(relative)


def _log(problem: Problem) -> None:
    if problem.severity == Severity.ERROR:
        log.error(str(problem))
    else:
        log.warning(str(problem))
