"""Parsing feed bytes with feedparser."""

import subprocess
import sys

import pytest

from feeds.parse import NotAFeedError, html_to_text, parse_feed
from pipeline.demo.sampleweb import ATOM_ARTICLES, MISSING, RSS_ARTICLES, atom_feed, rss_feed

BASE = "http://blog.example"


def test_rss_entries_carry_their_hints():
    feed = parse_feed(rss_feed(BASE, [*RSS_ARTICLES, MISSING]).encode(), f"{BASE}/feed.xml")
    assert feed.version == "rss20" and feed.bozo is None
    assert [e.link for e in feed.entries][-1] == f"{BASE}/blog/{MISSING['slug']}/"
    hints = feed.entries[-1].hints
    assert hints.title == MISSING["title"]
    assert hints.summary == MISSING["summary"]  # the <p> markup is gone
    assert hints.published == MISSING["date"]
    assert hints.author == MISSING["author"]
    assert hints.categories == ["Product Operations"]


def test_atom_relative_links_are_resolved():
    feed = parse_feed(atom_feed(BASE, ATOM_ARTICLES).encode(), f"{BASE}/atom.xml")
    assert feed.version == "atom10"
    assert [e.link for e in feed.entries] == [f"{BASE}/blog/{a['slug']}/" for a in ATOM_ARTICLES]


def test_html_instead_of_a_feed_is_a_clear_error():
    with pytest.raises(NotAFeedError, match="is an HTML page, not a feed"):
        parse_feed(b"<!DOCTYPE html><html><body>Hello</body></html>", f"{BASE}/feed")


def test_malformed_feed_keeps_its_entries_and_reports_the_flag():
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T & Co</title>'
        b"<item><title>One</title><link>http://blog.example/1</link></item></channel></rss>"
    )
    feed = parse_feed(body, f"{BASE}/feed.xml")
    assert [e.link for e in feed.entries] == ["http://blog.example/1"]
    assert feed.bozo


def test_entries_without_http_links_are_skipped():
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Bad</title><link>javascript:alert(1)</link></item>"
        b"<item><title>Good</title><link>/ok</link></item></channel></rss>"
    )
    feed = parse_feed(body, f"{BASE}/feed.xml")
    assert [e.link for e in feed.entries] == [f"{BASE}/ok"]
    assert feed.skipped == 1


def test_html_to_text():
    assert html_to_text("<p>Hello <b>product</b>\n ops</p>") == "Hello product ops"
    assert html_to_text("") == ""


def test_json_feed():
    import json

    body = json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "J", "home_page_url": f"{BASE}/",
        "items": [
            {"id": "1", "url": "/a", "title": "A", "content_html": "<p>Hi <b>there</b></p>",
             "date_published": "2026-01-02T03:04:05+01:00", "authors": [{"name": "Z"}], "tags": ["ops"]},
            {"id": "2", "title": "No link"},
            {"id": "https://blog.example/c", "title": "Id is the link"},
        ],
    }).encode()
    feed = parse_feed(body, f"{BASE}/feed.json")
    assert feed.version == "json1.1"
    assert [e.link for e in feed.entries] == [f"{BASE}/a", "https://blog.example/c"]
    first = feed.entries[0].hints
    assert (first.content, first.author, first.published, first.categories) == (
        "Hi there", "Z", "2026-01-02T02:04:05Z", ["ops"])
    assert feed.skipped == 1


def test_json_that_is_not_a_feed():
    with pytest.raises(NotAFeedError, match="not a JSON Feed"):
        parse_feed(b'{"hello": "world"}', f"{BASE}/api")


def test_html_written_by_strangers_is_kept_as_text_only():
    body = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
    <entry><title type="html">&lt;img src=x onerror=alert(1)&gt;Launch &amp;amp; learn</title>
    <link href="https://example.org/a"/><id>a</id><author><name>&lt;b&gt;Ann&lt;/b&gt;</name></author>
    <summary type="html">&lt;p&gt;Read&lt;script&gt;alert(2)&lt;/script&gt;&lt;/p&gt;&lt;p&gt;this&lt;/p&gt;</summary>
    <content type="html">&lt;style&gt;body{}&lt;/style&gt;&lt;div onclick="x()"&gt;Body&lt;/div&gt;</content>
    </entry></feed>"""
    hints = parse_feed(body, "https://example.org/feed").entries[0].hints
    assert hints.title == "Launch & learn"
    assert hints.summary == "Read this"
    assert hints.content == "Body"
    fields = " ".join(filter(None, [hints.title, hints.summary, hints.content, hints.author]))
    assert "<" not in fields and "alert" not in fields and "body{}" not in fields


def test_a_feed_served_as_a_gzip_file_is_read():
    import gzip

    raw = rss_feed("http://example.org", RSS_ARTICLES).encode()
    assert len(parse_feed(gzip.compress(raw), "https://example.org/feed.xml.gz").entries) == len(RSS_ARTICLES)
    with pytest.raises(NotAFeedError, match="broken gzip"):
        parse_feed(gzip.compress(raw)[:40], "https://example.org/feed.xml.gz")


def test_a_body_that_names_a_local_file_is_not_read_as_that_file(tmp_path):
    # feedparser.parse() opens a string that names an existing file: a server answering
    # with a local path would have that file stored as its feed.
    local = tmp_path / "local.xml"
    local.write_bytes(rss_feed("http://local.invalid", RSS_ARTICLES).encode())
    with pytest.raises(NotAFeedError, match="not a feed"):
        parse_feed(str(local).encode(), f"{BASE}/feed")


def test_a_body_naming_dev_zero_is_refused_without_reading_it():
    # Run in a child process whose address space is capped: read as a path, /dev/zero would
    # grow without end (2.6 GB in 6.5 s), and the cap turns that into a failure, not a
    # machine out of memory.
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "from feeds.parse import NotAFeedError, parse_feed\n"
            "try:\n"
            "    parse_feed(b'/dev/zero', 'http://example.org/feed')\n"
            "except NotAFeedError as error:\n"
            "    print('refused:', error)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "refused:" in result.stdout and "not a feed" in result.stdout, result.stdout
