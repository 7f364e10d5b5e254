"""What blog software appends to a feed entry's HTML that is not the entry's words.

Measured on the 112 real feeds of ../shared/corpora/feeds/neighbourhood: WordPress's excerpt
ends with a link that says only "Continue reading" ("Continue reading <its title> →",
"Continue Reading", pagetable.com's "... Read more"), and Yoast SEO's feed footer adds a last
paragraph "The post <title> appeared first on <blog>." to the excerpt and the full text. They
ended 146 summaries in 11 feeds and 24 full texts in 5: stored as a document's description
(or, for an entry whose page is not fetched, its text), they read as the writer's. A lone "…"
before the link stays: it says the excerpt is cut.
"""

from __future__ import annotations

import re

# The whole text of such a link (screen-reader text and arrows included): a link whose words
# say where it goes ("Read more about <a>Cold Starts in AWS Lambda</a>") is not one.
READ_MORE = re.compile(r"(continue reading|read more|keep reading|read the rest)\b.{0,300}", re.IGNORECASE | re.DOTALL)
# One of them in the HTML as written, or the fragment is not searched (most are not): a test
# of the lower-cased text, as a regular expression cost a second on the 112 feeds.
PHRASES = ("continue reading", "read more", "keep reading", "read the rest", "appeared first on")
WORD = re.compile(r"\w")


def mentions_boilerplate(fragment: str) -> bool:
    """Whether an HTML fragment may hold such an ending (a quick test on its text as written)."""
    lowered = fragment.lower()
    return any(phrase in lowered for phrase in PHRASES)


def drop_feed_boilerplate(tree) -> bool:
    """Remove, in place, a "Continue reading" link and a "The post ... appeared first on ..."
    paragraph that end an entry's HTML (nothing but punctuation after them); return False when
    that is all the HTML was (the root itself is boilerplate), True otherwise."""
    footers = [element for element in tree.iter("p", "div") if _is_footer(element) and _ends(element)]
    if not _dropped(tree, footers):
        return False
    # Looked for once the footer is gone: a "Continue reading" link ends the excerpt before it.
    links = [element for element in tree.iter("a") if READ_MORE.fullmatch(_text(element)) and _ends(element)]
    return _dropped(tree, links)


def _dropped(tree, elements) -> bool:
    """Drop the elements from the tree; False when one of them is the tree itself."""
    for element in elements:
        if element is tree:
            return False
        element.drop_tree()
    return True


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _is_footer(element) -> bool:
    """Whether the element reads "The post <a>title</a> appeared first on <a>blog</a>." and
    nothing else (a paragraph that tells of a post office is no footer)."""
    links = element.findall(".//a")
    if len(links) != 2:
        return False
    footer = f"The post {_text(links[0])} appeared first on {_text(links[1])}"
    return _text(element) in (footer, footer + ".")


def _ends(element) -> bool:
    """Whether no words follow the element in its fragment."""
    return not any(WORD.search(text) for text in element.xpath("following::text()"))
