"""What shows a template or a toolkit: blanks and fields to fill in (`placeholders_score`), words
that tell the reader to copy the page (`copy_me`), files offered to use (`files_offered`), a
document offered to the reader's own tool (`document_offered`) or handed over with ways of
putting it to use (`handed_over`).
"""

from __future__ import annotations

import re

from pipeline.understand.content_types.text import (
    HEAD_CHARS, LIST_MARKER, SENTENCE, TEXT_CHARS, opening_of, under_title)

# A template's blanks: "[PM name]", "[Quarter or date]" — words, capitalized: not a
# citation's "[1]", code's "[i + 1]" or an encyclopedia's "[citation needed]".
PLACEHOLDER = re.compile(r"\[[A-Z][A-Za-z,/.'’ –?-]{0,60} [A-Za-z,/.'’ –?-]{1,60}\]")
PLACEHOLDERS = 4
FORM_SCORE = 4
# A form's blanks and boxes: "Owner: ______", "- [ ] Monitoring live", "☐ PM", "□ Book the venue" (a rule of
# underscores alone on its line is a separator, not a blank; a table's empty cells are any
# table's, a layout's or an encyclopedia's too: the real pages say so).
BOXES = "☐□▢◻❏"  # the boxes to tick that fonts draw: ballot box, white square and their kin
BLANK = re.compile(rf"(?<=\S\s)_{{3,}}|\[ \]|[{BOXES}]")
# A form's fields left empty, each on its line: "Who is affected:", "Next step and owner:",
# "Council date: [date]", a prompt in words in brackets on its own ("[What changes, from
# which date.]", not a config file's "[extensions]" or a figure's "[figure 1: ...]"), and a
# list's empty items ("-"), to write in.
EMPTY_FIELD = re.compile(r"^\W{0,3}[A-Z][^.!?:\n]{0,60}:[ \t]*$|^[ \t]*[-*•][ \t]*$"
                         r"|^\W{0,3}[A-Z][^.!?:\n]{0,60}:[ \t]*\[[^\[\]\n]{1,200}\][ \t]*$"
                         r"|^[ \t]*\[[A-Za-z][^\[\]\n:]{0,200}\s[^\[\]\n:]{1,200}\][ \t]*$", re.MULTILINE)
EMPTY_FIELDS = 5
BARE_ITEMS = frozenset("-*•")
# A field whose value is picked from choices: "Status: Open / Monitoring / Closed", "| Status |
# Draft / In review / Approved |". Two of them make a form; a post's "Now / Next / Later"
# names a format, with no field.
CHOICE_FIELD = re.compile(r"^\W{0,3}[A-Z][\w ]{0,30}(:|\s\|)\s*\[?[A-Z][\w-]*( [\w-]+)? / [\w-]+( [\w-]+)?"
                          r"( / [\w-]+( [\w-]+)?)+", re.MULTILINE)
CHOICE_FIELDS = 2
# A blank in a title, which a copy fills in: "Pre-read — [team name] — [date]", "{Project} brief"
# (a blog's "[Video]" or "[Updated]" tags its post, and names no thing to fill in).
TITLE_BLANK = re.compile(r"[\[{<](your |the )?(team|project|product|feature|company|customer|client|name|date|quarter"
                         r"|month|year|owner|title|version|initiative|person)( name| date)?[\]}>]", re.IGNORECASE)


# A page that tells its reader, where it opens or where it ends, to copy it or use it as it
# is, is the thing to copy: "Make a copy and replace the grey text", "Copy this document,
# give it the incident number ...", "Use this agenda for a 90-minute review", "Duplicate it
# into your own drive to start.", "Print two copies", "Fill it in" (its instructions are how to
# fill the copy in, not a guide's).
# (Using a page, "Use this page when a launch may slip", is following a process; getting a
# copy, "Get a copy", is buying a book.)
FILLED_IN = (r"(sheet|spreadsheet|template|outline|board|deck|form|checklist|canvas|agenda|workbook|worksheet|tracker"
             r"|scorecard|kit)")
COPIED = r"(page|doc|document|file|brief|plan|table|letter|email|message|script|wording)"  # "Copy the letter below"
COPY_ME = re.compile(rf"\W{{0,3}}(please\s+)?((make|save|take|grab) (a|your own) copy\b|(copy|duplicate|clone) "
                     rf"((this|the) ({FILLED_IN}|{COPIED})|it)\b"
                     rf"|use this {FILLED_IN}\b|print (it|this|them|(a|one|two|three|\d) (copy|copies))\b"
                     rf"|fill (this|it) in\b)",
                     re.IGNORECASE)
CLOSING_LINES = 3
# The sentences of each of those lines looked at: a post's opening paragraph may say why
# before it says to copy ("People keep asking for it, so here's a cleaned-up version. Copy
# it, change the names, ...", "It's changed over time but the bones have held. Several people
# asked me to share it, so here it is. Copy it, strip out what doesn't fit your company").
COPY_SENTENCES = 5


# ... or its title invites her to: "A customer feedback taxonomy you can copy", "The feedback
# tagging taxonomy we use (copy it)", "My meal planning spreadsheet (free to copy)", "(copyable)",
# "12 support replies we actually use (copy them)", "(free to adapt)", "(steal it)";
# not a title that names copying ("One copy desk", "how I stopped copy-pasting charts").
COPY_TITLE = re.compile(r"\b(copy (it|them)|make a copy|copy and (adapt|edit|use)|free to (copy|adapt|reuse)|copyable"
                        r"|free copy|(you|yours) (can|to) (copy|steal)|yours to (copy|steal)|steal (it|them))\b",
                        re.IGNORECASE)


def copy_me(title: str | None, text: str) -> bool:
    """Whether a text tells its reader to copy the page or use it as it is (COPY_ME): a
    sentence that begins one of its opening lines (the title's own line skipped) or one of
    its CLOSING_LINES last lines; or its title invites her to (COPY_TITLE)."""
    if COPY_TITLE.search(title or ""):
        return True
    head, tail = text[:HEAD_CHARS], text[-HEAD_CHARS:]
    lowered = f"{head}\n{tail}".lower()
    if not any(word in lowered for word in ("copy", "duplicate", "clone", "use this", "print", "fill")):
        return False
    lines = under_title(title, opening_of(head).splitlines())
    lines += [line.strip() for line in tail.splitlines() if line.strip()][-CLOSING_LINES:]
    return any(COPY_ME.match(sentence) for line in lines for sentence in SENTENCE.split(line)[:COPY_SENTENCES])


# A kit's page in the round, whatever else it says: FILES_OFFERED of four details of files to
# use. Files offered (FILE_OFFER: a download, a PDF or a spreadsheet, "Instant download",
# "editable", "A4"); a heading over their list (KIT_CONTENTS: "What's inside", "What you get",
# "Tabs", "Files"); KIT_ITEMS or more listed items that name a document (DOCUMENT: "- Weekly
# dinner planner", "| Consent form – remote | Word |"); words on using them (IN_USE: "fill
# them in", "print it on card", "customise"). A post may link a download or list its
# reader's forms; few do three of these. In lower case, for a text in lower case.
FILE_OFFER = re.compile(r"\bdownload\b|\.(xlsx|ods|docx|pptx|csv)\b|\b(pdf|xlsx|docx|instant download|duplicate"
                        r"|printable|editable|google (sheets|docs|slides)|canva|figjam|powerpoint|keynote|excel"
                        r"|notion|a4|a3|us letter)\b")
KIT_CONTENTS = re.compile(r"^\W{0,3}(what'?s inside|what you get|what'?s included|what'?s in (it|the (kit|pack|bundle))"
                          r"|tabs|files|contents|in the (kit|pack|bundle)|included|templates)\W{0,3}$", re.MULTILINE)
DOCUMENT = re.compile(rf"\b({FILLED_IN}|planner|calendar|grid|log|slide|card|chart|label|tab|file|doc|view|layout)s?\b")
KIT_ITEMS = 3
IN_USE = re.compile(r"\b(fill (it |them )?in|print (it|them|on|at)|stick (it|them)|make a copy|duplicate (it|the)"
                    r"|edit (it|them|the)|customi[sz]e)\b")
FILES_OFFERED = 3
# A document offered to the reader's own tool, in prose: "Copy the list into your launch
# ticket", "Paste your monthly billing export into the first tab", "ready to copy into your own
# presentation tool", "Three documents to copy and adapt", "Click Use this form", under a
# title that names a document ("Launch readiness list", "Cloud cost allocation sheet").
# (Copying is the reader's act, a sentence's first or after "to", "and", "or", "then", "can":
# "a copy of every contract sent to the legal team" offers nothing.)
INTO_YOURS = re.compile(r"(^\W{0,3}|[.!?]\s+|\b(to|and|or|then|can|please)\s+)(copy|paste|import|duplicate)\b"
                        r"[^.\n]{0,60}\b(into (your|the|a)|to your)\b"
                        rf"|\bto copy and (adapt|edit|use)\b|\bready to copy\b|\buse this {FILLED_IN}\b", re.MULTILINE)
TITLE_DOCUMENT = re.compile(rf"\b({FILLED_IN}|list|criteria|document|slide|question)s?\b")
# Or a file to take, in a tool's format: "Download it as an Excel file", "Available for Google
# Slides, PowerPoint and Keynote" (a post may name a format; it seldom hands one over under a
# title that names a document).
FILE_FORMAT = re.compile(r"\b(excel|google (sheets|docs|slides)|powerpoint|keynote|xlsx|docx|pptx|csv|notion|airtable"
                         r"|pdf)\b")
FILE_HANDED_OVER = re.compile(r"\b(download\w*|available (for|as|in)|import (it|them)|comes? as)\b")


def document_offered(title: str | None, lowered: str) -> bool:
    """Whether a text in lower case offers its reader a document for her own tool
    (INTO_YOURS), or hands it over in a tool's format (FILE_FORMAT, FILE_HANDED_OVER), under
    a title that names one (TITLE_DOCUMENT)."""
    if not TITLE_DOCUMENT.search((title or "").lower()):
        return False
    return bool(INTO_YOURS.search(lowered) or FILE_FORMAT.search(lowered) and FILE_HANDED_OVER.search(lowered))


# How a reader puts a document handed over to use: "fill in the brackets", "Use File > Make a
# copy", "Import this file", "Opens in Excel", "paste in the customer's usage export",
# "Replace them with your own", "Replace the bracketed names", "delete what you do not need"
# (not a gate's "Fill in the form to watch"). Two of them make a
# kit's page told in prose; a post or a guide may name one.
IN_HAND = re.compile(r"\b(?:(?P<fill>fill (it |them |this |that |each |the (?!form\b)\w+ )?in\b"
                     r"(?! (the|this|our|a|your)( \w+)? form\b))"
                     r"|(?P<replace>replace (them|it|these|each|the (bracketed|placeholder|sample))\b)"
                     r"|(?P<trim>(delete|remove|cut) (what|anything|the (parts|sections|rows))"
                     r" you (do not|don't) need\b)"
                     r"|(?P<rename>rename\b)|(?P<copy>make a copy|duplicate (it|the|this)\b)"
                     r"|(?P<import>import (this|it|them|the file|the template)\b)|(?P<paste>paste (in|into|your|it)\b)"
                     r"|(?P<download>download (it|them)\b)|(?P<opens>(editable|opens) in\b"
                     r"|works (in|with) (excel|google|notion|the cloud)\b)|(?P<free>free to (download|use|copy)\b)"
                     r"|(?P<own>your own (copy|version)\b))")
IN_HAND_WAYS = 2


def handed_over(lowered: str) -> bool:
    """Whether a text in lower case tells IN_HAND_WAYS ways or more of putting a document
    handed over to use (IN_HAND; a way named twice, "download it ... download them", is one)."""
    return len({found.lastgroup for found in IN_HAND.finditer(lowered)}) >= IN_HAND_WAYS


def files_offered(lowered: str) -> bool:
    """Whether a text in lower case offers files to use: FILES_OFFERED or more of FILE_OFFER,
    KIT_CONTENTS, KIT_ITEMS listed documents (DOCUMENT: a list's item, LIST_MARKER, or a
    table's row) and IN_USE."""
    listed = sum(bool((LIST_MARKER.match(line) or line.lstrip().startswith("|")) and DOCUMENT.search(line))
                 for line in lowered.splitlines())
    shown = bool(KIT_CONTENTS.search(lowered)) + (listed >= KIT_ITEMS)
    if not shown:
        return False  # the two cheapest first: three of the four take one of them, and most texts have neither
    return shown + bool(FILE_OFFER.search(lowered)) + bool(IN_USE.search(lowered)) >= FILES_OFFERED


def _empty_fields(head: str) -> int:
    """How many lines of the head of a text are fields left empty (EMPTY_FIELD): only the
    lines that end in a colon or a bracket or hold a bare list marker are matched, as a
    pattern anchored at every line of a long text costs more than all the other forms."""
    return sum(1 for line in head.split("\n") if (line.rstrip().endswith((":", "]")) or line.strip() in BARE_ITEMS)
               and EMPTY_FIELD.match(line))


def placeholders_score(text: str | None, title: str | None = None) -> int:
    """4 when the text is a form to fill in — at least PLACEHOLDERS distinct bracketed blanks
    (code repeats its "[Value, int]"), or as many blanks to write on and boxes to tick, or a
    blank in its title (TITLE_BLANK) — else 0: more than a section's address says
    ("/handbook/", "/resources/"), as a form is what the page holds."""
    if title and TITLE_BLANK.search(title):
        return FORM_SCORE
    head = (text or "")[:TEXT_CHARS]
    if len(set(PLACEHOLDER.findall(head))) >= PLACEHOLDERS:
        return FORM_SCORE
    blanks = ("_" in head or "[" in head or any(box in head for box in BOXES)) and len(
        BLANK.findall(head)) >= PLACEHOLDERS or (
        _empty_fields(head) >= EMPTY_FIELDS)
    choices = " / " in head and len(CHOICE_FIELD.findall(head)) >= CHOICE_FIELDS
    return FORM_SCORE if blanks or choices else 0
