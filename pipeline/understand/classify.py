"""What a document is: its content type, whether it is gated, its language, whether it is
too short to be useful. Plain functions over a document's URL, title, text and HTML.

Content type scoring (cues in data/taxonomy.yaml): a URL pattern scores 3, each title
phrase 2 (two at most), each distinct text phrase 1 (three at most) or 3 for a phrase in
which the page names itself ("in this guide", "this episode"), a PDF 3 toward
whitepaper-report. Structure counts too where words do not decide: a text that mostly
instructs (at least INSTRUCTIONS sentences, and INSTRUCTION_SHARE of them, open with a verb
in the imperative or speak to "you") scores 3 toward guide-playbook, a little of it 1. The
best type wins if it scores 3 or more; otherwise `article`. (Static word embeddings were
tried for the type and found no better than chance on the tune split: they see the topic,
not the form.)
"""

from __future__ import annotations

import functools
import re
from collections import Counter

import py3langid

from pipeline.config.taxonomy import Taxonomy, cached_taxonomy
from pipeline.understand.phrases import PhraseIndex

DEFAULT_TYPE = "article"
MIN_TYPE_SCORE = 3
MIN_USEFUL_WORDS = 150  # shorter documents are kept, marked too_short
MIN_WORDS_TO_DETECT_LANGUAGE = 20
TEXT_CHARS = 8_000  # the cues of a type show early in a document
LANGUAGE_CHARS = 1_500  # enough to identify a language; py3langid's cost grows with length

FORM = re.compile(rb"<form\b", re.IGNORECASE)
EMAIL_INPUT = re.compile(rb"""<input\b[^>]*\b(type\s*=\s*["']?email|name\s*=\s*["']?[\w\[\]-]*email)""", re.IGNORECASE)
# A text cue in which the page names itself ("in this guide", "this episode") decides alone.
SELF_DESCRIPTION = re.compile(r"(in )?this\b")
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
INSTRUCTIONS = 3
INSTRUCTION_SHARE = 0.3
# Verbs that open an instruction ("Start with...", "Review the event taxonomy..."): a closed
# list is enough, as instructions use few verbs and the share of them decides, not one.
IMPERATIVES = frozenset("""
add agree allow apply ask assign avoid bake begin build check choose collect compare compute
copy create decide define draw feed find follow give go keep leave let list look make map
mark measure mix move note pick pinch place plan plant practise practice prepare put read
remember remove review run schedule score see select send set share shape show skip sort
start stay stop take tell test track try turn update use walk watch write
""".split())


def instruction_score(text: str | None) -> int:
    """3 when the text mostly tells the reader what to do, 1 when it partly does, else 0."""
    sentences = [s for s in SENTENCE.split((text or "")[:TEXT_CHARS]) if s.strip()]
    if not sentences:
        return 0
    instructing = 0
    for sentence in sentences:
        first = sentence.split(maxsplit=1)[0].strip("\"'“(").lower()
        instructing += first in IMPERATIVES or first in ("you", "your")
    if instructing >= INSTRUCTIONS and instructing / len(sentences) >= INSTRUCTION_SHARE:
        return 3
    return 1 if instructing >= INSTRUCTIONS else 0


GATE_WORDS = PhraseIndex((("gate", p) for p in (
    "download", "get the report", "get the guide", "fill out the form", "complete the form",
    "access the report", "get your copy", "get instant access", "work email", "business email",
)))


class TypeIndex:
    """The content types' phrase indexes, built once per taxonomy."""

    def __init__(self, taxonomy: Taxonomy):
        self.types = taxonomy.content_types
        self.title = PhraseIndex((t.id, p) for t in self.types for p in t.title)
        self.text = PhraseIndex((t.id, p) for t in self.types for p in t.text)


def content_type(index: TypeIndex, url: str, title: str | None, text: str | None, is_pdf: bool) -> str:
    """The most likely content type of a document (see the module docstring)."""
    scores: Counter = Counter()
    for kind in index.types:
        if any(pattern.search(url) for pattern in kind.url):
            scores[kind.id] += 3
    title_hits = Counter(owner for owner, _ in index.title.find(title or ""))
    for owner, hits in title_hits.items():
        scores[owner] += 2 * min(hits, 2)
    found = index.text.find((text or "")[:TEXT_CHARS])
    text_hits = Counter(owner for owner, _ in found)
    self_described = {owner for owner, phrase in found if SELF_DESCRIPTION.match(phrase)}
    for owner, hits in text_hits.items():
        scores[owner] += 3 if owner in self_described else min(hits, 3)
    if is_pdf:
        scores["whitepaper-report"] += 3
    if any(kind.id == "guide-playbook" for kind in index.types):
        scores["guide-playbook"] += instruction_score(text)
    if not scores:
        return DEFAULT_TYPE
    best, score = max(scores.items(), key=lambda item: (item[1], item[0] == "whitepaper-report"))
    return best if score >= MIN_TYPE_SCORE else DEFAULT_TYPE


def is_gated(html: bytes, text: str | None) -> bool:
    """A page that hides its resource behind a lead form: an email form, words of a gate,
    and little text of its own."""
    if len((text or "").split()) >= 600 or not html or not FORM.search(html):
        return False
    return bool(EMAIL_INPUT.search(html)) and bool(GATE_WORDS.find(text or ""))


def language(text: str | None, declared: str | None) -> str | None:
    """The language of a text (ISO 639-1), detected when there is enough of it, else the
    page's declared language."""
    if text and len(text.split()) >= MIN_WORDS_TO_DETECT_LANGUAGE:
        detected, _ = py3langid.classify(text[:LANGUAGE_CHARS])
        return detected
    return declared


def too_short(word_count: int) -> bool:
    """True for documents too short to be useful as a resource (kept, but marked)."""
    return word_count < MIN_USEFUL_WORDS


@functools.lru_cache(maxsize=4)
def _type_index(taxonomy_path: str) -> TypeIndex:
    return TypeIndex(cached_taxonomy(taxonomy_path))


def classify_text(taxonomy_path: str, url: str, title: str | None, text: str | None, pdf: bool,
                  declared_language: str | None) -> dict:
    """The text-derived columns: content_type, language, too_short (runs in a worker)."""
    return {
        "content_type": content_type(_type_index(taxonomy_path), url, title, text, pdf),
        "language": language(text, declared_language),
        "too_short": int(too_short(len((text or "").split()))),
    }
