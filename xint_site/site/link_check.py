"""The link check of a built site: every link into the site leads to a file it holds.

Run on the staging folder before it replaces the output folder, so it sees exactly
the files the build wrote (pages, listings, assets, copied images) and the ids each
page really has. A broken link in a page's body is reported at its Markdown line
(from the page's :class:`~xint_site.render.links.SourceLink` values); one that only
the theme or a listing writes is reported once, at the first output file holding it.
External URLs are only collected here; ``site/external.py`` fetches them on request.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

from xint_site.problems import Problem, warning_at
from xint_site.render.links import SourceLink, html_attributes
from xint_site.site.entries import Entry
from xint_site.site.urls import file_for

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SITE = "xint-site.invalid"  # the host links are resolved against: never a real one
_WEB = ("http", "https")
MIN_PAGES_PER_WORKER = 64  # fewer pages are read faster than a process starts
_T = TypeVar("_T")
_I = TypeVar("_I")
_K = TypeVar("_K")


@dataclass(frozen=True)
class Place:
    """Where a link is written: a page's Markdown line, or an output file (line 0)."""

    path: str
    line: int


@dataclass(frozen=True)
class LinkReport:
    problems: list[Problem]
    external: dict[str, list[Place]] = field(default_factory=dict)  # URL -> where it is


@dataclass(frozen=True)
class _Built:
    ids: frozenset[str]  # ids, and names of ``<a>``
    twice: list[str]  # ids given to more than one element
    links: list[SourceLink]


def check_links(
    folder: Path,
    names: Iterable[str],
    entries: Mapping[str, Entry],
    pages_of: Mapping[str, str],
    site_url: str,
    shown_as: Path,
    jobs: int = 1,
) -> LinkReport:
    """Warnings for the links of the site in ``folder`` (its files are ``names``, and
    whatever else is in it, such as a search index) that lead to no file or no id, and
    ids used twice on a page; and every external URL the site links to. ``shown_as`` is
    the output folder, how a file of the theme's is named in a warning; ``pages_of`` each
    page's file by its source path, whose entry gives the lines of its links. Pages are
    read in ``jobs`` processes.

    Each page is checked as it is read and then forgotten, so memory does not grow with
    the site: a link to an id on another page waits until every page has been read, and
    only the pages such links lead to are read again, for their ids."""
    files = {*names, *(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())}
    pages = sorted(name for name in files if name.endswith(".html"))
    sources = _Sources({name: rel for rel, name in pages_of.items()}, entries)
    checker = _Checker(files, frozenset(pages), urlsplit(site_url), shown_as)
    for found in _each(_check_file, (checker, sources, folder), pages, jobs):
        checker.merge(found)
    targets = sorted(checker.waiting)
    for name, ids in zip(targets, _each(_ids, folder, targets, jobs), strict=True):
        checker.check_waiting(name, ids)
    return checker.report()


@dataclass(frozen=True)
class _Sources:
    """The page each built file shows, read when its file is checked (a build keeps its
    entries on disk: ``site/entry_store.py``)."""

    files: dict[str, str]  # built file -> its page's source path
    entries: Mapping[str, Entry]

    def get(self, name: str) -> Entry | None:
        rel = self.files.get(name)
        return self.entries[rel] if rel is not None else None


@dataclass(frozen=True)
class _Waiting:
    """A link to an id on another page, until that page's ids are known."""

    fragment: str
    page: str  # the output file the link is on
    link: SourceLink
    places: list[Place]  # its Markdown lines, when the page's body writes it


@dataclass(frozen=True)
class _Found:
    """What a checker found: what a worker hands back for one page."""

    problems: list[Problem]
    external: dict[str, list[Place]]
    theme_broken: dict[SourceLink, list[str]]
    theme_twice: dict[str, list[str]]
    waiting: dict[str, list[_Waiting]]


@dataclass
class _Checker:
    """Goes through the built pages; a problem of the theme's (the same on many files) is
    kept until the end and reported once."""

    files: set[str]
    pages: frozenset[str]  # the HTML files, whose ids a fragment names
    site: SplitResult
    shown_as: Path
    problems: list[Problem] = field(default_factory=list)
    external: dict[str, list[Place]] = field(default_factory=dict)
    theme_broken: dict[SourceLink, list[str]] = field(default_factory=dict)
    theme_twice: dict[str, list[str]] = field(default_factory=dict)
    waiting: dict[str, list[_Waiting]] = field(default_factory=dict)  # by the page linked to

    @property
    def root(self) -> str:
        path = self.site.path
        return path if path.endswith("/") else path + "/"

    def check_page(self, name: str, entry: Entry | None, built: _Built) -> None:
        """The ids and links of one built file; ``entry`` is its page, if it has one."""
        written = entry.links if entry is not None else ()
        for twice in built.twice:
            defined = [s for s in written if s.anchor and s.value == twice]
            if entry is not None and defined:
                self.problems.append(_twice(_place(entry, defined[-1]), twice))
            else:
                self.theme_twice.setdefault(twice, []).append(name)
        for link in built.links:
            mine = [
                s
                for s in written
                if (s.value, s.image, s.anchor) == (link.value, link.image, False)
            ]
            places = [_place(entry, s) for s in mine] if entry is not None else []
            target = urlsplit(urljoin(f"http://{_SITE}{self.root}{name}", link.value))
            if target.netloc != _SITE and not self._ours(target):
                if target.scheme in _WEB:  # mailto:, data:, javascript: are not checked
                    self.external.setdefault(link.value, []).extend(
                        places or [Place(str(self.shown_as / name), 0)]
                    )
                continue
            if not target.path.startswith(self.root):
                continue  # another site on this host
            found = self._file(target)
            fragment = unquote(target.fragment)
            if found is None:
                self._broken(name, link, places)
            elif not fragment or found not in self.pages or fragment == "top":
                continue
            elif found == name:
                if fragment not in built.ids:
                    self._broken(name, link, places)
            else:
                wait = _Waiting(fragment, name, link, places)
                self.waiting.setdefault(found, []).append(wait)

    def alone(self) -> _Checker:
        """A checker of the same site with nothing found yet (for one page, in a worker)."""
        return replace(self, problems=[], external={}, theme_broken={}, theme_twice={}, waiting={})

    def found(self) -> _Found:
        return _Found(
            self.problems, self.external, self.theme_broken, self.theme_twice, self.waiting
        )

    def merge(self, other: _Found) -> None:
        """What another checker found (an :meth:`alone` one), added to what this one has."""
        self.problems += other.problems
        _extend(self.external, other.external)
        _extend(self.theme_broken, other.theme_broken)
        _extend(self.theme_twice, other.theme_twice)
        _extend(self.waiting, other.waiting)

    def check_waiting(self, name: str, ids: frozenset[str]) -> None:
        """The links to ids on page ``name``, now that its ids are known."""
        for wait in self.waiting.pop(name, []):
            if wait.fragment not in ids:
                self._broken(wait.page, wait.link, wait.places)

    def report(self) -> LinkReport:
        for link, where in sorted(self.theme_broken.items(), key=lambda i: i[0].value):
            self.problems.append(_broken(self._first(where), link, _also(where)))
        for value, where in sorted(self.theme_twice.items()):
            self.problems.append(_twice(self._first(where), value, _also(where)))
        return LinkReport(sorted(set(self.problems)), self.external)

    def _broken(self, name: str, link: SourceLink, places: list[Place]) -> None:
        if places:
            self.problems += [_broken(place, link) for place in places]
        else:
            self.theme_broken.setdefault(SourceLink(link.value, 0, link.image), []).append(name)

    def _ours(self, target: SplitResult) -> bool:
        """A full URL of this site (``url`` in ``xint.yml``) is checked as a link into it."""
        return target.netloc == self.site.netloc and target.path.startswith(self.root)

    def _file(self, target: SplitResult) -> str | None:
        """The file a link of the site leads to (``dir/`` and ``dir`` to its
        ``index.html``), if the site holds it."""
        rel = unquote(target.path[len(self.root) :])
        return next((n for n in (file_for(rel), f"{rel}/index.html") if n in self.files), None)

    def _first(self, where: list[str]) -> Place:
        return Place(str(self.shown_as / min(where)), 0)


def _each(work: Callable[[Any, _I], _T], context: Any, items: list[_I], jobs: int) -> Iterator[_T]:
    """``work(context, item)`` of each item, in order, on ``jobs`` cores when there are
    enough items to share (each worker is forked with ``context``, never pickled); each
    result is handed on as it comes, not kept."""
    workers = min(jobs, len(items) // MIN_PAGES_PER_WORKER)
    if workers < 2:
        yield from (work(context, item) for item in items)
        return
    chunk = max(1, min(64, len(items) // (8 * workers)))
    gc.freeze()  # the workers share these objects' pages instead of copying them
    pool = multiprocessing.get_context("fork").Pool(
        workers, initializer=_enter, initargs=(context,)
    )
    try:
        yield from pool.imap(functools.partial(_in_worker, work), items, chunksize=chunk)
        pool.close()  # the workers end by themselves (terminating them would be a SIGTERM)
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        gc.unfreeze()


def _extend(mine: dict[_K, list[_T]], theirs: dict[_K, list[_T]]) -> None:
    for key, values in theirs.items():
        mine.setdefault(key, []).extend(values)


_CONTEXT: Any = None  # a worker's context, given when it was forked


def _enter(context: Any) -> None:
    global _CONTEXT
    _CONTEXT = context


def _in_worker(work: Callable[[Any, _I], _T], item: _I) -> _T:
    return work(_CONTEXT, item)


def _check_file(context: tuple[_Checker, _Sources, Path], name: str) -> _Found:
    """What one built file's ids and links show (what a checker alone finds there)."""
    checker, sources, folder = context
    alone = checker.alone()
    alone.check_page(name, sources.get(name), _read(folder / name))
    return alone.found()


def _read(path: Path) -> _Built:
    markup = _COMMENT.sub("", path.read_text(encoding="utf-8", errors="replace"))
    found = list(html_attributes(markup))
    ids = Counter(a.value for a in found if a.attribute == "id")
    names = frozenset(a.value for a in found if a.anchor)
    return _Built(
        names, sorted(i for i, n in ids.items() if n > 1), [a for a in found if not a.anchor]
    )


def _ids(folder: Path, name: str) -> frozenset[str]:
    """The ids (and names of ``<a>``) of a page."""
    return _read(folder / name).ids


def _place(entry: Entry, link: SourceLink) -> Place:
    return Place(str(entry.place.page.path), link.line)


def _broken(place: Place, link: SourceLink, also: str = "") -> Problem:
    what = "image" if link.image else "link to"
    return warning_at(place.path, place.line, f"{what} '{link.value}' does not resolve{also}")


def _also(where: list[str]) -> str:
    return f" (and in {len(where) - 1} more files)" if len(where) > 1 else ""


def _twice(place: Place, value: str, also: str = "") -> Problem:
    return warning_at(place.path, place.line, f"id '{value}' is used twice on the page{also}")
