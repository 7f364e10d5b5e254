"""A page's byline as a reader would name its authors: what trafilatura found, less what is
not a name.

trafilatura reads the author from the page's declarations (meta tags, JSON-LD) or, failing
them, from the first element whose class or id says author or byline, and normalizes it
(trafilatura.json_metadata.normalize_authors: split at "," ";" "/" "and", digits and what
follows them cut, "By" dropped). On real pages (Mozilla Readability's test pages) that left:
a form's or a section's label where the byline was looked for ("Username", "Authority
control", "作者"); the words before the date the digits began ("Nathan Willis March",
"Joe Wee Monday; February", "Aleš Vávra před", "Last Updated January"); a credential or a
role as one more author ("Brenda Goodman; MA"); one name twice in two cases; and the pieces
of a URL in a meta tag ("Bradley M Kuhn http; Ebb Org; Bkuhn").

Each is undone here by the same pieces trafilatura uses: LABELS is its `author_blacklist`
(given to trafilatura.bare_extraction, so a declared label makes it search the page on);
`tidy_author_meta` takes URLs and addresses out of the author meta tags before trafilatura
reads them, empties a program's name there and turns a name filed surname first round;
`reader_byline` cleans what it found. A name is never invented: what is left
when nothing is a name is None.
"""

from __future__ import annotations

import re

from trafilatura.metadata import METANAME_AUTHOR, OG_AUTHOR, PROPERTY_AUTHOR, check_authors

from pipeline.understand.content_types.text import UNSPACED_SCRIPT

# Words that label where a byline (or a login form) is, never a name: trafilatura's
# `author_blacklist`, compared with each author whole and case-insensitively.
LABELS = frozenset({
    "author", "authors", "by", "username", "user name", "login", "log in", "sign in", "authority control",
    "autor", "autores", "auteur", "auteurs", "autore", "作者", "follow", "words", "text",
})
# A label before the name ("Author: Jane Doe", "作者：张三"): normalize_authors drops the colon,
# not the word.
LABEL_BEFORE = re.compile(r"^(?:(?:authors?|autor(?:es)?|auteurs?|autore)\b|作者)\s*[:：]?\s*(?=\S)", re.IGNORECASE)
MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split())
WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun".split())
# Words that come right before a date's digits (cut off by normalize_authors): "před 2 hodinami"
# (Czech), "vor 2 Stunden" (German), "hace 2 horas" (Spanish), "há 2 horas" (Portuguese).
BEFORE_NUMBERS = frozenset({"před", "pred", "vor", "hace", "há"})
DATE_WORDS = MONTHS | WEEKDAYS | BEFORE_NUMBERS
# A day or a year left by normalize_authors, which cuts from a digit only when more follows
# ("Caleb Mwangi · September 9").
NUMBER = re.compile(r"\d+(?:st|nd|rd|th)?\W*", re.IGNORECASE)
# A date's lead-in: from here on the byline is a date ("Last Updated January 7, 2019").
DATE_LEADS = frozenset({"updated", "published", "posted", "modified", "recorded"})
# What follows a name after a comma, a degree or a job ("Brenda Goodman, MA", "Jane Doe,
# Staff Writer"): an author made only of these is dropped, and trailing ones are cut. Not
# "staff" alone: a desk signs as one ("Our Foreign Staff", not "Our Foreign").
CREDENTIALS = frozenset({"ma", "ms", "msc", "md", "phd", "dphil", "rn", "mph", "mba", "bsc", "dds"})
ROLES = frozenset({
    "editor", "editors", "reporter", "correspondent", "writer", "columnist", "contributor", "journalist",
    "producer", "photographer", "secretary", "lead", "manager", "director", "engineer", "partner", "principal",
    "consultant", "analyst", "officer", "founder", "cofounder", "ceo", "cto", "president", "chair", "designer",
    "researcher", "scientist", "professor", "fellow", "intern", "contributing", "senior", "associate",
    "deputy", "managing", "chief", "host", "co-host", "guest",
})
# After a name, another hand's credit is not an author ("Catriona Bell · Photographs by João Pires").
CREDIT = re.compile(r"^\w+ by\s", re.IGNORECASE)
MIN_NAME_WORDS = 2  # a trailing word is cut only when a name of two words is left ("Theresa May" stays)
URL_OR_ADDRESS = re.compile(r"\(?\s*(?:https?://|www\.)[^\s)]+\s*\)?|<?\b[\w.%+-]+@[\w.-]+\.[A-Za-z]{2,}\b>?")
# Between a name and what follows it on a page ("Maren Oduya · Mar 3", "Aiko Tanaka · Product
# Operations Lead"), as trafilatura's ";" between authors.
BULLET = re.compile(r";|\s[·•]\s")
AUTHOR_META = frozenset(name.lower() for name in METANAME_AUTHOR | PROPERTY_AUTHOR | OG_AUTHOR)
# A program named where an author is looked for (`<meta name="creator" content="rfcmarkup
# version 1.111">`, a converter's or an editor's): a version ("version 3", "v2", a dotted
# number), not the word alone ("Sarah Version").
SOFTWARE = re.compile(r"\bversion\s+v?\d|\bv?\d+\.\d+(\.\d+)*\b", re.IGNORECASE)
# A date written with dots ("Max Mustermann, 03.02.2021", as German and Russian pages write
# one): no program's number, so not read as one (normalize_authors cuts it at its digits).
DOTTED_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\b")
# A name filed surname first, as Dublin Core and library catalogues write it ("Kooman, F.",
# "Jong, Michiel de", "Goodman, Brenda"): one word, a comma, then at most FILED_GIVEN words,
# none of them a job, degree or desk ("Doe, Staff", "Goodman, MA", "Editor, Jane" are not names
# turned round); read so only in the tags that file names so (FILING_META: a plain `author`
# "Alice, Bob" is two authors), and not in Chinese or Japanese, where the surname comes first.
FILED = re.compile(r"^\s*([^\s,;]+)\s*,\s*([^,;]+?)\s*$")
FILED_GIVEN = 3
NOT_GIVEN = frozenset({"staff", "team", "desk", "inc", "ltd", "llc", "corp", "co", "jr", "sr"})
FILING_META = frozenset({"citation_author", "dc.creator", "dc.creator.aut", "dc:creator", "dcterms.creator",
                         "dcterms.creator.aut"})


def tidy_author_meta(tree) -> None:
    """Tidy the page's author meta tags, in place, before trafilatura reads them: URLs and
    e-mail addresses out (normalize_authors skips a value that starts with one, but one after
    the name, "Bradley M. Kuhn (http://ebb.org/bkuhn/)", was split at its slashes and dots into
    authors of its own, "Bradley M Kuhn http; Ebb Org; Bkuhn"); a program's name emptied
    (SOFTWARE: "rfcmarkup version 1.111" was an author); a name filed surname first turned
    round (`unfiled`: "Kooman, F." was split at its comma into "Kooman; F"). A program is
    looked for once the URLs are out: a version in the address after a name ("Jane Doe
    (https://jane.example/cv-1.2/)") is the address's, and the name stays."""
    for meta, kind in _author_metas(tree):
        content = meta.get("content", "")
        tidied = " ".join(URL_OR_ADDRESS.sub(" ", content).split())
        if SOFTWARE.search(DOTTED_DATE.sub(" ", tidied)):
            tidied = ""
        elif kind in FILING_META:
            tidied = unfiled(tidied)
        if tidied != content.strip():
            meta.set("content", tidied)


def _author_metas(tree):
    """(element, its kind in lower case) of each of the page's author meta tags (AUTHOR_META)."""
    for meta in tree.iterfind(".//head/meta[@content]"):
        kind = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        if kind in AUTHOR_META:
            yield meta, kind


def unfiled(name: str) -> str:
    """A name filed surname first (FILED) as a reader writes it, given names first ("Jong,
    Michiel de" -> "Michiel de Jong", "Kooman, F." -> "F. Kooman"); any other value as it is
    ("Jane Doe, Staff Writer", "Goodman, MA", "Editor, Jane", "Smith, Jones and Lee", "田中, 太郎")."""
    filed = FILED.match(name)
    if filed is None or UNSPACED_SCRIPT.search(name):
        return name
    words = [filed[1], *filed[2].split()]
    if len(words) > FILED_GIVEN + 1 or any(word.lower().strip(".") in CREDENTIALS | ROLES | NOT_GIVEN | {"and", "&"}
                                           for word in words):
        return name
    return f"{filed[2]} {filed[1]}"


def reader_byline(author: str | None) -> str | None:
    """trafilatura's author ("Name; Other Name") as a reader would name the authors: labels
    (alone, or before a name), dates, credentials and jobs out, each name once (case aside;
    a name contained in another dropped), in the page's order; None when no name is left."""
    if not author:
        return None
    kept = check_authors(author, set(LABELS)) or ""
    names: list[str] = []
    for piece in BULLET.split(kept):
        words = _name_words(LABEL_BEFORE.sub("", piece.strip()).split())
        if not words or {word.lower() for word in words} <= ROLES | LABELS:
            continue
        if names and (words[-1].lower() in CREDENTIALS | ROLES or CREDIT.match(" ".join(words))):
            continue  # after a name, its degree or job ("Jane Doe, Staff Writer", "..., MA") or another's credit
        while len(words) > MIN_NAME_WORDS and words[-1].lower() in CREDENTIALS | ROLES:
            words = words[:-1]  # "Ben Silverman Senior Editor"
        names.append(" ".join(words))
    unique: dict[str, str] = {}
    for name in names:
        if not any(_within(name, other) for other in names if other.lower() != name.lower()):
            unique.setdefault(name.lower(), name)  # the first spelling of a name, in the page's order
    return "; ".join(unique.values()) or None


def _name_words(words: list[str]) -> list[str]:
    """The words of one author less a date lead-in and what follows it, and less a trailing
    run of date words and bare punctuation ("Nathan Willis March") while MIN_NAME_WORDS are
    left; [] when the words are only a date ("February", "Last Updated January")."""
    lowered = [word.lower() for word in words]
    for at, word in enumerate(lowered):
        if word in DATE_LEADS:
            words = words[:at - 1] if at and lowered[at - 1] == "last" else words[:at]
            break
    words = _without_trailing_punctuation(words)
    if words and all(_date_word(word) for word in words):
        return []
    while len(words) > MIN_NAME_WORDS and _date_word(words[-1]):
        words = _without_trailing_punctuation(words[:-1])
    return words


def _date_word(word: str) -> bool:
    """Whether `word` belongs to a date: a month, a weekday, a word before a date's number, a number."""
    return word.lower() in DATE_WORDS or NUMBER.fullmatch(word) is not None


def _without_trailing_punctuation(words: list[str]) -> list[str]:
    """`words` less those at the end that are no word at all ("·", "|", "—")."""
    while words and not any(char.isalnum() for char in words[-1]):
        words = words[:-1]
    return words


def _within(name: str, other: str) -> bool:
    """Whether `name`'s words are a run of `other`'s, case aside ("Gettleman" in
    "Jeffrey Gettleman"): the shorter form of one name."""
    return f" {name.lower()} " in f" {other.lower()} "


# Who a page's author tags may name in one word that no reader would take for a writer: an
# account's or a role's word, not a name.
NO_ONE = frozenset({"admin", "administrator", "webmaster", "staff", "team", "editor", "editors", "guest",
                    "anonymous", "unknown", "user", "root", "redaktion", "redacción", "rédaction"})
SHOUTED = 4  # letters from which a word in capitals is a placeholder or a shout ("FAIL"), not an agency's "AFP"


def one_word_author(tree) -> str | None:
    """The author a page's author meta tags name in one word ("Gartner", "Reuters", "AFP",
    "田中太郎"), which trafilatura drops as a user name; letters only, a capital first where the
    script has one (not "jsmith" or "admin42"), not in capitals past an agency's initials, and
    not an account's or a role's word (NO_ONE, LABELS, ROLES). For a page where nothing else
    names an author."""
    for meta, _ in _author_metas(tree):
        word = " ".join((meta.get("content") or "").split())
        if (word.isalpha() and 2 <= len(word) <= 40 and (word[0].isupper() or not word.isascii())
                and not (word.isupper() and len(word) >= SHOUTED) and word.lower() not in NO_ONE | LABELS | ROLES):
            return word
    return None
