"""Extraction with trafilatura: main text and metadata, None when there is no main text."""

import pytest
from pipeline.demo.articles import ARTICLES
from pipeline.demo.sampleweb import EMPTY, article_html, page_html
from pipeline.understand.extraction import declared_language, extract_html

pytestmark = pytest.mark.long  # run early: conftest.pytest_collection_modifyitems

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
    assert extraction.published == article["date"][:10] + "T00:00:00Z"  # as every stored date: ISO 8601 UTC
    assert extraction.sitename == "Operating Rhythm"
    assert extraction.language == "en"
    assert extraction.canonical_url == f"{BASE}/blog/{article['slug']}/"
    assert extraction.extractor.startswith("trafilatura ")


def test_a_pages_date_keeps_its_time_and_is_converted_to_utc():
    """A page that states when it was published to the second, with its offset, is stored at
    that instant in UTC: it was stored as the start of the local day (2026-07-10T00:00:00Z),
    the wrong day in UTC and the time lost. A day alone is still that day's start."""
    article = ARTICLES[0]
    late = article_html(article, BASE).replace(
        "</head>", '<meta property="article:published_time" content="2026-07-10T22:53:00-04:00"></head>', 1)
    assert extract_html(late, f"{BASE}/late/").published == "2026-07-11T02:53:00Z"
    day_only = article_html({**article, "date": "2026-07-10"}, BASE)
    assert extract_html(day_only, f"{BASE}/day/").published == "2026-07-10T00:00:00Z"


PARAGRAPHS = "".join(f"<p>{text}</p>" for text in (
    "Our onboarding review looks at what new product managers read in their first weeks, and what they skip.",
    "Each quarter we ask them which pages helped and which sent them in circles, and we retire the latter.",
    "The result is a shorter path into the team's rituals, its tools and the metrics it keeps an eye on."))


@pytest.mark.parametrize("node, published", [
    # the page's own node: its datePublished over the "modified" meta tag htmldate took
    ('"url": "https://ops.example/vidyard/", "datePublished": "2020-07-10T14:15:42+00:00"', "2020-07-10T14:15:42Z"),
    # another thing's (a product the page names), or a date still to come: the meta tag's, as before
    ('"url": "https://vidyard.example/", "datePublished": "2020-07-10T14:15:42+00:00"', "2025-01-07T09:08:22Z"),
    ('"url": "https://ops.example/vidyard/", "datePublished": "2999-01-01T00:00:00Z"', "2025-01-07T09:08:22Z")])
def test_the_publication_date_a_pages_json_ld_declares_beats_a_modified_meta_tag(node, published):
    """A page "Last Updated" years after it was published, with article:modified_time and no
    published meta tag: htmldate dated it by the update, even asked for the original date
    (Readability's spiceworks page: 2025-01-07 for its datePublished 2020-07-10)."""
    html = ('<html><head><title>Vidyard introduces new features</title>'
            '<meta property="article:modified_time" content="2025-01-07T09:08:22+00:00">'
            f'<script type="application/ld+json">{{"@type": "NewsArticle", {node}}}</script></head>'
            f"<body><article><h1>Vidyard introduces new features</h1>{PARAGRAPHS}</article></body></html>")
    assert extract_html(html, "https://ops.example/vidyard/").published == published


@pytest.mark.parametrize("year_alone", ['<footer>© 1998-2015 Example Corp.</footer>',
                                        '<span class="mjx-c2026"></span><footer>Copyright 2019</footer>'])
def test_a_year_alone_in_the_text_is_no_date(year_alone):
    """htmldate's extensive search made 1 January of a copyright line's year (or of a number in
    a CSS class) the page's date: 5 of Readability's test pages got one, all wrong."""
    html = f"<html><head><title>Onboarding review</title></head><body><article><h1>Onboarding review</h1>" \
           f"{PARAGRAPHS}</article>{year_alone}</body></html>"
    assert extract_html(html, f"{BASE}/onboarding-review/").published is None


def test_a_first_of_january_the_page_states_is_kept():
    html = '<html><head><title>New year plans</title>' \
           '<meta property="article:published_time" content="2019-01-01"></head>' \
           f"<body><article><h1>New year plans</h1>{PARAGRAPHS}</article><footer>© 2015</footer></body></html>"
    assert extract_html(html, f"{BASE}/new-year/").published == "2019-01-01T00:00:00Z"
    in_text = html.replace('<meta property="article:published_time" content="2019-01-01">', "").replace(
        "<h1>New year plans</h1>", "<h1>New year plans</h1><p class=byline>By Ana, March 25, 2015</p>")
    assert extract_html(in_text, f"{BASE}/new-year/").published == "2015-03-25T00:00:00Z"  # the text's full date


def test_boilerplate_only_page_has_no_main_text():
    assert extract_html(page_html(EMPTY["title"], ""), f"{BASE}/empty/") is None


def test_garbage_is_a_value_not_a_crash():
    assert extract_html("", BASE) is None
    assert extract_html("\x00\x01<<<>>>", BASE) is None


def test_declared_language():
    assert declared_language('<!doctype html><html class="x" lang="de-AT">') == "de"
    assert declared_language("<html>") is None


def test_what_a_feed_gave_is_not_searched_for_and_the_rest_is_as_the_whole_extraction_finds_it():
    from conftest import CORPORA

    from pipeline.understand.extraction import KNOWN_FROM_FEEDS

    pages = sorted((CORPORA / "html").rglob("*.html"))
    if not pages:
        pytest.skip(f"no HTML pages under {CORPORA / 'html'}")
    compared = 0
    for path in pages:
        html = path.read_text(encoding="utf-8", errors="replace")
        url = f"https://{path.parent.name}.example/article/"
        whole = extract_html(html, url)
        light = extract_html(html, url, known=KNOWN_FROM_FEEDS)
        assert (whole is None) == (light is None), path
        if whole is None:
            continue
        compared += 1
        for field in ("text", "sitename", "description", "canonical_url", "language", "links"):
            assert getattr(light, field) == getattr(whole, field), (path, field)
        assert light.title is None and light.author is None and light.published is None
    assert compared > 80


def test_an_author_a_pdfs_software_wrote_is_no_author():
    """The account Office or Windows wrote ("Microsoft Office User", "Windows User", "Admin"),
    a library's default ("anonymous") or an account's number is no author; a name is kept."""
    from pipeline.demo.pdfmaker import make_pdf
    from pipeline.understand.pdf import extract_pdf

    lines = ["Product operations in 2025: what 140 teams told us about their planning cadence."] * 3
    for written, kept in (("Microsoft Office User", None), ("Windows User", None), ("Admin", None),
                          ("anonymous", None), ("1671251", None), ("Jane Admin", "Jane Admin"),
                          ("Maren Oduya", "Maren Oduya")):
        extraction = extract_pdf(make_pdf(lines, author=written), f"{BASE}/files/q3.pdf")
        assert extraction is not None and extraction.author == kept, written


def test_a_title_a_pdfs_software_wrote_gives_way_to_the_links_words():
    """"Microsoft Word - Q3 plan.docx", "Binder1.pdf" or "Untitled document" in a PDF's
    metadata is no title: the link's words name the document; a title after the
    application's name is kept."""
    from feeds.entries import EntryHints
    from pipeline.demo.pdfmaker import make_pdf
    from pipeline.items import Page
    from pipeline.store.documents import document_row
    from pipeline.understand.canonical import document_id
    from pipeline.understand.pdf import extract_pdf

    lines = ["Product operations in 2025: what 140 teams told us about their planning cadence."] * 3
    url = f"{BASE}/files/q3.pdf"
    for written, kept in (("Microsoft Word - Q3 plan.docx", None), ("Binder1.pdf", None),
                          ("Untitled document", None), ("Title", None),
                          ("Microsoft Word - The State of Product Ops 2025", "The State of Product Ops 2025"),
                          ("The State of Product Ops 2025", "The State of Product Ops 2025")):
        extraction = extract_pdf(make_pdf(lines, title=written), url)
        assert extraction is not None and extraction.title == kept, written
        row = document_row(Page(url=url, source_id="s", found_via="links", extraction=extraction,
                                hints=EntryHints(anchor="Download the 2025 report"), canonical_url=url,
                                doc_id=document_id(url)))
        assert row is not None and row["title"] == (kept or "Download the 2025 report")


def test_a_pdf_named_by_nothing_else_is_named_by_its_first_pages_heading(tmp_path):
    """A PDF whose metadata names nothing, crawled at its own address (no link's words, no
    feed's title), is named by the text its first page sets largest: a cover's title. Its
    metadata's title, or a link's words, still come first; a page set in one size has none."""
    from conftest import crawl_page

    from pipeline.demo.pdfmaker import make_pdf
    from pipeline.understand.pdf import extract_pdf

    lines = ["Acme Analytics · March 2026", "Six launches a quarter went out last year, two of them late."]
    cover = make_pdf(lines, heading="The State of Launches 2026", title="Microsoft Word - final_v3.docx")
    _, row = crawl_page(tmp_path, cover, path="/files/launches.pdf", content_type="application/pdf")
    assert row["title"] == "The State of Launches 2026"
    assert extract_pdf(make_pdf(lines, heading="The State of Launches 2026", title="Launches, 2026"),
                       f"{BASE}/a.pdf").title == "Launches, 2026"
    assert extract_pdf(make_pdf(lines), f"{BASE}/a.pdf").heading is None
    # A contents page's heading, a form's version line or a lone letter names nothing.
    for heading in ("Contents", "Version 02", "D", "1111101"):
        assert extract_pdf(make_pdf(lines, heading=heading), f"{BASE}/a.pdf").heading is None, heading
