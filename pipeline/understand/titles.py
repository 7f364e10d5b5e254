"""A page's title as a reader would name it: the title it declares, without its site's name,
rather than a heading of the site's chrome.

trafilatura takes the title the page declares (og:title, a meta title, itemprop headline,
JSON-LD's headline) and, when there is none, a lone <h1> before all else, then a heading
whose class says title, then the <title> (trafilatura.metadata.extract_title). On real pages
(Mozilla Readability's test pages) that lone <h1> was often the site's, not the article's:
"Allergies Health Center" over "Babies Who Eat Peanuts Early May Avoid Allergy", "Archive of
Our Own beta", "Hi, I'm Nicolas.". Here the <title> replaces the lone <h1> when all of these
hold: the page declares no title; the <h1> sits in the page's chrome (a header, navigation,
footer... before any article or main); it does not agree with the <title> (neither's words
are all among the other's, as Readability keeps an <h1> that is a part of the <title>); and
the <title> says more than the <h1> (not the site's name alone, nor shorter or longer than
Readability's bounds for a title). Then the <title> is cut of its site's name
(`without_site_name`, else Readability's cut at the last separator). Elsewhere trafilatura's
heading stays: on the project's own pages a lone <h1> in the content is the title more often
than a <title> like "Work with us" or "Checkout", and a heading marked as a title
("chapter-title") is the page's own choice.

A title is kept as trafilatura gave it, less a last part that is the site's name ("... |
Aktuálně.cz", "... - The Verge"): the page named itself, and its og:title is often the
editor's better headline than the <title>.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from urllib.parse import urlsplit

from trafilatura.metadata import examine_meta, examine_title_element, extract_meta_json

from pipeline.understand.links import in_boilerplate

logger = logging.getLogger(__name__)

# A separator between a title's parts: Readability's (| - \ / > ») and the dashes and dots
# sites use the same way, each with spaces around (a hyphen inside a word is no separator).
SEPARATOR = re.compile(r"\s+[|\-–—\\/>»·•]\s+")
TITLE_CHARS = (15, 150)  # Readability's bounds: a <title> outside them says less than the page's lone heading
MIN_CUT_WORDS = 3  # a title cut at a separator keeps at least this many words, or is not cut
MIN_NAME_KEY = 3  # characters of a part that may name a site: not a lone "A"
# Words to compare titles by: in the scripts written without spaces (Chinese, Japanese) each
# character is one, elsewhere a run of letters and digits ("_" separates: "新台阶_科技_腾讯网").
NO_SPACES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{NO_SPACES}]|[^\W_{NO_SPACES}]+")
# The words of a link that say what to do with a file, not what the file is: a link of these
# alone ("Download PDF (2.4 MB)", "Click here", "Read the full report") names no document.
LINK_WORDS_NAMING_NOTHING = frozenset(
    "a an the this our your it here now free full click tap read view open get see download downloads pdf file "
    "files version printable print copy document link more report paper white whitepaper guide e ebook book "
    "slides deck presentation article in as of format english en".split())
FILE_SIZE = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:[kmg]i?b|[km]|pages?|pp)\b", re.IGNORECASE)


def reader_title(tree, title: str | None, sitename: str | None, url: str) -> str | None:
    """The title of the page in `tree` (at `url`), given trafilatura's `title` and the site's
    name it found: see the module docstring. None only when trafilatura found none."""
    if not title:
        return title
    whole = examine_title_element(tree)[0]
    if (whole and TITLE_CHARS[0] <= len(whole) <= TITLE_CHARS[1] and not _agrees(title, whole)
            and not _site_name(whole, sitename, url) and _chrome_h1(tree, title) and not _declared(tree, url)):
        cut = without_site_name(whole, sitename, url)
        return cut if cut != whole else _cut_last_part(whole)
    return without_site_name(title, sitename, url)


def link_title(anchor: str | None) -> str | None:
    """The words of a link to a resource as its title, when they name it ("The State of
    Product Ops 2025", "Download the 2025 report"); None when they only say what to do with
    it ("Download PDF (2.4 MB)", "here"): LINK_WORDS_NAMING_NOTHING."""
    words = _words(FILE_SIZE.sub(" ", anchor or "")).split()
    return anchor if any(word not in LINK_WORDS_NAMING_NOTHING for word in words) else None


def without_site_name(title: str, sitename: str | None, url: str) -> str:
    """`title` less its last part (after a separator) when that part is the site's name: the
    declared name (og:site_name and the like, which may go on with a tagline) or the URL's
    host ("Aktuálně.cz" of aktualne.cz, "The Verge" of theverge.com). A first part that is
    the site's name stays: there it is as often the thing the page is about (an event's or a
    book's own site, "ProdOps Unconference — Amsterdam, 27 June 2025")."""
    parts = SEPARATOR.split(title)
    if len(parts) > 1 and _site_name(parts[-1], sitename, url):
        return _strip_separators(title[:title.rfind(parts[-1])])
    return title


def _strip_separators(text: str) -> str:
    """`text` less the separator left at its start or end by a cut part."""
    text = re.sub(rf"^(?:{SEPARATOR.pattern})", "", f" {text}")
    return re.sub(rf"(?:{SEPARATOR.pattern})$", "", f"{text} ").strip()


def _cut_last_part(whole: str) -> str:
    """Readability's cut of a <title> whose site name is not known: all before the last
    separator, or when that is too short, all after the first; the whole when both are."""
    parts = SEPARATOR.split(whole)
    if len(parts) < 2:
        return whole
    head = _strip_separators(whole[:whole.rfind(parts[-1])])
    if len(head.split()) >= MIN_CUT_WORDS:
        return head
    tail = _strip_separators(whole[len(parts[0]):])
    return tail if len(tail.split()) >= MIN_CUT_WORDS else whole


def _declared(tree, url: str) -> bool:
    """Whether the page declares a title (og:title, a meta title, itemprop headline, JSON-LD's
    headline or name), which is then the title trafilatura gave, by its own reading."""
    metadata = examine_meta(tree)
    if metadata.title:
        return True
    try:
        return bool(extract_meta_json(tree, metadata).title)
    except Exception:  # as trafilatura: its JSON-LD reading has bugs, and a bug there is no title
        logger.debug("JSON-LD title of %s could not be read", url, exc_info=True)
        return False


def _chrome_h1(tree, title: str) -> bool:
    """Whether trafilatura's title is the page's lone <h1>, taken before all else, and that
    <h1> sits in the page's chrome: a header, a navigation, a footer or the like before any
    article or main (pipeline.understand.links.in_boilerplate). A heading it chose for a class
    that says title ("chapter-title", "entry-title") is the page's own choice, and stays."""
    h1s = tree.findall(".//h1")
    return len(h1s) == 1 and " ".join(h1s[0].text_content().split()) == title and in_boilerplate(h1s[0])


def _agrees(heading: str, whole: str) -> bool:
    """Whether a heading and the <title> name the same thing: the words of one are all among
    the other's (in any order: "pm-ops-kit / feedback-tagging" and "feedback-tagging | pm-ops-kit")."""
    heading_words, whole_words = set(_words(heading).split()), set(_words(whole).split())
    return bool(heading_words) and (heading_words <= whole_words or whole_words <= heading_words)


def _site_name(part: str, sitename: str | None, url: str) -> bool:
    """Whether `part` names the site: it is the declared name or its first words (a name with
    a tagline after it), or the URL's host or one of its labels, letters and digits compared."""
    key = _key(part)
    if len(key) < MIN_NAME_KEY:
        return False
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    hosts = {_key(host), *(_key(label) for label in host.split(".")[:-1])}  # not the top-level domain alone
    return key in hosts or bool(sitename and f"{_words(sitename)} ".startswith(f"{_words(part)} "))


def _words(text: str) -> str:
    """The words of `text`, lowercased, accents and punctuation aside, space-separated."""
    return " ".join(WORD.findall(_fold(text)))


def _key(text: str) -> str:
    """`text` as letters and digits only, lowercased, accents aside: "Aktuálně.cz" is "aktualnecz"."""
    return "".join(re.findall(r"[^\W_]", _fold(text)))


def _fold(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(char))
