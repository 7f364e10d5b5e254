"""What shows a book, a report or a job: a book's details, excerpt, edition line, chapters and
contents; a report's sections, pages beside its PDF, a study told in the round
(`study_published`) or a year's figures (`yearly_figures`), not news of someone else's study
(`reports_on_a_study`, `without_news_credit`); a job's place and terms, pay and a vacancy's
sections.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.understand.content_types.text import TEXT_CHARS, side_by_side

# A news agency's credit line names the story "this report": "Reuters contributed to this
# report", "Additional reporting by ... contributed to this report". Not a report's words.
NEWS_CREDIT = re.compile(r"[^.\n]{0,80}\bcontributed( reporting)? to this (report|story)", re.IGNORECASE)
# Looked for first: NEWS_CREDIT's leading span tries 80 characters at every position (4-5
# ms a page of 8,000 characters), this one is a plain scan.
CREDITED = re.compile(r"\bcontributed( reporting)? to this (report|story)", re.IGNORECASE)


def without_news_credit(text: str) -> str:
    """The text less a news agency's credit lines (NEWS_CREDIT)."""
    return NEWS_CREDIT.sub("", text) if CREDITED.search(text) else text


# A book's excerpt, as a publisher heads it: "From Evidence Over Opinion: Making Product
# Decisions Your Team Can Trust by Leila Haddad", "Excerpted from The Long Table, by ...",
# "The Operating Layer by Tamsin Okafor · Extract"; or its edition's line (EDITION), "Second edition ·
# Noor Haddad and Callum Pryce · 2024", "By Ruth Abernethy. Second edition, 2024.", "First
# published 1978 by Fylde Valley Press", "Online edition, 2024" (not a post's "First published
# on my blog"); or a chapter's, "Chapter two of Clean Pipeline, in full".
EXCERPT = re.compile(r"^\W{0,3}(?i:(an )?((excerpt(ed)?|adapted|extracted) )?from)\s+[\"“]?[A-Z][^\n]{2,150}?,?"
                     r"\s+by\s+[A-Z]"
                     r"|^[^\n]{3,150}\sby\s[A-Z][^\n]{2,60}[·|]\s*(?i:extract|excerpt|sample chapter)\s*$",
                     re.MULTILINE)
EDITION = re.compile(r"(^|[.]\s+)\W{0,3}(?i:(first|second|third|fourth|fifth|sixth|revised|\d{1,2}(st|nd|rd|th))"
                     r" edition)\s*[·|,]"
                     r"|^\W{0,3}(?i:chapter)\s+(\d{1,2}|(?i:one|two|three|four|five|six|seven|eight|nine|ten))\s+"
                     r"(?i:of|from)\s+[A-Z]"
                     r"|^\W{0,3}(?i:first published|online edition)\W{0,3}(?i:in\s+)?(1[5-9]|20)\d\d\b",
                     re.MULTILINE)
# A book's chapter as its own page: a title that ends on it, "The Quiet Machinery · Chapter One".
CHAPTER_NUMBER = r"chapter\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|[ivx]{1,4})"
CHAPTER_TITLE = re.compile(rf"\s[-–—·:|]\s*{CHAPTER_NUMBER}\s*$", re.IGNORECASE)
# Or one that opens on it, "Chapter 6 - Monitoring Distributed Systems", except at a guide's
# address, where a manual's chapters are ("/manual/ch6-mop-up"), or a post's, where someone's
# life has chapters ("/blog/chapter-2-joining-stripe"): `Cues.of`.
CHAPTER_OPENING = re.compile(rf"^\W{{0,3}}{CHAPTER_NUMBER}\s*[-–—:.]\s", re.IGNORECASE)


# A study's findings in the round, whatever its form (a benchmark's page, a diary study's, an
# evaluation's): how it was done (STUDY_METHOD: "we interviewed 41 product managers", "2,870
# diary entries", "our sample", "this study follows ...") beside its findings (a findings
# heading, STUDY_FINDINGS, or FIGURES_OF_A_STUDY shares, medians or ratios) and its
# publication (STUDY_PUBLICATION: "the full report", "Exhibit 2", "Funded by ...", a PDF, a
# download). A post may tell of a study; few tell how it was done, what it found and where it
# is published. In lower case, for a text in lower case, as the course's patterns are.
COUNT = r"(\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds of)"
STUDY_METHOD = re.compile(
    rf"\bwe (surveyed|interviewed|asked|analy[sz]ed|pooled|collected|reviewed|studied|tracked|spoke to|talked to)\b"
    rf"[^.\n]{{0,60}}\b{COUNT}\b|\b{COUNT} (respondents|participants|interviews|survey responses|responses)\b"
    rf"|\b(diary study|methodology|(our|the) sample)\b|\bdata from {COUNT}\b"
    r"|\bshared (their|anonymi[sz]ed)\b[^.\n]{0,40}\bdata\b"
    r"|\bthis (study|paper|report|research) (examines|follows|draws|argues|looks|sets out|uses|is based)")
METHOD_WORDS = ("we surveyed", "we interviewed", "we asked", "we analy", "we pooled", "we collected", "we reviewed",
                "we studied", "we tracked", "we spoke to", "we talked to", "respondents", "participants", "interviews",
                "responses", "diary study", "methodology", "sample", "data from", "shared", "this study", "this paper",
                "this report", "this research")  # what each of STUDY_METHOD's forms needs
STUDY_FINDINGS = re.compile(r"\b(key findings|what we found|at a glance|headline (figures|findings|results)"
                            r"|summary of (findings|results)|main findings|in numbers)\b")
STUDY_FIGURE = re.compile(r"\d(%|\s?per ?cent\b|\s?percent\b)|\bmedian\b|\b\d+(\.\d)?x\b|\b\d+(\.\d)? times\b")
FIGURES_OF_A_STUDY = 3
STUDY_PUBLICATION = re.compile(r"\bthis (study|paper|report|research|whitepaper|white paper)\b"
                               r"|\bthe full (report|document|paper|study|results|dataset|data)\b"
                               r"|\b(download|pdf|publication|funded by|grant|citation|appendix)\b"
                               r"|\b(exhibit|figure|table|chart) \d")
OTHERS_STUDY = re.compile(r"\bthe (authors|researchers|paper)\b")  # a post on someone else's: "the paper claims"


def study_published(lowered: str) -> bool:
    """Whether a text in lower case tells how its study was done (STUDY_METHOD), what it found
    (STUDY_FINDINGS, or FIGURES_OF_A_STUDY figures: STUDY_FIGURE) and where it is published
    (STUDY_PUBLICATION), and does not speak of someone else's (OTHERS_STUDY)."""
    if not any(word in lowered for word in METHOD_WORDS) or not STUDY_METHOD.search(lowered):
        return False  # most texts tell of no study: the cheapest test first
    return bool(not OTHERS_STUDY.search(lowered) and STUDY_PUBLICATION.search(lowered) and (
        STUDY_FINDINGS.search(lowered) or len(STUDY_FIGURE.findall(lowered)) >= FIGURES_OF_A_STUDY))


# A book's details as a shop or a publisher lists them: "Hardback · 224 pages · £22.00",
# "Paperback, 312 pages", "A print edition (232 pages)" (a report's "48-page PDF" names no binding);
# see PAGE_COUNT.
BINDING = (r"(hardback|paperback|hardcover|softcover|softback|flexi-?bound|spiral-bound|e-?book|kindle( edition)?"
           r"|epub|mobi|print(ed)? edition)")
PAGES = r"\b\d{2,4}( ?pages\b|-page\b| ?pp\b\.?)"
BOOK_DETAILS = side_by_side(rf"\b{BINDING}\b", PAGES)
# A job's details as a board lists them: "Lisbon, Portugal · Hybrid · Full time", "Remote
# (EU) | Full-time | Engineering": where the work is done beside how it is employed.
WORK_PLACES = ("remote", "hybrid", "site", "office")
WORK_PLACE = r"(remote|hybrid|on-?site|in[- ]office)"
EMPLOYMENT = r"(full[- ]time|part[- ]time|permanent|fixed[- ]term|contract|internship|temporary)"
JOB_DETAILS = side_by_side(rf"\b{WORK_PLACE}\b", rf"\b{EMPLOYMENT}\b")
# A job's pay as its details give it, where a line begins or after a label or a separator:
# "- £13.50 an hour", "| Salary | Grade 7: £38,249 – £45,163 per annum |", "Pay is $23 an hour"
# (a guide's "Budget £120–180 per hour." runs on in prose; a price per hour is no line's).
PAY = re.compile(r"(^\W{0,3}|[:|·]\s*|\bpay is\s+)[£$€]\s?\d[\d,.]*k?(\s?[-–]\s?[£$€]?\d[\d,.]*k?)?\s*"
                 r"(an hour|per hour|/hour|/hr|per annum|a year|per year|/year|/yr|p\.?a\.?|pro rata)(?!\w)"
                 r"|^\W{0,3}(salary|pay|wage|rate of pay)\W{1,5}(grade \w+\W{1,3})?[£$€]\s?\d",
                 re.IGNORECASE | re.MULTILINE)
# ... not a price by the year ("- first permit: £65 a year", "Membership: £40 per year", a
# plan's "Pro: $99 a year" under "Pricing"): what a reader pays, not what a job does.
PRICED = re.compile(r"\b(permits?|fees?|costs?|prices?|pricing|plans?|subscriptions?|memberships?|tickets?"
                    r"|licen[cs]es?|passes|pass|rent|charges?)\b", re.IGNORECASE)
PRICED_LINES = 3  # the line of an amount and the two before it (a list's heading, "Costs")


def states_pay(body: str) -> bool:
    """Whether a text gives a job's pay (PAY), and prices nothing by the year: no amount of
    it has a price's word (PRICED) on its line or the PRICED_LINES - 1 before it (a price
    list's amounts are all prices, its heading over the first: "Costs / First vehicle: £65 a
    year / ... / Electric vehicles: £30 a year")."""
    found = list(PAY.finditer(body))
    return bool(found) and not any(PRICED.search(_lines_up_to(body, amount.start(), amount.end())) for amount in found)


def _lines_up_to(body: str, start: int, end: int) -> str:
    """The line of body[start:end] and the PRICED_LINES - 1 lines before it."""
    for _ in range(PRICED_LINES):
        start = body.rfind("\n", 0, max(start - 1, 0)) + 1 if start > 0 else 0
    stop = body.find("\n", end)
    return body[start:stop if stop >= 0 else len(body)]


# A vacancy's sections, as boards and careers pages head them: "The role", "What you'll do",
# "What we're looking for", "Pay and benefits", "Compensation: £75,000–£90,000". Two of
# them make a job's page; one may head an article's paragraph on a role.
JOB_SECTION = re.compile(r"^\W{0,3}(about )?(?P<section>(the|this|your) (role|position|job|opportunity)"
                         r"|what you('ll| will) (do|bring)|what we('re| are) looking for|who you are|about you"
                         r"|(pay|salary|compensation)( and benefits)?|benefits and perks"
                         r"|(key )?responsibilities|qualifications)\s*(:[^\n]*)?$", re.IGNORECASE | re.MULTILINE)
JOB_SECTIONS = 2
# A book's contents, as its page lists them: "Part One, The Desk: ...", "Chapter 3: ...", a
# line each, or run on in prose, each after a sentence's end and before a colon or a dash
# ("Chapter one: why ... fail. Chapter two: ..."; not a series' "part 2. Part 1, last week").
BOOK_PART = r"(?:part|chapter)\s+(?:\d{1,2}|[ivx]{1,4}|one|two|three|four|five|six)"
CONTENTS_LINE = re.compile(rf"(?:^\W{{0,3}}|(?<=[.!?] )(?={BOOK_PART}\s*[:–—-]))(?P<section>{BOOK_PART})\s*[,:.–—-]",
                           re.IGNORECASE | re.MULTILINE)
CONTENTS_LINES = 2
# A report's sections, as a publication heads them: "Key points", "Methods", "Recommendations",
# "Suggested citation", and as a findings page does: "Headlines", "Summary of findings",
# "Method in brief", "How we measured it". Two of them make a report's page (a post's
# "Introduction" and "Conclusion" are any essay's, and no section here).
REPORT_SECTION = re.compile(r"^\W{0,3}(\d{1,2}(\.\d{1,2})*\.?\s+)?(?P<section>key (findings|points|messages)|summary"
                            r"|executive summary|methods?( in brief| and data| note)?|methodology( note)?|headlines"
                            r"|headline (results|findings|figures)|summary of (findings|results)"
                            r"|main findings|how we (measured|did|ran) (it|this|the study|the survey)|what we found"
                            r"|who (answered|responded|took part)"
                            r"|results|findings|discussion|recommendations|limitations|appendix|appendices"
                            r"|suggested citation|how to cite|data sources|(\w+ )?conclusions)\W{0,3}(:[^\n]*)?$",
                            re.IGNORECASE | re.MULTILINE)
REPORT_SECTIONS = 2
# A length in pages as details give it, "312 pages", "| Pages | 22 |". A report's: eight
# pages or more beside its format, "| Format | PDF, 2.4 MB |", "Length - 64 pages ...
# Download PDF" (a form's "(PDF, 2 pages)" is short). A book's: beside its binding on one
# line ("Hardback · 224 pages"), or anywhere beside an ebook's format (EPUB, MOBI, Kindle;
# a book's PDF, then, not a report's).
PP_HINT = re.compile(r"\dpp|\d pp\b")
PAGE_COUNT = re.compile(r"\b(\d{2,4}) ?(?:pages\b|pp\b)|\bpages\s*[|:]\s*(\d{2,4})\b", re.IGNORECASE)
REPORT_FORMAT = re.compile(r"\bpdf\b", re.IGNORECASE)
EBOOK_FORMAT = re.compile(r"\b(epub|mobi|kindle)\b", re.IGNORECASE)
# A book's number, "ISBN 978-1-7393614-2-0", "ISBN-10: 0-306-40615-2" (a report may have
# one too: its pages beside its PDF, or its naming itself, make it the report).
ISBN = re.compile(r"\bISBN(-1[03])?:?\s*(97[89][- ]?)?\d{1,5}[- ]?\d{1,7}[- ]?\d{1,7}[- ]?[\dX]\b", re.IGNORECASE)
# A book's binding where a publisher's table of details gives it, "| Hardback | 9781837460219 |
# £85.00 |", "| Format | Flexibound, 190 x
# 120 mm |", "Binding: Paperback", its pages on a line of their own ("| Extent | 448 pages |").
FORMAT_LINE = re.compile(rf"^\W{{0,3}}((format|binding|edition)\W{{1,5}})?{BINDING}\b", re.IGNORECASE | re.MULTILINE)
REPORT_LENGTH = 8  # pages: a report's, not a form's or a leaflet's


def book_line(title: str | None, opening_lines: str, opening_lowered: str) -> bool:
    """Whether a book's line heads a page: an excerpt's (EXCERPT), an edition's or a chapter's
    in its opening lines (EDITION), or a title that ends on its chapter (CHAPTER_TITLE)."""
    return bool(("from" in opening_lowered or "by " in opening_lowered) and EXCERPT.search(opening_lines)
                or any(word in opening_lowered for word in ("edition", "published", "chapter"))
                and EDITION.search(opening_lines)
                or title and "chapter" in title.lower() and CHAPTER_TITLE.search(title))


# A year's figures: a title dated by its year ("PMO Pulse 2025", "Winter Count 2024/25: the
# numbers"; not a story's "since 2022") over a text dense in shares and medians, as an annual
# survey's or benchmark's findings page is. A post may quote a figure or two; a findings page
# gives one a sentence.
TITLE_YEAR = re.compile(r"(?<!since )(?<!until )(?<!before )(?<!after )\b(19|20)\d\d(/\d\d)?\b", re.IGNORECASE)
# A title that gives a year's results: "Water quality monitoring: 2024 results", "Winter Count
# 2024/25: the numbers", "Annual Review 2024", "Tooling Survey 2025: Findings".
RESULTS_TITLE = re.compile(r"\b(19|20)\d\d(/\d\d)?\b.{0,40}\b(results|the numbers|annual review|in numbers|findings)\b"
                           r"|\b(results|annual review|findings)\b.{0,40}\b(19|20)\d\d\b", re.IGNORECASE)
FIGURE = re.compile(r"\d(%|\s?per ?cent\b|\s?percent\b)|\bmedian\b", re.IGNORECASE)
FIGURES = 5
FIGURES_PER_100_WORDS = 1.5


def yearly_figures(title: str | None, body: str) -> bool:
    """Whether a page gives a year's figures: a title that says so (RESULTS_TITLE), or one
    dated by its year (TITLE_YEAR) over a body with FIGURES or more shares or medians
    (FIGURE), FIGURES_PER_100_WORDS or more."""
    if not title or not TITLE_YEAR.search(title):
        return False
    if RESULTS_TITLE.search(title):
        return True
    if not ("%" in body or "cent" in body or "median" in body):
        return False
    figures = len(FIGURE.findall(body))
    return figures >= FIGURES and 100 * figures >= FIGURES_PER_100_WORDS * len(body.split())


def sections_scores(text: str | None) -> Counter:
    """3 toward job-posting when the text is headed in JOB_SECTIONS or more of a vacancy's
    sections (JOB_SECTION), 3 toward whitepaper-report in REPORT_SECTIONS of a report's, 3
    toward book where CONTENTS_LINES of its lines or sentences list a book's parts or chapters."""
    body = (text or "")[:TEXT_CHARS]
    scores: Counter = Counter()
    for kind, section, least in (("job-posting", JOB_SECTION, JOB_SECTIONS),
                                 ("whitepaper-report", REPORT_SECTION, REPORT_SECTIONS),
                                 ("book", CONTENTS_LINE, CONTENTS_LINES)):
        if len({found["section"].lower() for found in section.finditer(body)}) >= least:
            scores[kind] += 3
    return scores


def pages_given(head: str) -> int:
    """The most pages the head of a text gives (PAGE_COUNT), 0 where it gives none."""
    return max((int(found[1] or found[2]) for found in PAGE_COUNT.finditer(head)), default=0)


# News of someone else's study: "according to a report published Tuesday by Quayside", "The
# Collective published its annual survey on Monday", "The annual survey came out this week".
# Its respondents and sample are the study's, not the page's (OWN_STUDY: "we surveyed").
ABOUT_A_STUDY = re.compile(r"\baccording to (a|an|the|its|their)\b[^.\n]{0,60}\b(survey|report|study|poll|benchmark)"
                           r"|\b(published|released) (its|their|a|an|the)( new| annual| latest| first)?"
                           r" (survey|report|study|poll|benchmark)"
                           r"|\b(survey|report|study|poll|benchmark) (came out|was published|was released|is out)\b",
                           re.IGNORECASE)
OWN_STUDY = re.compile(r"\b(we surveyed|we asked|we analy[sz]ed|our (survey|research|study|report|findings|data)"
                       r"|(in )?this (report|survey|study|paper|whitepaper))\b", re.IGNORECASE)


def reports_on_a_study(body: str) -> bool:
    """Whether a text is news of someone else's study (ABOUT_A_STUDY) and never its own
    (OWN_STUDY)."""
    return bool(ABOUT_A_STUDY.search(body)) and not OWN_STUDY.search(body)
