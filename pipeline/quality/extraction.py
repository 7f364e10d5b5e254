"""Extraction quality: our extractor's F1 against bare trafilatura's, on the sample web's
pages. The score is the token 4-gram overlap between the extracted text and the known text
of each page (in two page templates); ours must be no lower."""

from __future__ import annotations

from collections import Counter

import trafilatura

from pipeline.demo.articles import ARTICLES, GUIDES
from pipeline.demo.sampleweb import article_html, syndicated_html
from pipeline.quality.figures import Figure
from pipeline.understand.extraction import extract_html


def ngram_f1(predicted: str, expected: str, n: int = 4) -> float:
    """F1 of the token n-gram multisets of two texts (the article-extraction benchmarks' score)."""
    def grams(text: str) -> Counter:
        tokens = text.lower().split()
        return Counter(tuple(tokens[i:i + n]) for i in range(max(len(tokens) - n + 1, 0)))

    got, want = grams(predicted or ""), grams(expected)
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def extraction_figures() -> list[Figure]:
    """Extraction F1 on the sample web's articles and guides, in both templates: ours, whose
    target is bare trafilatura's on the same pages, and bare trafilatura's."""
    ours, bare = [], []
    for article in ARTICLES + GUIDES:
        expected = " ".join(article["paragraphs"])
        for html in (article_html(article, "https://blog.example"), syndicated_html(article)):
            url = f"https://blog.example/{article['slug']}/"
            extraction = extract_html(html, url)
            ours.append(ngram_f1(extraction.text if extraction else "", expected))
            bare.append(ngram_f1(trafilatura.extract(html, url=url, with_metadata=True) or "", expected))
    bare_f1 = sum(bare) / len(bare)
    return [
        Figure("extraction F1 (ours)", sum(ours) / len(ours), bare_f1, f"{len(ours)} pages, 2 templates"),
        Figure("extraction F1 (bare trafilatura)", bare_f1, None),
    ]
