"""The cues' score of each content type for one document (Cues.of), from its address, title and
text: what the taxonomy's phrases and patterns find (pipeline.understand.content_types.index)
and what its forms show (writing, recordings, templates, schedules, publications, process),
and the best-scoring type (Cues.best).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from pipeline.understand.content_types.index import TypeIndex
from pipeline.understand.content_types.process import (
    NOT_DOCUMENTATION, OWNED, ROUTINE_ALONE, controlled, documentation, how_we_do, notice, posted, process_told,
    routine)
from pipeline.understand.content_types.publications import (
    BOOK_DETAILS, CHAPTER_OPENING, EBOOK_FORMAT, FORMAT_LINE, ISBN, JOB_DETAILS, PAGE_COUNT, PP_HINT,
    REPORT_FORMAT, REPORT_LENGTH, WORK_PLACES, book_line, pages_given, reports_on_a_study, sections_scores,
    states_pay, study_published, without_news_credit, yearly_figures)
from pipeline.understand.content_types.recordings import (
    IN_THIS_CONVERSATION, LISTEN_LINE, PLAYER, PLAYERS, RECORDINGS, chapters_score, episode_details, recording_line,
    running_time)
from pipeline.understand.content_types.schedules import (
    COURSE_DURATION, COURSE_LENGTH, COURSE_TERMS, DATE_SPAN, DATED, HELD_AT, OPEN_DAYS, RECURRING, SPAN_HINT,
    START_TIME, TICKET_PRICE, TICKET_PRICE_SCORE, TIME_SPAN, WEEKLY_SESSIONS, agenda_score, learning_offered,
    offered_runs, weekly_dates)
from pipeline.understand.content_types.templates import (
    FORM_SCORE, copy_me, document_offered, files_offered, handed_over, placeholders_score)
from pipeline.understand.content_types.text import (
    AMOUNT, DATED_ADDRESS, FILE_ADDRESS, FIRST_PERSON, HEAD_CHARS, TEXT_CHARS, opening_of)
from pipeline.understand.content_types.writing import (
    HOW_TO, WHAT_IS_SLUG, asks, definition_score, explains, instruction_score, steps_score, teaches)

DEFAULT_TYPE = "article"
REPORT = "whitepaper-report"
# A PDF that names itself a story or a release where it opens: a case study, a customer's
# story, a press release; or a newspaper's opinion page, a magazine's interview, a blog's post
# or a newsletter's issue printed ("OPINION", "THE INTERVIEW", "The views expressed are her
# own", "Posted on October 2, 2023 by ...", "6 min read", "NEWSLETTER", "The monthly newsletter
# of ...", a title "Spring 2024 newsletter FINAL.docx"), or a web page a browser printed (its
# header: "7/8/24, 3:17 PM <the page's title>"); not a report for being a PDF.
TOLD_AS_AN_ARTICLE = re.compile(r"\b(case stud(y|ies)|customer stor(y|ies)|success stor(y|ies)|press release"
                                r"|news release|media release|for immediate release|views expressed"
                                r"|posted (on|by)|\d+ min(ute)?s? read|newsletter|op-ed)\b"
                                r"|^\W*(opinion|(the )?interview)\W*$"
                                r"|^\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d{2}( ?[AP]M)?\s+\S",
                                re.IGNORECASE | re.MULTILINE)
MIN_TYPE_SCORE = 3
# More for each kind a PDF's title names: with a title's 2, one word of it names the
# document's kind (MIN_TYPE_SCORE) before the report a PDF otherwise is ("Employee Handbook").
PDF_TITLE_SCORE = 1
ADDRESS_SCORE = 3  # a URL pattern's
# A text cue in which the page names itself ("in this guide", "this episode") decides alone.
SELF_DESCRIPTION = re.compile(r"(in )?this\b")


def details_scores(title: str | None, head: str, body: str = "") -> Counter:
    """What a page's details show of its kind, from its title, the head of its text and (for
    an ISBN, which a shop gives last, a job's pay and a show's "In this conversation") its
    body: an episode's details (episode_details, IN_THIS_CONVERSATION), a book's excerpt or
    edition line (EXCERPT, EDITION), its chapter in its title (CHAPTER_TITLE) or its binding
    and pages or its ISBN and pages, a job's place and terms or its pay (PAY), an event's
    hours or days, a course's length beside its price, places or hours a week, its sessions
    or runs over dates (which make no event) or its labelled duration (COURSE_DURATION), a
    report's pages beside its PDF (3 each).
    The words each pattern needs are looked for first, as most pages have none."""
    scores: Counter = Counter()
    lowered = head.lower()
    opening_lines = opening_of(head)
    opening_lowered = opening_lines.lower()
    if episode_details(title, head, opening_lines) or (
            "conversation" in body and IN_THIS_CONVERSATION.search(body)):
        scores["podcast-episode"] += 3
    paged = "page" in lowered or "pp" in lowered and bool(PP_HINT.search(head))  # "368pp", not "support"
    ebook = paged and EBOOK_FORMAT.search(head)
    book = paged and (BOOK_DETAILS.search(head) or (ebook or FORMAT_LINE.search(head)) and PAGE_COUNT.search(head)) or (
        ("ISBN" in body or "isbn" in body) and ISBN.search(body) and PAGE_COUNT.search(body))
    if book or book_line(title, opening_lines, opening_lowered):
        scores["book"] += 3
    if any(place in lowered for place in WORK_PLACES) and JOB_DETAILS.search(head) or (
            AMOUNT.search(body) and states_pay(body)):
        scores["job-posting"] += 3
    spanned = bool(SPAN_HINT.search(opening_lines))
    sessions = weekly_dates(opening_lines) or spanned and offered_runs(opening_lines)  # a course's, no event's
    if not sessions and spanned and (
            TIME_SPAN.search(opening_lines)  # a routine's hours, or a service's, are no event's
            and not (RECURRING.search(opening_lines) or OPEN_DAYS.search(opening_lines))
            and (DATED.search(opening_lines) or DATED.search(title or ""))
            or DATE_SPAN.search(opening_lines)) or (
            ("start" in opening_lowered or "doors" in opening_lowered) and START_TIME.search(opening_lines)) or (
            ("held" in opening_lowered or "place" in opening_lowered) and HELD_AT.search(opening_lines)
            and not RECURRING.search(opening_lines) and DATED.search(opening_lines)):
        scores["event-conference"] += 3
    if "ticket" in lowered and TICKET_PRICE.search(head):
        scores["event-conference"] += TICKET_PRICE_SCORE
    if COURSE_LENGTH.search(opening_lines) and COURSE_TERMS.search(opening_lines) or (
            "days" in opening_lowered and WEEKLY_SESSIONS.search(opening_lines)) or sessions or (
            ("duration" in lowered or "course length" in lowered) and COURSE_DURATION.search(head)):
        scores["course"] += 3
    if "owner" in opening_lowered and OWNED.search(opening_lines) or controlled(head):
        scores["guide-playbook"] += 3
    if any(len(set(PLAYER.findall(line[0]))) >= PLAYERS for line in LISTEN_LINE.finditer(head)):
        scores["podcast-episode"] += 3
    if "pdf" in lowered and REPORT_FORMAT.search(head) and not book and pages_given(head) >= REPORT_LENGTH:
        scores[REPORT] += 3
    return scores


class Cues(NamedTuple):
    """The cues' score of each content type, and the types the text names the page as
    ("in this guide", "this episode")."""

    scores: Counter
    self_described: frozenset[str]
    addressed: frozenset[str]  # the types the URL's patterns score
    filed: frozenset[str]  # of those, the ones only a folder's name gives ("/resources/")
    offers_files: bool  # a kit's page in the round (`files_offered`), whoever tells its story
    teaching: bool = False  # the text says it teaches (`teaches`), whoever tells it
    # ... and only that names it a guide: a cue among the others, not a name over what its
    # markup declares (a video's description, "In this tutorial, I'll show you how to ...").
    taught_only: bool = False
    pdf: bool = False  # a PDF's: a report where its words show no other kind (`best`)
    copied: bool = False  # the text tells its reader to copy it (`copy_me`): a kit, whoever speaks in it

    @classmethod
    def of(cls, index: TypeIndex, url: str, title: str | None, text: str | None, is_pdf: bool) -> Cues:
        """Score a document's cues (see the package's docstring)."""
        scores: Counter = Counter()
        explainer = explains(title)
        address = WHAT_IS_SLUG.sub("/", url) if explainer else url  # an explainer's slug names no entry
        addressed = frozenset(kind.id for kind in index.types if any(pattern.search(address) for pattern in kind.url))
        # A site's name says what its pages are (youtube.com/watch, greenhouse.io); a folder's
        # name only what most of its pages are ("/resources/" holds templates and replays too).
        filed = frozenset(kind for kind in addressed
                          if not any(pattern.search(url) for pattern in index.site_patterns[kind]))
        scores.update(dict.fromkeys(addressed, ADDRESS_SCORE))
        title_hits = Counter(owner for owner, phrase in index.title.find(title or "")
                             if not (explainer and phrase == "what is"))
        for owner, hits in title_hits.items():
            scores[owner] += 2 * min(hits, 2)
        if "guide-playbook" in title_hits and HOW_TO.match(title or ""):
            scores["guide-playbook"] += 1  # a title that opens "How to ..." names the page as a guide does
        body = without_news_credit((text or "")[:TEXT_CHARS])
        found = index.text.find(body)
        text_hits = Counter(owner for owner, _ in found)
        self_described = {owner for owner, phrase in found if SELF_DESCRIPTION.match(phrase)}
        named = index.described_as(body)
        if (introduced := index.introduced(title, text)) is not None:
            named.add(introduced)
        if (labelled := index.labelled(title, text)) is not None:
            named.add(labelled)
        if (subtitled := index.subtitled(title)) is not None:
            named.add(subtitled)
        present = {kind.id for kind in index.types}
        teaching = "guide-playbook" in present and teaches(text, title)
        taught_only = teaching and "guide-playbook" not in named | self_described
        if teaching:
            named.add("guide-playbook")  # "In this post, I'll show you how to ...": it names itself one
        for name in named - self_described:
            self_described.add(name)
            text_hits[name] += 1  # then scores as a phrase naming the page does
        if text_hits[REPORT] and REPORT not in self_described and reports_on_a_study(body):
            del text_hits[REPORT]  # its words are the study's, told by someone else
        for owner, hits in text_hits.items():
            scores[owner] += 3 if owner in self_described else min(hits, 3)
        lowered = body.lower()  # for the tests of a kind in the round, whose patterns are in lower case
        # A PDF (its bytes or its address, one fact) is a report where its words show no other
        # kind (`best`), unless it names itself a story or a release (TOLD_AS_AN_ARTICLE).
        pdf = (is_pdf or bool(FILE_ADDRESS.search(url))) and not TOLD_AS_AN_ARTICLE.search(
            f"{title or ''}\n{opening_of((text or '')[:HEAD_CHARS])}")
        if pdf:  # a PDF's title is the document's own name, not a post's headline ("Employee Handbook")
            scores.update(dict.fromkeys(title_hits, PDF_TITLE_SCORE))  # Counter.update adds
        if yearly_figures(title, body) or study_published(lowered) and not reports_on_a_study(body):
            scores[REPORT] += 3
        head = (text or "")[:HEAD_CHARS]
        scores.update({kind: score for kind, score in details_scores(title, head, body).items() if kind in present})
        if "book" in present and CHAPTER_OPENING.match(title or "") and "guide-playbook" not in addressed and not (
                NOT_DOCUMENTATION.search(url) or DATED_ADDRESS.search(url)):
            scores["book"] += 3
        copied = "template-toolkit" in present and copy_me(title, text or "")
        if copied:
            scores["template-toolkit"] += FORM_SCORE
        elif "guide-playbook" in present:
            scores["guide-playbook"] += max(0 if asks(title) else instruction_score(text), steps_score(text))
        offers_files = "template-toolkit" in present and files_offered(lowered)
        if offers_files or "template-toolkit" in present and (document_offered(title, lowered) or handed_over(lowered)):
            scores["template-toolkit"] += 3
        if "event-conference" in present:
            scores["event-conference"] += agenda_score(text)
        if "course" in present and learning_offered(lowered):
            scores["course"] += 3
        scores.update({kind: score for kind, score in sections_scores(text).items() if kind in present})
        if "template-toolkit" in present:
            scores["template-toolkit"] += placeholders_score(text, title)
        if "glossary-entry" in present and not DATED_ADDRESS.search(url):  # a dictionary's entries are not dated
            scores["glossary-entry"] += definition_score(title, text)
        recordings = [kind for kind in RECORDINGS if kind in present]
        if recordings and (recorded := chapters_score(text) + 2 * running_time(head) + 3 * recording_line(head)):
            # A video's or an episode's: whichever the other cues lean to.
            scores[max(recordings, key=lambda kind: scores[kind])] += recorded
        # A page that shows no other kind: how a team works. A process laid down in its own
        # sentences also outweighs a stray word of another kind (two of a word list's: "books"),
        # and a folder's name that several kinds share ("/resources/": reports and kits alike).
        strongest = max((score for kind, score in scores.items() if kind != "guide-playbook"), default=0)
        shared = filed if len(filed) > 1 else frozenset()
        shown = max((score - ADDRESS_SCORE * (kind in shared) for kind, score in scores.items()), default=0)
        if "guide-playbook" in present and (
                strongest < ROUTINE_ALONE and routine(head) and not notice(url, lowered)
                or not FIRST_PERSON.search(body) and (
                    strongest < ROUTINE_ALONE and (documentation(url) or how_we_do(title, body) and not posted(url))
                    or shown < MIN_TYPE_SCORE and process_told(url, title, lowered))):
            scores["guide-playbook"] += 3
        return cls(scores, frozenset(self_described), addressed, filed, offers_files, teaching, taught_only, pdf,
                   copied)

    def best(self, least: int = MIN_TYPE_SCORE, leaving: frozenset[str] = frozenset()) -> str:
        """The best-scoring type (of those not in `leaving`) if it scores `least` or more,
        else a PDF's report (`pdf_default`) or `article`."""
        scores = [(kind, score) for kind, score in self.scores.items() if kind not in leaving]
        if not scores:
            return REPORT if self.pdf_default(leaving) else DEFAULT_TYPE
        # A tie goes to a type the text shows over one a folder of its address alone gives (a
        # recording's chapters over "/resources/"), then to whitepaper-report.
        best, score = max(scores, key=lambda item: (item[1], item[0] not in self.filed,
                                                    item[0] == REPORT))
        if score >= least:
            return best
        return REPORT if self.pdf_default(leaving) else DEFAULT_TYPE

    def pdf_default(self, leaving: frozenset[str] = frozenset()) -> bool:
        """Whether the document is a PDF whose words show no kind enough: a report then."""
        return self.pdf and REPORT not in leaving

    def named_type(self) -> str | None:
        """The type the text names the page as (the best-scoring of them), or None; not a
        guide it names only by saying it teaches (`taught_only`)."""
        named = self.self_described - ({"guide-playbook"} if self.taught_only else set())
        if not named:
            return None
        return max(sorted(named), key=lambda kind: self.scores[kind])
