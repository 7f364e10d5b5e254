"""The content type of a document and the signal that decided it (`decide_type`): its
markup's declaration where the text does not say otherwise, else the cues, and an article
over either for a personal account or a title that recounts (see the package's docstring).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.understand import markup as markup_reading
from pipeline.understand import pdf
from pipeline.understand.content_types.accounts import (
    REVIEWING, TOLD_IN_FIRST_PERSON, personal_account, recounts, reviewing_line)
from pipeline.understand.content_types.cues import ADDRESS_SCORE, DEFAULT_TYPE, MIN_TYPE_SCORE, Cues
from pipeline.understand.content_types.index import WHERE_DECLARED, TypeIndex
from pipeline.understand.content_types.process import RELEASE_NOTES_ADDRESS
from pipeline.understand.content_types.schedules import COURSE_OFFERED
from pipeline.understand.content_types.text import count_words, too_short
from pipeline.understand.content_types.writing import DEFINITION_TITLE_WORDS, HOW_TO

# Where the text shows no cue at all of what the markup declares, the cues of another kind
# of thing decide as they would without markup: the platform's type, not the page's (an
# LMS's cohort course marked Event for its start date, a replay still marked Event, a course
# page marked VideoObject for its trailer). A form of writing does not overrule a thing: a
# course page that speaks in the imperative is still a course; but a definition does, as it
# is what the page is (a glossary entry an academy's LMS marks Course, a terms page marked
# og:type video.other for its clip).
OVERRULING_SCORE = MIN_TYPE_SCORE
# ... and where the text shows a little of it (a glossary entry whose site marks every page
# Book, for the book it companions; a webinar replay an academy's LMS marks Course), the
# other kind decides when its cues score at least OUTWEIGHS times the declared kind's.
OUTWEIGHS = 2
# Types that are a form of writing, which the text itself shows (instructions, a definition),
# unlike what a page presents (a book, a job, a video), which its words may never name: a
# declaration of one counts only where a cue of it is found too. SEO plugins emit HowTo from
# any post's subheadings; a theme may wrap every page of a site in DefinedTerm (where a short
# title, a term's, is under it, the declaration counts alone: `_cues_needed`).
WRITING_FORMS = frozenset({"guide-playbook", "glossary-entry"})
NOT_OVERRULING = WRITING_FORMS - {"glossary-entry"}  # see OVERRULING_SCORE
# A VideoObject in JSON-LD or microdata is as often a clip embedded in a customer story or a
# post as the page's own video; og:type video.* is said of the page itself.
EMBEDDED = frozenset({"video-webinar"})
BLOG_POST_ADDRESS = re.compile(r"/blog/[^/?#]+", re.IGNORECASE)  # a post of a blog, whatever a plugin says
# A Dataset beside a story's own declaration is the story's data, not what the page is: a
# chart's figures, or a news site's analytics record (NBC News marks every article up with a
# Dataset named "additionalTaxonomy"). There it decides nothing: the cues do (`_data_of_a_story`).
DATA_RECORD = "dataset"
STORY_DECLARED = frozenset({"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                            "opinionnewsarticle"})  # og:article too: the name after the colon is read
# What a file's own structure declares (a PDF's fields to fill in: pdf.FORM), unlike a
# platform's template that marks every page alike: only the text naming the page as another
# type overrules it, not another kind's cues (a form's ".pdf" address and a report's words).
STRUCTURAL = frozenset({pdf.FORM.partition(":")[0]})
TEXT_CUES = "text cues"
GUIDE = "guide-playbook"
KIT = "template-toolkit"
COURSE = "course"
NO_CUES = "no cues"  # an article by default (a generic declaration such as Article included)
A_PDF = "a PDF whose words show no other kind"  # a report by default
PERSONAL = "a personal account"
RELEASE_NOTES = "release notes by their address"
RECOUNTED = "a title that recounts"


class TypeDecision(NamedTuple):
    """A document's content type and the signal that decided it, in words."""

    content_type: str
    signal: str


def signal_of(declaration: str) -> str:
    """A markup declaration in words: "JobPosting in the page's JSON-LD", "og:type
    video.other", "feed enclosure audio/mpeg", "fields to fill in in the PDF", "a paper's
    citation_* meta tags"."""
    where, _, what = declaration.partition(":")
    if where in WHERE_DECLARED:
        return f"{what} {WHERE_DECLARED[where]}"
    if declaration == pdf.FORM:
        return "fields to fill in in the PDF"
    if declaration == markup_reading.CITATION_PAPER:
        return "a paper's citation_* meta tags"
    if where == markup_reading.OPEN_GRAPH:
        return f"og:type {what}"
    return f"feed {where} {what}"


def decide_type(index: TypeIndex, url: str, title: str | None, text: str | None, is_pdf: bool,
                declared: list[str] | tuple[str, ...] = ()) -> TypeDecision:
    """The content type of a document and why: its markup's first declaration the taxonomy
    lists, unless its text names the page as another type; else its cues (a how-to's title
    over a kit's); and an article whatever either says when the text is a personal account,
    its title recounts or it is an entry of release notes that numbers its steps (see the
    package's docstring)."""
    cues = Cues.of(index, url, title, text, is_pdf)
    decision = _declared_or_cued(cues, index, declared, url, title, text)
    if decision.content_type == DEFAULT_TYPE:
        return decision
    # A title that opens "How to ..." names a guide, whatever kit comes with it ("How to run a
    # weekly pipeline review (with a CRM setup checklist)", its download at the foot).
    if decision == (KIT, TEXT_CUES) and HOW_TO.match(title or "") and cues.scores[GUIDE] >= MIN_TYPE_SCORE:
        decision = TypeDecision(GUIDE, f"{TEXT_CUES}: a how-to's title, over a kit's")
    # Release notes that number the steps to turn a change on are still release notes, unless
    # they say they teach ("In this post, we'll show you how to ...") or name themselves a guide.
    if (decision == (GUIDE, TEXT_CUES) and RELEASE_NOTES_ADDRESS.search(url) and not cues.teaching
            and GUIDE not in cues.self_described):
        return TypeDecision(DEFAULT_TYPE, f"{RELEASE_NOTES}, over {decision.signal}")
    if REVIEWING.search(title or "") or reviewing_line(title, text):
        return TypeDecision(DEFAULT_TYPE, f"{RECOUNTED}, over {decision.signal}")
    # A kit's maker may tell its story ("I made these sheets"): the files it offers still make
    # it a kit; and a post that says it teaches ("In this post, I'll show you how to ...") or
    # names itself a guide ("This page explains what happens from your first email to the
    # final files"), or a guide by its address (a food blog's `/recipe/sugar-free-peach-jam/`),
    # is a guide, however much of it the writer tells of herself.
    # A form's statements are its signer's, in the first person ("I have read and understood
    # the information about this study"): its fields still make it a form.
    # A course its title offers ("Develop Your Own Film: enrolment is open", "..., a six-week
    # course") is the course's page, told in its maker's voice as an author presents her book.
    kit = decision.content_type == KIT and (cues.offers_files or decision.signal == signal_of(pdf.FORM))
    taught = decision.content_type == GUIDE and (GUIDE in cues.self_described or GUIDE in cues.addressed)
    opened = decision.content_type == COURSE and bool(COURSE_OFFERED.search(title or ""))
    if decision.content_type in TOLD_IN_FIRST_PERSON or kit or taught or opened:
        return decision
    # A template's script is its user's, in the first person ("I'm [name] and I work on
    # [product]"): where the text tells its reader to copy it, no account of the writer's.
    if personal_account(text) and not (decision.content_type == KIT and cues.copied):
        return TypeDecision(DEFAULT_TYPE, f"{PERSONAL}, over {decision.signal}")
    if recounts(title, url):
        return TypeDecision(DEFAULT_TYPE, f"{RECOUNTED}, over {decision.signal}")
    return decision


def _declared_or_cued(cues: Cues, index: TypeIndex, declared: list[str] | tuple[str, ...],
                      url: str, title: str | None, text: str | None) -> TypeDecision:
    for declaration in declared:
        kind = index.declared(declaration)
        if kind is None or _data_of_a_story(declaration, declared) or cues.scores[kind] < _cues_needed(
                kind, declaration, cues, url, title, text):
            continue
        named = cues.named_type()
        if named is not None and named != kind:
            return TypeDecision(named, f"{TEXT_CUES}: the text names it, over {signal_of(declaration)}")
        if declaration.partition(":")[0] in STRUCTURAL:
            return TypeDecision(kind, signal_of(declaration))
        strong = cues.best(OVERRULING_SCORE, NOT_OVERRULING)
        # The address does not second the markup: a platform's template writes both
        # (a course platform's "/courses/anchors-the-field-handbook" and its Course).
        shown = cues.scores[kind] - ADDRESS_SCORE * (kind in cues.addressed)
        if strong not in (DEFAULT_TYPE, kind) and cues.scores[strong] >= OUTWEIGHS * shown:
            shows = "nothing" if shown == 0 else "little"
            return TypeDecision(strong, f"{TEXT_CUES}: strong, over {signal_of(declaration)} the text shows {shows} of")
        return TypeDecision(kind, signal_of(declaration))
    kind = cues.best()
    if kind == DEFAULT_TYPE:
        return TypeDecision(kind, NO_CUES)
    return TypeDecision(kind, A_PDF if cues.pdf and cues.scores[kind] < MIN_TYPE_SCORE else TEXT_CUES)


def _data_of_a_story(declaration: str, declared: list[str] | tuple[str, ...]) -> bool:
    """Whether a declaration is a Dataset beside the page's declaration of a story (DATA_RECORD,
    STORY_DECLARED): the story's data, which says nothing of what the page is."""
    return declaration.partition(":")[2].lower() == DATA_RECORD and any(
        other.partition(":")[2].lower() in STORY_DECLARED for other in declared)


def _cues_needed(kind: str, declaration: str, cues: Cues, url: str, title: str | None, text: str | None) -> int:
    """The least the text's cues of a declared type must score for the declaration to
    decide: 2 on a blog's post (BLOG_POST_ADDRESS: a plugin's JobPosting on a post that says
    the company is hiring, a podcast plugin's PodcastEpisode on a post announcing a
    season); 1 for a form of writing (WRITING_FORMS) but a glossary's entry under a term's
    title (DEFINITION_TITLE_WORDS at most: its definition may open with a gloss, "The share
    of eligible users who ...", no cue can tell from a headline's), or a video in the
    structured data of a page with a story of its own to tell (EMBEDDED: MIN_USEFUL_WORDS or
    more) or whose cues name another kind (a glossary entry with its explainer clip), which
    may be a clip embedded in the page rather than the page's own; else 0."""
    if BLOG_POST_ADDRESS.search(url):
        return 2
    if kind in WRITING_FORMS:
        return int(not (kind == "glossary-entry" and len((title or "").split()) <= DEFINITION_TITLE_WORDS))
    if kind not in EMBEDDED or declaration.partition(":")[0].lower() not in WHERE_DECLARED:
        return 0
    return int(not too_short(count_words(text)) or cues.best() != DEFAULT_TYPE)


def type_reason(decision: TypeDecision) -> dict:
    """A content type's entry in the documents' `why`, shaped as the tags' entries are
    (pipeline.understand.tagging), with no concept."""
    return {"concept": None, "where": "type", "content_type": decision.content_type, "signal": decision.signal}


def content_type(index: TypeIndex, url: str, title: str | None, text: str | None, is_pdf: bool) -> str:
    """The most likely content type of a document by its words alone, no markup read (see
    the package's docstring; decide_type reads its markup first)."""
    return decide_type(index, url, title, text, is_pdf).content_type
