"""The links of a page's main content: what its author cites (not its navigation or footer).

Read from the same lxml tree trafilatura extracts from (parsed once), after extraction:
trafilatura works on a copy of a tree it is given (tests/test_citations.py finds the
content's links in the tree after extraction).
A link counts as the content's when it is an http(s) link to another page, it
sits in no boilerplate container (nav, header, footer, aside, form, or an element whose class
or id says menu, sidebar, share, related, comments, cookie, newsletter ... and that holds less
than LAYOUT_SHARE of the page's words), and its anchor text is part of the extracted main
text. At most MAX_LINKS a page, in page order, each URL once.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

from feeds.urls import web_address

BOILERPLATE_TAGS = {"nav", "header", "footer", "aside", "form", "button", "menu"}
# Words of a class or id (split at "-" and "_") that name a boilerplate container.
BOILERPLATE_WORDS = {
    "nav", "navbar", "navigation", "menu", "footer", "header", "masthead", "sidebar", "breadcrumb",
    "breadcrumbs", "share", "sharing", "social", "related", "comment", "comments", "cookie", "cookies",
    "consent", "subscribe", "newsletter", "promo", "widget", "widgets", "banner", "signup", "pagination",
    "tags", "bio", "toc", "hdr",
}
CONTENT_TAGS = {"article", "main"}  # reached first: the link is the content's
# A container whose class or id names boilerplate but that holds this share of the page's
# words or more is the page's layout, not its chrome: Vox's article body in "l-sidebar-fixed",
# a Drupal page's in "panel-two-col-sidebar-right-mix", a Blogger post in "widget Blog", The
# Independent's in a text wrapper whose id names its share buttons (0.65 to 0.94 of the words
# of those real pages: every link of their text was the chrome's). Chrome held less on the
# same 130 pages: a post's comments 0.51, a sidebar of headlines 0.48.
LAYOUT_SHARE = 0.6
WORDS = "descendant-or-self::text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
MAX_LINKS = 100
MIN_ANCHOR = 3  # characters: shorter anchor texts ("1", "»") say nothing


def content_links(tree, page_url: str, text: str) -> list[tuple[str, str]]:
    """(absolute URL, anchor text) of the links of the main content, in page order: outside
    boilerplate containers, with an anchor text that is part of the extracted main `text`.

    The cheap tests come first (a page has hundreds of links, its content a few)."""
    flat = " ".join(text.split()).casefold()
    base = page_url
    declared = tree.find(".//base[@href]") if hasattr(tree, "find") else None
    if declared is not None:
        base = urljoin(page_url, declared.get("href", "").strip())
    found, seen = [], {urldefrag(page_url)[0]}
    words = PageWords()
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        anchor_text = " ".join(anchor.text_content().split())
        if len(anchor_text) < MIN_ANCHOR or anchor_text.casefold() not in flat:
            continue
        url = web_address(href, base)
        url = urldefrag(url)[0] if url is not None else None
        if url is None or url in seen or in_boilerplate(anchor, words):
            continue
        seen.add(url)
        found.append((url, anchor_text))
        if len(found) == MAX_LINKS:
            break
    return found


def host_of(url: str) -> str:
    """The site a URL is on: its host name, lower-case, without a leading "www.", and with
    its port when that is not the scheme's default (127.0.0.1:8001)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return f"{host}:{port}" if port is not None and port != default else host


class PageWords:
    """How many words of a page's text (script and style aside) an element holds, each
    element counted once: a page's hundreds of links sit in a few dozen containers."""

    def __init__(self) -> None:
        self.counts: dict = {}
        self.page: int | None = None

    def count(self, node) -> int:
        if node not in self.counts:
            self.counts[node] = sum(len(text.split()) for text in node.xpath(WORDS))
        return self.counts[node]

    def holds_most(self, node) -> bool:
        """Whether `node` holds LAYOUT_SHARE of its page's words or more."""
        if self.page is None:
            root = node.getroottree().getroot()
            body = root.find(".//body") if root.tag != "body" else root
            self.page = self.count(body if body is not None else root)
        return self.page > 0 and self.count(node) >= LAYOUT_SHARE * self.page


def in_boilerplate(element, words: PageWords | None = None) -> bool:
    """True when a boilerplate container holds the element before an article or main does
    (body and html are not asked: their classes describe the whole page). A container named
    boilerplate by a word of its class or id alone is not one when it holds most of the
    page's words (LAYOUT_SHARE); a tag or a role says what it is whatever it holds (a live
    feed in an <aside> held 0.62 of a news page's words). `words`: the page's counts, kept
    across the calls for one page."""
    words = words if words is not None else PageWords()
    node = element.getparent()
    while node is not None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag in ("body", "html"):
            return False
        if tag in CONTENT_TAGS or node.get("role") == "main":
            return False
        if tag in BOILERPLATE_TAGS or node.get("role") in ("navigation", "banner", "contentinfo"):
            return True
        names = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if BOILERPLATE_WORDS.intersection(re.split(r"[\s_-]+", names)) and not words.holds_most(node):
            return True
        node = node.getparent()
    return False
