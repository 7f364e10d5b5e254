"""Is a curated link still alive? The verdict on one re-requested URL, from what came back.

Plain functions over the response's facts (status, where redirects led, the extracted text),
so that the rules can be read and tested without a crawl. The verdicts:

- ``ok``: the page answers with the text that was curated (or 304 Not Modified);
- ``moved``: a redirect to another page of substance (the list should take the new URL);
- ``gone``: 404 or 410, or a redirect to the site's home page or to a page that says it is
  missing;
- ``soft-404``: a 200 whose text says the page is missing ("Page not found"), that declares
  itself the site's home page (rel=canonical to "/"), or that has no main text any more;
- ``changed``: the text now shares less than CHANGED_BELOW of its word trigrams (Jaccard)
  with the text stored when it was curated: minor edits stay ``ok``, a different article
  under the same URL does not;
- ``error``: no verdict could be reached (DNS, refused, timeout, 5xx, robots.txt, ...),
  with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from pipeline.items import Extraction
from pipeline.understand.encoding import decode_html
from pipeline.understand.extraction import extract_html
from pipeline.understand.pdf import PdfError, extract_pdf, is_pdf

VERDICTS = ("ok", "moved", "gone", "soft-404", "changed", "error")
CHANGED_BELOW = 0.5  # Jaccard similarity of word trigrams under which a text has "changed"
GONE_STATUSES = (404, 410)
HOME_PATHS = {"", "/", "/index.html", "/index.htm", "/index.php", "/home"}
# What a missing page says of itself, in its title or in a short text.
MISSING = re.compile(
    r"\b(?:404|page (?:was )?not found|not found|(?:page|article|post|content) (?:does not|doesn't) exist"
    r"|(?:can ?not|can't|could not|couldn't) (?:be )?f(?:ou|i)nd (?:the|this|that) page"
    r"|page (?:cannot|can't|could not) be found|no longer (?:available|exists)|has been (?:removed|deleted))\b",
    re.IGNORECASE,
)
SHORT_TEXT_WORDS = 150  # a text this short that says "not found" is an error page, not an article


@dataclass
class Verdict:
    """One URL's verdict and the reason in words."""

    verdict: str
    detail: str = ""


def is_home_page(url: str) -> bool:
    """True when `url` is a site's front page (no path beyond "/", "/index.html", ...)."""
    parts = urlsplit(url)
    return parts.path.rstrip("/").lower() in {p.rstrip("/") for p in HOME_PATHS} and not parts.query


def same_page(a: str, b: str) -> bool:
    """True when two URLs name the same page up to scheme, "www.", case of the host and a
    trailing slash (an http → https redirect is not a move)."""
    def key(url: str) -> tuple[str, str, str]:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        return host, parts.path.rstrip("/") or "/", parts.query
    return key(a) == key(b)


def says_missing(title: str | None, text: str | None) -> bool:
    """True when a page's title, or its short text, says the page is not there."""
    if title and MISSING.search(title):
        return True
    words = (text or "").split()
    return 0 < len(words) <= SHORT_TEXT_WORDS and bool(MISSING.search(" ".join(words)))


def trigrams(text: str) -> set[tuple[str, str, str]]:
    """The word trigrams of a text, lower-cased, punctuation ignored."""
    words = re.findall(r"\w+", text.lower())
    return set(zip(words, words[1:], words[2:]))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' word trigrams (1.0 for two empty texts)."""
    first, second = trigrams(a), trigrams(b)
    if not first and not second:
        return 1.0
    return len(first & second) / len(first | second)


def judge_answer(requested: str, final: str, status: int, title: str | None, text: str | None,
                 declared_canonical: str | None, curated_text: str | None) -> Verdict:
    """The verdict on a page that answered 2xx (after any redirects) at `final`.

    `text` is its extracted main text (None: it has none); `curated_text` the text stored
    when it was curated (None or empty: nothing to compare with).
    """
    redirected = not same_page(requested, final)
    if redirected and is_home_page(final) and not is_home_page(requested):
        return Verdict("gone", f"redirects to the site's home page {final}")
    if says_missing(title, text):
        what = f"the page says it is missing: {(title or text or '')[:80]!r}"
        return Verdict("gone", f"redirects to {final}; {what}") if redirected else Verdict("soft-404", what)
    if text is None:
        if redirected:
            return Verdict("gone", f"redirects to {final}, a page without main text")
        return Verdict("soft-404", f"HTTP {status} but the page has no main text any more")
    if (declared_canonical and is_home_page(declared_canonical) and not is_home_page(requested)
            and not same_page(declared_canonical, requested)):
        return Verdict("soft-404", f"HTTP {status} but the page declares itself the home page "
                                   f"({declared_canonical})")
    if redirected:
        return Verdict("moved", f"moved to {final}")
    if curated_text:
        share = similarity(curated_text, text)
        if share < CHANGED_BELOW:
            return Verdict("changed", f"{share:.0%} of the text is the same as when curated "
                                      f"(below {CHANGED_BELOW:.0%})")
    return Verdict("ok", f"HTTP {status}")


def judge_unchanged(requested: str, final: str) -> Verdict:
    """The verdict on a 304 Not Modified (or the same bytes as last time), possibly reached
    through a redirect: the content is what was fetched before."""
    if same_page(requested, final):
        return Verdict("ok", "not modified since it was last fetched")
    if is_home_page(final) and not is_home_page(requested):
        return Verdict("gone", f"redirects to the site's home page {final}")
    return Verdict("moved", f"moved to {final} (same content)")


def judge_status(status: int, requested: str, final: str) -> Verdict:
    """The verdict on a page that answered with an error status (4xx, 5xx)."""
    after = "" if same_page(requested, final) else f" after a redirect to {final}"
    if status in GONE_STATUSES:
        return Verdict("gone", f"HTTP {status}{after}")
    return Verdict("error", f"HTTP {status}{after}")


def read_answer(body: bytes, url: str, kind: str, encoding: str | None) -> Extraction | None:
    """The main text of a re-requested HTML page or PDF (None when it has none or cannot be
    read). Runs in a bounded worker (pipeline/stages/pool.py): the bytes are the site's."""
    if is_pdf(kind, body):
        try:
            return extract_pdf(body, url)
        except PdfError:
            return None
    return extract_html(decode_html(body, encoding), url)
