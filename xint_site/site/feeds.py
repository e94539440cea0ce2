"""``atom.xml`` (the newest posts) and ``sitemap.xml`` (every page), with absolute URLs.

Both formats want absolute URLs (an Atom id is an IRI, a sitemap lists full URLs), so
both are made from ``url`` in ``xint.yml``; a site that does not set it (the default
``http://localhost/`` would send readers and crawlers nowhere) gets neither. A file of
the site's own with either name is copied instead. Dates without a time zone are UTC.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from xint_site.config import SiteConfig
from xint_site.site.entries import Entry
from xint_site.site.urls import href

ATOM = "atom.xml"
SITEMAP = "sitemap.xml"
ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_NS = "http://www.w3.org/XML/1998/namespace"
FEED_POSTS = 20  # the newest posts a feed holds, as Hexo's and Jekyll's feeds do
_UNSET_URL = SiteConfig().url


def feeds_enabled(config: SiteConfig) -> bool:
    """Feeds need the site's real address: ``url`` set to something else than the default."""
    return config.url.rstrip("/") != _UNSET_URL.rstrip("/") and bool(urlsplit(config.url).netloc)


def absolute(config: SiteConfig, path: str) -> str:
    """The full URL of a URL path below the site root."""
    parts = urlsplit(config.url)
    return f"{parts.scheme}://{parts.netloc}{href(config.root, path)}"


def _aware(when: dt.datetime | dt.date) -> dt.datetime:
    """A date or a time without a zone is UTC."""
    if not isinstance(when, dt.datetime):
        when = dt.datetime(when.year, when.month, when.day)
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def _stamp(when: dt.datetime | dt.date) -> str:
    """RFC 3339, as Atom and sitemaps want it."""
    return _aware(when).isoformat(timespec="seconds").replace("+00:00", "Z")


def _changed(entry: Entry) -> dt.datetime | None:
    return entry.updated or entry.date


def atom_feed(config: SiteConfig, posts: Sequence[Entry]) -> bytes:
    """An Atom 1.0 feed of the newest posts (``posts`` newest first): title, link, id,
    dates, author, categories and the excerpt as HTML."""
    ET.register_namespace("", ATOM_NS)
    shown = [p for p in posts[:FEED_POSTS] if p.date is not None]
    home = absolute(config, "")
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {f"{{{XML_NS}}}lang": config.language})
    _text(feed, "title", config.title)
    if config.description:
        _text(feed, "subtitle", config.description)
    _link(feed, home, "alternate", "text/html")
    _link(feed, absolute(config, ATOM), "self", "application/atom+xml")
    _text(feed, "id", home)
    dates = [_aware(d) for d in (_changed(p) for p in shown) if d is not None]
    _text(feed, "updated", _stamp(max(dates) if dates else dt.date(1970, 1, 1)))
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    _text(author, "name", config.author or config.title)
    _text(feed, "generator", "xint-site")
    for post in shown:
        url = absolute(config, post.path)
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry", {f"{{{XML_NS}}}base": url})
        _text(entry, "title", post.title)
        _link(entry, url, "alternate", "text/html")
        _text(entry, "id", url)
        assert post.date is not None
        _text(entry, "published", _stamp(post.date))
        _text(entry, "updated", _stamp(_changed(post) or post.date))
        if post.author and post.author != config.author:
            _text(ET.SubElement(entry, f"{{{ATOM_NS}}}author"), "name", post.author)
        for term in (*post.categories, *post.tags):
            ET.SubElement(entry, f"{{{ATOM_NS}}}category", {"term": term})
        if post.excerpt_html:
            summary = _text(entry, "summary", post.excerpt_html)
            summary.set("type", "html")
    return _document(feed)


def sitemap(config: SiteConfig, entries: Iterable[Entry], listings: Iterable[str]) -> bytes:
    """Every page (with its last change when it has a date) and every listing, by URL."""
    ET.register_namespace("", SITEMAP_NS)
    urls: dict[str, str | None] = {absolute(config, path): None for path in listings}
    for entry in entries:
        changed = _changed(entry)
        urls[absolute(config, entry.path)] = _stamp(changed) if changed else None
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for url in sorted(urls):
        item = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(item, f"{{{SITEMAP_NS}}}loc").text = url
        if urls[url]:
            ET.SubElement(item, f"{{{SITEMAP_NS}}}lastmod").text = urls[url]
    return _document(root)


def site_feeds(
    config: SiteConfig,
    entries: Mapping[str, Entry],
    posts: Sequence[str],
    pages: Iterable[str],
    listings: Iterable[str],
    taken: Iterable[str],
) -> dict[str, bytes]:
    """The feed files of the site, by output path: none without ``url``; a name the
    site's own files take (``taken``) is left to them. ``posts`` (newest first) and
    ``pages`` are source paths: each entry is read once, only when there are feeds
    (a build keeps its entries on disk)."""
    if not feeds_enabled(config):
        return {}
    files = {SITEMAP: sitemap(config, (entries[rel] for rel in pages), listings)}
    if posts:
        files[ATOM] = atom_feed(config, [entries[rel] for rel in posts[:FEED_POSTS]])
    return {name: data for name, data in files.items() if name not in set(taken)}


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}")
    element.text = text
    return element


def _link(parent: ET.Element, url: str, rel: str, kind: str) -> None:
    ET.SubElement(parent, f"{{{ATOM_NS}}}link", {"href": url, "rel": rel, "type": kind})


def _document(root: ET.Element) -> bytes:
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
