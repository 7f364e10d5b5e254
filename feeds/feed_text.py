"""The text of what feeds write: an entry's HTML reduced to its words (`html_to_text`), and
a text field that may hold HTML or escaped characters as plain text (`plain_text`).

Feeds carry HTML written by strangers; the corpus keeps only its text, so nothing from a feed
is ever rendered as HTML.
"""

from __future__ import annotations

import html
import re

import lxml.html
from lxml.etree import ParserError

from feeds.boilerplate import drop_feed_boilerplate, mentions_boilerplate

SCRIPT_TAGS = ("script", "style", "noscript", "template")  # dropped with their content
BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
              "blockquote", "pre", "section", "article", "dd", "dt")


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, whitespace collapsed ('' if there is none). Scripts,
    styles and templates are dropped with their content; block elements keep their words
    apart; what blog software appends that is not the entry's words ("Continue reading →",
    "The post ... appeared first on ...") is dropped (`feeds.boilerplate`)."""
    if not fragment or not fragment.strip():
        return ""
    try:
        tree = lxml.html.fromstring(fragment)
    except (ParserError, ValueError):
        return " ".join(fragment.split())
    if tree.tag in SCRIPT_TAGS:
        return ""
    for element in list(tree.iter(*SCRIPT_TAGS)):
        element.drop_tree()
    if mentions_boilerplate(fragment) and not drop_feed_boilerplate(tree):
        return ""
    for element in tree.iter(*BLOCK_TAGS):
        element.tail = " " + (element.tail or "")
    return " ".join(tree.text_content().split())


HTML_TYPES = ("text/html", "application/xhtml+xml")
# A character reference, its semicolon included: without one, "&para" in "?a=1&param=2" is no
# reference, though HTML5 reads it as one.
CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def plain_text(value, detail=None) -> str | None:
    """A feed's text field (title, author, summary) as plain text: HTML in it is reduced to
    its text, its character references decoded; None when nothing is left. `detail` is
    feedparser's description of the field (`title_detail`): a field it says is HTML is read as
    HTML even without a tag ("Publish in &#8220;Nature&#8221;", an Atom title of type html,
    which feedparser hands on as written); a field of plain text only when it has a tag."""
    text = str(value or "")
    kind = detail.get("type") if isinstance(detail, dict) else None
    if "<" in text or kind in HTML_TYPES:
        text = html_to_text(text)
    else:
        # Publishers escape a plain-text field twice ("Re&colon; ...", Blogger's summaries with
        # "&amp;nbsp;", WordPress's <dc:creator> "Emily Mazo,&nbsp;JS Tan"): the references
        # left are characters they meant. Ones that make a tag ("&lt;div&gt;") stay as written.
        decoded = CHARACTER_REFERENCE.sub(lambda match: html.unescape(match.group(0)), text)
        text = " ".join((text if "<" in decoded else decoded).split())
    return text or None
