"""The search box's syntax, read in one place for the search page, /-/search.json and
`prodops search`: which words a query looks for, which every result must have, which no
result may have.

    okr template           any of the words (stop words left out unless there are no others)
    road*                  a word beginning so
    +okr   "okr"           required: every result has the word
    "quoted phrase"        required: every result has the phrase
    -template   NOT template   -"quoted phrase"   -cross-team   excluded: no result has it

A sign counts at the start of a word only ("cross-team" is two words, "x - y" two words and a
dash); NOT only in capitals and only before a word (a NOT at the end is a word). Whatever is
not syntax is words, and every term reaches FTS5 quoted: no input can make a search fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

STOP_WORDS = frozenset("""a an and are as at be but by can do does for from how i in into is it its me my of on or
our should so that the their them there these they this to was we what when where which who why will with
you your""".split())
# One token: an optional sign (at the start of the query or after a space), then a "quoted
# phrase" or a word (its hyphened or apostrophed parts with it) with an optional prefix star.
TOKEN = re.compile(r"""(?P<sign>(?<!\S)[-+])?(?:"(?P<phrase>[^"]*)"|(?P<word>\w+(?:[-'’]\w+)*)(?P<star>\*?))""")
NOT = "NOT"


@dataclass(frozen=True)
class Query:
    """A query as read by parse_query; each term an FTS5 string, quoted."""

    text: str = ""  # the query without what it excludes and without its signs: what meaning ranks by
    terms: list[str] = field(default_factory=list)  # looked for: a document with any of them matches by words
    required: list[str] = field(default_factory=list)  # every result has each of these (they are in `terms` too)
    excluded: list[str] = field(default_factory=list)  # no result has any of these
    excluded_words: list[str] = field(default_factory=list)  # the excluded terms as a reader would write them

    @property
    def match(self) -> str:
        """The FTS5 query for the documents that match by words: any of the terms."""
        return " OR ".join(self.terms)

    @property
    def restricted(self) -> bool:
        """Whether the query requires or excludes anything."""
        return bool(self.required or self.excluded)


def parse_query(text: str) -> Query:
    """Read a query typed in a search box (the syntax in this module's docstring). Never
    raises; what cannot be read as syntax is read as words."""
    tokens = list(TOKEN.finditer(text))
    terms: list[tuple[str, bool]] = []  # (term, is an optional stop word)
    required: list[str] = []
    excluded: list[tuple[str, str]] = []  # (term, as written)
    cut: list[tuple[int, int]] = []  # spans of `text` that meaning does not see
    negate_from = None  # where a NOT before this token began
    for at, token in enumerate(tokens):
        sign, phrase, word = token.group("sign", "phrase", "word")
        star = token.group("star") or ""
        if word == NOT and not sign and not star and at + 1 < len(tokens):
            negate_from = token.start()
            continue
        words = re.findall(r"\w+", phrase if phrase is not None else word)
        if sign == "-" or negate_from is not None:
            cut.append((token.start() if negate_from is None else negate_from, token.end()))
            negate_from = None
            if words:
                excluded.append((_term(words, star), " ".join(words) + star))
            continue
        if sign == "+":
            cut.append((token.start(), token.start() + 1))
        if not words:
            continue
        if sign == "+" or phrase is not None:  # a phrase, a quoted word or a +word: required
            required.append(_term(words, star))
            terms.append((required[-1], False))
        else:  # a word typed plainly: each of its parts on its own ("cross-team": cross, team)
            parts = [_term([part], star if part_at == len(words) - 1 else "") for part_at, part in enumerate(words)]
            terms += [(term, part.lower() in STOP_WORDS) for term, part in zip(parts, words)]
    content = [term for term, stop in terms if not stop] or [term for term, _ in terms]
    return Query(text=" ".join(_without(text, cut).split()), terms=list(dict.fromkeys(content)),
                 required=list(dict.fromkeys(required)), excluded=list(dict.fromkeys(t for t, _ in excluded)),
                 excluded_words=list(dict.fromkeys(shown for _, shown in excluded)))


def _term(words: list[str], star: str) -> str:
    """One FTS5 term: the words as a quoted phrase (a word: a phrase of one), a prefix if starred."""
    return '"' + " ".join(words) + '"' + ("*" if star else "")


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the spans cut out."""
    kept, start = [], 0
    for begin, end in sorted(spans):
        kept.append(text[start:begin])
        start = max(start, end)
    return " ".join(kept + [text[start:]])
