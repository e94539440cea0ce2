"""The link check of a built site: every link into the site leads to a file it holds.

Run on the staging folder before it replaces the output folder, so it sees exactly
the files the build wrote (pages, listings, assets, copied images) and the ids each
page really has. A broken link in a page's body is reported at its Markdown line
(from the page's :class:`~xint_site.render.links.SourceLink` values); one that only
the theme or a listing writes is reported once, at the first output file holding it.
External URLs are only collected here; ``site/external.py`` fetches them on request.
"""

from __future__ import annotations

import multiprocessing
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

from xint_site.problems import Problem, warning_at
from xint_site.render.links import SourceLink, html_attributes
from xint_site.site.entries import Entry
from xint_site.site.urls import file_for

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SITE = "xint-site.invalid"  # the host links are resolved against: never a real one
_WEB = ("http", "https")
MIN_PAGES_PER_WORKER = 64  # fewer pages are read faster than a process starts


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
    site_url: str,
    shown_as: Path,
    jobs: int = 1,
) -> LinkReport:
    """Warnings for the links of the site in ``folder`` (its files are ``names``, and
    whatever else is in it, such as a search index) that lead to no file or no id, and
    ids used twice on a page; and every external URL the site links to. ``shown_as`` is
    the output folder, how a file of the theme's is named in a warning. Pages are read
    in ``jobs`` processes."""
    files = {*names, *(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())}
    pages = sorted(name for name in files if name.endswith(".html"))
    built = dict(zip(pages, _read_all([folder / name for name in pages], jobs), strict=True))
    sources = {file_for(entry.path): entry for entry in entries.values()}
    checker = _Checker(files, built, urlsplit(site_url), shown_as)
    for name in sorted(built):
        checker.check_page(name, sources.get(name))
    return checker.report()


@dataclass
class _Checker:
    """Goes through the built pages; a problem of the theme's (the same on many files) is
    kept until the end and reported once."""

    files: set[str]
    built: Mapping[str, _Built]
    site: SplitResult
    shown_as: Path
    problems: list[Problem] = field(default_factory=list)
    external: dict[str, list[Place]] = field(default_factory=dict)
    theme_broken: dict[SourceLink, list[str]] = field(default_factory=dict)
    theme_twice: dict[str, list[str]] = field(default_factory=dict)

    @property
    def root(self) -> str:
        path = self.site.path
        return path if path.endswith("/") else path + "/"

    def check_page(self, name: str, entry: Entry | None) -> None:
        """The ids and links of one built file; ``entry`` is its page, if it has one."""
        written = entry.links if entry is not None else ()
        for twice in self.built[name].twice:
            defined = [s for s in written if s.anchor and s.value == twice]
            if entry is not None and defined:
                self.problems.append(_twice(_place(entry, defined[-1]), twice))
            else:
                self.theme_twice.setdefault(twice, []).append(name)
        for link in self.built[name].links:
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
            elif not target.path.startswith(self.root) or self._resolves(target):
                continue  # another site on this host, or a good link
            elif places:
                self.problems += [_broken(place, link) for place in places]
            else:
                self.theme_broken.setdefault(SourceLink(link.value, 0, link.image), []).append(name)

    def report(self) -> LinkReport:
        for link, where in sorted(self.theme_broken.items(), key=lambda i: i[0].value):
            self.problems.append(_broken(self._first(where), link, _also(where)))
        for value, where in sorted(self.theme_twice.items()):
            self.problems.append(_twice(self._first(where), value, _also(where)))
        return LinkReport(sorted(set(self.problems)), self.external)

    def _ours(self, target: SplitResult) -> bool:
        """A full URL of this site (``url`` in ``xint.yml``) is checked as a link into it."""
        return target.netloc == self.site.netloc and target.path.startswith(self.root)

    def _resolves(self, target: SplitResult) -> bool:
        """Whether a link of the site leads to a file it holds (``dir/`` and ``dir`` to its
        ``index.html``) and, with a fragment, to an element with that id."""
        rel = unquote(target.path[len(self.root) :])
        name = next((n for n in (file_for(rel), f"{rel}/index.html") if n in self.files), None)
        if name is None:
            return False
        fragment = unquote(target.fragment)
        if not fragment or name not in self.built or fragment == "top":
            return True
        return fragment in self.built[name].ids

    def _first(self, where: list[str]) -> Place:
        return Place(str(self.shown_as / where[0]), 0)


def _read_all(paths: list[Path], jobs: int) -> list[_Built]:
    """Each page's ids and links, on ``jobs`` cores when there are enough pages to share."""
    workers = min(jobs, len(paths) // MIN_PAGES_PER_WORKER)
    if workers < 2:
        return [_read(path) for path in paths]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(_read, paths, chunksize=max(1, len(paths) // (8 * workers)))


def _read(path: Path) -> _Built:
    markup = _COMMENT.sub("", path.read_text(encoding="utf-8", errors="replace"))
    found = list(html_attributes(markup))
    ids = Counter(a.value for a in found if a.attribute == "id")
    names = frozenset(a.value for a in found if a.anchor)
    return _Built(
        names, sorted(i for i, n in ids.items() if n > 1), [a for a in found if not a.anchor]
    )


def _place(entry: Entry, link: SourceLink) -> Place:
    return Place(str(entry.place.page.path), link.line)


def _broken(place: Place, link: SourceLink, also: str = "") -> Problem:
    what = "image" if link.image else "link to"
    return warning_at(place.path, place.line, f"{what} '{link.value}' does not resolve{also}")


def _also(where: list[str]) -> str:
    return f" (and in {len(where) - 1} more files)" if len(where) > 1 else ""


def _twice(place: Place, value: str, also: str = "") -> Problem:
    return warning_at(place.path, place.line, f"id '{value}' is used twice on the page{also}")
