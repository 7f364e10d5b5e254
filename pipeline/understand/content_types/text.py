"""The parts of a document's text that the content types' cues read: its sentences, its head
and opening lines, its length in words, and the patterns several kinds share (a month, a
clock time, an amount of money, a dated address, the first person singular).
"""

from __future__ import annotations

import re

MIN_USEFUL_WORDS = 150  # shorter documents are kept, marked too_short
TEXT_CHARS = 8_000  # the cues of a type show early in a document
HEAD_CHARS = 1_000  # a page's details (format, length, date) come before its body
OPENING_LINES = 4
OPENING_LINE_CHARS = 200  # a line of details is short; a feed's text may have no line breaks
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
LIST_MARKER = re.compile(r"^\s*([-*•–]|\d{1,2}[.)])\s+")  # an instruction may be a list's item
FIRST_PERSON = re.compile(r"\b(I|I'm|I've|I'd|I'll|my|me)\b")  # the first person singular
AMOUNT = re.compile(r"[£$€]\s?\d")  # what every pay and price has
CLOCK = r"(\d{1,2}:\d{2}(\s*[ap]\.?m\.?)?|\d{1,2}([.:]\d{2})?\s*[ap]\.?m\.?)"  # "09:30", "10am", "7.30 pm"
MONTH = (r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t|tember)?|oct(ober)?"
         r"|nov(ember)?|dec(ember)?)")
# A file's address: a PDF's, or one a WordPress site uploaded. Read with a PDF's bytes as one
# fact toward whitepaper-report (`Cues.of`): counted twice, with the address as a URL pattern,
# a PDF playbook that says "In this playbook" could never be a guide.
FILE_ADDRESS = re.compile(r"\.pdf$|/wp-content/uploads/", re.IGNORECASE)
DATED_ADDRESS = re.compile(r"/(19|20)\d\d[/-][01]\d([/-][0-3]\d)?[/-]")  # a post's: "/2020/06/26/"
# Scripts written without spaces between words: Chinese (Han), Japanese (Han and kana).
UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def opening_of(head: str) -> str:
    """The first OPENING_LINES lines of the head of a text, OPENING_LINE_CHARS a line at most
    on average (a feed's text may have no line breaks)."""
    return "\n".join(head.splitlines()[:OPENING_LINES])[:OPENING_LINES * OPENING_LINE_CHARS]


def under_title(title: str | None, lines: list[str]) -> list[str]:
    """The non-blank lines of a text's opening, stripped, less the first where it is the
    title's own (extraction often repeats the title as the text's first line)."""
    kept = [line.strip() for line in lines if line.strip()]
    return kept[1:] if kept and title and kept[0] == title.strip() else kept


def side_by_side(one: str, other: str) -> re.Pattern:
    """Two details on one line of a page's details, in either order, a few words apart."""
    near = r"[^\n]{0,40}"
    return re.compile(f"{one}{near}{other}|{other}{near}{one}", re.IGNORECASE)


def count_words(text: str | None) -> int:
    """The words of a text: what spaces separate, and each character of a script written
    without spaces (Chinese, Japanese), as word processors count them (a Chinese article of
    3,379 characters was 51 "words" split on spaces, and marked too short)."""
    text = text or ""
    unspaced = len(UNSPACED_SCRIPT.findall(text))
    if not unspaced:
        return len(text.split())
    # Between those characters, their punctuation ("、", "。") is not a word; spaced words are.
    spaced = UNSPACED_SCRIPT.sub(" ", text).split()
    return unspaced + sum(1 for token in spaced if any(c.isalnum() for c in token))


def too_short(word_count: int) -> bool:
    """True for documents too short to be useful as a resource (kept, but marked)."""
    return word_count < MIN_USEFUL_WORDS
