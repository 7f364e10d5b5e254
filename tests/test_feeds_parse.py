"""Parsing feed bytes with feedparser."""

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
