"""Real-world files written by other projects (../shared/corpora): every one is read
without a crash, and the expectations the files state hold. Skipped when the folder is
absent (someone who cloned only the project)."""

from __future__ import annotations

import codecs
import datetime
import functools
import re
import time
from collections import Counter
from dataclasses import dataclass

import feedparser
import pytest
from conftest import CORPORA

from feeds.parse import NotAFeedError, ParsedFeed, parse_feed
from feeds.sitemaps import NotASitemapError, parse_sitemap
from pipeline.understand.pdf import PdfError, extract_pdf

pytestmark = pytest.mark.skipif(not CORPORA.exists(), reason=f"{CORPORA} is absent")

FEEDPARSER = CORPORA / "feeds" / "feedparser"
# http/ tests feedparser's own HTTP client and compression/ its decompression; we fetch
# with Scrapy, so those headers never reach feedparser.
FEEDPARSER_FOLDERS = ("encoding", "illformed")
# feedparser's own test server answers application/xml unless a file says otherwise.
DEFAULT_CONTENT_TYPE = "application/xml"

# Where our reader chose differently from feedparser, on purpose: file -> why. Each case is
# asserted to still differ, so an entry cannot outlive the difference it records.
LINKLESS = ("entries without an http(s) link are skipped, not kept (an entry is kept to fetch "
            "its page), and this file's entries have none")
NOT_XML_TYPE = ("a feed served as text/plain is read, not flagged malformed: servers often send "
                "feeds with a wrong type (feeds/parse.py _malformation)")
KNOWN_DIFFERENCES = {
    "encoding/bozo_http_text_plain.xml": NOT_XML_TYPE,
    "encoding/bozo_http_text_plain_charset.xml": NOT_XML_TYPE,
    "encoding/bozo_http_i18n.xml": "valid UTF-8 served as text/xml without a charset is read as "
                                   "UTF-8, not flagged: RFC 7303 dropped RFC 3023's US-ASCII default",
    "encoding/bozo_double-encoded-html.xml": LINKLESS,
    "encoding/bozo_linenoise.xml": LINKLESS,
    "encoding/demoronize-1.xml": LINKLESS,
    "encoding/demoronize-2.xml": LINKLESS,
    "encoding/demoronize-3.xml": LINKLESS,
    "encoding/double-encoded-html.xml": LINKLESS,
    "encoding/euc-kr-attribute.xml": LINKLESS,
    "encoding/euc-kr-item.xml": LINKLESS,
    "illformed/geo/georss_point_no_coords.xml": LINKLESS + "; nor is GeoRSS kept",
    "illformed/geo/georss_polygon_insufficient_coords.xml": LINKLESS + "; nor is GeoRSS kept",
    "illformed/geo/gml_point.xml": LINKLESS + "; nor is GML kept",
}

# How the first bytes of an XML file tell the encoding of its header comment (XML 1.0,
# appendix F): longest marks first, since UTF-32's byte-order marks begin with UTF-16's.
FIRST_BYTES = (
    (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF32_LE, "utf-32"), (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"), (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_BE, "utf-16"),
    (codecs.BOM_UTF16_LE, "utf-16"), (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"), (b"\x4c\x5a", "cp037"),  # EBCDIC "<?xm" and "<!"
)


def files(folder, pattern="*"):
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and p.name not in ("LICENSE", "LICENSE.txt"))


def feedparser_cases():
    for folder in FEEDPARSER_FOLDERS:
        yield from files(FEEDPARSER / folder) if FEEDPARSER.exists() else []


def case_name(path) -> str:
    return path.relative_to(FEEDPARSER).as_posix()


@dataclass
class CorpusCase:
    """What a feedparser test file states in its header comment."""

    expectation: str | None
    content_type: str  # the whole Content-Type its server sends, as the spider passes it on
    codec: str | None  # the codec its SkipUnless asks for, if any


def read_case(data: bytes) -> CorpusCase:
    """Read a corpus file's header comment in the file's own encoding."""
    encoding = next((name for mark, name in FIRST_BYTES if data.startswith(mark)), "latin-1")
    head = data[:4096].decode(encoding, errors="ignore")
    expect = re.search(r"^\s*Expect:\s*(.*)$", head, re.M)
    headers = {k.strip().lower(): v.strip() for k, v in re.findall(r"^\s*Header:\s*([^:]+):\s*(.*)$", head, re.M)}
    # The other SkipUnless, __import__('chardet'), is about feedparser's optional detector:
    # we detect with charset-normalizer, so those files are run.
    codec = re.search(r"^\s*SkipUnless:.*lookup\('([^']+)'\)", head, re.M)
    return CorpusCase(expect.group(1).strip() if expect else None,
                      headers.get("content-type", DEFAULT_CONTENT_TYPE), codec and codec.group(1))


class SameCodec(str):
    """An encoding name equal to any spelling of the same codec ('Big5' == 'big5',
    'windows-1255' == 'cp1255'); gb2312 counts as gb18030, its superset, which feedparser
    reads it as (feedparser/encodings.py)."""

    def __eq__(self, other):
        return isinstance(other, str) and _codec(self) == _codec(other)

    __hash__ = str.__hash__


def _codec(name: str) -> str:
    name = "gb18030" if name.lower() == "gb2312" else name
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name.lower()


def feedparser_shape(feed: ParsedFeed | None, rejection: NotAFeedError | None = None) -> feedparser.FeedParserDict:
    """Our result under feedparser's names, for the corpus's expectations. A feed we reject
    is malformed by our reckoning: bozo, with no entries."""
    shape = feedparser.FeedParserDict
    if feed is None:
        return shape(bozo=1, bozo_exception=rejection, encoding=SameCodec(""), version="", feed=shape(), entries=[])
    kind, _, message = (feed.bozo or "").partition(": ")
    exception_type = getattr(feedparser, kind, None)  # our bozo names feedparser's exception
    if not (isinstance(exception_type, type) and issubclass(exception_type, Exception)):
        exception_type = Exception
    return shape(
        bozo=int(bool(feed.bozo)), bozo_exception=exception_type(message) if feed.bozo else None,
        encoding=SameCodec(feed.encoding or ""), version=feed.version, feed=shape(title=feed.title),
        entries=[shape(link=e.link, title=e.hints.title, summary=e.hints.summary, description=e.hints.summary)
                 for e in feed.entries],
    )


@functools.lru_cache(maxsize=None)
def corpus_outcome(path) -> tuple[str, str]:
    """(outcome, detail) of one corpus file read by parse_feed: "passed", "known difference",
    "failed", "skipped" (a codec this Python lacks) or "no expectation"."""
    data = path.read_bytes()
    case = read_case(data)
    if case.expectation is None:
        return "no expectation", "the file states no expectation"
    try:
        shape = feedparser_shape(parse_feed(data, f"http://127.0.0.1/{path.name}", case.content_type))
    except NotAFeedError as error:
        shape = feedparser_shape(None, error)
    scope = {"time": time, "datetime": datetime, "feedparser": feedparser}
    try:
        holds = bool(eval(case.expectation, scope, shape))  # noqa: S307 - the corpus's own expression
    except (LookupError, AttributeError, TypeError) as error:  # e.g. entries[0] of no entries
        holds, case.expectation = False, f"{case.expectation} ({type(error).__name__}: {error})"
    name = case_name(path)
    if name in KNOWN_DIFFERENCES:
        return ("failed", f"{name} now holds: remove it from KNOWN_DIFFERENCES") if holds else (
            "known difference", KNOWN_DIFFERENCES[name])
    if holds:
        return "passed", case.expectation
    if case.codec and not _has_codec(case.codec):
        return "skipped", f"Python lacks the codec {case.codec!r}"
    return "failed", f"{case.expectation} does not hold for {case.content_type}: got {dict(shape)!r:.600}"


def _has_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


@pytest.mark.parametrize("path", list(feedparser_cases()), ids=case_name)
def test_feedparser_corpus(path):
    """Each feedparser test file, read by our parse_feed with the Content-Type the spider
    would pass on, meets the expectation it states — or differs as KNOWN_DIFFERENCES says."""
    outcome, detail = corpus_outcome(path)
    if outcome == "skipped":
        pytest.skip(detail)
    assert outcome in ("passed", "known difference"), detail


def test_feedparser_corpus_summary():
    """The whole corpus in one line (run with -s to see it): nothing without an
    expectation, nothing failing, every known difference still a difference, and skips only
    for codecs this Python lacks."""
    paths = list(feedparser_cases())
    if not paths:
        pytest.skip(f"{FEEDPARSER} is absent")
    outcomes = [corpus_outcome(path) for path in paths]
    tally = Counter(outcome for outcome, _ in outcomes)
    print(f"\nfeedparser corpus through parse_feed: {len(paths)} files, " + ", ".join(
        f"{count} {outcome}" for outcome, count in sorted(tally.items())))
    assert tally["no expectation"] == 0 and tally["failed"] == 0, [
        (case_name(p), detail) for p, (outcome, detail) in zip(paths, outcomes)
        if outcome in ("failed", "no expectation")]
    assert tally["known difference"] == len(KNOWN_DIFFERENCES)
    assert all(detail.startswith("Python lacks the codec") for outcome, detail in outcomes if outcome == "skipped")
    assert tally["passed"] >= 209  # the count when this was written: 209 passed, 14 known, 15 skipped


MINIFLUX = CORPORA / "encodings" / "miniflux"
# (file, title of the feed, title of the first entry or None when no entry has a link) —
# what a reader must show.
MINIFLUX_EXPECTED = [
    ("encoding/testdata/koi8r.xml", "Пример RSS ленты", "Первая новость"),
    ("encoding/testdata/iso-8859-1.xml", "Café", None),
    ("encoding/testdata/windows-1252.xml", "Euro €", None),
    ("encoding/testdata/windows-1252-incorrect-prolog.xml", "Euro €", None),
    ("encoding/testdata/utf8-incorrect-prolog.xml", "테스트 피드", None),
    ("parser/testdata/encoding_WINDOWS-1251.xml", "iBash.Org.Ru", "Цитата #17703"),
    ("parser/testdata/urdu_UTF8.xml", "BBC News  اردو - پاکستان کے لیے امریکی امداد کی بہار و خزاں",
     "امریکی عسکری امداد کی بندش کی وجوہات: انڈیا سے جنگ، جوہری پروگرام اور اب دہشت گردوں کی پشت پناہی"),
    ("parser/testdata/large_rss.xml", "Artificial truth", "Using vale with vim"),
    # No encoding declared anywhere: detected (charset-normalizer), and flagged for it.
    ("parser/testdata/no_encoding_ISO-8859-1.xml", "Flux RSS du magazine de psychologie Le Cercle Psy",
     "Perturbateurs endocriniens : quels effets sur le cerveau ?"),
]


@pytest.mark.parametrize("name, title, first_entry", MINIFLUX_EXPECTED)
def test_feeds_in_legacy_encodings(name, title, first_entry):
    feed = parse_feed((MINIFLUX / name).read_bytes(), f"http://127.0.0.1/{name}")
    assert feed.title == title
    assert [entry.hints.title for entry in feed.entries][:1] == ([first_entry] if first_entry else [])


def test_a_feed_that_declares_no_encoding_is_detected_and_flagged():
    # Its French fits windows-1250 as well as windows-1252 on the odds; only one writes è.
    name = "parser/testdata/no_encoding_ISO-8859-1.xml"
    feed = parse_feed((MINIFLUX / name).read_bytes(), f"http://127.0.0.1/{name}")
    assert "Travail, organisations, emploi : les modèles européens" in [e.hints.title for e in feed.entries]
    assert feed.bozo == "CharacterEncodingOverride: no encoding declared, and not UTF-8; read as cp1252"


# The miniflux files that are no feed, and what the reader says about each, word for word.
MINIFLUX_NOT_FEEDS = {
    "encoding/testdata/iso-8859-1-meta-after-1024.html":
        "is an HTML page, not a feed (SAXParseException: <unknown>:12:4: not well-formed (invalid token))",
    "encoding/testdata/iso-8859-1.html":
        "is an HTML page, not a feed (SAXParseException: <unknown>:7:4: mismatched tag)",
    "encoding/testdata/utf8-meta-after-1024.html":
        "is an HTML page, not a feed (SAXParseException: <unknown>:12:4: not well-formed (invalid token))",
    "encoding/testdata/utf8.html": "is an HTML page, not a feed (SAXParseException: <unknown>:7:4: mismatched tag)",
    "xml/testdata/iso88591.xml": "is not RSS or Atom, not a feed (no entries)",
    "xml/testdata/iso88591_utf8_mismatch.xml": "is not RSS or Atom, not a feed "
                                               "(CharacterEncodingOverride: document declared as utf-8, "
                                               "but parsed as windows-1252)",
}


def test_every_miniflux_file_is_read_or_rejected():
    read, rejected = [], {}
    for path in files(MINIFLUX):
        name, url = path.relative_to(MINIFLUX).as_posix(), f"http://127.0.0.1/{path.name}"
        try:
            feed = parse_feed(path.read_bytes(), url)
        except NotAFeedError as error:
            rejected[name] = str(error).removeprefix(f"{url} ")
        else:
            read.append(name)
            assert feed.title, name
    assert rejected == MINIFLUX_NOT_FEEDS
    assert len(read) == 16


SITEMAPS = CORPORA / "sitemaps"
SITEMAP_EXPECTED = {  # file: (kind, number of URLs)
    "trafilatura/sitemap.xml": ("urlset", 84),
    "trafilatura/sitemap.xml.gz": ("urlset", 84),
    "trafilatura/sitemap2.xml": ("sitemapindex", 2),
    "crawler-commons/sitemap.index.xml": ("sitemapindex", 15),  # URLs as text, no <loc>
    "crawler-commons/sitemap.txt.gz": ("urlset", 5),
    "crawler-commons/sitemap-with-bom.txt": ("urlset", 2),
    "crawler-commons/sitemap.badns.xml": ("urlset", 2),
    "crawler-commons/atom.xml": ("urlset", 1),  # Atom used as a sitemap
    "crawler-commons/extension/sitemap-images.xml": ("urlset", 1),
}


@pytest.mark.parametrize("name, expected", SITEMAP_EXPECTED.items())
def test_sitemaps(name, expected):
    sitemap = parse_sitemap((SITEMAPS / name).read_bytes(), "https://example.com/sitemap.xml")
    assert (sitemap.kind, len(sitemap.entries)) == expected
    assert all(e.url.startswith(("http://", "https://")) for e in sitemap.entries)
    assert not any(e.url.endswith((".jpg", ".png")) for e in sitemap.entries)


def test_every_sitemap_file_is_read_or_rejected():
    """Every sitemap in the corpus is read (none is rejected), with the URLs it lists."""
    read, rejected = {}, {}
    for path in files(SITEMAPS):
        name = path.relative_to(SITEMAPS).as_posix()
        try:
            read[name] = len(parse_sitemap(path.read_bytes(), "https://example.com/sitemap.xml").entries)
        except NotASitemapError as error:
            rejected[name] = str(error)
    assert rejected == {}
    assert (len(read), sum(read.values())) == (22, 301)
    assert {name: count for name, count in read.items() if name in SITEMAP_EXPECTED} == {
        name: count for name, (_, count) in SITEMAP_EXPECTED.items()}


PDFS = CORPORA / "pdf" / "pypdf"


def test_every_pdf_is_extracted_or_rejected_with_a_reason():
    paths = files(PDFS, "*.pdf")
    assert len(paths) > 20
    extracted = 0
    for path in paths:
        try:
            result = extract_pdf(path.read_bytes(), path.name)
        except PdfError as error:
            assert str(error).startswith(("encrypted PDF", "unreadable PDF"))
            continue
        if result is not None:
            extracted += 1
            assert result.text.strip() and result.page_count >= 1
    assert extracted > len(paths) // 2


def test_encrypted_pdfs_say_so():
    with pytest.raises(PdfError, match="encrypted PDF"):
        extract_pdf((PDFS / "encrypted-file.pdf").read_bytes(), "encrypted-file.pdf")


def test_a_pdfs_author_is_a_name_not_what_its_software_wrote():
    """The authors the pypdf corpus's PDFs state, as read: ReportLab's "anonymous", a Chinese
    Windows's account "微软用户" ("Microsoft user") and an account's number "1671251" were
    stored as authors (7 -> 4)."""
    authors = set()
    for path in files(PDFS, "*.pdf"):
        try:
            extraction = extract_pdf(path.read_bytes(), path.name)
        except PdfError:
            continue
        if extraction is not None and extraction.author:
            authors.add(extraction.author)
    assert authors == {"Martin Thoma", "CDa", "DSI", "LEAD"}


def test_pdfs_linked_from_pages_are_named_by_their_links_through_a_real_crawl(tmp_path):
    """Every PDF of the pypdf corpus, linked from a page with words that name it, becomes a
    document named by its metadata's own title or else by the link's words (the link's words
    were not passed on: 36 of the 41 documents had no title); one with no text to read (a
    scan, an encrypted file) is kept under the link's words with the reason (10 were dropped).
    Words that name nothing ("Download PDF (1.2 MB)") name no document: its first page's
    heading does."""
    import sqlite3

    from conftest import crawl_into, write_sources

    from pipeline.config.sources import Source
    from pipeline.demo.webserver import Route, StaticWeb

    paths = files(PDFS, "*.pdf")
    about = "<p>Product operations teams align roadmaps, discovery and delivery with shared metrics.</p>" * 20
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain")})
    words = {}
    for number, path in enumerate(paths):
        words[number] = f"The product operations field report no. {number}"
        web.routes[f"/files/{number}.pdf"] = Route(path.read_bytes(), "application/pdf")
        web.routes[f"/reports/{number}"] = Route(
            f"<html><head><title>Report {number}</title></head><body><article><h1>Report {number}</h1>"
            f'{about}<p><a href="/files/{number}.pdf">{words[number]}</a></p></article></body></html>'.encode())
    web.routes["/files/untitled.pdf"] = Route((PDFS / "crazyones.pdf").read_bytes(), "application/pdf")
    web.routes["/reports/generic"] = Route(
        "<html><head><title>Generic</title></head><body><article><h1>Generic</h1>"
        f'{about}<p><a href="/files/untitled.pdf">Download PDF (1.2 MB)</a></p></article></body></html>'.encode())
    with web:
        sources = write_sources(tmp_path / "s.yaml", [
            Source(f"r{name}", f"r{name}", "url", f"{web.base_url}/reports/{name}") for name in [*words, "generic"]])
        crawl_into(sources, tmp_path / "c.db")
    with sqlite3.connect(tmp_path / "c.db") as conn:
        rows = {url.rsplit("/", 1)[1]: (title, text, error) for url, title, text, error in conn.execute(
            "SELECT url, title, text, page_error FROM documents WHERE found_via = 'pdf-link'")}
    assert len(rows) == len(paths) + 1
    for number, path in enumerate(paths):
        title, text, error = rows[f"{number}.pdf"]
        metadata = extract_pdf_title(path)
        assert title == (metadata or words[number]), path.name
        if not text:
            assert error.startswith(("encrypted PDF", "no main text")), (path.name, error)
    assert sum(not text for _, text, _ in rows.values()) == 10
    title, text, _ = rows["untitled.pdf"]
    assert title == "The Crazy Ones" and "crazy ones" in text  # its first page's heading: the link named nothing


def extract_pdf_title(path) -> str | None:
    """The title a PDF's metadata gives it, as pipeline.understand.pdf reads it and the store
    keeps it (no NUL: ImageMagick ends its titles with one); None when it has none."""
    from pipeline.xmlchars import xml_safe

    try:
        extraction = extract_pdf(path.read_bytes(), path.name)
    except PdfError:
        return None
    return xml_safe(extraction.title) if extraction is not None and extraction.title else None


COMPRESSION = CORPORA / "compression" / "scrapy"
# Scrapy's compressed bodies, served with the Content-Encoding Scrapy's own tests give them.
COMPRESSED_PAGES = {
    "html-gzip.bin": "gzip", "html-br.bin": "br", "html-rawdeflate.bin": "deflate",
    "html-zlibdeflate.bin": "deflate", "html-zstd-static-content-size.bin": "zstd",
    "html-zstd-static-no-content-size.bin": "zstd", "html-zstd-streaming-no-content-size.bin": "zstd",
    "html-gzip-deflate.bin": "gzip, deflate", "html-gzip-deflate-gzip.bin": "gzip, deflate, gzip",
}
COMPRESSED_OTHERS = {
    "bomb-br.bin": "br", "bomb-deflate.bin": "deflate", "bomb-gzip.bin": "gzip", "bomb-zstd.bin": "zstd",
    "truncated-crc-error-short.gz": "gzip", "truncated-crc-error.gz": "gzip", "unexpected-eof.gz": "gzip",
}


def test_compressed_bodies_through_a_real_crawl(tmp_path):
    """Every encoding a server may use (gzip, deflate raw and zlib, br, zstd, stacked) is
    decoded; Scrapy's bombs (11.5 MB of text) and truncated gzip end without a crash, each
    source with an outcome, and a good page beside them is kept."""
    import sqlite3

    from conftest import crawl_into, write_sources

    from pipeline.config.sources import Source
    from pipeline.demo.webserver import Route, StaticWeb

    served = {**COMPRESSED_PAGES, **COMPRESSED_OTHERS}
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain")})
    for name, encoding in served.items():
        web.routes[f"/{name}"] = Route((COMPRESSION / name).read_bytes(), "text/html",
                                       headers={"Content-Encoding": encoding})
    with web:
        sources = write_sources(tmp_path / "s.yaml", [
            Source(name.replace(".", "-"), name, "url", f"{web.base_url}/{name}") for name in served])
        crawl_into(sources, tmp_path / "c.db")
    with sqlite3.connect(tmp_path / "c.db") as conn:
        titles = dict(conn.execute("SELECT source_id, title FROM documents"))
        texts = dict(conn.execute("SELECT source_id, text FROM documents"))
        status = dict(conn.execute("SELECT id, coalesce(last_warning, last_status) FROM sources"))
    for name in COMPRESSED_PAGES:
        assert titles.get(name.replace(".", "-")) == "Tabellen nach Jack Daniels", name
    # Truncated gzip: what arrived is kept (the page is readable up to the cut), in its
    # own charset (GBK for the script of a Chinese novel, declared nowhere).
    assert titles["truncated-crc-error-short-gz"] == "Herman Melville - Moby-Dick"
    assert "天运大陆" in texts["unexpected-eof-gz"]
    for name in ("bomb-br.bin", "bomb-deflate.bin", "bomb-gzip.bin", "bomb-zstd.bin"):
        source_id = name.replace(".", "-")
        assert source_id not in titles
        assert "no main text" in status[source_id] or "too large" in status[source_id], status[source_id]


READABILITY = CORPORA / "html" / "mozilla-readability"


def test_real_pages_dates_are_stored_at_the_instant_they_state():
    """Readability's pages whose expected metadata gives a publication time with its zone:
    the date stored is that instant in UTC, to the second. Every one was stored as the start
    of its local day (wikia's 2017-02-23T17:18:13-08:00 as 2017-02-23T00:00:00Z, a day early
    in UTC). A few differ on purpose or by htmldate's choice: four, when this was written
    (a page's "Last Updated" date, or a time it reads only to the day)."""
    import json

    from pipeline.understand.extraction import extract_html

    stated = exact = 0
    for folder in sorted(READABILITY.iterdir()):
        expected = folder / "expected-metadata.json"
        if not expected.exists():
            continue
        published = json.loads(expected.read_text(encoding="utf-8")).get("publishedTime")
        try:
            moment = datetime.datetime.fromisoformat((published or "").replace("Z", "+00:00"))
        except ValueError:
            continue
        if moment.tzinfo is None:
            continue
        stated += 1
        html = (folder / "source.html").read_text(encoding="utf-8", errors="replace")
        extraction = extract_html(html, f"https://{folder.name}.example/article/")
        utc = moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        exact += extraction is not None and extraction.published == utc
    assert stated >= 25
    assert exact >= stated - 4, f"{exact} of {stated} stored at the instant the page states"


def test_a_page_whose_table_comes_first_is_read_in_the_language_of_its_prose():
    """Wikipedia's "New Zealand" opens on its infobox (names, coordinates, dates as table
    rows): read first, they made the page Nigerian Pidgin (pcm), beside its lang="en". Of
    Readability's pages, only it changed when the rows were left out of the sample."""
    from pipeline.understand.classify import language
    from pipeline.understand.extraction import extract_html

    html = (READABILITY / "wikipedia-2" / "source.html").read_text(encoding="utf-8")
    extraction = extract_html(html, "https://en.wikipedia.org/wiki/New_Zealand")
    assert extraction.text.startswith("New Zealand\nCoordinates:") and "\n| Capital | Wellington" in extraction.text
    assert language(extraction.text, extraction.language) == "en"


def undeclared(name: str, codec: str) -> bytes:
    """A readability page as a site in a legacy encoding serves it: its bytes in `codec`, and
    its charset declared nowhere (no <meta>, no charset in the Content-Type)."""
    html = (READABILITY / name / "source.html").read_text(encoding="utf-8")
    html = re.sub(r"<meta[^>]*charset[^>]*>", "", html, flags=re.IGNORECASE)
    return html.encode(codec, errors="xmlcharrefreplace")


def test_real_pages_in_an_undeclared_legacy_charset_through_a_real_crawl(tmp_path):
    """Pages whose charset is declared nowhere are read in the one charset-normalizer finds,
    windows-1252 among those that read them as cleanly: French in Latin-1 and windows-1252
    was stored as windows-1250 ("Un troisičme Français mort dans le séisme", Scrapy's guess
    taken for a declared charset), and a Chinese page in GBK is still read as GBK."""
    import sqlite3

    from conftest import crawl_into, write_sources

    from pipeline.config.sources import Source
    from pipeline.demo.webserver import Route, StaticWeb

    pages = {"liberation-1": "latin-1", "lemonde-1": "cp1252", "qq": "gbk"}
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain")})
    for name, codec in pages.items():
        web.routes[f"/{name}"] = Route(undeclared(name, codec), "text/html")
    with web:
        sources = write_sources(tmp_path / "s.yaml", [
            Source(name, name, "url", f"{web.base_url}/{name}") for name in pages])
        crawl_into(sources, tmp_path / "c.db")
    with sqlite3.connect(tmp_path / "c.db") as conn:
        stored = {source: (title, text) for source, title, text in conn.execute(
            "SELECT source_id, title, text FROM documents")}
    assert stored["liberation-1"][0] == "Un troisième Français mort dans le séisme au Népal"
    assert "Le projet de loi sur le renseignement massivement approuvé" in stored["lemonde-1"][0]
    assert "député" in stored["lemonde-1"][1] and "č" not in stored["lemonde-1"][1]
    assert stored["qq"][0] == "DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶"


NEIGHBOURHOOD = CORPORA / "feeds" / "neighbourhood"


def crawl_feeds_as_served(tmp_path, names: list[str]) -> dict[str, list[tuple]]:
    """Serve captured feeds of the neighbourhood as they were, crawl them keeping what the
    feeds say (fetch_pages: false), and return each one's stored (url, title, author)."""
    import sqlite3

    from conftest import crawl_into, write_sources

    from pipeline.config.sources import Source
    from pipeline.demo.webserver import Route, StaticWeb

    web = StaticWeb({"/robots.txt": Route(b"", "text/plain")})
    for name in names:
        web.routes[f"/{name}.xml"] = Route((NEIGHBOURHOOD / f"{name}.xml").read_bytes(), "application/xml")
    with web:
        sources = write_sources(tmp_path / "s.yaml", [
            Source(f"f{name}", name, "feed", f"{web.base_url}/{name}.xml", settings={"fetch_pages": False})
            for name in names])
        crawl_into(sources, tmp_path / "c.db")
    stored: dict[str, list[tuple]] = {name: [] for name in names}
    with sqlite3.connect(tmp_path / "c.db") as conn:
        for source, *row in conn.execute("SELECT source_id, url, title, author FROM documents ORDER BY url"):
            stored[source[1:]].append(tuple(row))
    return stored


def test_feed_authors_are_stored_as_names_through_a_real_crawl(tmp_path):
    """feedparser writes an author "Name (email)" (Blogger's every entry: "Herman Sheephouse
    (noreply@blogger.com)"), and RSS's <author> is an address ("alex@blackie.ca (Alex
    Blackie)"): the address went into the documents' author column, for 221 entries of 19 of
    the captured feeds. Each feed's every entry is stored with its author's name alone."""
    expected = {"37138ba903942a40": "Herman Sheephouse", "4059f23db954f1b5": "Alex Blackie",
                "59990f9eb0e3b46d": "herman"}
    stored = crawl_feeds_as_served(tmp_path, list(expected))
    for name, author in expected.items():
        assert stored[name] and {row[2] for row in stored[name]} == {author}, name


def test_plain_text_escaped_twice_is_stored_as_meant_through_a_real_crawl(tmp_path):
    """Character references a publisher left in a plain-text field were stored as written:
    the title "Re&colon; Double-entry accounting at scale", the author "Emily Mazo,&nbsp;JS
    Tan,&nbsp;Clarissa Redwine&nbsp;and&nbsp;Kristen Sheets", Blogger's summaries with
    "&nbsp;" and "Smell &amp; Tell" (46 fields of 4 of the captured feeds)."""
    import sqlite3

    feeds = ["3d13901a267083a8", "5ed469fb5a05348d", "1883db9e2736546b"]
    stored = crawl_feeds_as_served(tmp_path, feeds)
    assert "Re: Double-entry accounting at scale" in {row[1] for row in stored["3d13901a267083a8"]}
    assert "Emily Mazo, JS Tan, Clarissa Redwine and Kristen Sheets" in {row[2] for row in stored["5ed469fb5a05348d"]}
    with sqlite3.connect(tmp_path / "c.db") as conn:
        fields = [value for row in conn.execute("SELECT title, author, description FROM documents")
                  for value in row if value]
    assert any("Smell & Tell" in value for value in fields)
    assert not [value for value in fields if re.search(r"&(#[0-9]+|[a-z]+);", value)]
