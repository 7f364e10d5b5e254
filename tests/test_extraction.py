"""Extraction with trafilatura: main text and metadata, None when there is no main text."""

from pipeline.demo.articles import ARTICLES
from pipeline.demo.sampleweb import EMPTY, article_html, page_html
from pipeline.understand.extraction import declared_language, extract_html

BASE = "http://blog.example"


def test_article_text_and_metadata_without_boilerplate():
    article = ARTICLES[0]
    extraction = extract_html(article_html(article, BASE), f"{BASE}/blog/{article['slug']}/")
    assert extraction is not None
    for paragraph in article["paragraphs"]:
        assert paragraph in extraction.text
    for boilerplate in ("We use cookies", "Subscribe", "All rights reserved", "Related posts"):
        assert boilerplate not in extraction.text
    assert extraction.author == article["author"]
    assert extraction.published == article["date"][:10]
    assert extraction.sitename == "Operating Rhythm"
    assert extraction.language == "en"
    assert extraction.canonical_url == f"{BASE}/blog/{article['slug']}/"
    assert extraction.extractor.startswith("trafilatura ")


def test_boilerplate_only_page_has_no_main_text():
    assert extract_html(page_html(EMPTY["title"], ""), f"{BASE}/empty/") is None


def test_garbage_is_a_value_not_a_crash():
    assert extract_html("", BASE) is None
    assert extract_html("\x00\x01<<<>>>", BASE) is None


def test_declared_language():
    assert declared_language('<!doctype html><html class="x" lang="de-AT">') == "de"
    assert declared_language("<html>") is None
