"""Parsing feed bytes with feedparser."""

import subprocess
import sys

import pytest

from feeds.feed_text import html_to_text
from feeds.parse import NotAFeedError, parse_feed
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


def test_a_json_feed_with_other_values_where_strings_belong_keeps_its_entries():
    import json

    body = json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": {"en": "J"}, "home_page_url": f"{BASE}/",
        "items": [{"id": "1", "url": "/a", "title": {"text": "A"}, "summary": ["s"], "content_text": 7,
                   "content_html": "<p>Body</p>", "authors": [{"name": 42}, {"name": "Z"}]},
                  {"id": "2", "url": "/b", "title": "B", "authors": {"name": "not a list"}}],
    }).encode()
    feed = parse_feed(body, f"{BASE}/feed.json")
    first, second = (entry.hints for entry in feed.entries)
    assert feed.title is None and (first.title, first.summary, first.content, first.author) == (None, None, "Body", "Z")
    assert (second.title, second.author) == ("B", None)


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


# A feed whose only charset declaration is the HTTP header: no XML declaration, no BOM.
CYRILLIC_RSS = ("<rss version=\"2.0\"><channel><title>Продуктовые операции</title>"
                "<item><title>Как мы считаем метрики</title><link>http://blog.example/1</link>"
                "<description>Команда продукта собирает данные каждую неделю.</description></item>"
                "</channel></rss>")


def test_the_http_charset_is_how_a_feed_without_a_declaration_is_read():
    feed = parse_feed(CYRILLIC_RSS.encode("windows-1251"), f"{BASE}/feed",
                      "application/rss+xml; charset=windows-1251")
    assert feed.title == "Продуктовые операции"
    assert feed.entries[0].hints.summary == "Команда продукта собирает данные каждую неделю."
    assert (feed.bozo, feed.encoding) == (None, "windows-1251")


def test_utf8_is_read_as_utf8_whatever_the_http_charset_says():
    # Servers label UTF-8 feeds ISO-8859-1 (a common default); the bytes say otherwise.
    feed = parse_feed(CYRILLIC_RSS.encode(), f"{BASE}/feed", "text/xml; charset=ISO-8859-1")
    assert feed.title == "Продуктовые операции"
    assert (feed.bozo, feed.encoding) == (None, "utf-8")


def test_utf8_served_as_text_xml_without_a_charset_is_not_malformed():
    # RFC 3023 made that US-ASCII; RFC 7303 reads it by its bytes, and so do we.
    feed = parse_feed(CYRILLIC_RSS.encode(), f"{BASE}/feed", "text/xml")
    assert feed.title == "Продуктовые операции" and feed.bozo is None


def test_a_feed_in_an_undeclared_legacy_encoding_is_detected_and_flagged():
    body = ("<rss version=\"2.0\"><channel><title>產品運營週報</title><item><title>我們如何衡量產品的成功</title>"
            "<link>http://blog.example/1</link><description>每週一次，團隊整理客戶的回饋並更新路線圖。"
            "</description></item></channel></rss>").encode("big5")
    feed = parse_feed(body, f"{BASE}/feed")
    assert feed.title == "產品運營週報"
    assert feed.entries[0].hints.title == "我們如何衡量產品的成功"
    assert feed.encoding == "big5"
    assert feed.bozo == "CharacterEncodingOverride: no encoding declared, and not UTF-8; read as big5"


def test_a_feed_whose_charset_is_only_in_the_http_header_is_read_right_in_a_crawl(tmp_path):
    """A real crawl: the feed's charset (windows-1251) and its pages' (iso-8859-7) are
    declared only by the HTTP header; the stored titles and text are right, and no
    'malformed feed' warning is raised."""
    import sqlite_utils
    from conftest import FAST, run_prodops, write_sources

    from pipeline.config.sources import Source
    from pipeline.demo.webserver import Route, StaticWeb

    greek_paragraph = ("Η ομάδα προϊόντος συγκεντρώνει κάθε εβδομάδα τα σχόλια των πελατών, τα ταξινομεί "
                       "ανά θέμα και ενημερώνει τον οδικό χάρτη με όσα έμαθε από τις συνεντεύξεις. ") * 4
    page = (f"<html><head><title>Λειτουργίες προϊόντος στην πράξη</title></head><body><article>"
            f"<h1>Λειτουργίες προϊόντος στην πράξη</h1><p>{greek_paragraph}</p><p>{greek_paragraph}</p>"
            f"</article></body></html>").encode("iso-8859-7")
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"),
                     "/greek": Route(page, "text/html; charset=iso-8859-7")})
    with web:
        feeds = {
            "/pages": [("Греческая статья", "/greek")],  # its page is fetched and read
            "/hints": [("Как мы считаем метрики", "/never-fetched")],  # fetch_pages: False
        }
        for path, items in feeds.items():
            entries = "".join(f"<item><title>{title}</title><link>{web.base_url}{link}</link>"
                              f"<description>Команда продукта собирает данные.</description></item>"
                              for title, link in items)
            body = f'<rss version="2.0"><channel><title>Блог</title>{entries}</channel></rss>'
            web.routes[path] = Route(body.encode("windows-1251"), "application/rss+xml; charset=windows-1251")
        sources = write_sources(tmp_path / "s.yaml", [
            Source("pages", "Pages", "feed", f"{web.base_url}/pages"),
            Source("hints", "Hints", "feed", f"{web.base_url}/hints", settings={"fetch_pages": False})])
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / "c.db"),
                             "--allow-private-network", *FAST)
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(tmp_path / "c.db")
    documents = {row["source_id"]: row for row in db["documents"].rows}
    assert documents["pages"]["title"] == "Греческая статья"  # the feed's title for its entry
    assert "συγκεντρώνει κάθε εβδομάδα τα σχόλια των πελατών" in documents["pages"]["text"]
    assert documents["hints"]["title"] == "Как мы считаем метрики"
    assert "Команда продукта собирает данные." in (documents["hints"]["text"] or documents["hints"]["description"])
    assert [source["last_warning"] for source in db["sources"].rows] == [None, None]
    assert "malformed feed" not in result.stdout + result.stderr


def test_an_entry_whose_link_urllib_cannot_take_apart_is_skipped_and_the_others_kept():
    items = "".join(f"<item><title>{title}</title><link>{link}</link></item>" for title, link in (
        ("bad port", "http://example.com:99999/x"), ("open bracket", "http://[::1"), ("good", "https://example.com/ok")))
    feed = parse_feed(f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>".encode(),
                      "https://example.com/feed")
    assert [entry.link for entry in feed.entries] == ["https://example.com/ok"] and feed.skipped == 2


def test_character_references_in_a_field_of_html_are_decoded_even_without_a_tag():
    """WordPress's Atom titles are of type html and feedparser hands them on as written:
    "Publish in &#8220;Nature&#8221;" was stored so. A plain-text field keeps its ampersand."""
    body = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title><id>{BASE}/</id><updated>2026-01-02T00:00:00Z</updated>
<entry><title type="html"><![CDATA[Publish in &#8220;Nature&#8221;: don&#8217;t]]></title>
<link href="{BASE}/a"/><id>{BASE}/a</id><updated>2026-01-02T00:00:00Z</updated>
<summary type="html">Davey &amp;amp; Co &amp;rsquo;s view</summary></entry>
<entry><title type="text">AT&amp;T &amp;lt;3 plain</title><link href="{BASE}/b"/><id>{BASE}/b</id>
<updated>2026-01-02T00:00:00Z</updated></entry></feed>"""
    first, second = parse_feed(body.encode(), f"{BASE}/atom.xml").entries
    assert first.hints.title == "Publish in \u201cNature\u201d: don\u2019t"
    assert first.hints.summary == "Davey & Co \u2019s view"
    assert second.hints.title == "AT&T &lt;3 plain"


def test_a_placeholder_for_no_date_is_no_date():
    """"Mon, 01 Jan 0001 00:00:00 +0000" (a generator's empty date) was stored as
    '1-01-01T00:00:00Z' while the year said 2026; the Unix epoch is another such placeholder."""
    dates = ["Mon, 01 Jan 0001 00:00:00 +0000", "Thu, 01 Jan 1970 00:00:00 +0000", "Tue, 02 Jun 2026 09:30:00 +0000"]
    items = "".join(f"<item><title>T{n}</title><link>{BASE}/{n}</link><pubDate>{d}</pubDate></item>"
                    for n, d in enumerate(dates))
    body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>B</title><link>{BASE}/</link>'
            f"{items}</channel></rss>")
    assert [e.hints.published for e in parse_feed(body.encode(), f"{BASE}/feed.xml").entries] == [
        None, None, "2026-06-02T09:30:00Z"]
    from feeds.dates import parse_datetime
    assert parse_datetime("0001-01-01T00:00:00Z") is None and parse_datetime("1970-01-01T00:00:00Z") is None
    assert parse_datetime("1975-03-01") is not None  # an old book's date is a date


def test_a_malformed_feed_with_no_entry_read_is_not_a_feed():
    """A real feed broken before its first entry ("<?xml?xml ...", an attribute without its
    quotes) was marked ok with "read 0 entries anyway": its source never failed."""
    body = (b'<?xml?xml version="1.0" encoding="UTF-8" ??>\n<rss rss:version=2.0>\n<rss:channel>\n'
            b"<rss:title>B</rss:title><rss:item><rss:title>T</rss:title><rss:link>http://blog.example/a</rss:link>"
            b"</rss:item></rss:channel></rss>")
    with pytest.raises(NotAFeedError, match="a malformed feed, and not one entry could be read from it"):
        parse_feed(body, f"{BASE}/feed.xml")
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>A new blog</title></channel></rss>'
    assert parse_feed(empty, f"{BASE}/feed.xml").entries == []  # well-formed and empty: fine


# An entry's author elements -> the author stored: names, never addresses (feedparser's
# `author` reads "alex@blackie.ca (Alex Blackie)" and "Herman Sheephouse (noreply@blogger.com)").
RSS_AUTHORS = {
    "<author>alex@blackie.ca (Alex Blackie)</author>": "Alex Blackie",  # RSS 2.0: an address, the name after it
    "<dc:creator>Jane Roe</dc:creator><dc:creator>Bo Li</dc:creator>": "Jane Roe, Bo Li",  # feedparser kept "Bo Li"
    "<dc:creator>Jane Roe</dc:creator>": "Jane Roe",
    "<author>jane@example.com</author>": None,  # an address alone names no one
}
ATOM_AUTHORS = {
    "<author><name>Herman Sheephouse</name><email>noreply@blogger.com</email></author>": "Herman Sheephouse",
    "<author><name>herman</name><email>hidden</email></author>": "herman",  # Bear Blog's
    "<author><name>A. Writer</name></author><author><name>B. Editor</name><email>b@x.org</email></author>":
        "A. Writer, B. Editor",
}


@pytest.mark.parametrize("elements, expected", RSS_AUTHORS.items())
def test_rss_authors_are_names_without_addresses(elements, expected):
    body = ('<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title>'
            f"<item><link>https://example.org/a</link>{elements}</item></channel></rss>").encode()
    assert parse_feed(body, "https://example.org/feed").entries[0].hints.author == expected


@pytest.mark.parametrize("elements, expected", ATOM_AUTHORS.items())
def test_atom_authors_are_names_without_addresses(elements, expected):
    body = ('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            f'<entry><link href="https://example.org/a"/><id>a</id>{elements}</entry></feed>').encode()
    assert parse_feed(body, "https://example.org/feed").entries[0].hints.author == expected


# A plain-text field escaped twice by its publisher -> what is stored.
TWICE_ESCAPED = {
    '<title type="text">Re&amp;colon; Double-entry accounting</title>': ("title", "Re: Double-entry accounting"),
    '<summary type="text">In the last weeks&amp;nbsp;/ months, Smell &amp;amp; Tell</summary>':
        ("summary", "In the last weeks / months, Smell & Tell"),  # Blogger's
    "<author><name>Emily Mazo,&amp;nbsp;JS Tan</name></author>": ("author", "Emily Mazo, JS Tan"),  # WordPress's
    '<title type="text">Why &amp;lt;div&amp;gt; and a&amp;para=1</title>': ("title", "Why &lt;div&gt; and a&para=1"),
}


@pytest.mark.parametrize("element, expected", TWICE_ESCAPED.items())
def test_character_references_left_in_plain_text_are_decoded(element, expected):
    """…except those that would make a tag, and "&para" without its semicolon (a query's)."""
    body = ('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            f'<entry><link href="https://example.org/a"/><id>a</id>{element}</entry></feed>').encode()
    field, value = expected
    assert getattr(parse_feed(body, "https://example.org/feed").entries[0].hints, field) == value


def test_a_sitemaps_lastmod_in_every_form_the_protocol_and_generators_write():
    """W3C Datetime's year and year-month, which the sitemaps protocol allows, and RFC 822
    dates, which some generators write, are read (they were None: such pages sorted last);
    a year, a month or a day alone as its last second where it ends last (UTC-12), so that a
    page changed in it is not taken as unchanged since a crawl earlier in it (a day alone was
    its first second in UTC); "no date" placeholders stay None."""
    from feeds.dates import parse_datetime
    from feeds.sitemaps import parse_sitemap

    written = {"2005": "2006-01-01T11:59:59Z", "2005-07": "2005-08-01T11:59:59Z",
               "2005-07-16": "2005-07-17T11:59:59Z", "2024-02-29": "2024-03-01T11:59:59Z",
               "2005-07-16T19:20+01:00": "2005-07-16T18:20:00Z",
               "Sat, 16 Jul 2005 19:20:30 GMT": "2005-07-16T19:20:30Z",
               "Sat, 16 Jul 2005 19:20:30 +0100": "2005-07-16T18:20:30Z",
               "Mon, 01 Jan 0001 00:00:00 +0000": None, "2005-13": None, "Sat, 99 Jul 2005": None, "soon": None,
               "2023-02-29": None, "1970-01-01": None, "0000": None}
    urls = "".join(f"<url><loc>{BASE}/{n}</loc><lastmod>{value}</lastmod></url>" for n, value in enumerate(written))
    body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    entries = parse_sitemap(body.encode(), f"{BASE}/sitemap.xml").entries
    read = [entry.lastmod.strftime("%Y-%m-%dT%H:%M:%SZ") if entry.lastmod else None for entry in entries]
    assert read == list(written.values())
    assert parse_datetime("Thu, 01 Jan 1970 00:00:00 GMT") is None
    assert parse_datetime("2005-07").isoformat() == "2005-07-01T00:00:00+00:00"  # a published date: its start


def test_each_sitemap_entry_is_what_its_own_element_says():
    """A <sitemap> inside a <urlset> is a sitemap to read and a <url> inside a <sitemapindex>
    a page, whatever the root's name; entries of neither name are what the root lists."""
    from feeds.sitemaps import parse_sitemap

    namespace = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    mixed = (f'<urlset {namespace}><url><loc>{BASE}/a</loc></url><sitemap><loc>{BASE}/more.xml</loc></sitemap>'
             "</urlset>")
    index = (f'<sitemapindex {namespace}><sitemap><loc>{BASE}/s1.xml</loc></sitemap><url><loc>{BASE}/b</loc></url>'
             f"<sitemap>{BASE}/s2.xml</sitemap></sitemapindex>")
    read = {body: [(entry.url.removeprefix(BASE), entry.is_sitemap)
                   for entry in parse_sitemap(body.encode(), f"{BASE}/sitemap.xml").entries]
            for body in (mixed, index)}
    assert read[mixed] == [("/a", False), ("/more.xml", True)]
    assert read[index] == [("/s1.xml", True), ("/b", False), ("/s2.xml", True)]


# An entry's HTML summary -> what is kept: what blog software appends instead of the entry's
# words goes (feeds.boilerplate), a "…" that says the excerpt is cut stays.
ENDINGS = {
    # WordPress.com's more-link, as 5 of the 112 real feeds write it
    'the group &#8230; <a href="https://b.example/p/" class="more-link">Continue reading '
    '<span class="screen-reader-text">The Keep &#8211; Session&#160;157</span> '
    '<span class="meta-nav">&#8594;</span></a>':
        "the group \u2026",
    'able to do things it ... <a class="read-more" href="https://b.example/?p=1810">Read more</a>':  # pagetable.com
        "able to do things it ...",
    "<p>I first read...</p><p><a class=\"more-link\" href=\"https://b.example/p\">Continue Reading</a></p>":
        "I first read...",
    # Yoast SEO's footer, after the excerpt's own more-link (Bravely She Blogs)
    'I replied in a&#8230; <a href="https://b.example/p">Continue Reading</a><p>The post '
    '<a href="https://b.example/p">F29 Challenge 3/29</a> appeared first on <a href="https://b.example">Bravely</a>.</p>':
        "I replied in a\u2026",
    '<p>The post <a href="https://b.example/p">Zine</a> appeared first on <a href="https://b.example">Tech</a>.</p>':
        None,
    # a link whose words say where it goes, and one inside a sentence, are the writer's
    'Read more about <a href="/coldstarts/">Cold Starts in AWS Lambda</a>.':
        "Read more about Cold Starts in AWS Lambda.",
    '<p>You can <a href="/docs">read more</a> in the docs.</p>': "You can read more in the docs.",
    "<p>The post office appeared first on the map.</p><p>Then it moved.</p>":
        "The post office appeared first on the map. Then it moved.",
}


@pytest.mark.parametrize("html, expected", ENDINGS.items())
def test_what_blog_software_appends_to_an_entry_is_not_its_summary_or_content(html, expected):
    body = ('<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>'
            f"<item><link>https://b.example/p</link><description><![CDATA[{html}]]></description>"
            f"<content:encoded><![CDATA[<p>Body.</p>{html}]]></content:encoded></item></channel></rss>").encode()
    hints = parse_feed(body, "https://b.example/feed").entries[0].hints
    assert hints.summary == expected
    assert hints.content == " ".join(filter(None, ["Body.", expected]))


# An Atom feed's and its entry's elements -> the entry's author and, where it has none, its
# feed's (RFC 4287, 4.2.1), which is the page byline's fallback: a feed's author may be its site.
FEED_AUTHORS = {
    ("<author><name>Stu Robson</name><email>hi@sturobson.com</email></author>", ""): (None, "Stu Robson"),
    ("<author><name>Mikhail Shilkov</name></author>", "<author><name>A Guest</name></author>"): ("A Guest", None),
    ("<author><name>Planet</name></author>", "<source><title>s</title><author><name>Jiri</name></author></source>"):
        ("Jiri", None),
    ("", ""): (None, None),
}


@pytest.mark.parametrize("feed_elements, entry_elements", FEED_AUTHORS)
def test_an_atom_entry_without_an_author_has_its_feeds(feed_elements, entry_elements):
    body = (f'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>{feed_elements}'
            f'<entry><link href="https://example.org/a"/><id>a</id>{entry_elements}</entry></feed>').encode()
    hints = parse_feed(body, "https://example.org/feed").entries[0].hints
    assert (hints.author, hints.feed_author) == FEED_AUTHORS[feed_elements, entry_elements]


def test_an_rss_channels_editor_is_not_its_items_author():
    body = (b'<rss version="2.0"><channel><title>t</title><managingEditor>apps.support@news.example (Apps Support)'
            b"</managingEditor><item><link>https://news.example/a</link></item></channel></rss>")
    assert parse_feed(body, "https://news.example/feed").entries[0].hints.author is None


# An item's media elements -> its enclosures' media types.
MEDIA = {
    # EL PAÍS's videos: a Media RSS <media:content> and no <enclosure>
    '<media:content url="https://v.example/1.mp4" type="video/mp4" medium="video"/>': ["video/mp4"],
    '<media:content url="https://i.example/1.jpg" type="image/jpeg" medium="image"/>': [],  # the post's picture
    # YouTube's Atom entries: the player, not the video
    '<media:group><media:content url="https://www.youtube.com/v/x" type="application/x-shockwave-flash"/>'
    "</media:group>": [],
    '<enclosure url="https://a.example/1.mp3" type="audio/mpeg" length="1"/>'
    '<media:content url="https://a.example/1.mp3" type="audio/mpeg"/>': ["audio/mpeg"],  # one file, named twice
}


@pytest.mark.parametrize("elements, expected", MEDIA.items())
def test_audio_and_video_given_as_media_content_are_enclosures(elements, expected):
    body = ('<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>t</title>'
            f"<item><link>https://example.org/a</link>{elements}</item></channel></rss>").encode()
    assert parse_feed(body, "https://example.org/feed").entries[0].hints.enclosures == expected


@pytest.mark.parametrize("description", ["null", "undefined"])
def test_a_generators_printed_nothing_is_no_summary(description):
    body = (f"<rss version='2.0'><channel><title>t</title><item><link>https://example.org/a</link>"
            f"<description>{description}</description></item></channel></rss>").encode()
    assert parse_feed(body, "https://example.org/feed").entries[0].hints.summary is None


def test_a_json_feeds_own_authors_are_its_items_fallback():
    """JSON Feed 1.1: an item without authors has the feed's, a fallback as an Atom feed's is."""
    import json

    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J", "authors": [{"name": "Ana Ruiz"}],
                       "items": [{"id": "1", "url": f"{BASE}/a", "content_text": "x"},
                                 {"id": "2", "url": f"{BASE}/b", "content_text": "y", "authors": [{"name": "Bo"}]}]})
    hints = [entry.hints for entry in parse_feed(body.encode(), f"{BASE}/feed.json").entries]
    assert [(h.author, h.feed_author) for h in hints] == [(None, "Ana Ruiz"), ("Bo", None)]


def test_an_enclosure_without_its_type_has_the_one_its_files_name_says():
    body = (b'<rss version="2.0"><channel><title>t</title><item><link>https://example.org/a</link>'
            b'<enclosure url="https://cdn.example.org/ep-12.mp3" length="1"/></item>'
            b'<item><link>https://example.org/b</link><enclosure url="https://cdn.example.org/play?id=9"/></item>'
            b"</channel></rss>")
    assert [entry.hints.enclosures for entry in parse_feed(body, "https://example.org/feed").entries] == [
        ["audio/mpeg"], []]
