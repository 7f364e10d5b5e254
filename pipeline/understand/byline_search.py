"""A page's byline read where trafilatura read it, as a reader sees it: its lines apart, past
an element that holds no name, and each name spelled as the page spells it.

trafilatura takes the author, when no meta tag or JSON-LD names one, from the first element
whose class or id says author or byline (trafilatura.metadata.extract_author), the texts of its
parts joined by spaces, and normalize_authors then drops what is no name in it. On real pages
(Mozilla Readability's test pages) that lost or blurred the author:

- the first such element held no name (a login menu's `class="username"`: "Username"), the
  author was blacklisted as a label and the search ended there, before the byline two
  elements on (wapo: "By Erin Cunningham");
- a line of the byline ran into the name: a job under it ("Ben Silverman" over "Games
  Editor": "Ben Silverman Games Editor"), an editor's credit after a <br> ("Written by Rob
  Ewaschuk<br>Edited by Betsy Beyer");
- a box about the author, found by its class or id, was taken for a byline ("About Hanna
  Hanna runs product operations" on a book's page): it names no byline, and the search goes on;
- a site that signs its pages lost its name's "&" ("Mac & i" split into "Mac; I");
- an initial lost its full stop ("Nelson D. Schwartz" -> "Nelson D Schwartz"):
  normalize_authors turns every "." into a space, meant for user names ("jane.doe").

`page_byline` mends each with the page's own text: the same elements in the same order, their
lines kept apart (a job on its own line is then a job after a name, which `reader_byline`
drops); the site's name when the author is that name's words; an initial's stop where the page
writes the name with it. Nothing is invented: each name is one the page holds.
"""

from __future__ import annotations

import re

from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import check_authors
from trafilatura.utils import trim
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from pipeline.understand.bylines import LABELS, reader_byline

# Elements that begin a line of their own, as a browser lays them out (and <br>, which ends one).
BLOCKS = frozenset({
    "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "footer", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "section", "table", "td", "th", "tr", "ul",
})
LINE = None  # in a list of texts, where a line ends (not "\n": the page's own newlines are spaces)
# Between a byline's lines, as between a name and what follows it on a page (bylines.BULLET): not
# a separator normalize_authors splits at, so that a line "Edited by X" stays one piece for
# reader_byline to drop as another hand's credit (split off, normalize_authors would drop its
# "Edited by" as it drops "By" and keep X as an author).
BETWEEN_LINES = " · "
# trafilatura's bounds on an element's text where it looks for a byline (extract_author).
MIN_CHARS, MAX_CHARS = 2, 120
WORD = re.compile(r"\w+")
# A box about the author (a book's "About the authors", "About Hanna" over her biography), which
# trafilatura's search takes for a byline by its class or id: its first line says what it is.
ABOUT = re.compile(r"(?i:about)\s+(?:(?i:the\s+(?:authors?|writers?))|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})"
                   r"\s*(?:·|$)")  # not "About 5 min read": no name follows


def page_byline(tree, html: str, found: str | None, sitename: str | None) -> str | None:
    """The authors a reader would name (bylines.reader_byline), from trafilatura's author
    `found` and the page (`tree` as parsed, `html` as fetched): the byline element's lines kept
    apart when `found` is that element's text, the search carried on past elements that name
    no one when `found` names no one; the site's name as the site writes it when the author is
    the site; an initial's full stop where the page writes it."""
    byline = reader_byline(found)
    searching = byline is None
    for plain, lined in _byline_elements(tree):
        biography = bool(ABOUT.match(lined))
        if not searching:
            # trafilatura read its author from the first element when it read the same.
            if check_authors(normalize_authors(None, plain) or "", set(LABELS)) != found:
                break
            if not biography:
                byline = reader_byline(normalize_authors(None, lined)) or byline
                break
            byline, searching = None, True  # a box about the author names no byline: look on
        elif not biography and (byline := reader_byline(normalize_authors(None, lined))) is not None:
            break
    if byline is None:
        return None
    return _with_initials_as_written(_as_the_site_writes_it(byline, sitename), html)


def _byline_elements(tree):
    """(its text as trafilatura reads it, its text with its lines apart) of each element where
    trafilatura looks for a byline, in its order, with its bounds on length; what it prunes
    first (comments, dates, figures: AUTHOR_DISCARD_XPATHS) is skipped, without copying the tree."""
    discarded = {element for expression in AUTHOR_DISCARD_XPATHS for element in expression(tree)}
    for expression in AUTHOR_XPATHS:
        for element in expression(tree):
            if element in discarded or any(ancestor in discarded for ancestor in element.iterancestors()):
                continue
            parts: list[str | None] = []
            _texts(element, discarded, parts, top=True)
            plain = trim(" ".join(part for part in parts if part is not LINE))
            if MIN_CHARS < len(plain) < MAX_CHARS:
                # A line that is a label alone ("By", "by:") is no piece of its own: normalize_authors
                # drops "By" only at the start of a piece.
                lines = [line for line in _lines(parts) if line.lower().rstrip(":：") not in LABELS]
                yield plain, BETWEEN_LINES.join(lines)


def _lines(parts: list[str | None]) -> list[str]:
    """The lines that `parts` (texts, LINE where a line ends) make, each trimmed, none empty."""
    lines: list[str] = []
    line: list[str] = []
    for part in [*parts, LINE]:
        if part is not None:
            line.append(part)
        elif trimmed := trim(" ".join(line)):
            lines.append(trimmed)
            line = []
    return lines


def _texts(element, discarded: set, parts: list[str | None], top: bool = False) -> None:
    """Append to `parts` the texts of `element` as lxml's itertext gives them (comments' text
    aside, tails kept), less its `discarded` descendants but their tails, with LINE where a
    block begins or ends."""
    if not top and element in discarded:
        parts.append(element.tail or "")
        return
    block = isinstance(element.tag, str) and element.tag.lower() in BLOCKS and not top
    if block:
        parts.append(LINE)
    if isinstance(element.tag, str):
        parts.append(element.text or "")
    for child in element:
        _texts(child, discarded, parts)
    if block:
        parts.append(LINE)
    if not top:
        parts.append(element.tail or "")


def _as_the_site_writes_it(byline: str, sitename: str | None) -> str:
    """The site's name when the byline is its words (a page signed by its site: normalize_authors
    split "Mac & i" at its "&" into "Mac; I"), else `byline`."""
    if sitename and WORD.findall(byline.lower()) == WORD.findall(sitename.lower()):
        return sitename
    return byline


def _with_initials_as_written(byline: str, html: str) -> str:
    """`byline` with a full stop after each initial of a name that the page writes so ("Nelson
    D. Schwartz": normalize_authors made it "Nelson D Schwartz"); a name the page writes
    without one ("Harry S Truman") stays as it is."""
    names = []
    for name in byline.split("; "):
        words = name.split()
        initials = [_initial(words, at) for at in range(len(words))]
        if any(initials):
            pattern = r"(?<!\w)" + "".join(
                (r"\s*" if at and initials[at - 1] else r"\s+" if at else "")
                + re.escape(word) + (r"(\.?)" if initials[at] else "")
                for at, word in enumerate(words)) + r"(?!\w)"
            for match in re.finditer(pattern, html):
                if any(match.groups()):
                    stops = iter(match.groups())
                    name = " ".join(word + (next(stops) if initial else "") for word, initial in zip(words, initials))
                    break
        names.append(name)
    return "; ".join(names)


def _initial(words: list[str], at: int) -> bool:
    """Whether `words[at]` is an initial: one capital letter before another word of the name
    (not a name's last word: "... from Mac & i." ends a sentence, not an initial)."""
    return at < len(words) - 1 and len(words[at]) == 1 and words[at].isupper()
