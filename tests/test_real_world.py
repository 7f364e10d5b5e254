"""Real-world files written by other projects (../shared/corpora): every one is read
without a crash, and the expectations the files state hold. Skipped when the folder is
absent (someone who cloned only the project)."""

from __future__ import annotations

import datetime
import re
import time

import feedparser
import pytest
from conftest import CORPORA

from feeds.parse import NotAFeedError, parse_feed
from feeds.sitemaps import NotASitemapError, parse_sitemap
from pipeline.understand.pdf import PdfError, extract_pdf

pytestmark = pytest.mark.skipif(not CORPORA.exists(), reason=f"{CORPORA} is absent")

FEEDPARSER = CORPORA / "feeds" / "feedparser"
# http/ tests feedparser's own HTTP client and compression/ its decompression; we fetch
# with Scrapy, so those headers never reach feedparser.
FEEDPARSER_FOLDERS = ("encoding", "illformed")


def files(folder, pattern="*"):
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and p.name not in ("LICENSE", "LICENSE.txt"))


def feedparser_cases():
    for folder in FEEDPARSER_FOLDERS:
        yield from files(FEEDPARSER / folder) if FEEDPARSER.exists() else []


@pytest.mark.parametrize("path", list(feedparser_cases()), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_feedparser_corpus(path):
    data = path.read_bytes()
    head = data[:2000].decode("latin-1")
    headers = {k.lower(): v.strip() for k, v in re.findall(r"^Header:\s*([^:]+):\s*(.*)$", head, re.M)}
    # feedparser's own test server answers application/xml unless a file says otherwise.
    headers.setdefault("content-type", "application/xml")
    url = f"http://127.0.0.1/{path.name}"
    try:  # our reader: anything but NotAFeedError is a crash
        parse_feed(data, url, headers["content-type"].split(";")[0])
    except NotAFeedError:
        pass
    skip_unless = re.search(r"^SkipUnless:\s*(.*)$", head, re.M)
    if skip_unless and not _holds(skip_unless.group(1)):
        pytest.skip(f"the file's condition does not hold here: {skip_unless.group(1)}")
    expect = re.search(r"^Expect:\s*(.*)$", head, re.M)
    if not expect:
        pytest.skip("the file states no expectation")
    result = feedparser.parse(data, response_headers={"content-location": url, **headers})
    scope = {"time": time, "datetime": datetime, "feedparser": feedparser}
    assert eval(expect.group(1), scope, result), expect.group(1)  # noqa: S307


def _holds(condition: str) -> bool:
    """Evaluate a corpus file's SkipUnless (a codec or module this Python may lack)."""
    try:
        return bool(eval(condition))  # noqa: S307 - the corpus's own expression
    except (ImportError, LookupError):
        return False


MINIFLUX = CORPORA / "encodings" / "miniflux"
# (file, title of the feed, title of the first entry or None) — what a reader must show.
MINIFLUX_EXPECTED = [
    ("encoding/testdata/koi8r.xml", "Пример RSS ленты", "Первая новость"),
    ("encoding/testdata/iso-8859-1.xml", "Café", None),
    ("encoding/testdata/windows-1252.xml", "Euro €", None),
    ("encoding/testdata/windows-1252-incorrect-prolog.xml", "Euro €", None),
    ("encoding/testdata/utf8-incorrect-prolog.xml", "테스트 피드", None),
    ("parser/testdata/encoding_WINDOWS-1251.xml", "iBash.Org.Ru", "Цитата #17703"),
    ("parser/testdata/urdu_UTF8.xml", None, None),
    ("parser/testdata/large_rss.xml", "Artificial truth", "Using vale with vim"),
]


@pytest.mark.parametrize("name, title, first_entry", MINIFLUX_EXPECTED)
def test_feeds_in_legacy_encodings(name, title, first_entry):
    feed = parse_feed((MINIFLUX / name).read_bytes(), f"http://127.0.0.1/{name}")
    if title:
        assert feed.title == title
    if first_entry:
        assert feed.entries[0].hints.title == first_entry


def test_every_miniflux_file_is_read_or_rejected():
    for path in files(MINIFLUX):
        try:
            parse_feed(path.read_bytes(), f"http://127.0.0.1/{path.name}")
        except NotAFeedError as error:
            assert path.suffix == ".html" or "not" in str(error)


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
    for path in files(SITEMAPS):
        try:
            parse_sitemap(path.read_bytes(), "https://example.com/sitemap.xml")
        except NotASitemapError:
            pass


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
