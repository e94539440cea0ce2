"""The link check of a built site: every link into the site leads to a file it holds.

Run on the staging folder before it replaces the output folder, so it sees exactly
the files the build wrote (pages, listings, assets, copied images) and the ids each
page really has. A broken link in a page's body is reported at its Markdown line
(from the page's :class:`~xint_site.render.links.SourceLink` values); one that only
the theme or a listing writes is reported once, at the first output file holding it.
External URLs are only collected here; ``site/external.py`` fetches them on request.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

from xint_site.problems import Problem, warning_at
from xint_site.render.links import SourceLink, html_links
from xint_site.site.entries import Entry
from xint_site.site.urls import file_for

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ID = re.compile(r"""<[A-Za-z][^<>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_SITE = "xint-site.invalid"  # the host links are resolved against: never a real one
_WEB = ("http", "https")


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
    ids: frozenset[str]
    links: list[SourceLink]


def check_links(
    folder: Path,
    names: Iterable[str],
    entries: Mapping[str, Entry],
    site_url: str,
    shown_as: Path,
) -> LinkReport:
    """Warnings for the links of the site in ``folder`` (its files are ``names``) that
    lead to no file or no id, and every external URL it links to. ``shown_as`` is the
    output folder, how a file of the theme's is named in a warning."""
    files = set(names)
    built = {name: _read(folder / name) for name in files if name.endswith(".html")}
    sources = {file_for(entry.path): entry for entry in entries.values()}
    site = urlsplit(site_url)
    root = site.path if site.path.endswith("/") else site.path + "/"
    problems: list[Problem] = []
    theme_broken: dict[tuple[str, bool], list[str]] = {}
    external: dict[str, list[Place]] = {}
    for name in sorted(built):
        entry = sources.get(name)
        written = {(s.value, s.image): s for s in entry.links} if entry else {}
        for link in built[name].links:
            target = urljoin(f"http://{_SITE}{root}{name}", link.value)
            parts = urlsplit(target)
            if parts.netloc != _SITE:  # another host, or this site by its full URL
                if parts.scheme in _WEB and not _same_site(parts, site, root):
                    places = [_place(entry, s) for s in _written(entry, link)] if entry else []
                    external.setdefault(link.value, []).extend(
                        places or [Place(str(shown_as / name), 0)]
                    )
                    continue
                if parts.scheme not in _WEB:
                    continue  # mailto:, data:, javascript:
            if not parts.path.startswith(root) or _resolves(parts, root, files, built):
                continue
            if entry is not None and (link.value, link.image) in written:
                problems += [_broken(_place(entry, s), s) for s in _written(entry, link)]
            else:
                theme_broken.setdefault((link.value, link.image), []).append(name)
    for (value, image), where in sorted(theme_broken.items()):
        also = f" (and in {len(where) - 1} more files)" if len(where) > 1 else ""
        place = Place(str(shown_as / where[0]), 0)
        problems.append(_broken(place, SourceLink(value, 0, image), also))
    return LinkReport(sorted(set(problems)), external)


def _read(path: Path) -> _Built:
    markup = _COMMENT.sub("", path.read_text(encoding="utf-8", errors="replace"))
    ids = frozenset(
        html.unescape(next(v for v in m.groups() if v is not None)) for m in _ID.finditer(markup)
    )
    return _Built(ids, list(html_links(markup)))


def _resolves(parts: SplitResult, root: str, files: set[str], built: Mapping[str, _Built]) -> bool:
    """Whether a link of the site leads to a file it holds (``dir/`` and ``dir`` to its
    ``index.html``) and, with a fragment, to an element with that id."""
    rel = unquote(parts.path[len(root) :])
    for name in (file_for(rel), f"{rel}/index.html"):
        if name in files:
            break
    else:
        return False
    fragment = unquote(parts.fragment)
    if not fragment or name not in built or fragment == "top":
        return True
    return fragment in built[name].ids


def _same_site(parts: SplitResult, site: SplitResult, root: str) -> bool:
    """A full URL of this site (``url`` in ``xint.yml``) is checked as a link into it."""
    return parts.netloc == site.netloc and parts.path.startswith(root)


def _written(entry: Entry, link: SourceLink) -> list[SourceLink]:
    return [s for s in entry.links if s.value == link.value and s.image == link.image]


def _place(entry: Entry, link: SourceLink) -> Place:
    return Place(str(entry.place.page.path), link.line)


def _broken(place: Place, link: SourceLink, also: str = "") -> Problem:
    what = "image" if link.image else "link to"
    return warning_at(place.path, place.line, f"{what} '{link.value}' does not resolve{also}")
