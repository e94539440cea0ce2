"""The build kept alive between saves: rebuild only what a change touches.

The preview server keeps one :class:`SiteBuilder`. Its first ``build()`` is the
ordinary full build (``build_state``); later ``rebuild(paths)`` sorts the
changed paths by kind and redoes only the stages they reach:

- the config: everything, as a fresh full build;
- a template: every file re-rendered from the kept entries, nothing executed;
- a theme static file: the assets;
- a page: that page is read, parsed, executed (cache first, then a warm kernel)
  and rendered; the composer then re-renders only files made from it (the page,
  its neighbours, the listings it is in);
- another content file: copied; pages that declare it in ``files`` re-run.

A rebuild with problems writes nothing, so the last good site stays. Files are
replaced one by one, atomically, so a reader never sees half a page.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from xint_site.book.config import BOOK_CONFIG_NAME
from xint_site.book.index import BookIndex
from xint_site.book.outline import Outline, outline_of
from xint_site.config import CONFIG_NAME
from xint_site.document import parse_document
from xint_site.execute.pipeline import execute_pages
from xint_site.files import write_file_atomic
from xint_site.hexo.config import HEXO_CONFIG_NAME, find_hexo_root
from xint_site.hexo.permalinks import is_draft
from xint_site.hexo.tree import walk_hexo
from xint_site.model import Document
from xint_site.pages.source import ContentTree, SourcePage, read_page, walk_content
from xint_site.paths import FREEZE_DIR, is_dotted, is_hidden
from xint_site.pipeline.build import build_state
from xint_site.pipeline.options import BuildOptions, BuildReport, SiteState
from xint_site.pipeline.scan import entry_for, resolve_entry
from xint_site.pipeline.stages import (
    content_files,
    execute_options,
    plan_urls,
    published_files,
)
from xint_site.problems import Problem, Severity
from xint_site.render.highlight import page_blocks
from xint_site.render.page import render_body
from xint_site.render.shown import page_outputs
from xint_site.site.bodies import BodyStore, StoreLost
from xint_site.site.compose import Composer, TemplateProblem
from xint_site.site.entries import Entry
from xint_site.site.notebooks import page_notebooks, runs_by_page
from xint_site.site.routes import plan_site
from xint_site.site.search import BackgroundIndex
from xint_site.site.theme import OVERRIDE_DIR, find_theme
from xint_site.site.urls import PagePlace, place_page
from xint_site.site.writer import Written, digest

if TYPE_CHECKING:  # the runner imports Jupyter: only a server that runs cells needs it
    from xint_site.execute.runner import KernelPool


class ChangeKind(StrEnum):
    """What a set of changed paths touches, and so which stages run again."""

    NONE = "none"  # nothing of the site (a dot-file, the output folder)
    FULL = "full"  # the first build
    CONFIG = "config"  # everything, as a fresh full build
    TEMPLATE = "template"  # every file re-rendered from the kept entries
    STATIC = "static"  # the theme's assets
    CONTENT = "content"  # the changed pages (and the pages reading a changed file)


@dataclass(frozen=True)
class RebuildResult:
    report: BuildReport
    written: tuple[str, ...]  # output-relative paths of files (re)written or removed
    kind: ChangeKind
    executed: int  # notebooks run by kernels (0 for a prose edit)
    seconds: float


class SiteBuilder:
    def __init__(self, options: BuildOptions, warm_kernels: bool = True) -> None:
        self.options = options
        self.content = options.content_dir.resolve()
        # a Hexo blog: its pages are read from its source folder, posts from _-paths in it
        self.hexo_root = find_hexo_root(self.content)
        self.pool: KernelPool | None = None
        if warm_kernels and options.execute:
            from xint_site.execute.runner import KernelPool

            self.pool = KernelPool()
        self.state: SiteState | None = None
        self.search = BackgroundIndex(_report_search)

    def build(self) -> RebuildResult:
        """A full build; the output folder is replaced only if it succeeds."""
        started = time.perf_counter()
        bodies = BodyStore.create()
        report, state = build_state(self.options, self.pool, bodies)  # writes the site
        written: tuple[str, ...] = ()
        if state is None:
            bodies.close()
        else:
            if self.state is not None:
                self.state.bodies.close()  # every body is in the new store
            self.state = state
            written = tuple(state.files)
        return RebuildResult(report, written, ChangeKind.FULL, _executed(report), _since(started))

    def watched_paths(self) -> list[Path]:
        folders = [self.hexo_root or self.content]
        if self.state is not None:
            folders += [f for f in self.state.theme.folders if not _inside(f, self.content)]
        return folders

    def rebuild(self, changed: Iterable[Path]) -> RebuildResult:
        started = time.perf_counter()
        paths = {Path(p).resolve() for p in changed}
        if self.state is not None:  # an editor's temporary file, a book's README.md
            state = self.state
            paths = {p for p in paths if not (_came_and_went(state, p) or self._left_out(state, p))}
        kind = self._kind(paths)
        if kind is ChangeKind.NONE:
            return RebuildResult(BuildReport(), (), kind, 0, _since(started))
        if self.state is None or kind is ChangeKind.CONFIG:
            return replace(self.build(), kind=kind)
        try:
            return self._rebuild(self.state, kind, paths, started)
        except StoreLost:  # the temporary folder was cleaned under a long-running server
            return replace(self.build(), kind=kind)

    def _rebuild(
        self, state: SiteState, kind: ChangeKind, paths: set[Path], started: float
    ) -> RebuildResult:
        if kind in (ChangeKind.TEMPLATE, ChangeKind.STATIC):
            config = (self.hexo_root or state.content) / CONFIG_NAME
            theme = find_theme(state.config.theme, state.content, config)
            if isinstance(theme, Problem):
                return self._failed([theme], started, kind=kind)
            if kind is ChangeKind.STATIC and theme == state.theme:
                state.composer.forget_assets()
                return self._finish(state, BuildReport(), kind, started)
            state = replace(state, theme=theme, composer=Composer(state.config, theme))
            return self._finish(state, BuildReport(), kind, started)
        return self._rebuild_content(state, paths, started)

    def close(self) -> None:
        self.search.close()  # before the bodies: no Pagefind may outlive the builder
        if self.state is not None:
            self.state.bodies.close()
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    def __enter__(self) -> SiteBuilder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- content changes ---------------------------------------------------

    def _rebuild_content(self, state: SiteState, paths: set[Path], started: float) -> RebuildResult:
        held = self._known_pages(state, paths)
        if state.book is not None and not held:
            return replace(self.build(), kind=ChangeKind.CONTENT)
        tree = None
        if state.hexo is not None and not held:  # Hexo's rules say which files are posts
            tree = self._walk(state)
        walked = {p.resolve() for p in tree.pages} if tree is not None else set()
        pages = {p for p in paths if self._is_page(state, p, walked)}
        others = paths - pages
        pages |= self._pages_reading(state, others)
        errors: list[Problem] = []
        sources: list[SourcePage] = []
        gone: list[str] = []
        hexo = state.hexo.urls if state.hexo is not None else None
        for path in sorted(pages):
            rel = path.relative_to(state.content).as_posix()
            if not path.is_file():
                gone.append(rel)
                continue
            page = read_page(path, state.content)
            if isinstance(page, list):
                errors += page
            elif self.options.drafts or not is_draft(page, hexo):
                sources.append(page)
            else:
                gone.append(rel)
        documents = []
        parsed_warnings: list[Problem] = []
        for source in sources:
            document, problems = parse_document(state.md, source)
            errors += [p for p in problems if p.severity is Severity.ERROR]
            parsed_warnings += [p for p in problems if p.severity is Severity.WARNING]
            documents.append(document)
        documents_by_rel = dict(state.documents)  # a copy in C, not a filter in Python
        for rel in gone:
            documents_by_rel.pop(rel, None)
        documents_by_rel.update((d.page.rel, d) for d in documents)
        static = state.static
        if others:
            tree = tree or self._walk(state)
            static = content_files(tree, state.content, self.options.out_dir)
        prose = self._same_places(state, documents, gone, others)
        if state.book is not None and prose is None:  # one label can renumber every page
            return replace(self.build(), kind=ChangeKind.CONTENT)
        if state.book is not None and not _same_outlines(state.book, documents):
            return replace(self.build(), kind=ChangeKind.CONTENT)  # the book's index changed
        if prose is not None:  # no URL, tag or listing changed: the last plan holds
            places = prose
        else:
            places, _, url_errors = plan_urls(
                state.config, list(documents_by_rel.values()), static, state.composer, hexo=hexo
            )
            errors += url_errors
        if errors:  # before any kernel runs, as in a full build
            return self._failed(errors, started)
        options = execute_options(self.options, self.pool)
        execution = execute_pages(documents, state.config, state.content, options)
        more, warnings = execution.problems(self.options.keep_going)
        errors += more
        outputs = dict(state.outputs)
        outputs.update(page_outputs(execution.runs, state.config))
        runs = runs_by_page(execution.runs)
        entries = dict(state.entries)
        for rel in entries.keys() - documents_by_rel.keys():
            del entries[rel]
        for document in documents:
            rel = document.page.rel
            last = state.entries.get(rel)  # its code blocks: highlighted once, kept
            known = state.bodies.get_blocks(last.blocks) if last and last.blocks else None
            with page_blocks(known) as made:
                body = render_body(state.md, document, outputs.get(rel))
            entry = entry_for(places[rel], document, body, state.bodies)
            notebooks = page_notebooks(
                document, runs.get(rel, []), entry.path, state.config, state.bodies
            )
            blocks = state.bodies.put_blocks(made)
            entries[rel] = replace(entry, notebooks=notebooks, blocks=blocks)
            if state.book is not None:  # its references, from the index that still holds
                entries[rel], resolved = resolve_entry(entries[rel], state.book, state.bodies)
                warnings += resolved
        report = BuildReport(
            pages=len(entries),
            errors=sorted(errors),
            warnings=sorted(
                [*(tree.skipped if others and tree else []), *parsed_warnings, *warnings]
            ),
            execution=execution,
        )
        if errors:
            return self._failed(errors, started, report)
        new_state = replace(
            state,
            documents=dict(sorted(documents_by_rel.items())) if prose is None else documents_by_rel,
            outputs=outputs,
            entries=dict(sorted(entries.items())) if prose is None else entries,
            static=static,
        )
        changed = [d.page.rel for d in documents]
        if prose is not None and all(_shows_same(state.entries[r], entries[r]) for r in changed):
            return self._finish_pages(new_state, report, changed, started)
        return self._finish(new_state, report, ChangeKind.CONTENT, started)

    def _known_pages(self, state: SiteState, paths: set[Path]) -> bool:
        """Whether every changed path is a page the site already holds, still there. Only
        such an edit may leave a book's index as it is (see :func:`_same_outlines`): any
        other change (a page added or removed, config.ini, a BibTeX or data file) builds a
        book again. A Hexo blog walks its source folder only for other changes."""
        for path in paths:
            if not path.is_file() or not _inside(path, state.content):
                return False
            if path.relative_to(state.content).as_posix() not in state.documents:
                return False
        return True

    def _same_places(
        self, state: SiteState, documents: list[Document], gone: list[str], others: set[Path]
    ) -> dict[str, PagePlace] | None:
        """The changed pages' places when only their text changed (same front matter, no
        page added or removed, no other file): every URL and listing stays as planned."""
        if gone or others or state.routes is None or not documents:
            return None
        places: dict[str, PagePlace] = {}
        for document in documents:
            old = state.entries.get(document.page.rel)
            if old is None or old.place.page.meta != document.page.meta:
                return None
            if old.place.hexo is None:
                places[document.page.rel] = replace(old.place, page=document.page)
                continue
            # a Hexo post without a date is dated by its file: saving it may move it
            new = place_page(document.page, state.config.permalink, hexo=old.place.hexo)
            if isinstance(new, list) or (new.path, new.date) != (old.place.path, old.place.date):
                return None
            places[document.page.rel] = new
        return places

    def _finish_pages(
        self, state: SiteState, report: BuildReport, rels: list[str], started: float
    ) -> RebuildResult:
        """Write only these pages and their notebooks: nothing else shows their text."""
        assert state.routes is not None and self.state is not None
        last = self.state
        try:
            files = state.composer.compose_pages(state.routes, state.entries, state.bodies, rels)
        except TemplateProblem as exc:
            return self._failed([exc.error], started, kind=ChangeKind.CONTENT)
        before = {state.routes.pages[r] for r in rels}
        before |= {n.file for r in rels for n in last.entries[r].notebooks}
        written = self._write({k: last.files[k] for k in before if k in last.files}, files)
        kept = dict(last.files)
        for name in before:
            kept.pop(name, None)
        kept.update(state.composer.written(files))
        self.state = replace(state, files=kept)
        self._search(state, written)
        report = replace(report, pages=len(state.entries), files=len(kept))
        return RebuildResult(
            report, written, ChangeKind.CONTENT, _executed(report), _since(started)
        )

    def _pages_reading(self, state: SiteState, files: set[Path]) -> set[Path]:
        """Pages whose front matter declares one of these files (their notebooks re-run)."""
        found: set[Path] = set()
        if not files:
            return found
        for document in state.documents.values():
            names = document.page.meta.files
            if names:
                folder = document.page.path.parent.resolve()
                if any((folder / name).resolve() in files for name in names):
                    found.add(document.page.path.resolve())
        return found

    # -- shared ------------------------------------------------------------

    def _finish(
        self, state: SiteState, report: BuildReport, kind: ChangeKind, started: float
    ) -> RebuildResult:
        places = [e.place for e in state.entries.values()]
        static = published_files(state.static, places, state.hexo is not None)
        assets = state.composer.asset_names()
        routes, taken = plan_site(state.config, places, static, assets, home=state.book is None)
        if taken:  # a new theme asset on a copied file's name
            return self._failed(taken, started, kind=kind)
        try:
            files = state.composer.compose(routes, state.entries, state.bodies)
        except TemplateProblem as exc:
            return self._failed([exc.error], started, kind=kind)
        written = self._write(state.files, files)
        self.state = replace(state, files=state.composer.written(files), routes=routes)
        self._search(state, written)
        report = replace(report, pages=len(state.entries), files=len(files))
        return RebuildResult(report, written, kind, _executed(report), _since(started))

    def _search(self, state: SiteState, written: tuple[str, ...]) -> None:
        """The search index made again when pages changed, in the background: the reload
        does not wait for Pagefind (seconds on a Chinese site); its problems are logged."""
        if state.config.search and any(name.endswith(".html") for name in written):
            labels = {f.id: f.label for f in state.config.frameworks}
            self.search.request(self.options.out_dir, state.config.language, labels)

    def _write(
        self, old: dict[str, Written | Path], new: dict[str, bytes | Path | Written]
    ) -> tuple[str, ...]:
        out = self.options.out_dir
        written = []
        for name, content in new.items():
            if isinstance(content, Written):  # made from the same things as the file there
                continue
            data = self._bytes(content) if isinstance(content, Path) else content
            if old.get(name) == Written(digest(data)):
                continue
            target = out / name
            if isinstance(content, Path) and target.is_file() and target.read_bytes() == data:
                continue
            write_file_atomic(target, data)
            written.append(name)
        for name in old.keys() - new.keys():
            (out / name).unlink(missing_ok=True)
            written.append(name)
        return tuple(written)

    def _bytes(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            if self.state is not None and self.state.bodies.holds(path):  # a notebook
                raise StoreLost(str(path)) from None
            raise

    def _failed(
        self,
        errors: list[Problem],
        started: float,
        report: BuildReport | None = None,
        kind: ChangeKind = ChangeKind.CONTENT,
    ) -> RebuildResult:
        report = report or BuildReport(errors=sorted(errors))
        return RebuildResult(report, (), kind, _executed(report), _since(started))

    def _kind(self, paths: set[Path]) -> ChangeKind:
        """The widest kind among the changed paths (a config change outranks the rest)."""
        kinds = set()
        theme = self.state.theme if self.state else None
        # the site's override folder counts even when it did not exist at the first build
        content = self.state.content if self.state else self.content
        folders = [content / OVERRIDE_DIR, *(theme.folders if theme else ())]
        for path in paths:
            if path in (self.content / CONFIG_NAME, self.content / BOOK_CONFIG_NAME):
                kinds.add(ChangeKind.CONFIG)
            elif self.hexo_root is not None and path in _hexo_configs(self.hexo_root):
                kinds.add(ChangeKind.CONFIG)  # beside source/, which may be all we were given
            elif any(_inside(path, f / d) for f in folders for d in ("templates", "i18n")):
                kinds.add(ChangeKind.TEMPLATE)
            elif any(_inside(path, f / "static") for f in folders):
                kinds.add(ChangeKind.STATIC)
            elif _inside(path, content) and self._is_content(path, content):
                kinds.add(ChangeKind.CONTENT)  # a Hexo blog's: under source/ (not public/)
        order = (ChangeKind.CONFIG, ChangeKind.TEMPLATE, ChangeKind.STATIC, ChangeKind.CONTENT)
        return next((kind for kind in order if kind in kinds), ChangeKind.NONE)

    def _is_content(self, path: Path, content: Path) -> bool:
        rel = path.relative_to(content)
        if FREEZE_DIR in rel.parts[:2]:  # the cache (in a Hexo blog's source/ folder too)
            return False
        if _inside(path, self.options.out_dir.resolve()):
            return False
        return not is_dotted(rel)

    def _left_out(self, state: SiteState, path: Path) -> bool:
        """Whether ``path`` is Markdown that a book's ``config.ini`` leaves out (its
        ``README.md``) and no page reads: the book neither shows nor copies it."""
        config = state.book.config if state.book is not None else None
        if config is None or path.suffix != ".md" or not _inside(path, state.content):
            return False
        rel = path.relative_to(state.content).as_posix()
        if rel in state.documents or config.includes(rel):
            return False
        return not self._pages_reading(state, {path})

    def _walk(self, state: SiteState) -> ContentTree:
        """The content folder's pages and copied files, as a full build finds them (a Hexo
        blog's posts and post asset folders, its skip_render and exclude globs)."""
        if state.hexo is not None:
            return walk_hexo(state.hexo, self.options.drafts)
        return walk_content(state.content)

    def _is_page(self, state: SiteState, path: Path, walked: set[Path]) -> bool:
        """Whether a changed path is a page: one the site holds (or held, if it is gone);
        in a Hexo blog one its walk found (``walked``); else any ``.md`` not hidden."""
        if not _inside(path, state.content):  # a link out, a theme folder elsewhere
            return False
        rel = path.relative_to(state.content)
        if rel.as_posix() in state.documents:
            return True
        if state.hexo is not None:
            return path in walked
        return path.suffix == ".md" and not is_hidden(rel)


def _came_and_went(state: SiteState, path: Path) -> bool:
    """Whether ``path`` is gone and nothing of the last build was read from it or from
    under it: a file an editor wrote and renamed onto the page it saved (or a test file
    it made and removed) changed nothing, and must not make the save look like more than
    a prose edit. A page (``.md``) and the site's own theme files always count: removing
    one may be what mends a failed rebuild."""
    if path.exists() or path.suffix == ".md" or not _inside(path, state.content):
        return False
    if _inside(path, state.content / OVERRIDE_DIR):
        return False
    rel = path.relative_to(state.content).as_posix()
    if rel in state.documents or rel in state.static:
        return False
    folder = rel + "/"  # a folder moved away with what it held
    held = (r for names in (state.documents, state.static) for r in names)
    return not any(r.startswith(folder) for r in held)


def _same_outlines(index: BookIndex, documents: list[Document]) -> bool:
    """Whether the edited pages number, label, cite and title exactly what the book's
    index holds for them, in the same order: then every other page is as it was, and
    only these are resolved again. Lines may differ (a paragraph added above a label):
    the index keeps them only for its warnings (a label defined twice, a broken toc
    entry), which the preview said at the first build and a full build says again."""
    kept = index.inventory.outlines
    return all(
        (old := kept.get(d.page.rel)) is not None
        and _unlined(outline_of(d.tokens, d.page.rel, d.page.body_line)) == _unlined(old)
        for d in documents
    )


def _unlined(outline: Outline) -> Outline:
    return replace(outline, items=tuple(replace(item, line=0) for item in outline.items))


def _shows_same(old: Entry, new: Entry) -> bool:
    """Whether every other file shows ``new`` as it showed ``old``: listings, feeds and
    neighbours show the title, dates, excerpt and author; the math font holds the
    characters of every page's formulas."""
    return (
        old.title == new.title
        and old.layout == new.layout
        and old.updated == new.updated
        and old.description == new.description
        and old.excerpt_html == new.excerpt_html
        and old.author == new.author
        and old.frameworks == new.frameworks
        and old.math_chars == new.math_chars
        and old.extra == new.extra
    )


def _hexo_configs(root: Path) -> tuple[Path, Path]:
    return root / HEXO_CONFIG_NAME, root / CONFIG_NAME


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _executed(report: BuildReport) -> int:
    return sum(1 for run in report.execution.runs if not run.from_cache)


def _since(started: float) -> float:
    return time.perf_counter() - started


def _report_search(problems: list[Problem]) -> None:
    """A search index the background could not make: said in the server's log (the
    pages are served all the same, with the last index)."""
    for problem in problems:
        print(problem, file=sys.stderr)
