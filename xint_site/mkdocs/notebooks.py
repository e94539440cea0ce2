"""Every page's notebooks of an MkDocs build, at once, through the one pipeline.

Pages are read and parsed with xint's own parser, their notebooks planned, looked up
in the cache and the misses run in parallel (``execute/``), before MkDocs renders any
page: one batch per build, not a kernel start per page. Unchanged notebooks come from
the cache, so a prose edit in ``mkdocs serve`` runs nothing and a cell edit runs that
page's notebook of that framework only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

from xint_site.config import SiteConfig
from xint_site.document import parse_document
from xint_site.execute.pipeline import Execution, execute_pages
from xint_site.model import Document
from xint_site.pages.frontmatter import FrontMatter, parse_front_matter, split_front_matter
from xint_site.pages.source import SourcePage, read_page
from xint_site.pipeline.options import BuildOptions
from xint_site.pipeline.stages import execute_options
from xint_site.problems import Problem, Severity, problem_at
from xint_site.render.shown import PageOutputs, page_outputs
from xint_site.yamlfile import YamlDoc, YamlError, load_yaml

if TYPE_CHECKING:  # the runner imports Jupyter: only a build that runs cells needs it
    from xint_site.execute.runner import KernelPool


RUN_KEYS = ("execute", "timeout", "notebook_timeout", "isolate", "files")  # what xint reads


@dataclass(frozen=True)
class SiteRun:
    """What the build's pages ran: documents and outputs by page (``src_uri``)."""

    documents: dict[str, Document]
    outputs: dict[str, PageOutputs]
    errors: list[Problem]
    warnings: list[Problem]
    execution: Execution


def run_pages(
    parser: Callable[[str], MarkdownIt],
    config: SiteConfig,
    docs_dir: Path,
    rels: list[str],
    options: BuildOptions,
    cache_dir: Path,
    pool: KernelPool | None = None,
) -> SiteRun:
    """Read and parse ``rels`` (pages of ``docs_dir``, each with the parser ``parser``
    picks for its Markdown), then run or take from the cache every notebook of the pages
    that parsed cleanly."""
    documents: dict[str, Document] = {}
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for rel in rels:
        page, front = _read(docs_dir / rel, docs_dir)
        document, problems = parse_document(parser(page.body), page)
        problems = [*front, *problems]
        wrong = [p for p in problems if p.severity == Severity.ERROR]
        errors += wrong
        warnings += [p for p in problems if p.severity != Severity.ERROR]
        if not wrong:
            documents[rel] = replace(document, tokens=())
    run_options = replace(execute_options(options, pool), cache_dir=cache_dir)
    execution = execute_pages(list(documents.values()), config, docs_dir, run_options)
    more_errors, more_warnings = execution.problems(keep_going=False)
    return SiteRun(
        documents=documents,
        outputs=page_outputs(execution.runs, config),
        errors=sorted(errors + more_errors),
        warnings=sorted(warnings + more_warnings),
        execution=execution,
    )


def _read(path: Path, docs_dir: Path) -> tuple[SourcePage, list[Problem]]:
    """The page, and the problems of the keys xint reads in its front matter. The other
    keys are MkDocs' and its plugins' (Material's blog writes ``date: {created: …}``), so
    when xint's own reading of them fails, only xint's keys are read."""
    page = read_page(path, docs_dir)
    if not isinstance(page, list):
        return page, []
    try:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except (OSError, UnicodeError):  # MkDocs reports the file itself
        text = ""
    yaml_text, body, body_line = split_front_matter(text)
    rel = path.relative_to(docs_dir).as_posix()
    bare = SourcePage(path, rel, FrontMatter(), body, max(body_line, 1))
    try:
        doc = load_yaml(yaml_text or "")
    except YamlError:
        return bare, [p.as_warning(" (xint reads the page without it)") for p in page]
    if not isinstance(doc.data, dict):
        return bare, []
    mine = YamlDoc({k: v for k, v in doc.data.items() if k in RUN_KEYS}, doc.lines)
    meta, problems = parse_front_matter(mine, first_line=2)
    errors = [problem_at(path, mine.line(k) + 1, m) for k, m in problems]
    return replace(bare, meta=meta), errors
