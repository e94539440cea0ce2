"""Every file of the output folder and who writes it, known before any cell runs.

Pages, listings (the home page, one per tag and per category, and their further pages),
the lists of all tags and categories, the 404 page, the theme's assets and the files
copied from the content folder all land in one folder. Two of them on one file would
silently lose one, so every file has one owner, or the build fails naming both.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from xint_site.config import SiteConfig
from xint_site.problems import Problem, problem_at
from xint_site.site.urls import PagePlace, file_for, slugify

HOME = ""
TAGS = "tags/"
CATEGORIES = "categories/"
NOT_FOUND = "404.html"


@dataclass(frozen=True)
class Owner:
    """Who writes a file, named for a reader, and where to point when another wants it."""

    name: str  # "q.md", "the home page listing", "the theme's assets/xint.css"
    source: str = ""  # the file to report a collision on ("" for the theme's own files)
    line: int = 0
    subject: str = ""  # what of the source wants the URL, e.g. "tag 'a-b'"


@dataclass(frozen=True)
class Listing:
    """Posts, newest first, under one heading: the home page, a tag or a category."""

    kind: str  # "index", "tag" or "category"
    name: str
    path: str  # URL path of its first page
    posts: tuple[str, ...]  # each post's path relative to the content folder


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing: up to ``per_page`` of its posts."""

    listing: Listing
    number: int
    pages: int
    path: str
    posts: tuple[str, ...]
    previous: str | None  # URL paths of the neighbouring pages
    next: str | None


@dataclass(frozen=True)
class Routes:
    """The whole output folder as a plan: what to render or copy to which file."""

    pages: Mapping[str, str]  # page path relative to the content folder -> file
    posts: tuple[str, ...]  # newest first
    tags: tuple[Listing, ...]
    categories: tuple[Listing, ...]
    listing_pages: tuple[ListingPage, ...]
    static: Mapping[str, Path]  # file -> the content file copied there
    owners: Mapping[str, Owner] = field(repr=False)  # every file -> who writes it


def plan_site(
    config: SiteConfig,
    places: Iterable[PagePlace],
    static: Mapping[str, Path],
    assets: Iterable[str],
    home: bool = True,
) -> tuple[Routes, list[Problem]]:
    """Give every file one owner. Files only the theme makes are placed first, then
    listings, then copied files, then pages, so a collision is reported on the side
    the author wrote (the page, its tag, the copied file) and names the other side.
    Without ``home`` (a book, whose root page is the home page) posts get no home listing."""
    places = sorted(places, key=lambda p: p.rel)
    posts = sorted((p for p in places if p.is_post), key=_newest_first)
    home_listing = Listing("index", config.title, HOME, tuple(p.rel for p in posts))
    tags, categories = _group(posts, "tag"), _group(posts, "category")
    claims = _Claims()
    claims.claim(NOT_FOUND, NOT_FOUND, Owner("the theme's 404 page"))
    claims.claim(file_for(TAGS), TAGS, Owner("the list of all tags"))
    claims.claim(file_for(CATEGORIES), CATEGORIES, Owner("the list of all categories"))
    for name in assets:
        claims.claim(name, name, Owner(f"the theme's {name}"))
    listing_pages: list[ListingPage] = []
    by_rel = {p.rel: p for p in places}
    for listing in (home_listing, *tags, *categories) if home else (*tags, *categories):
        owner = _listing_owner(listing, by_rel)
        for page in _paginate(listing, config.per_page):
            name = owner.name if page.number == 1 else f"page {page.number} of {owner.name}"
            if not claims.claim(file_for(page.path), page.path, _named(owner, name)):
                break  # its further pages would only say the same again
            listing_pages.append(page)
    for rel, path in static.items():
        claims.claim(rel, rel, Owner(f"the copied file {rel}", str(path)))
    pages: dict[str, str] = {}
    for place in places:
        owner = Owner(place.rel, str(place.page.path), place.line)
        if claims.claim(file_for(place.path), place.path, owner):
            pages[place.rel] = file_for(place.path)
    routes = Routes(
        pages=pages,
        posts=home_listing.posts,
        tags=tuple(tags),
        categories=tuple(categories),
        listing_pages=tuple(listing_pages),
        static=dict(static),
        owners=claims.files,
    )
    return routes, claims.errors


class _Claims:
    """Files and folders handed out so far; a second claim on one is an error."""

    def __init__(self) -> None:
        self.files: dict[str, Owner] = {}
        self.folders: dict[str, Owner] = {}  # a folder some file needs -> that file's owner
        self.errors: list[Problem] = []

    def claim(self, file: str, url: str, owner: Owner) -> bool:
        folders = list(_folders_of(file))
        other = (
            self.files.get(file)
            or self.folders.get(file)  # this file would be a folder another file needs
            or next((self.files[f] for f in folders if f in self.files), None)
        )
        if other is not None:
            subject = f"{owner.subject}: " if owner.subject else ""
            self.errors.append(
                problem_at(
                    owner.source or owner.name,
                    owner.line,
                    f"{subject}URL /{url} is taken by {other.name} too",
                )
            )
            return False
        self.files[file] = owner
        for folder in folders:
            self.folders.setdefault(folder, owner)
        return True


def _folders_of(file: str) -> Iterator[str]:
    parts = file.split("/")
    for i in range(1, len(parts)):
        yield "/".join(parts[:i])


def _named(owner: Owner, name: str) -> Owner:
    return Owner(name, owner.source, owner.line, owner.subject)


def _listing_owner(listing: Listing, places: Mapping[str, PagePlace]) -> Owner:
    """A tag's or category's listing is blamed on the first page (by path) that has it."""
    if listing.kind == "index":
        return Owner("the home page listing")
    first = places[min(listing.posts)]
    key = "tags" if listing.kind == "tag" else "categories"
    what = f"{listing.kind} {listing.name!r}"
    return Owner(f"the listing of {what}", str(first.page.path), first.page.meta.line(key), what)


def listing_path(kind: str, name: str) -> str:
    """The URL path of a tag's or category's listing."""
    return f"{TAGS if kind == 'tag' else CATEGORIES}{slugify(name)}/"


def _group(posts: list[PagePlace], kind: str) -> list[Listing]:
    groups: dict[str, list[str]] = {}
    for post in posts:
        for name in post.tags if kind == "tag" else post.categories:
            groups.setdefault(name, []).append(post.rel)
    return [
        Listing(kind, name, listing_path(kind, name), tuple(rels))
        for name, rels in sorted(groups.items(), key=lambda kv: kv[0].casefold())
    ]


def _paginate(listing: Listing, per_page: int) -> Iterator[ListingPage]:
    size = per_page or max(1, len(listing.posts))
    count = max(1, math.ceil(len(listing.posts) / size))
    paths = [listing.path if n == 1 else f"{listing.path}page/{n}/" for n in range(1, count + 1)]
    for n in range(1, count + 1):
        yield ListingPage(
            listing=listing,
            number=n,
            pages=count,
            path=paths[n - 1],
            posts=listing.posts[(n - 1) * size : n * size],
            previous=paths[n - 2] if n > 1 else None,
            next=paths[n] if n < count else None,
        )


def _newest_first(place: PagePlace) -> tuple[float, str]:
    date = place.date or dt.datetime.min
    return (-date.replace(tzinfo=None).timestamp() if place.date else math.inf, place.rel)
