"""The values the pipeline's front ends pass in and get back: options, report, state."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from xint_site.execute.pipeline import Execution
from xint_site.problems import Problem

if TYPE_CHECKING:  # the state's types only: the options and report load no library
    from markdown_it import MarkdownIt

    from xint_site.book.index import BookIndex
    from xint_site.config import SiteConfig
    from xint_site.execute.progress import Progress
    from xint_site.hexo.config import HexoSite
    from xint_site.model import Document
    from xint_site.render.shown import PageOutputs
    from xint_site.site.bodies import BodyStore
    from xint_site.site.compose import Composer
    from xint_site.site.entries import Entry
    from xint_site.site.routes import Routes
    from xint_site.site.theme import Theme
    from xint_site.site.writer import Written


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    out_dir: Path
    execute: bool = True
    drafts: bool = False
    jobs: int = 0  # 0: one per CPU
    keep_going: bool = False  # failing cells are reported but do not fail the build
    frozen: bool = False  # use stored outputs only; start no kernel
    refresh: bool = False  # ignore stored outputs
    scheduler: str | None = None  # run notebooks on this Dask cluster (else xint.yml's, or here)
    progress: Progress | None = None
    strict: bool = False  # every warning is an error (also `strict: true` in xint.yml)
    check_external: bool = False  # fetch external links (site/external.py)
    external_timeout: float = 10.0  # seconds per external link

    @property
    def workers(self) -> int:
        return self.jobs or cpu_count()


@dataclass(frozen=True)
class BuildReport:
    pages: int = 0
    files: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    execution: Execution = field(default_factory=Execution)
    up_to_date: bool = False  # nothing changed since the last build: nothing was done

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class SiteState:
    """Everything a successful build made, kept by the preview server between rebuilds."""

    content: Path  # the folder pages are read from (a Hexo blog's source folder)
    config: SiteConfig
    theme: Theme
    md: MarkdownIt
    composer: Composer
    documents: dict[str, Document]  # by page path relative to the content folder
    outputs: dict[str, PageOutputs]
    entries: dict[str, Entry]
    static: dict[str, Path]
    bodies: BodyStore  # each entry's body, for composing its page again
    files: dict[str, Written | Path]  # what is in the output folder (digests, copied files)
    book: BookIndex | None = None  # a book's toc, labels and citations
    hexo: HexoSite | None = None  # a Hexo blog's rules: which files are posts, drafts, URLs
    routes: Routes | None = None  # the plan of the output folder, while no URL changes


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
