"""Generated sample webs of any size, for the benchmarks: realistic product-ops articles
(2-5k words, made of the sample articles' sentences) inside real page boilerplate."""

from __future__ import annotations

import random
import re

from pipeline.demo.articles import ARTICLES
from pipeline.demo.sampleweb import page_html, rss_feed
from pipeline.demo.webserver import Route

SENTENCES = [s for a in ARTICLES for p in a["paragraphs"] for s in re.split(r"(?<=\.) ", p)]
TOPICS = ["Onboarding", "Tooling", "Insights", "Planning", "Metrics", "Enablement"]
AUTHORS = ["Maya Okafor", "Daniel Reyes", "Priya Raman", "Lena Fischer"]


def make_article(index: int, rng: random.Random, min_words: int = 2000, max_words: int = 5000) -> dict:
    """A deterministic article (for a given rng state) of min_words..max_words words."""
    target = rng.randint(min_words, max_words)
    paragraphs, words = [], 0
    while words < target:
        paragraph = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 7)))
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    return {
        "slug": f"p{index}",
        "title": f"{rng.choice(TOPICS)} notes #{index}: what product operations teams learn",
        "author": rng.choice(AUTHORS),
        "date": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}T08:00:00Z",
        "summary": paragraphs[0][:200],
        "paragraphs": paragraphs,
    }


def article_page(article: dict) -> str:
    body = "".join(f"<p>{p}</p>" for p in article["paragraphs"])
    return page_html(article["title"], f"<article><h1>{article['title']}</h1>{body}</article>")


def generated_web(base_url: str, pages: int, seed: int = 20261125) -> tuple[list[dict], dict[str, Route]]:
    """`pages` articles under /blog/p<i>/ and one RSS feed listing them all at /feed.xml."""
    rng = random.Random(seed)
    articles = [make_article(i, rng) for i in range(pages)]
    routes = {f"/blog/{a['slug']}/": Route(article_page(a).encode()) for a in articles}
    routes["/feed.xml"] = Route(rss_feed(base_url, articles).encode(), "application/rss+xml")
    routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n", "text/plain")
    return articles, routes
