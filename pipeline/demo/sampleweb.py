"""The sample web: a product-ops blog with one source of every kind, and realistic pages.

What it holds, and why (tests rely on it):
- /feed.xml (RSS 2.0): three articles, one entry whose page answers 404 and one whose page
  is empty boilerplate (no main text) — both must keep their feed data;
- /atom.xml (Atom 1.0): two more articles, one linked relatively, and a syndicated copy of
  the first RSS article (other boilerplate, light edits) — a near-duplicate to cluster;
- /guides/product-metrics-dashboards/: a page configured as a `url` source;
- /robots.txt: disallows /private/ and declares /sitemap-index.xml, a sitemap index whose
  one (gzipped) sitemap lists two guides;
- /library/: a hub page linking to two more guides (a `site` source);
- /toolkit/: a curated link list (a `links` source) with sections; it links to a report's
  landing page, which links to the report as a PDF, and to a guide the sitemap lists too.
Every page carries navigation, a cookie banner, related links and a footer, as real blogs do.
"""

from __future__ import annotations

import contextlib
import gzip
from collections.abc import Iterator
from email.utils import format_datetime
from html import escape

from feeds.dates import parse_datetime
from pipeline.config.sources import Source
from pipeline.demo.articles import ARTICLES, GUIDES, REPORT_TEXT
from pipeline.demo.pdfmaker import make_pdf
from pipeline.demo.webserver import Route, StaticWeb

SITE = "Operating Rhythm"
RSS_ARTICLES = ARTICLES[:3]
ATOM_ARTICLES = ARTICLES[3:5]
URL_ARTICLE = ARTICLES[5]
SYNDICATED = dict(ARTICLES[0], slug="syndicated-what-product-ops-actually-does",
                  date="2026-09-20T08:00:00Z")  # republished later, elsewhere on the web
MISSING = {
    "slug": "quarterly-roadmap-review-template",
    "title": "A Quarterly Roadmap Review Template",
    "author": "Lena Fischer",
    "date": "2026-11-18T09:00:00Z",
    "summary": "A one-page template for quarterly roadmap reviews, with the questions "
    "product leaders should ask of every team.",
}
EMPTY = {
    "slug": "coming-soon-product-ops-maturity-model",
    "title": "Coming Soon: The Product Ops Maturity Model",
    "author": "Maya Okafor",
    "date": "2026-11-20T09:00:00Z",
    "summary": "Our maturity model for product operations teams, from the first hire to a "
    "function that runs planning, insight and enablement.",
}


# Links inside the articles' own text to resources elsewhere on the web (the text stays the
# same: the anchors are words it already has). productboard.com is cited by four documents,
# reforge.com by three, svpg.com by two: `prodops sources suggest` ranks them.
CITATIONS: dict[str, list[tuple[str, str]]] = {
    ARTICLES[0]["slug"]: [("operating system for the product organization",
                           "https://www.productboard.com/blog/what-is-product-operations/")],
    ARTICLES[1]["slug"]: [("product strategy", "https://www.svpg.com/product-strategy-overview/"),
                          ("customer calls", "https://www.reforge.com/blog/continuous-customer-interviews")],
    ARTICLES[2]["slug"]: [("product feedback", "https://www.productboard.com/blog/customer-feedback-management/"),
                          ("feature requests", "https://www.reforge.com/blog/handling-feature-requests")],
    ARTICLES[3]["slug"]: [("roadmapping tool", "https://www.productboard.com/product-roadmap/")],
    ARTICLES[4]["slug"]: [("objectives and key results", "https://www.svpg.com/team-objectives-overview/"),
                          ("a roadmap that serves them", "https://www.productboard.com/blog/okrs-roadmap/")],
    GUIDES[0]["slug"]: [("Operating cadence", "https://www.reforge.com/blog/product-operating-cadence")],
}

SITEMAP_GUIDES = GUIDES[:2]
LIBRARY_GUIDES = GUIDES[2:4]
REPORT = GUIDES[4]
REPORT_PDF = "/files/state-of-product-ops-2026.pdf"


def article_path(article: dict) -> str:
    if article in SITEMAP_GUIDES:
        return f"/guides/{article['slug']}/"
    if article in LIBRARY_GUIDES:
        return f"/library/{article['slug']}/"
    if article is REPORT:
        return f"/whitepapers/{article['slug']}/"
    if article is SYNDICATED:
        return f"/syndication/{article['slug']}/"
    return f"/blog/{article['slug']}/"


def page_html(title: str, body_html: str, canonical: str | None = None) -> str:
    """Wrap main content in the boilerplate a real blog page has."""
    nav = "".join(
        f'<li><a href="{article_path(a)}">{escape(a["title"])}</a></li>' for a in ARTICLES[:4]
    )
    canonical_link = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | {SITE}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:site_name" content="{SITE}">{canonical_link}
<link rel="alternate" type="application/rss+xml" title="{SITE}" href="/feed.xml">
</head><body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience
and to measure traffic. By clicking Accept you agree to our use of cookies.</p>
<button>Accept all</button><button>Manage preferences</button></div>
<header class="site-header"><a class="logo" href="/">{SITE}</a>
<nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/blog/">Blog</a></li>
<li><a href="/guides/">Guides</a></li><li><a href="/podcast/">Podcast</a></li>
<li><a href="/newsletter/">Newsletter</a></li><li><a href="/about/">About</a></li></ul></nav>
</header>
<main>{body_html}</main>
<aside class="related"><h3>Related posts</h3><ul>{nav}</ul></aside>
<footer class="site-footer"><div class="newsletter"><h4>Subscribe</h4>
<p>Get one product operations essay in your inbox every other Tuesday.</p>
<form><input type="email" placeholder="you@example.com"><button>Subscribe</button></form></div>
<p>&copy; 2026 {SITE}. All rights reserved. <a href="/privacy/">Privacy</a> ·
<a href="/terms/">Terms</a> · <a href="/feed.xml">RSS</a></p></footer>
</body></html>"""


def cite(paragraph_html: str, slug: str, cited: dict[str, str]) -> str:
    """The paragraph with the article's citations linked (`cited` maps a cited site's base
    URL to the one to link instead, so that a test can serve it)."""
    for phrase, url in CITATIONS.get(slug, []):
        for real, served in cited.items():
            url = url.replace(real, served)
        paragraph_html = paragraph_html.replace(phrase, f'<a href="{escape(url)}">{phrase}</a>', 1)
    return paragraph_html


def article_html(article: dict, base_url: str, extra_html: str = "", cited: dict[str, str] | None = None) -> str:
    paragraphs = "".join(f"<p>{cite(escape(p), article['slug'], cited or {})}</p>" for p in article["paragraphs"])
    body = (
        f'<article><h1>{escape(article["title"])}</h1>'
        f'<p class="byline">By <span class="author">{escape(article["author"])}</span> · '
        f'<time datetime="{article["date"]}">{article["date"][:10]}</time></p>'
        f"{paragraphs}{extra_html}</article>"
    )
    return page_html(article["title"], body, canonical=base_url + article_path(article))


def syndicated_html(article: dict, edited: bool = False) -> str:
    """The article as an aggregator republishes it: other boilerplate, optionally lightly edited."""
    paragraphs = list(article["paragraphs"])
    if edited:
        paragraphs[0] = "Editor's note: lightly updated for our readers. " + paragraphs[0]
        words = paragraphs[-1].split()
        paragraphs[-1] = " ".join(w if i % 12 else w.upper() for i, w in enumerate(words))
        paragraphs[1] = paragraphs[1].replace(" the ", " our ", 2)
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{escape(article['title'])} | by {escape(article['author'])} | Medium</title></head><body>
<div class="topbar"><a href="/">Medium</a> <a href="/signin">Sign in</a> <a href="/write">Write</a>
<button>Get started</button></div>
<div class="metabar"><span>Product Coalition</span> · <button>Follow</button> · 6 min read</div>
<article><h1>{escape(article['title'])}</h1><div class="author">{escape(article['author'])}</div>
{body}<p><em>Originally published on Operating Rhythm.</em></p></article>
<div class="claps">👏 412 · 9 responses</div>
<section class="more"><h2>More from Product Coalition</h2><ul>
<li><a href="/a">The product manager's guide to saying no</a></li>
<li><a href="/b">Ten lessons from a decade of roadmaps</a></li></ul></section>
<footer><a href="/help">Help</a> <a href="/status">Status</a> <a href="/about">About</a>
<a href="/careers">Careers</a> <a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"""


def _rfc822(iso: str) -> str:
    moment = parse_datetime(iso)
    assert moment is not None, iso  # the sample web's own dates
    return format_datetime(moment, usegmt=True)


def rss_feed(base_url: str, entries: list[dict]) -> str:
    items = "".join(
        f"<item><title>{escape(e['title'])}</title>"
        f"<link>{base_url}{article_path(e)}</link>"
        f"<guid isPermaLink=\"false\">oprhythm-{e['slug']}</guid>"
        f"<pubDate>{_rfc822(e['date'])}</pubDate>"
        f"<dc:creator>{escape(e['author'])}</dc:creator>"
        f"<category>Product Operations</category>"
        f"<description>{escape('<p>' + e['summary'] + '</p>')}</description></item>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{SITE}</title><link>{base_url}/</link>"
        f"<description>Essays on product operations</description>{items}</channel></rss>"
    )


def atom_feed(base_url: str, entries: list[dict]) -> str:
    parts = []
    for position, e in enumerate(entries):
        # The first entry's link is relative, as some generators write them.
        href = article_path(e) if position == 0 else base_url + article_path(e)
        parts.append(
            f"<entry><title>{escape(e['title'])}</title><link rel=\"alternate\" href=\"{href}\"/>"
            f"<id>tag:oprhythm.example,2026:{e['slug']}</id><updated>{e['date']}</updated>"
            f"<published>{e['date']}</published><author><name>{escape(e['author'])}</name></author>"
            f"<summary>{escape(e['summary'])}</summary></entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{base_url}/">'
        f"<title>{SITE} guides</title><id>{base_url}/atom.xml</id>"
        f"<updated>{entries[-1]['date']}</updated>{''.join(parts)}</feed>"
    )


def sitemap_xml(base_url: str, pages: list[dict]) -> str:
    urls = "".join(
        f"<url><loc>{base_url}{article_path(p)}</loc><lastmod>{p['date'][:10]}</lastmod></url>"
        for p in pages
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')


def toolkit_html() -> str:
    """A curated link list: the part that matters is in <section class="toolkit">."""
    return page_html("Product Ops Toolkit", f"""<h1>Product Ops Toolkit</h1>
<p>Resources we return to, collected by the editors.</p>
<section class="toolkit">
<h2>Reports</h2><ul><li><a href="{article_path(REPORT)}">State of Product Ops 2026</a>
 — our annual survey</li></ul>
<h2>Onboarding</h2><ul><li><a href="{article_path(SITEMAP_GUIDES[0])}">The glossary</a>
 for new team members</li></ul>
</section>""")


def sample_routes(base_url: str, cited: dict[str, str] | None = None) -> dict[str, Route]:
    """Every route of the sample web, with links pointing at `base_url` (and the articles'
    citations of other sites remapped by `cited`, e.g. {"https://www.productboard.com":
    <a local server>})."""
    xml = "application/xml; charset=utf-8"
    robots = f"User-agent: *\nDisallow: /private/\nSitemap: {base_url}/sitemap-index.xml\n"
    index = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{base_url}/sitemaps/guides.xml.gz</loc></sitemap></sitemapindex>")
    library = "".join(
        f'<li><a href="{article_path(g)}">{escape(g["title"])}</a></li>' for g in LIBRARY_GUIDES
    )
    download = f'<p><a href="{REPORT_PDF}">Download the report (PDF)</a></p>'
    routes = {
        "/robots.txt": Route(robots.encode(), "text/plain"),
        "/sitemap-index.xml": Route(index.encode(), xml),
        # mtime=0 keeps the gzip bytes (and so the ETag) the same on every start.
        "/sitemaps/guides.xml.gz": Route(
            gzip.compress(sitemap_xml(base_url, SITEMAP_GUIDES).encode(), mtime=0),
            "application/x-gzip",
        ),
        "/library/": Route(page_html("Library", f"<h1>Library</h1><ul>{library}</ul>").encode()),
        "/toolkit/": Route(toolkit_html().encode()),
        article_path(REPORT): Route(article_html(REPORT, base_url, download).encode()),
        REPORT_PDF: Route(make_pdf(REPORT_TEXT, title=REPORT_TEXT[0], author=REPORT["author"]),
                          "application/pdf"),
        "/feed.xml": Route(rss_feed(base_url, [*RSS_ARTICLES, MISSING, EMPTY]).encode(), xml),
        "/atom.xml": Route(atom_feed(base_url, [*ATOM_ARTICLES, SYNDICATED]).encode(),
                           "application/atom+xml"),
        article_path(SYNDICATED): Route(syndicated_html(SYNDICATED, edited=True).encode()),
        article_path(EMPTY): Route(page_html(EMPTY["title"], "").encode()),
        "/guides/product-metrics-dashboards/": Route(article_html(URL_ARTICLE, base_url, cited=cited).encode()),
    }
    for article in [*ARTICLES[:5], *SITEMAP_GUIDES, *LIBRARY_GUIDES]:
        routes[article_path(article)] = Route(article_html(article, base_url, cited=cited).encode())
    index = "".join(
        f'<li><a href="{article_path(a)}">{escape(a["title"])}</a></li>' for a in ARTICLES[:5]
    )
    routes["/"] = Route(page_html(SITE, f"<h1>{SITE}</h1><ul>{index}</ul>").encode())
    return routes


def sample_sources(base_url: str) -> list[Source]:
    """The sources that point at the sample web."""
    return [
        Source("oprhythm-rss", f"{SITE} (RSS)", "feed", f"{base_url}/feed.xml"),
        Source("oprhythm-atom", f"{SITE} guides (Atom)", "feed", f"{base_url}/atom.xml"),
        Source("oprhythm-dashboards", "Dashboards guide", "url",
               f"{base_url}/guides/product-metrics-dashboards/"),
        Source("oprhythm-sitemap", f"{SITE} sitemap", "sitemap", f"{base_url}/"),
        Source("oprhythm-library", f"{SITE} library", "site", f"{base_url}/library/",
               settings={"allow": ["/library/"], "max_depth": 1}),
        Source("oprhythm-toolkit", f"{SITE} toolkit", "links", f"{base_url}/toolkit/",
               settings={"selector": "section.toolkit"}),
    ]


@contextlib.contextmanager
def serve_sample_web() -> Iterator[str]:
    """Run the sample web on 127.0.0.1 (free port) and yield its base URL."""
    web = StaticWeb()
    web.routes.update(sample_routes(web.base_url))
    with web:
        yield web.base_url
