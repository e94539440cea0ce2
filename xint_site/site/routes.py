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
from xint_site.hexo.permalinks import HexoUrls
from xint_site.problems import Problem, problem_at
from xint_site.site.urls import PagePlace, file_for, unsafe_reason

HOME = ""
NOT_FOUND = "404.html"


@dataclass(frozen=True, slots=True)
class Owner:
    """Who writes a file, named for a reader, and where to point when another wants it."""

    name: str  # "q.md", "the home page listing", "the theme's assets/xint.css"
    source: str = ""  # the file to report a collision on ("" for the theme's own files)
    line: int = 0
    subject: str = ""  # what of the source wants the URL, e.g. "tag 'a-b'"


@dataclass(frozen=True)
class Listing:
    """Posts, newest first, under one heading: the home page, a tag or a category."""

    kind: str  # "index", "tag", "category" or "archive"
    name: str  # a category's own name (its parents are in its path); an archive's "2021/05"
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
    files: frozenset[str] = field(repr=False)  # every file of the site (the plan's owners
    # are needed only while planning: they name the other side of a collision)
    archives: tuple[Listing, ...] = ()  # all posts, each year's, each month's


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
    hexo = next((p.hexo for p in places if p.hexo is not None), None)  # a Hexo blog's rules
    home_path = _folder(hexo.home) if hexo is not None else HOME  # index_generator.path
    home_listing = Listing("index", config.title, home_path, tuple(p.rel for p in posts))
    tags, categories = _tags(config, posts), _categories(config, posts)
    archives = _archives(config, posts, hexo)
    claims = _Claims()
    claims.claim(NOT_FOUND, NOT_FOUND, Owner("the theme's 404 page"))
    for folder, name in ((tags_path(config), "tags"), (categories_path(config), "categories")):
        claims.claim(file_for(folder), folder, Owner(f"the list of all {name}"))
    for name in assets:
        claims.claim(name, name, Owner(f"the theme's {name}"))
    listing_pages: list[ListingPage] = []
    by_rel = {p.rel: p for p in places}
    listings = (home_listing,) if home else ()
    for listing in (*listings, *tags, *categories, *archives):
        owner = _listing_owner(listing, by_rel)
        per_page = _per_page(config, listing.kind, hexo)
        further = hexo.home_pages if hexo and hexo.home_pages and listing.kind == "index" else ""
        for page in _paginate(listing, per_page, further or config.pagination_dir):
            name = owner.name if page.number == 1 else f"page {page.number} of {owner.name}"
            if not claims.claim(file_for(page.path), page.path, _named(owner, name)):
                break  # its further pages would only say the same again
            listing_pages.append(page)
    for rel, path in static.items():
        claims.claim(rel, rel, Owner(f"the copied file {rel}", str(path)))
    pages: dict[str, str] = {}
    lists = (tags_path(config), categories_path(config))
    for place in places:
        if place.hexo is not None and place.path in lists:
            # Hexo themes want a page there (`hexo new page tags`) to show the tags in:
            # the list of all tags is that page here
            continue
        owner = Owner(place.rel, str(place.page.path), place.line)
        name = file_for(place.path)
        if claims.claim(name, place.path, owner):
            pages[place.rel] = name
    routes = Routes(
        pages=pages,
        posts=home_listing.posts,
        tags=tuple(tags),
        categories=tuple(categories),
        listing_pages=tuple(listing_pages),
        static=dict(static),
        files=frozenset(claims.files),
        archives=tuple(archives),
    )
    return routes, claims.errors


class _Claims:
    """Files and folders handed out so far; a second claim on one is an error."""

    def __init__(self) -> None:
        self.files: dict[str, Owner] = {}
        self.folders: dict[str, Owner] = {}  # a folder some file needs -> that file's owner
        self.errors: list[Problem] = []

    def claim(self, file: str, url: str, owner: Owner) -> bool:
        unsafe = unsafe_reason(file)
        if unsafe is not None:  # every file of the site comes here: none may leave it
            where = owner.source or owner.name
            self.errors.append(problem_at(where, owner.line, f"URL /{url} {unsafe}"))
            return False
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
    if listing.kind == "archive":
        return Owner(f"the archive {listing.name}".rstrip())
    first = places[min(listing.posts)]
    key = "tags" if listing.kind == "tag" else "categories"
    what = f"{listing.kind} {listing.name!r}"
    return Owner(f"the listing of {what}", str(first.page.path), first.page.meta.line(key), what)


def tags_path(config: SiteConfig) -> str:
    """The URL path of the list of all tags (``tags/``); tag listings are below it."""
    return _folder(config.tag_dir)


def categories_path(config: SiteConfig) -> str:
    return _folder(config.category_dir)


def _folder(name: str) -> str:
    name = name.strip("/")
    return name + "/" if name else ""


def listing_path(config: SiteConfig, kind: str, names: tuple[str, ...], place: PagePlace) -> str:
    """The URL path of a tag's listing, or a category's (``names`` from the top category
    down), with the slugs of the site the post is from."""
    folder = tags_path(config) if kind == "tag" else categories_path(config)
    return folder + "".join(place.slug(name, kind) + "/" for name in names)


def post_listings(
    config: SiteConfig, place: PagePlace
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A post's tags and categories as (name, URL path) of their listings."""
    tags = [(t, listing_path(config, "tag", (t,), place)) for t in place.tags]
    categories = [
        (names[-1], listing_path(config, "category", names, place))
        for names in place.listed_categories
    ]
    return tags, categories


def _tags(config: SiteConfig, posts: list[PagePlace]) -> list[Listing]:
    groups: dict[str, tuple[str, list[str]]] = {}
    for post in posts:
        for name in post.tags:
            path = listing_path(config, "tag", (name,), post)
            groups.setdefault(name, (path, []))[1].append(post.rel)
    return [
        Listing("tag", name, path, tuple(rels))
        for name, (path, rels) in sorted(groups.items(), key=lambda kv: kv[0].casefold())
    ]


def _categories(config: SiteConfig, posts: list[PagePlace]) -> list[Listing]:
    groups: dict[tuple[str, ...], tuple[str, list[str]]] = {}
    for post in posts:
        for names in post.listed_categories:
            path = listing_path(config, "category", names, post)
            groups.setdefault(names, (path, []))[1].append(post.rel)
    ordered = sorted(groups.items(), key=lambda kv: tuple(n.casefold() for n in kv[0]))
    return [Listing("category", names[-1], path, tuple(rels)) for names, (path, rels) in ordered]


def _archives(
    config: SiteConfig, posts: list[PagePlace], hexo: HexoUrls | None = None
) -> list[Listing]:
    """Hexo's archives: every post, then each year's and each month's (and each day's,
    when a Hexo blog's ``archive_generator`` says so), newest first."""
    folder = _folder(config.archive_dir)
    if not folder or not posts:
        return []
    wanted = set((hexo.archives if hexo is not None else "yearly monthly").split())
    groups: dict[str, list[str]] = {}
    for post in posts:
        date = post.date or dt.datetime.min
        year, month = f"{date.year:04d}", f"{date.year:04d}/{date.month:02d}"
        keys = [year] if "yearly" in wanted else []
        if "yearly" in wanted and "monthly" in wanted:
            keys.append(month)
        if "yearly" in wanted and "daily" in wanted:
            keys.append(f"{month}/{date.day:02d}")
        for key in keys:
            groups.setdefault(key, []).append(post.rel)
    everything = Listing("archive", "", folder, tuple(p.rel for p in posts))
    return [everything] + [
        Listing("archive", key, f"{folder}{key}/", tuple(rels))
        for key, rels in sorted(groups.items(), reverse=True)
    ]


def _per_page(config: SiteConfig, kind: str, hexo: HexoUrls | None) -> int:
    """Posts per page of a listing: the home page's, the listings', or (a Hexo blog's
    ``tag_generator.per_page`` and the like) that kind's own."""
    if kind == "index":
        return config.per_page
    own = dict(hexo.per_page).get(kind) if hexo is not None else None
    if own is not None:
        return own
    return config.per_page if config.listing_per_page is None else config.listing_per_page


def _paginate(listing: Listing, per_page: int, folder: str = "page") -> Iterator[ListingPage]:
    size = per_page or max(1, len(listing.posts))
    count = max(1, math.ceil(len(listing.posts) / size))
    further = _folder(folder)
    paths = [
        listing.path if n == 1 else f"{listing.path}{further}{n}/" for n in range(1, count + 1)
    ]
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
