"""The content types' cues from the taxonomy (data/taxonomy.yaml), indexed once per taxonomy
(TypeIndex): URL patterns, title and text phrases, the names pages give themselves ("this
guide"), the labels over titles ("Playbook · Sales operations") and markup declarations.
"""

from __future__ import annotations

import re

from pipeline.config.taxonomy import Taxonomy
from pipeline.understand import markup as markup_reading
from pipeline.understand.content_types.text import HEAD_CHARS, OPENING_LINES, SENTENCE, under_title
from pipeline.understand.phrases import PhraseIndex

HOST_PART = r"\."  # in a URL pattern, what names a site ("youtube\.com/watch"), not a folder
SELF_NAMING = re.compile(r"(?:in )?this ([a-z]+)")  # "this guide": a name a page gives itself
# "A friend is teaching a class on ...": a verb between "A" and the name tells of something else.
NOT_A_DESCRIBER = (r"(?:is|are|was|were|be|has|have|had|will|would|can|could|should|may|might|did|does|do"
                   r"|who|that|which)\b")
DESCRIBERS = 5  # words between "A" and the name: "A practical four-part online course"
INTRODUCTION_WORDS = 6
EYEBROW_LINES = 3  # a kicker over a title: "Playbook · Sales operations"
EYEBROW_WORDS = 4
# Title phrases a blog's categories share with the kinds, which name no page's kind as a label.
LABEL_NOT_A_KIND = frozenset("tips trends live recap starter script notion event kit matrix".split())
BREADCRUMB = re.compile(r"\s[/›>»]\s")
DESCRIBED_BY = 2  # words between "this" and the name: "this 45-minute live webinar"
POINTING = frozenset("particular same very specific last next previous other".split())
QUOTES = "“\"‘'"
REPORTED_WITHIN = 40  # characters after the name: "this new report finds ..."
REPORTING = re.compile(r"\b(finds|found|shows|showed|says|said|suggests|reveals|revealed|published|released)\b",
                       re.IGNORECASE)
WHERE_DECLARED = {markup_reading.JSON_LD: "in the page's JSON-LD", markup_reading.MICRODATA: "in the page's microdata"}


# A title's name before what follows it: "Northern Product Day" of "Northern Product Day 2025 —
# Manchester, 13 May", "Camera Scanning, Properly" of "Camera Scanning, Properly: a course for ...".
TITLE_NAME = re.compile(r"^(.{3,60}?)(?:\s+(?:19|20)\d\d\b|\s*[:|–—]|\s+-\s|$)")
OWN_NAME_IS = re.compile(r"\s+(?:is|are)\s+", re.IGNORECASE)


def _after_own_name(title: str | None, sentence: str) -> str:
    """A sentence less an opening that names the page by its title's name ("Northern Product
    Day is a one-day conference for ..." -> "a one-day conference for ..."), which introduces
    the page as "A one-day conference for ..." does; else the sentence."""
    name = TITLE_NAME.match((title or "").strip())
    if name is None or sentence[:len(name[1])].lower() != name[1].lower():
        return sentence
    opened = OWN_NAME_IS.match(sentence, len(name[1]))
    return sentence[opened.end():] if opened else sentence


class TypeIndex:
    """The content types' phrase indexes and markup declarations, built once per taxonomy."""

    def __init__(self, taxonomy: Taxonomy):
        self.types = taxonomy.content_types
        # The URL patterns that name a site ("youtube\.com/watch"), not a folder ("/resources?/").
        self.site_patterns = {t.id: tuple(p for p in t.url if HOST_PART in p.pattern) for t in self.types}
        self.title = PhraseIndex((t.id, p) for t in self.types for p in t.title)
        self.text = PhraseIndex((t.id, p) for t in self.types for p in t.text)
        self.markup = {name.lower(): t.id for t in reversed(self.types) for name in t.markup}
        # The names pages give themselves ("this guide" -> guide), for the way a page opens
        # by introducing itself: "A practical four-part online course for accountants ...".
        self.names = {found[1]: t.id for t in self.types for phrase in t.text
                      if (found := SELF_NAMING.fullmatch(phrase))}
        # A label over a title may also be a one-word title phrase ("Recordings", "Glossary"),
        # but for the words a blog's categories share (LABEL_NOT_A_KIND).
        self.labels = {phrase: t.id for t in reversed(self.types) for phrase in t.title
                       if phrase.isalpha() and phrase not in LABEL_NOT_A_KIND} | self.names
        names = "|".join(sorted(map(re.escape, self.names), key=len, reverse=True))
        introducing = (rf"an?\s+(?:(?!{NOT_A_DESCRIBER})[\w'’-]+\s+){{0,{DESCRIBERS}}}?({names})s?"
                       rf"(?:\s+(?:for|on|about|with|to|from|covering|in|of|by|at|and|that)\b|[,:—–.])")
        self.introduction = re.compile(introducing, re.IGNORECASE)
        # The same names after words that describe them: "In this 45-minute webinar", "this
        # short guide" ("this year's report" is some year's, not the page's, and a quotation's
        # "“This deeply subjective report ...” is someone else's word on another page).
        # (Case is ignored inside the pattern only: a pattern that ignores it whole is
        # searched for four times slower.)
        describer = rf"(?!{NOT_A_DESCRIBER}|the\b|an?\b)[\w-]+\s+"
        self.described = re.compile(rf"(?i:this\s+(?:(?:{describer}){{1,{DESCRIBED_BY}}}?({names})\b"
                                    rf"|is\s+{introducing}))")

    def described_as(self, text: str) -> set[str]:
        """The types a text names its page as with words between "this" and the name ("this
        45-minute webinar"), outside a quotation and a sentence that reports on one
        (REPORTING); not with a word that points elsewhere ("this particular episode" of a
        TV show, POINTING) or a name ("this TED talk", "this Gartner report": someone
        else's)."""
        return {self.names[(found[1] or found[2]).lower()] for found in self.described.finditer(text)
                if not (found.start() and (text[found.start() - 1].isalnum() or text[found.start() - 1] in QUOTES))
                and not REPORTING.search(text, found.end(), found.end() + REPORTED_WITHIN)
                and not any(word[0].isupper() or word.lower() in POINTING for word in found[0].split()[1:-1])}

    def introduced(self, title: str | None, text: str | None) -> str | None:
        """The type a text's opening sentence introduces the page as ("A six-week live
        programme for people new to product operations." -> course), or None: a sentence
        of its first lines (the title's own line skipped), whole, of INTRODUCTION_WORDS or
        more, that is not news about one ("A new report from the bank finds ...")."""
        lines = under_title(title, (text or "")[:HEAD_CHARS].splitlines())
        for line in lines[:OPENING_LINES]:
            sentence = SENTENCE.split(line, maxsplit=1)[0]
            if len(sentence.split()) < INTRODUCTION_WORDS or not (sentence != line or line.endswith((".", "!", "?"))):
                continue  # a heading, a byline, a subtitle
            found = self.introduction.match(_after_own_name(title, sentence))
            return self.names[found[1].lower()] if found and not REPORTING.search(sentence) else None
        return None

    def subtitled(self, title: str | None) -> str | None:
        """The type a title's part after its colon introduces the page as, as an opening
        sentence would ("After action reviews: a guide for ward and department teams",
        "Running a closed beta: a playbook for small product teams"), or None."""
        _, colon, subtitle = (title or "").partition(": ")
        found = self.introduction.match(subtitle) if colon else None
        return self.names[found[1].lower()] if found else None

    def labelled(self, title: str | None, text: str | None) -> str | None:
        """The type a label over a text's title names it as, a site's kicker ("Playbook ·
        Sales operations", "Webinar", "Report: 2025", a breadcrumb's last crumb, "Resources /
        Replays"): one of its first EYEBROW_LINES lines, before the title's own line, that
        opens with a type's name or a one-word title phrase of it (or their plural) and is
        EYEBROW_WORDS words at most; or a type's name alone before the title's colon
        ("Replay: SLO reviews people attend", not a news story's "Survey: ..."); or None."""
        if not title or not text:
            return None
        lines = [line.strip() for line in text[:HEAD_CHARS].splitlines()[:EYEBROW_LINES] if line.strip()]
        label, _, rest = title.strip().partition(":")  # "Replay: SLO reviews people attend"
        if rest and (named := self._name(label, self.names)) is not None and len(label.split()) == 1:
            return named
        heading = title.strip() if title.strip() in lines else rest.strip() if rest.strip() in lines else None
        if heading is None:
            return None
        for line in lines[:lines.index(heading)]:
            crumb = BREADCRUMB.split(line)[-1].strip()  # "Resources / Replays": the last crumb
            first = re.split(r"[\s·:|–—-]+", crumb, maxsplit=1)[0]
            if (named := self._name(first, self.labels)) is not None and len(crumb.split()) <= EYEBROW_WORDS:
                return named
        return None

    @staticmethod
    def _name(word: str, names: dict[str, str]) -> str | None:
        """The type a label's word names a page as ("Webinar", "Replays") in `names`, or None."""
        word = word.strip().lower()
        return names.get(word) or (names.get(word[:-1]) if word.endswith("s") else None)

    def declared(self, declaration: str) -> str | None:
        """The content type a markup declaration ("json-ld:JobPosting", "og:video.other",
        "enclosure:audio/mpeg") says, or None for one the taxonomy does not list."""
        where, _, what = declaration.lower().partition(":")
        if where in WHERE_DECLARED:
            return self.markup.get(what)
        family = re.split(r"[./]", what, maxsplit=1)[0]
        return self.markup.get(f"{where}:{what}") or self.markup.get(f"{where}:{family}")
