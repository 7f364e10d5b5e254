"""What a document is: its content type (decided in pipeline.understand.content_types), whether
it is gated, its language, whether it is too short to be useful. Plain functions over a
document's URL, title, text and HTML; `classify_text` is what the classify stage runs in a
worker.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable

import py3langid

from pipeline.config.taxonomy import cached_taxonomy
from pipeline.understand import markup as markup_reading
from pipeline.understand.content_types.decision import decide_type, type_reason
from pipeline.understand.content_types.index import TypeIndex
from pipeline.understand.content_types.text import count_words, too_short
from pipeline.understand.phrases import PhraseIndex

MIN_WORDS_TO_DETECT_LANGUAGE = 20
LANGUAGE_CHARS = 1_500  # enough to identify a language; py3langid's cost grows with length

FORM = re.compile(rb"<form\b", re.IGNORECASE)
EMAIL_INPUT = re.compile(rb"""<input\b[^>]*\b(type\s*=\s*["']?email|name\s*=\s*["']?[\w\[\]-]*email)""", re.IGNORECASE)


GATE_WORDS = PhraseIndex((("gate", p) for p in (
    "download", "get the report", "get the guide", "fill out the form", "complete the form",
    "access the report", "get your copy", "get instant access", "work email", "business email",
)))


def is_gated(html: bytes, text: str | None, word_count: int | None = None) -> bool:
    """A page that hides its resource behind a lead form: an email form, words of a gate,
    and little text of its own (`word_count`: the text's words, when counted already)."""
    words = word_count if word_count is not None else len((text or "").split())
    if words >= 600 or not html or not FORM.search(html):
        return False
    return bool(EMAIL_INPUT.search(html)) and bool(GATE_WORDS.find(text or ""))


def language(text: str | None, declared: str | None) -> str | None:
    """The language of a text (ISO 639-1), detected when there is enough of it, else the
    page's declared language. Enough is counted in words as count_words counts them: a
    Chinese article of 672 characters has 17 spaced words, and was left with no language.
    The prose is read, not the rows of a table (`| Capital | Wellington |`) where it has
    enough without them: names and figures, which made Wikipedia's "New Zealand", its
    infobox first, Nigerian Pidgin."""
    if not text or count_words(text) < MIN_WORDS_TO_DETECT_LANGUAGE:
        return declared
    prose = "\n".join(line for line in text[:LANGUAGE_CHARS * 8].splitlines() if not line.lstrip().startswith("|"))
    sample = prose if count_words(prose[:LANGUAGE_CHARS]) >= MIN_WORDS_TO_DETECT_LANGUAGE else text
    detected, _ = py3langid.classify(sample[:LANGUAGE_CHARS])
    return detected


def declares_a_type(taxonomy_path: str) -> Callable[[list[str]], bool]:
    """Whether markup declarations name one of the taxonomy's content types (a page that does
    is kept however short its text: pipeline.understand.extraction.extract_html)."""
    index = _type_index(taxonomy_path)
    return lambda declared: any(index.declared(declaration) for declaration in declared)


@functools.lru_cache(maxsize=4)
def _type_index(taxonomy_path: str) -> TypeIndex:
    return TypeIndex(cached_taxonomy(taxonomy_path))


def classify_text(taxonomy_path: str, url: str, title: str | None, text: str | None, pdf: bool,
                  declared_language: str | None, markup_types: str | None = None) -> dict:
    """The columns classification fills: content_type, language, too_short, and `why` with
    the content type's reason (the tag stage adds the tags' reasons); `markup_types` is the
    documents column (pipeline.understand.markup). Runs in a worker."""
    decision = decide_type(_type_index(taxonomy_path), url, title, text, pdf, markup_reading.decode(markup_types))
    return {
        "content_type": decision.content_type,
        "language": language(text, declared_language),
        "too_short": int(too_short(count_words(text))),
        "why": json.dumps([type_reason(decision)]),
    }
