"""atom.xml and sitemap.xml of a built site, read back with an XML parser: the elements
Atom and the sitemap protocol require, absolute URLs from ``url``, none without it."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_cli

pytestmark = pytest.mark.slow

A = "{http://www.w3.org/2005/Atom}"
S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XML = "{http://www.w3.org/XML/1998/namespace}"
URL = "https://example.org/blog/"


def post(title: str, date: str, more: str = "", body: str = "Text of the post.") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n{more}---\n{body}\n"


def build(root: Path, config: str, files: dict[str, str]) -> Path:
    content = root / "content"
    content.mkdir()
    (content / "xint.yml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        (content / name).write_text(text, encoding="utf-8")
    out = root / "out"
    result = run_cli("build", content, "-o", out, "--no-execute")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return out


SITE = {
    "old.md": post("Old & first", "2020-01-02 03:04:05", "tags: [深度学习, a b]\n"),
    "new.md": post(
        "新的文章",
        "2021-05-04T16:44:49+08:00",
        "updated: 2021-06-01\ncategories: [notes]\nauthor: Someone Else\n",
        "Intro with a [link](#part) and <b>bold</b>.\n\n<!-- more -->\n\n## Part\n\nMore.",
    ),
    "about.md": "---\ntitle: About\n---\nNo date: a page, not a post.\n",
}


def rfc3339(text: str) -> dt.datetime:
    when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert when.tzinfo is not None, text  # Atom dates carry a zone
    return when


def test_the_atom_feed_has_what_atom_requires_with_absolute_urls(tmp_path: Path) -> None:
    out = build(tmp_path, f"title: Blog\nauthor: Me\nlanguage: zh-CN\nurl: {URL}\n", SITE)
    feed = ET.parse(out / "atom.xml").getroot()
    assert feed.tag == f"{A}feed" and feed.get(f"{XML}lang") == "zh-CN"
    assert feed.findtext(f"{A}title") == "Blog"
    assert feed.findtext(f"{A}id") == URL
    assert feed.findtext(f"{A}author/{A}name") == "Me"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert links == {"alternate": URL, "self": URL + "atom.xml"}
    entries = feed.findall(f"{A}entry")
    assert [e.findtext(f"{A}title") for e in entries] == ["新的文章", "Old & first"]  # newest first
    for entry in entries:
        for required in ("id", "title", "updated", "summary"):
            assert entry.findtext(f"{A}{required}"), required
        url = entry.findtext(f"{A}id")
        assert urlsplit(url).scheme == "https" and url.startswith(URL)
        assert entry.find(f"{A}link").get("href") == url
        assert entry.get(f"{XML}base") == url  # the excerpt's #links stay in the post
        assert entry.find(f"{A}summary").get("type") == "html"
    new, old = entries
    assert new.findtext(f"{A}id") == URL + "2021/05/04/new/"
    assert rfc3339(new.findtext(f"{A}published")) == dt.datetime(
        2021, 5, 4, 16, 44, 49, tzinfo=dt.timezone(dt.timedelta(hours=8))
    )
    assert rfc3339(new.findtext(f"{A}updated")).date() == dt.date(2021, 6, 1)
    assert new.findtext(f"{A}author/{A}name") == "Someone Else"
    assert "<b>bold</b>" in new.findtext(f"{A}summary")  # the excerpt as HTML
    assert "More." not in new.findtext(f"{A}summary")  # only what comes before <!-- more -->
    assert rfc3339(old.findtext(f"{A}updated")) == dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert {c.get("term") for c in old.findall(f"{A}category")} == {"深度学习", "a b"}
    assert rfc3339(feed.findtext(f"{A}updated")).date() == dt.date(2021, 6, 1)  # the latest
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    alternate = home.select_one('link[rel="alternate"][type="application/atom+xml"]')
    assert alternate is not None and alternate["href"] == "/blog/atom.xml"


def test_the_sitemap_lists_every_page_and_listing_by_absolute_url(tmp_path: Path) -> None:
    out = build(tmp_path, f"title: Blog\nurl: {URL}\n", SITE)
    urlset = ET.parse(out / "sitemap.xml").getroot()
    assert urlset.tag == f"{S}urlset"
    urls = {u.findtext(f"{S}loc"): u.findtext(f"{S}lastmod") for u in urlset.findall(f"{S}url")}
    assert all(urlsplit(u).scheme == "https" and u.startswith(URL) for u in urls)
    pages = {
        URL,
        URL + "2020/01/02/old/",
        URL + "2021/05/04/new/",
        URL + "about/",
        URL + "tags/",
        URL + "categories/",
        URL + "tags/%E6%B7%B1%E5%BA%A6%E5%AD%A6%E4%B9%A0/",  # 深度学习, percent-encoded
        URL + "tags/a-b/",
        URL + "categories/notes/",
    }
    assert pages <= set(urls)
    assert not any("404" in u for u in urls)
    for url in urls:  # every URL is a file of the site
        rel = unquote(url.removeprefix(URL))
        assert (out / rel / "index.html").is_file() or (out / rel).is_file(), url
    assert urls[URL + "about/"] is None  # no date: no lastmod
    assert rfc3339(urls[URL + "2021/05/04/new/"]).date() == dt.date(2021, 6, 1)


def test_without_url_there_are_no_feeds(tmp_path: Path) -> None:
    out = build(tmp_path, "title: Blog\n", SITE)
    assert not (out / "atom.xml").exists() and not (out / "sitemap.xml").exists()
    assert 'type="application/atom+xml"' not in (out / "index.html").read_text(encoding="utf-8")


def test_a_site_without_posts_has_a_sitemap_and_no_feed(tmp_path: Path) -> None:
    out = build(tmp_path, f"url: {URL}\n", {"about.md": SITE["about.md"]})
    assert not (out / "atom.xml").exists()
    urls = [u.findtext(f"{S}loc") for u in ET.parse(out / "sitemap.xml").getroot()]
    assert URL + "about/" in urls


def test_a_file_of_the_sites_own_is_copied_instead(tmp_path: Path) -> None:
    own = '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'
    out = build(tmp_path, f"url: {URL}\n", {**SITE, "sitemap.xml": own})
    assert (out / "sitemap.xml").read_text(encoding="utf-8") == own
    assert (out / "atom.xml").is_file()
    assert (tmp_path / "content" / "sitemap.xml").read_text(encoding="utf-8") == own
