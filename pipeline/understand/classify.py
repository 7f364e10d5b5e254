"""What a document is: its content type, whether it is gated, its language, whether it is
too short to be useful. Plain functions over a document's URL, title, text and HTML.

Content type scoring (cues in data/taxonomy.yaml): a URL pattern scores 3, each title phrase
2 (two at most; 3 for a title that opens "How to", which names a guide; nothing for the
"What is" of a question that goes on past a term, an explainer's, nor for its address's
"/what-is-..." slug), each distinct text phrase 1 (three at most) or 3 for a phrase in which the
page names itself ("in this guide", "this episode", "In this 45-minute webinar", "This is a
practical ebook for ..."; so does an opening sentence that introduces the page by one of
those names: "A practical four-part online course for accountants ..."), a PDF 3 toward
whitepaper-report, and so does a year's figures (a title dated by its year that names its
results, "Water quality monitoring: 2024 results", or over a text dense in shares and
medians, "PMO Pulse 2025": `yearly_figures`), and so does a study told in the round: how it
was done beside what it found and where it is published, not a post on someone else's ("we
interviewed 41 product managers", "At a glance", "the full report": `study_published`).
Structure counts too where words do not decide: a text that mostly instructs (at least
INSTRUCTIONS sentences, and INSTRUCTION_SHARE of them, open with a verb in the imperative,
after "please" or a clause of purpose or condition too, "To link in bulk, filter the inbox",
or after "Then", "First", or speak to "you", after a condition too, "If that is rejected,
you can appeal"; headings and a table's rows are not sentences)
scores 3 toward guide-playbook, a little of it 1, and so does a text laid out in steps
("Step 1 — ...", or list items that instruct: "1. Remove the dead wood.", "- Click Save.");
a text that opens by defining its title's term ("Accrual (noun): ...", "Definition: ...",
"Also called ...", a pronunciation and a part of speech) 4 toward glossary-entry, unless its
address is dated as a post's ("/2020/06/26/"); one that
lists a recording's chapters from 0:00 (or past what a clock shows, "29:20") 3 toward
video-webinar or podcast-episode (whichever the other cues lean to), and a running time in
its details ("Length: 54 minutes", "· 1 hr 8 min") 2, a line that says where or when it was
recorded ("Recorded live on 20 March", "Filmed at our Bristol kitchen") 3; a title or first
line with an episode's number ("Ep. 112 – ...", "#17", "142: ...", "No. 31 —") 3 toward
podcast-episode; a book's details ("Hardback · 224 pages", "164 pages · PDF, EPUB", "|
Format | Flexibound |" above "| Extent | 448 pages |", an ISBN and "176 pp." anywhere,
contents: "Part One, The Desk: ...") 3 toward book, a line of a podcast's players ("Listen
on Apple · Spotify · Overcast") 3 toward podcast-episode, a report's (eight pages or more
beside a PDF: "| Pages | 22 |", "64 pages ... Download PDF") 3 toward whitepaper-report, a
job's ("Lisbon · Hybrid · Full time") or a vacancy's sections ("The role", "What you'll
bring") 3 toward job-posting, a report's sections ("Key points", "Methods", "What we found",
"Suggested citation") 3 toward whitepaper-report, a maintained document's owner in the
opening lines ("Owner: Product Ops · Last edited May 2025") 3 toward guide-playbook; one
with blanks to fill in ("[PM name]", "Owner: ______", "- [ ] Alerts live", fields to pick
from, "Status: Open / Closed / Monitoring", fields left empty ("Who is affected:"), a
title's "— [team name] — [date]") 4 toward template-toolkit, a programme of clock times, or
a span of hours on a date, a span of days or a start in the opening lines ("Saturday 26
April, 10am – 1pm", "Friday 17 – Sunday 19 October", "10:00 start") 3 toward
event-conference (hours that come round again, "every Monday at 9:30", "Thursdays 14:00 to
14:50", are no event's: where no kind scores 2 or more they make a team's process page, 3
toward guide-playbook, and so does a page of a team's documentation, a wiki's, a handbook's,
a help centre's, not told in the first person: DOCUMENTATION_ADDRESS, a title that says
how a team does a thing over a text told in the present: "How we tier launches", HOW_WE_DO,
and a process laid down in the present, whatever its title and even beside two words of
another kind's: sentences that give its times, conditions and duties, "Each Monday, product
ops groups the new requests", "within ten working days", "If the path floods, the director
decides", "Kit must come back", "At 90 days, send the summary", in one sentence in five at
least, one its times or what its reader does on a condition ("If you disagree, use the
dispute service"); it opens with no story told in the past (a condition's past, "If you
think a notice was issued unfairly", is only supposed) and no news and tells them in no more than
one sentence in five, announces no change ("now", "From 2 September") and asks nothing; its
title is no listicle's and makes no claim, and its address is neither dated nor a blog's, a
writer's, or a site's news, changelog or forum, where a team's practice told in the present
is a post about it: `process_told`, `posted`, `notice`).
More forms of the same kind: a page that tells its reader where it opens or ends to copy it
("Make a copy ...", "Duplicate it into your own drive", "Use this agenda ...": COPY_ME)
scores 4 toward template-toolkit and its instructions nothing toward guide-playbook, and a
page that offers files to use, in three of four details (a download or a file's format, a
heading over their list, "What's inside", three listed documents, words on using them:
`files_offered`) 3, and so does one that offers a document to its reader's own tool, or
hands it over in a tool's format, under a title that names one ("Copy the list into your
launch ticket" under "Launch readiness list", "Download it as an Excel file" under "Sample
tracking sheet": `document_offered`), and one that tells two ways of putting a document
handed over to use, whatever its title ("Use File > Make a copy", "Replace them with your
own": `handed_over`); an instruction may follow its phase's label or its
time ("Week one: ...", "Six weeks before the quarter, send ...": PHASE, TIMED_LEAD); an
episode shows in a guest named at the end of its title, an audio file or a station's
listen-again lines where it opens, or its number on the line after a repeated title, not a newsletter's "Issue 142"
(`episode_details`), or a sentence that opens "In this conversation" (IN_THIS_CONVERSATION);
a book in its excerpt's or edition's line (EXCERPT, EDITION) or a title that ends on its
chapter (CHAPTER_TITLE), or opens on it away from a guide's address, where a manual's chapters
are, and a post's (CHAPTER_OPENING); a course in a length in weeks beside a price, places or hours a
week, or sessions on a weekday over dates, dates a week apart or spans of days offered on
one line, which make no event, or a labelled duration (COURSE_LENGTH, WEEKLY_SESSIONS,
DATE_LIST, `offered_runs`, COURSE_DURATION), 3 each, and so, whatever its form, in an offer
of a place beside two kinds of what a course gives its learners (a price or enrolment beside
its lessons, tutors, exercises, certificate or what they will be able to do:
`learning_offered`); a label over the title ("Playbook · Sales operations") names the page
as a phrase in which it names itself does; and news of someone else's study ("according to a
report published Tuesday by ...": ABOUT_A_STUDY) loses its report's words, which are the
study's. The best type wins if it scores 3 or more (a tie goes to a type the text shows over
one a folder of the address alone gives); otherwise `article`. (Static word embeddings were
tried for the type and found no better than chance on the tune split: they see the topic,
not the form.) The cues and the forms were chosen on the tune splits of data/eval/, never on
the held-out ones, and checked against real blogs' posts (pipeline.quality.neighbourhood).

Before the cues, what the page declares (pipeline.understand.markup: JSON-LD, microdata,
og:type, a feed entry's enclosure): the first declaration the taxonomy lists under a content
type's `markup` decides ("JobPosting" beside a theme's "BlogPosting"), over every cue but
one: the page's own words naming it as another type ("this report examines" on a report its
publisher marks up as a Book, for its ISBN). A declared form of writing (HowTo, DefinedTerm)
counts only where the text shows a cue of it (WRITING_FORMS; a DefinedTerm under a term's
short title counts alone), and so does a VideoObject in the structured data of a page with a
story of its own (EMBEDDED: a customer story with its testimonial clip), and a declaration
on a blog's post needs two cues (a careers plugin's JobPosting on a post saying the company
is hiring: BLOG_POST_ADDRESS), and a Dataset beside the page's declaration of a story decides
nothing (a news site's analytics record: DATA_RECORD); and where the text shows little of the declared type, another
kind of thing its cues name decides, a definition but no other form of writing
(OVERRULING_SCORE, OUTWEIGHS, NOT_OVERRULING; the URL's pattern of the declared type counts
for nothing there, as the platform's template that wrote the markup wrote the address too:
an ebook in a course platform's store, at /courses/..., marked Course). A declaration listed
nowhere (Article, BlogPosting, WebPage, og:article, which blog themes put on every page)
decides nothing: the cues do. The deciding signal is kept as the type's reason
(`type_reason`) in the documents' `why`.

Last, a text told in the first person singular (PERSONAL_SHARE) is an article, whatever its
markup or cues say: someone's account of the course she took or the conference he went to
carries the course's or the conference's words and, often, its markup. So is a page whose
title recounts or reports ("Review: ...", "Notes from ...", "..., survey finds", "Why we
built ...": REVIEWING, RECOUNTING), or whose first line under the title is a review's
("Review: The Operating Layer, by ..."). Books, episodes and talks are exempt but from a review's
title: their own pages speak so (an author presenting her book, a transcript) and their
titles may recount; so is a kit from a personal account, where its page offers its files
(`files_offered`): its maker tells how she came to make it.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

import py3langid

from pipeline.config.taxonomy import Taxonomy, cached_taxonomy
from pipeline.understand import markup as markup_reading
from pipeline.understand.phrases import PhraseIndex

DEFAULT_TYPE = "article"
MIN_TYPE_SCORE = 3
ADDRESS_SCORE = 3  # a URL pattern's
HOST_PART = r"\."  # in a URL pattern, what names a site ("youtube\.com/watch"), not a folder
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
MIN_USEFUL_WORDS = 150  # shorter documents are kept, marked too_short
MIN_WORDS_TO_DETECT_LANGUAGE = 20
TEXT_CHARS = 8_000  # the cues of a type show early in a document
LANGUAGE_CHARS = 1_500  # enough to identify a language; py3langid's cost grows with length

FORM = re.compile(rb"<form\b", re.IGNORECASE)
EMAIL_INPUT = re.compile(rb"""<input\b[^>]*\b(type\s*=\s*["']?email|name\s*=\s*["']?[\w\[\]-]*email)""", re.IGNORECASE)
# A text cue in which the page names itself ("in this guide", "this episode") decides alone.
SELF_DESCRIPTION = re.compile(r"(in )?this\b")
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
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
INSTRUCTIONS = 3
INSTRUCTION_SHARE = 0.3
WHERE_DECLARED = {markup_reading.JSON_LD: "in the page's JSON-LD", markup_reading.MICRODATA: "in the page's microdata"}
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
TEXT_CUES = "text cues"
NO_CUES = "no cues"  # an article by default (a generic declaration such as Article included)
PERSONAL = "a personal account"
RECOUNTED = "a title that recounts"
# Verbs that open an instruction ("Start with...", "Review the event taxonomy..."): a closed
# list is enough, as instructions use few verbs and the share of them decides, not one.
IMPERATIVES = frozenset("""
add agree allow apply ask assign avoid bake begin build check choose collect compare compute
copy create decide define draw feed find follow give go keep leave let list look make map
mark measure mix move note pick pinch place plan plant practise practice prepare put read
remember remove review run schedule score see select send set share shape show skip sort
start stay stop take tell test track try turn update use walk watch write
open record present publish get call talk return recruit invite hold draft fill
enter email contact bring wear don't never always confirm suspend revoke rotate transfer wipe
close attach complete submit approve triage escalate notify inform reserve register join
fork edit rename delete replace paste drag stir pour cook warm stretch breathe lift repeat
limit reduce increase prioritise prioritize align discuss explain listen reply respond verify
ensure consider identify describe summarise summarize gather estimate deploy monitor retire
archive click tap press type navigate download install configure enable disable toggle tick
sight subtract multiply divide cut fold sew water wash dry fit tighten loosen scan print save
wait light swap scrape hang ring phone lay trim clean label store wrap spread sand glue push pull
tie thread sow prune dig heat boil chop slice season serve rinse soak drain whisk knead
simmer soften melt sprinkle toss preheat garnish marinate grate mince saute sauté squeeze sieve
say sanitise sanitize wipe
export merge tag work interview fix refresh split group link rank count
""".split())


LIST_MARKER = re.compile(r"^\s*([-*•–]|\d{1,2}[.)])\s+")  # an instruction may be a list's item


# An instruction may open with its purpose or its condition: "To link in bulk, filter the
# inbox ...", "If the button is greyed out, ask your admin"; or ask: "Please fill cans ...".
LEADING_CLAUSE = frozenset("to if when once before after during while until for as on".split())
# "Then soak it ...", "First, name the decision": an adverb of sequence before the verb.
SEQUENCE = frozenset("then first second third fourth next finally lastly now also afterwards".split())
# A phase's label before its instruction: "Week one: refresh the forecast", "Months three and
# four: fix it visibly", "Day 2 - pair with a buddy".
PHASE = re.compile(r"^\W{0,3}((step|stage|phase|day|week|month|quarter|part)s?\s+[\w-]+(\s+(and|to|&)\s+[\w-]+)?"
                   r"|(first|final|last|next)\s+(step|stage|phase|day|week|month|quarter))\s*[:–—-]\s+", re.IGNORECASE)
PHASE_WORDS = frozenset("step stage phase day week month quarter part first final last next".split()) | frozenset(
    "steps stages phases days weeks months quarters parts".split())
TIMED_WORDS = frozenset("a an one two three four five six seven eight nine ten eleven twelve few several each every"
                        .split())
# A time before an instruction: "Six weeks before the quarter, send teams the goals", "Two days
# ahead, share the pre-read", "Every Monday, review the list".
TIMED_LEAD = re.compile(r"^\W{0,3}((\w+\s+){1,2}(minutes?|hours?|days?|weeks?|months?|quarters?)\s+"
                        r"(before|after|ahead|into|out)\b[^,]{0,40}|(each|every)\s+\w+(\s+\w+)?),\s+", re.IGNORECASE)


def _instructs(sentence: str) -> bool:
    """Whether a sentence tells the reader what to do: it opens with a verb in the
    imperative or speaks to "you", after "please" or a leading clause of purpose or
    condition up to its comma ("To link in bulk, filter ...", "If that is rejected, you
    can appeal") too."""
    words = sentence.split(maxsplit=1)
    first = words[0].strip("\"'“(").lower() if words else ""
    # A phase's label or a time before the instruction (PHASE, TIMED_LEAD), looked for only
    # where its first word could open one: a pattern tried on every sentence costs more.
    if first in PHASE_WORDS or first in TIMED_WORDS or first.isdigit():
        sentence = TIMED_LEAD.sub("", PHASE.sub("", sentence, count=1), count=1)
        words = sentence.split(maxsplit=1)
        first = words[0].strip("\"'“(").lower() if words else ""
    if first.rstrip(",") in SEQUENCE and len(words) > 1:
        words = words[1].split(maxsplit=1)
        first = words[0].strip("\"'“(").lower()
    if first in LEADING_CLAUSE and "," in sentence:
        words = sentence.partition(",")[2].split(maxsplit=1)
        return bool(words) and (words[0].lower() in IMPERATIVES or words[0].lower() in ("you", "your"))
    if first == "please" and len(words) > 1:
        first = words[1].split(maxsplit=1)[0].lower()
    return first in IMPERATIVES or first in ("you", "your")


HEADING_MOST_WORDS = 6


def _is_heading(line: str) -> bool:
    """A short line with no sentence's end, a section's heading, or a table's row."""
    line = line.strip()
    return line.startswith("|") or len(line.split()) <= HEADING_MOST_WORDS and not line.endswith(
        (".", "!", "?", ":", ";", ","))


def instruction_score(text: str | None) -> int:
    """3 when the text mostly tells the reader what to do, 1 when it partly does, else 0."""
    sentences = [s for s in SENTENCE.split((text or "")[:TEXT_CHARS]) if s.strip()]
    if not sentences:
        return 0
    instructs = [_instructs(LIST_MARKER.sub("", sentence)) for sentence in sentences]  # "- Send the..."
    instructing = sum(instructs)
    # A heading ("Weeks 1–2", "Before you start") is not a sentence that fails to instruct.
    sentences = [s for s, told in zip(sentences, instructs, strict=True) if told or not _is_heading(s)]
    if instructing >= INSTRUCTIONS and instructing / len(sentences) >= INSTRUCTION_SHARE:
        return 3
    return 1 if instructing >= INSTRUCTIONS else 0


DEFINITION_LINES = 3  # a definition opens the entry, under its heading
DEFINITION_TITLE_WORDS = 5  # a term, not an article's headline
DEFINING = re.compile(r"\s*(\([a-z ]+\)\s*:|:|\s(is|are)\s(a|an|the)\s|\s(refers to|means)\s"
                      r"|\W{0,3}(/[^/]{1,40}/\s*\W{0,3}\s*)?(noun|verb|adjective|adverb|abbreviation|n\.|v\.|adj\.)\b)",
                      re.IGNORECASE)  # "Accrual (noun):", "Churn is the...", "fond / /fɔ̃/ · noun"


# A thing that lasts, not a term: "The Monday metrics review is a 30-minute meeting", "...
# Foundations is a six-week, part-time programme": a meeting's or a course's page.
LASTING = re.compile(r"\s*(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|half)[- ]"
                     r"(minute|hour|day|week|month|year)\b")
LEADING_ARTICLE = re.compile(r"^(a|an|the)\s+")  # "A release train is..." under "Release train"


QUESTION = re.compile(r"^(what|who)(\s+(is|are)|'s)\s+|\?$")  # "What is pipeline coverage ratio?"


def definition_score(title: str | None, text: str | None) -> int:
    """4 when the text opens as a glossary entry does, with its title's term defined
    ("Accrual (noun): an amount...", "Churn is the share...", "A release train is...",
    "fond /fɔ̃/ · noun"; not as a thing that lasts, LASTING, nor a blank to fill in, "PRD:
    [Feature name]"), else 0: more than a structure's 3, as an entry that tells how its
    practice runs may instruct as much as a guide does."""
    term = QUESTION.sub("", re.sub(r"\s*\(.*?\)\s*$", "", (title or "").strip()).lower())
    if not term or len(term.split()) > DEFINITION_TITLE_WORDS:
        return 0
    # A plural title's term defined in the singular: "Accruals", "An accrual is ...".
    terms = (term, term[:-1]) if term.endswith("s") and not term.endswith("ss") else (term,)
    lines = [line.strip().lower() for line in (text or "").splitlines()[:DEFINITION_LINES + 1]]
    for line, following in zip(lines, lines[1:] + [""]):
        line = LEADING_ARTICLE.sub("", line, count=1) if not term.startswith(("a ", "an ", "the ")) else line
        if any(line.startswith(word) and (defined := DEFINING.match(line[len(word):])) and not (
                LASTING.match(line, len(word) + defined.end())
                or line[len(word) + defined.end():].lstrip().startswith("["))  # a blank: "PRD: [Feature name]"
               for word in terms):
            return 4
        if line == term and PART_OF_SPEECH.match(following):  # the term as a heading, then its entry
            return 4
        if ENTRY_LINE.match(line):  # "Definition: a visual map...", "/meez ahn PLAHSS/ · French · noun"
            return 4
    return 0


PART_OF_SPEECH = re.compile(r"\W{0,3}(/[^/]{1,40}/\s*\W{0,3}\s*)?(noun|verb|adjective|adverb|abbreviation)\b")
# A line that can only open a dictionary's or a glossary's entry, under a short title: a
# definition announced, the term's other names, a pronunciation followed by its part of
# speech, or a numbered sense's part of speech ("1. (noun) The front edge of a sail").
ENTRY_LINE = re.compile(r"(definition|meaning)\s*:|also (called|known as)\b"
                        r"|/[^/]{1,40}/[^.]{0,60}\b(noun|verb|adjective|adverb)\b"
                        r"|(\d[.)]\s*)?\((noun|verb|adjective|adverb)\)")


# A recording's chapters: "0:00 Intro", "1:40 Setting up boards"... opened at zero (an
# event's agenda starts at 9:00, not 0:00).
CHAPTER = re.compile(r"^\W{0,3}(\d{1,2}:)?\d{1,2}:\d{2}\b")
CHAPTER_START = re.compile(r"^\W{0,3}(0{1,2}:)?0{1,2}:00\b")
CHAPTERS = 3
SECONDS = re.compile(r"^\W{0,3}\d{1,2}:\d{2}:\d{2}\b")  # "00:58:45": a recording's hours, minutes and seconds
LAST_HOUR = 23
RECORDINGS = ("video-webinar", "podcast-episode")  # ties go to the first
# A text told in the first person singular (at least PERSONAL_SENTENCES sentences and
# PERSONAL_SHARE of them with I, my or me) is someone's account: an article, whatever the
# thing it recounts (the conference she went to, the webinar he took notes at, the course
# she took) says in its words or its markup. Not for the kinds whose own pages speak so: an
# author presenting her book, an episode's or a talk's transcript. On the tune splits the
# pages of every other kind stay under a fifth; real blogs' posts mostly above.
FIRST_PERSON = re.compile(r"\b(I|I'm|I've|I'd|I'll|my|me)\b")
PERSONAL_SENTENCES = 4
PERSONAL_SHARE = 0.25
TOLD_IN_FIRST_PERSON = frozenset({"book", *RECORDINGS})
# A title that recounts or reports on something ("Review: ...", "Notes from the intake
# webinar", "What we heard at ...", "Lessons from ...", "..., survey finds", "Why we built a
# course") or argues about it ("Against the PRD template", "Stop writing playbooks nobody
# follows", "The case for ...") or announces it ("Introducing the Launch Readiness
# Certificate", "Meet the experiment brief") heads an article about the thing, whose words
# and markup are the thing's. Not "recap": a conference's own
# recap page is the conference's (the labelled sets say so). Books, episodes and talks are
# exempt here too, their titles may recount ("Lessons from the trenches", "Notes from a
# small island", an episode's "Notes from the team"), but not from a review's or someone's
# notes' title (REVIEWING: "Review: ...", "My notes from the capacity planning webinar",
# "Consent debt: notes on Maya Okafor's talk",
# "What I took from episode 41").
REVIEWING = re.compile(r"^\s*review\s*:|:\s*notes on\b|\b(a review of|book review|my notes|"
                       r"what i (heard|learned|learnt|saw|took))\b", re.IGNORECASE)
RECOUNTING = re.compile(r"^\s*(why (we|i)|against|stop|in defen[cs]e of|the case (for|against)|introducing|announcing"
                        r"|meet (the|our))\b|considered harmful"
                        r"|\b(notes from|takeaways|lessons from|brought (home|back) from|"
                        r"what we (heard|learned|learnt|saw|took away)|reflections on|"
                        r"(i|we) wish (i|we)('d| had)? known|"
                        r"(survey|study|report|research|poll|data) (finds|found|suggests|shows))\b", re.IGNORECASE)


LETTER_OPENING = re.compile(r"\s*(hi|hello|hey|dear|greetings|good morning|morning)\b( again)?,?"
                            r"( (all|everyone|everybody|friends|folks|readers|there|team|y'all|you all))?\s*[,.!—–]",
                            re.IGNORECASE)


# A title that opens on what it teaches: "How to repair the mounting ring", "How to run a
# launch readiness review".
HOW_TO = re.compile(r"\W{0,3}how to\b", re.IGNORECASE)
# A title that asks what a thing is and goes on, an explainer's ("What is product operations,
# really?", "What is the 'rules-based order' and can it survive?", "What is media impact
# value, the algorithm the fashion industry is fixated on"), not a term's entry ("What is a
# launch tier?"); its address's "/what-is-..." is its slug and says no more.
WHAT_IS = re.compile(r"\W{0,3}what (is|are)\s+(?P<asked>.*?)\s*\??\s*$", re.IGNORECASE)
GOES_ON = re.compile(r"[,;:!]|\b(really|actually|anyway)\b|\b(and|or|but) (can|could|is|are|does|do|did|why|how"
                     r"|what|who|when|where|should|will|would|it|they|we|you)\b", re.IGNORECASE)
WHAT_IS_SLUG = re.compile(r"/what-(is|are)-")


def explains(title: str | None) -> bool:
    """Whether a title asks "What is ...?" of more than a term alone (WHAT_IS): past
    DEFINITION_TITLE_WORDS words, or going on (GOES_ON)."""
    asked = WHAT_IS.match(title or "")
    if not asked:
        return False
    words = LEADING_ARTICLE.sub("", asked["asked"].lower()).split()
    return len(words) > DEFINITION_TITLE_WORDS or bool(GOES_ON.search(asked["asked"]))


def personal_account(text: str | None) -> bool:
    """Whether the text is told in the first person singular (PERSONAL_SHARE), or is a
    letter: it opens by greeting its readers ("Hi friends.", "Hello again, everyone —"), as
    a newsletter's issue does (LETTER_OPENING, in its first OPENING_LINES lines)."""
    if any(LETTER_OPENING.match(line) for line in (text or "")[:HEAD_CHARS].splitlines()[:OPENING_LINES]):
        return True
    sentences = [sentence for sentence in SENTENCE.split((text or "")[:TEXT_CHARS])
                 if len(sentence.split()) >= 4 and not sentence.lstrip().startswith("|")]  # a table's "I": informed
    personal = sum(bool(FIRST_PERSON.search(sentence)) for sentence in sentences)
    return personal >= PERSONAL_SENTENCES and personal >= PERSONAL_SHARE * len(sentences)


def _chapters(lines: list[str]) -> int:
    """How many time-coded lines run from the first at 0:00 on (a recording's running time,
    "24:18 · Published 2 June", may come before its chapters), or, where none is at 0:00,
    how many there are if one is past what a clock shows ("29:20", "38:00": minutes into a
    recording, not an hour of the day) or gives seconds ("00:58:45")."""
    coded = [line for line in lines if CHAPTER.match(line)]
    start = next((at for at, line in enumerate(coded) if CHAPTER_START.match(line)), None)
    if start is not None:
        return len(coded) - start
    past_a_clock = any(int(re.findall(r"\d+", line)[0]) > LAST_HOUR or SECONDS.match(line) for line in coded)
    return len(coded) if past_a_clock else 0


def chapters_score(text: str | None) -> int:
    """3 when the text lists a recording's chapters (CHAPTERS time-coded lines from one at
    0:00 on), else 0."""
    lines = [line.strip() for line in (text or "")[:TEXT_CHARS].splitlines()]
    return 3 if _chapters(lines) >= CHAPTERS else 0


def agenda_score(text: str | None) -> int:
    """3 when the text lists a day's programme (CHAPTERS lines opening with a clock time,
    "09:30 Coffee and badges") and no recording's chapters (from 0:00 on), else 0."""
    lines = [line.strip() for line in (text or "")[:TEXT_CHARS].splitlines()]
    timed = [line for line in lines if AGENDA_TIME.match(line)]
    return 3 if len(timed) >= CHAPTERS and _chapters(lines) < CHAPTERS else 0


# "09:30 Coffee", "- 14:15 Panel", "9.30am Welcome", "10:00–11:00 Workshop"
AGENDA_TIME = re.compile(r"^\W{0,3}\d{1,2}[:.]\d{2}\s*([ap]\.?m\.?)?\s*([-–—]\s*\d{1,2}[:.]\d{2}\s*([ap]\.?m\.?)?)?\s",
                         re.IGNORECASE)
STEP = re.compile(r"^\W{0,3}step\s+(\d+|one|two|three|four|five)\b", re.IGNORECASE)
STEPS = 2
HEADING_WORDS = 12
# "1. Remove the three Ds.", "2) Take out crossing branches": a numbered list of things to do
# is a procedure even where the prose around it does not instruct (INSTRUCTION_SHARE); so is
# a bulleted one ("- Sight the top of the tree") that is a good part of the text, where a
# few bullets in a long text are its aside (an algorithm's steps in an essay, a mission's
# goals in an encyclopedia's article). Verbs in capitals are names ("GET a folder").
LIST_ITEM = re.compile(r"^\s*(?:(\d{1,2}[.)])|[-*•])\s+([A-Za-z']+)")
LISTED_INSTRUCTIONS = 3
BULLETED_SHARE = 0.15  # of the text's sentences


def steps_score(text: str | None) -> int:
    """3 when the text is laid out in steps: at least STEPS headings ("Step 1 — Decide what
    counts": a short line opening with its step; "Step one was an inventory..." running on
    is a story told in order, not a step to follow), or LISTED_INSTRUCTIONS list items that
    open with an instruction, numbered ("1. Remove the dead wood.") or bulleted and
    BULLETED_SHARE of the sentences ("- Click Save."), else 0."""
    text = (text or "")[:TEXT_CHARS]
    lines = text.splitlines()
    headings = [line for line in lines if STEP.match(line.strip()) and len(line.split()) <= HEADING_WORDS]
    if len(headings) >= STEPS:
        return 3
    listed = [bool(item[1]) for line in lines
              if (item := LIST_ITEM.match(line)) and not item[2].isupper() and item[2].lower() in IMPERATIVES]
    if sum(listed) >= LISTED_INSTRUCTIONS:
        return 3
    if len(listed) < LISTED_INSTRUCTIONS:
        return 0
    sentences = sum(1 for sentence in SENTENCE.split(text) if sentence.strip())
    return 3 if len(listed) >= BULLETED_SHARE * sentences else 0


# A template's blanks: "[PM name]", "[Quarter or date]" — words, capitalized: not a
# citation's "[1]", code's "[i + 1]" or an encyclopedia's "[citation needed]".
PLACEHOLDER = re.compile(r"\[[A-Z][A-Za-z,/.'’ –?-]{0,60} [A-Za-z,/.'’ –?-]{1,60}\]")
PLACEHOLDERS = 4
FORM_SCORE = 4
# A form's blanks and boxes: "Owner: ______", "- [ ] Monitoring live", "☐ PM" (a rule of
# underscores alone on its line is a separator, not a blank; a table's empty cells are any
# table's, a layout's or an encyclopedia's too: the real pages say so).
BLANK = re.compile(r"(?<=\S\s)_{3,}|\[ \]|☐")
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


def _under_title(title: str | None, lines: list[str]) -> list[str]:
    """The non-blank lines of a text's opening, stripped, less the first where it is the
    title's own (extraction often repeats the title as the text's first line)."""
    kept = [line.strip() for line in lines if line.strip()]
    return kept[1:] if kept and title and kept[0] == title.strip() else kept


# A page that tells its reader, where it opens or where it ends, to copy it or use it as it
# is, is the thing to copy: "Make a copy and replace the grey text", "Copy this document,
# give it the incident number ...", "Use this agenda for a 90-minute review", "Duplicate it
# into your own drive to start.", "Print two copies", "Fill it in" (its instructions are how to
# fill the copy in, not a guide's).
# (Using a page, "Use this page when a launch may slip", is following a process; getting a
# copy, "Get a copy", is buying a book.)
FILLED_IN = (r"(sheet|spreadsheet|template|outline|board|deck|form|checklist|canvas|agenda|workbook|worksheet|tracker"
             r"|scorecard|kit)")
COPY_ME = re.compile(rf"\W{{0,3}}(please\s+)?((make|save|take|grab) (a|your own) copy\b|(copy|duplicate|clone) "
                     rf"((this|the) ({FILLED_IN}|page|doc|document|file|brief|plan|table)|it)\b"
                     rf"|use this {FILLED_IN}\b|print (it|this|them|(a|one|two|three|\d) (copy|copies))\b"
                     rf"|fill (this|it) in\b)",
                     re.IGNORECASE)
CLOSING_LINES = 3


def copy_me(title: str | None, text: str) -> bool:
    """Whether a text tells its reader to copy the page or use it as it is (COPY_ME): a
    sentence that begins one of its opening lines (the title's own line skipped) or one of
    its CLOSING_LINES last lines."""
    head, tail = text[:HEAD_CHARS], text[-HEAD_CHARS:]
    lowered = f"{head}\n{tail}".lower()
    if not any(word in lowered for word in ("copy", "duplicate", "clone", "use this", "print", "fill")):
        return False
    lines = _under_title(title, _opening_lines(head).splitlines())
    lines += [line.strip() for line in tail.splitlines() if line.strip()][-CLOSING_LINES:]
    return any(COPY_ME.match(sentence) for line in lines for sentence in SENTENCE.split(line)[:2])


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
# "Replace them with your own" (not a gate's "Fill in the form to watch"). Two of them make a
# kit's page told in prose; a post or a guide may name one.
IN_HAND = re.compile(r"\b(?:(?P<fill>fill (it |them |this |that |each |the (?!form\b)\w+ )?in\b"
                     r"(?! (the|this|our|a|your)( \w+)? form\b))|(?P<replace>replace (them|it|these|each)\b)"
                     r"|(?P<rename>rename\b)|(?P<copy>make a copy|duplicate (it|the|this)\b)"
                     r"|(?P<import>import (this|it|them|the file|the template)\b)|(?P<paste>paste (in|your|it)\b)"
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
    blanks = ("_" in head or "[" in head or "☐" in head) and len(BLANK.findall(head)) >= PLACEHOLDERS or (
        _empty_fields(head) >= EMPTY_FIELDS)
    choices = " / " in head and len(CHOICE_FIELD.findall(head)) >= CHOICE_FIELDS
    return FORM_SCORE if blanks or choices else 0


GATE_WORDS = PhraseIndex((("gate", p) for p in (
    "download", "get the report", "get the guide", "fill out the form", "complete the form",
    "access the report", "get your copy", "get instant access", "work email", "business email",
)))


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
        lines = _under_title(title, (text or "")[:HEAD_CHARS].splitlines())
        for line in lines[:OPENING_LINES]:
            sentence = SENTENCE.split(line, maxsplit=1)[0]
            if len(sentence.split()) < INTRODUCTION_WORDS or not (sentence != line or line.endswith((".", "!", "?"))):
                continue  # a heading, a byline, a subtitle
            found = self.introduction.match(sentence)
            return self.names[found[1].lower()] if found and not REPORTING.search(sentence) else None
        return None

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


class TypeDecision(NamedTuple):
    """A document's content type and the signal that decided it, in words."""

    content_type: str
    signal: str


def signal_of(declaration: str) -> str:
    """A markup declaration in words: "JobPosting in the page's JSON-LD", "og:type
    video.other", "feed enclosure audio/mpeg"."""
    where, _, what = declaration.partition(":")
    if where in WHERE_DECLARED:
        return f"{what} {WHERE_DECLARED[where]}"
    if where == markup_reading.OPEN_GRAPH:
        return f"og:type {what}"
    return f"feed {where} {what}"


def decide_type(index: TypeIndex, url: str, title: str | None, text: str | None, is_pdf: bool,
                declared: list[str] | tuple[str, ...] = ()) -> TypeDecision:
    """The content type of a document and why: its markup's first declaration the taxonomy
    lists, unless its text names the page as another type; else its cues; and an article
    whatever either says when the text is a personal account or its title recounts (see
    the module docstring)."""
    cues = Cues.of(index, url, title, text, is_pdf)
    decision = _declared_or_cued(cues, index, declared, url, title, text)
    if decision.content_type == DEFAULT_TYPE:
        return decision
    if REVIEWING.search(title or "") or reviewing_line(title, text):
        return TypeDecision(DEFAULT_TYPE, f"{RECOUNTED}, over {decision.signal}")
    # A kit's maker may tell its story ("I made these sheets"): the files it offers still make it a kit.
    kit = decision.content_type == "template-toolkit" and cues.offers_files
    if decision.content_type in TOLD_IN_FIRST_PERSON or kit:
        return decision
    if personal_account(text):
        return TypeDecision(DEFAULT_TYPE, f"{PERSONAL}, over {decision.signal}")
    if RECOUNTING.search(title or ""):
        return TypeDecision(DEFAULT_TYPE, f"{RECOUNTED}, over {decision.signal}")
    return decision


def reviewing_line(title: str | None, text: str | None) -> bool:
    """Whether a text's opening line (the one after its title's own) heads a review
    (REVIEWING: "Review: The Operating Layer, by Hannelore Voss")."""
    lines = _under_title(title, (text or "")[:HEAD_CHARS].splitlines()[:2])
    return bool(lines) and bool(REVIEWING.match(lines[0][:OPENING_LINE_CHARS]))


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
        strong = cues.best(OVERRULING_SCORE, NOT_OVERRULING)
        # The address does not second the markup: a platform's template writes both
        # (a course platform's "/courses/anchors-the-field-handbook" and its Course).
        shown = cues.scores[kind] - ADDRESS_SCORE * (kind in cues.addressed)
        if strong not in (DEFAULT_TYPE, kind) and cues.scores[strong] >= OUTWEIGHS * shown:
            shows = "nothing" if shown == 0 else "little"
            return TypeDecision(strong, f"{TEXT_CUES}: strong, over {signal_of(declaration)} the text shows {shows} of")
        return TypeDecision(kind, signal_of(declaration))
    kind = cues.best()
    return TypeDecision(kind, TEXT_CUES if kind != DEFAULT_TYPE else NO_CUES)


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


# A news agency's credit line names the story "this report": "Reuters contributed to this
# report", "Additional reporting by ... contributed to this report". Not a report's words.
NEWS_CREDIT = re.compile(r"[^.\n]{0,80}\bcontributed( reporting)? to this (report|story)", re.IGNORECASE)
# Looked for first: NEWS_CREDIT's leading span tries 80 characters at every position (4-5
# ms a page of 8,000 characters), this one is a plain scan.
CREDITED = re.compile(r"\bcontributed( reporting)? to this (report|story)", re.IGNORECASE)


def without_news_credit(text: str) -> str:
    """The text less a news agency's credit lines (NEWS_CREDIT)."""
    return NEWS_CREDIT.sub("", text) if CREDITED.search(text) else text


# "Ep. 112 – Territory planning", "Episode 14: ...", "#12: Saying no", "No. 31 — ...", "142:
# Triage before taxonomy": a numbered episode of a show, in its title or its text's opening
# line ("Dirt Talk · Episode 88"); a title's "episode" alone may be a figure of speech, and
# "2024: the year in review" is a year.
EPISODE_NUMBER = re.compile(r"\b(ep|episode)\.?\s*#?\d+|^\s*(#|no\.\s*)\d+\s*([:–—-]|$)|^\s*\d{1,3}:\s", re.IGNORECASE)
# An episode's number in a line of its details, "No. 212 · 29 min" (a newsletter's title may
# be "#112 · Three for the commute").
EPISODE_LINE = re.compile(r"^\s*(#|no\.\s*)\d+\s*·", re.IGNORECASE)
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
# A newsletter's issue, numbered as a show's episodes are: "Issue 142 · 22 July 2025".
NEWSLETTER_ISSUE = re.compile(r"\bissue\s*#?\d+\b", re.IGNORECASE)
# A guest named at the end of a title, as an interview show names its episodes: "Grandfathering,
# with Tom Aske", "48. Intake forms nobody fills in (with Priya Raman)".
GUEST = re.compile(r"(,|\()\s*(with|feat\.|featuring)\s+[A-Z][\w'’-]+( [A-Z][\w'’-]+){1,2}\)?\s*$")
# A course's details where its page opens: a length in weeks, sessions or evenings ("Six-week
# online cohort", "(10 weeks, no session 28 May)", "· eight evenings", as a line of details gives
# it, not a story's "We ran a six-week sprint") beside a price or its places ("£245", "30 places
# · 11 left") or the study it asks ("3 hours per week"): a course runs for weeks, an event for a
# day or two.
COURSE_LENGTH = re.compile(r"(^\W{0,3}|[(·|]\s*)(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
                           r"[- ](weeks?|sessions|evenings|mornings|lessons|classes|modules"
                           r"|(mon|tues|wednes|thurs|fri|satur|sun)days)\b", re.IGNORECASE | re.MULTILINE)
COURSE_TERMS = re.compile(r"[£$€]\s?\d|\b\d+ (places|seats|spots)\b|\b(places|seats|spots) left\b|^\W{0,3}free\s*$"
                          r"|\b\d{1,2}(\s?[-–]\s?\d{1,2})?\s?(hours?|hrs?)\s?(per|a|/)\s?week\b",
                          re.IGNORECASE | re.MULTILINE)
# A course's length as its details label it, "| Duration | 10 weeks, 30 hours |", "Duration: 6
# weeks": a recording's is in minutes (RUNNING_TIME), a course's in weeks, days or sessions.
COURSE_DURATION = re.compile(r"\b(duration|course length)\W{1,5}(\d{1,2}|one|two|three|four|five|six|seven|eight"
                             r"|nine|ten|eleven|twelve)[- ](weeks?|days?|sessions|evenings|months?)\b", re.IGNORECASE)
# A course's page in the round, whatever form it takes (a summer school, a self-paced course,
# an email course, a day's class): an offer of a place (`offers_a_place`: a price, a fee,
# tuition, enrolment, lifetime access, an application deadline, places left) beside
# LEARNING_DETAILS or more of what a course gives its learners (LEARNING: who it is for and
# what they will be able to do, its units, its teachers, its exercises, its certificate). A
# conference offers places too, and a post on a course names its units and its teachers; few
# give all three. The patterns are in lower case, for a text in lower case: a pattern that
# ignores case is searched several times slower.
OFFER_PHRASES = ("chf ", "tuition", "enrol", "lifetime access", "application deadline", "book your place",
                 "book a place")
FEE = re.compile(r"\bfees?\b")
SIGN_UP = re.compile(r"\bsign up(?! (to|for) (our|the|my) (newsletter|mailing list))")  # a newsletter's is no place
PLACES_LEFT = re.compile(r"\b\d+ places\b|\b(places|seats|spots) (left|remaining|available)\b")
NUMBER_WORD = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
LEARNING = (
    re.compile(r"\bno (previous |prior )?(experience|knowledge)( \w+)? (needed|necessary|required)\b"
               r"|\b(you('ll| will)|(delegates|participants|learners|students) will) (learn|leave|be able|work through"
               r"|practi[sc]e|build)\b|\bby the end( of [^.,\n]{1,30})?,? (you|delegates|participants|learners"
               r"|students)\b|\blearning (outcomes|objectives)\b|\bwho (is )?(it|this)('s| is)? for\b"
               r"|\bis this for you\b"),
    re.compile(rf"\b{NUMBER_WORD} (short |live |weekly |online |daily |video |bite-sized )?(lessons|modules|sessions"
               r"|classes|units|evenings|mornings|workshops|emails)\b|\b(lesson|module|session|week|day) (\d|one|two)\b"
               r"|\b(curriculum|syllabus|week by week|course (outline|content))\b"),
    re.compile(r"\b(tutors?|taught by|instructors?|faculty|trainers?|teachers?)\b"),
    re.compile(r"\b(exercises?|homework|assignments?|hands-on|worked examples?|graded|quizz?(es)?|practice sessions?"
               r"|transcription practice)\b"),
    re.compile(r"\b(certificate|certification|cpd|accredited|exam)\b"),
)
LEARNING_DETAILS = 2
SAID = re.compile(r"\b(said|says)\b")
TOLD_AS_NEWS = 2  # "said" twice: a reporter's story, not the course's own page


def offers_a_place(lowered: str) -> bool:
    """Whether a text in lower case offers a place on something: a price (AMOUNT), a fee
    (FEE), a sign-up but a newsletter's (SIGN_UP), places left (PLACES_LEFT) or one of
    OFFER_PHRASES. Each pattern's words are looked for first, as most texts have none."""
    return bool(AMOUNT.search(lowered) or any(phrase in lowered for phrase in OFFER_PHRASES)
                or "fee" in lowered and FEE.search(lowered) or "sign up" in lowered and SIGN_UP.search(lowered)
                or any(word in lowered for word in ("places", "seats", "spots")) and PLACES_LEFT.search(lowered))


def learning_offered(lowered: str) -> bool:
    """Whether a text in lower case offers a place (`offers_a_place`) with LEARNING_DETAILS or more kinds
    of what a course gives its learners (LEARNING), and is not news of it (what someone
    "said" TOLD_AS_NEWS times or more: SAID)."""
    if not offers_a_place(lowered) or len(SAID.findall(lowered)) >= TOLD_AS_NEWS:
        return False  # a news story on a course quotes its tutor and its learners
    return sum(bool(detail.search(lowered)) for detail in LEARNING) >= LEARNING_DETAILS


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


# A show's page introducing its conversation where a sentence or a heading begins: "In this
# conversation with our host Ben Adler, she explains ...", "In this conversation" over its
# topics (not a post's "this is a conversation", "this recent conversation with ...").
IN_THIS_CONVERSATION = re.compile(r"(^|[.!?]\s+)\W{0,3}in this ((\d+|[a-z]+)-minute )?conversation\b",
                                  re.IGNORECASE | re.MULTILINE)
# A broadcast's page, as a station's listen-again page opens: "First broadcast Sunday 15
# September", "Available for 28 days after broadcast", "In this week's programme:".
BROADCAST = re.compile(r"\b(first broadcast|after broadcast|listen again|in this week's programme)\b", re.IGNORECASE)
# An audio file offered where a page begins: "Download (MP3, 36 MB)", "Listen: episode.m4a".
AUDIO_FILE = re.compile(r"\b(mp3|m4a|aac|ogg)\b", re.IGNORECASE)


def _side_by_side(one: str, other: str) -> re.Pattern:
    """Two details on one line of a page's details, in either order, a few words apart."""
    near = r"[^\n]{0,40}"
    return re.compile(f"{one}{near}{other}|{other}{near}{one}", re.IGNORECASE)


# A book's details as a shop or a publisher lists them: "Hardback · 224 pages · £22.00",
# "Paperback, 312 pages", "A print edition (232 pages)" (a report's "48-page PDF" names no binding);
# see PAGE_COUNT.
BINDING = (r"(hardback|paperback|hardcover|softcover|softback|flexi-?bound|spiral-bound|e-?book|kindle( edition)?"
           r"|epub|mobi|print(ed)? edition)")
PAGES = r"\b\d{2,4}( ?pages\b|-page\b| ?pp\b\.?)"
BOOK_DETAILS = _side_by_side(rf"\b{BINDING}\b", PAGES)
# A recording's running time where its details are ("Length: 54 minutes", "· 36 minutes ·",
# "April 3, 2025 · 41:12"): 2 toward the recording the other cues lean to (with a cue of it,
# a recording).
RUNNING_TIME = re.compile(r"\b(length|duration|running time|runtime)\s*:?\s*\d{1,3}\s*(min|mins|minutes)\b"
                          r"|(^|·)\s*(\d{1,2}\s*(h|hr|hrs|hours?)\s*)?\d{1,3}\s*(min|mins|minutes)\s*(·|\+|$)"
                          r"|·\s*(\d{1,2}:)?\d{1,2}:\d{2}\s*$",
                          re.IGNORECASE | re.MULTILINE)
# A recording's line of where or when it was made: "Recorded live on 20 March 2025.",
# "Filmed at our Bristol kitchen.", "Recorded on stage at OpsConf 2024".
RECORDED = re.compile(r"^\W{0,3}(recorded|filmed)\b", re.IGNORECASE | re.MULTILINE)
# A job's details as a board lists them: "Lisbon, Portugal · Hybrid · Full time", "Remote
# (EU) | Full-time | Engineering": where the work is done beside how it is employed.
WORK_PLACES = ("remote", "hybrid", "site", "office")
WORK_PLACE = r"(remote|hybrid|on-?site|in[- ]office)"
EMPLOYMENT = r"(full[- ]time|part[- ]time|permanent|fixed[- ]term|contract|internship|temporary)"
JOB_DETAILS = _side_by_side(rf"\b{WORK_PLACE}\b", rf"\b{EMPLOYMENT}\b")
# A job's pay as its details give it, where a line begins or after a label or a separator:
# "- £13.50 an hour", "| Salary | Grade 7: £38,249 – £45,163 per annum |", "Pay is $23 an hour"
# (a guide's "Budget £120–180 per hour." runs on in prose; a price per hour is no line's).
PAY = re.compile(r"(^\W{0,3}|[:|·]\s*|\bpay is\s+)[£$€]\s?\d[\d,.]*k?(\s?[-–]\s?[£$€]?\d[\d,.]*k?)?\s*"
                 r"(an hour|per hour|/hour|/hr|per annum|a year|per year|/year|/yr|p\.?a\.?|pro rata)(?!\w)"
                 r"|^\W{0,3}(salary|pay|wage|rate of pay)\W{1,5}(grade \w+\W{1,3})?[£$€]\s?\d",
                 re.IGNORECASE | re.MULTILINE)
AMOUNT = re.compile(r"[£$€]\s?\d")  # what every pay has
# An event's hours in a page's opening lines: "Saturday 26 April, 10am – 1pm", "09:00–17:30".
# A span, not a time: a post's byline carries the time it was published.
CLOCK = r"(\d{1,2}:\d{2}(\s*[ap]\.?m\.?)?|\d{1,2}([.:]\d{2})?\s*[ap]\.?m\.?)"
TIME_SPAN = re.compile(rf"(?<![\d.:]){CLOCK}\s*(–|—|-|to)\s*{CLOCK}(?![\d:]|\.\d)", re.IGNORECASE)
# Hours that come round again: "every Thursday from 19:30 to 21:30", "weekly, Thursdays 14:00
# to 14:50", "Tuesdays, 18:30–20:30": a team's meeting, a choir's rehearsal, a course's
# sessions (the labelled sets hold no event whose hours recur).
RECURRING = re.compile(r"\b(every (other )?(mon|tues|wednes|thurs|fri|satur|sun)day|every (other )?(week|fortnight)"
                       r"|weekly|fortnightly|(mon|tues|wednes|thurs|fri|satur|sun)days)\b", re.IGNORECASE)
CLOCK_TIME = re.compile(CLOCK)
ROUTINE_ALONE = 2  # the most another kind may score for a routine to make a team's process page
# A title that says how a team does a thing, in the present: "How we tier launches", "How we
# run incident reviews" (not "How we cut triage from nine days to two", a story told in the
# past, nor "How we plan a quarter (and who keeps the calendar)", a post's aside).
HOW_WE_DO = re.compile(r"^\W{0,3}how (we|our team|the team)\s+(?!(\w+ed|chose|cut|built|made|got|went|took|found"
                       r"|won|lost|ran|wrote|broke|brought|began|did|had|kept|left|put|saw|learnt|set|fell|grew|hit)\b)"
                       r"[a-z]+\b[^()?!:]*$", re.IGNORECASE)
TOLD_IN_THE_PAST = re.compile(r"\b(was|were|had|did|went|used to|ago|last (year|month|week|quarter))\b", re.IGNORECASE)
PAST_SHARE = 0.2
# A team's documentation: a wiki, a handbook, a help centre, a docs site, a Confluence
# space, a Notion workspace or a folder of processes or runbooks; a page there that shows no
# other kind is how something is done there (a triage rota, a definition of done, a request
# process: prose, no steps). Its news, blog, changelog and forum, and a writer's page
# ("/@name/"), are not (NOT_DOCUMENTATION).
DOCUMENTATION_ADDRESS = re.compile(r"//(wiki|docs|help|support|kb|handbook|intranet|confluence|notion)\.[^/]+/."
                                   r"|/display/[A-Z][A-Za-z0-9]*/|atlassian\.net/wiki/|\.notion\.site/."
                                   r"|/(processes|procedures|runbooks?|how-we-work|ways-of-working|sops?)/.")
NOTICES = (r"news|posts?|changelogs?|release-?notes|releases|announcements|updates|whats?-new|questions|forums?"
           r"|community|discussions?|threads?|t")
NOT_DOCUMENTATION = re.compile(rf"/(blog|{NOTICES})(?=[/?#.]|$)|/@[\w.-]+/", re.IGNORECASE)
# Where present-tense rules and hours are a notice's, a release note's or a forum answer's
# (`notice`; a blog's are a post's, `posted`).
NOTICES_ADDRESS = re.compile(rf"/({NOTICES})(?=[/?#.]|$)", re.IGNORECASE)
# An event's start in a page's opening lines: "Sunday 13 July 2025 – 10:00 start", "Doors
# open 18:30", "Starts at 7pm" (a post's byline has a time it was published, no start).
HOUR = r"(?<![\d:])(([01]?\d|2[0-3])[:.][0-5]\d(\s*[ap]\.?m\.?)?|(1[0-2]|0?\d)([.:][0-5]\d)?\s*[ap]\.?m\.?)(?![\d:])"
START_TIME = re.compile(rf"{HOUR}\s+(start|kick-?off)\b|\b(starts?|start time|kick-?off|doors)( at| open)?:?\s+{HOUR}",
                        re.IGNORECASE)  # an hour of the day, not a recording's "start at 41:20"
# An event's days in a page's opening lines: "Friday 17 – Sunday 19 October 2025", "12–14
# May", "March 3-5, 2026": a span of days, where a post's byline gives one day. (A span is
# found from its first day's number: a weekday before it changes nothing.)
MONTH = (r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t|tember)?|oct(ober)?"
         r"|nov(ember)?|dec(ember)?)")
# Sessions on a weekday over dates, "Wednesdays, 8 October – 26 November", "Thursdays 6, 13, 20
# November", "Tuesdays 7–9pm, 20 January to 24 February": a course's (a routine's weekdays come
# with hours, no dates: `routine`).
HOURS = rf"\d{{1,2}}([.:]\d{{2}})?\s*([ap]\.?m\.?)?\s*(–|—|-|to)\s*{CLOCK}"
WEEKLY_SESSIONS = re.compile(rf"\b(mon|tues|wednes|thurs|fri|satur|sun)days\b,?\s+({HOURS},?\s+)?(from\s+)?"
                             rf"\d{{1,2}}(st|nd|rd|th)?(,?\s+\d{{1,2}})*\s+{MONTH}\b", re.IGNORECASE)
# Dates a week apart, "1, 8, 15 and 22 March": a course's sessions (a festival's days follow
# one another).
DATE_LIST = re.compile(rf"(?<![\d.:/-])\d{{1,2}}(st|nd|rd|th)?(,\s*\d{{1,2}}(st|nd|rd|th)?)+,?\s+(and|&)\s+"
                       rf"\d{{1,2}}(st|nd|rd|th)?\s+{MONTH}\b", re.IGNORECASE)
WEEK = 7
DAYS_LISTED = re.compile(r"\b\d{1,2}(st|nd|rd|th)?,\s+\d{1,2}\b")  # what every list has: "1, 8"


def offered_runs(lines: str) -> bool:
    """Whether a line offers the same thing over two or more spans of days, "Upcoming dates:
    27–28 September · 18–19 October", "2–6 March 2026 or 8–12 June 2026": a course's runs (an
    event's days make one span)."""
    return any(len(SPAN_HINT.findall(line)) >= 2 and len(DATE_SPAN.findall(line)) >= 2 for line in lines.splitlines())


def weekly_dates(lines: str) -> bool:
    """Whether lines list three or more dates of a month a week apart (DATE_LIST)."""
    if not DAYS_LISTED.search(lines):
        return False
    for found in DATE_LIST.finditer(lines):
        days = [int(day) for day in re.findall(r"\d{1,2}", found[0])]
        if all(later - earlier == WEEK for earlier, later in zip(days, days[1:])):
            return True
    return False
WEEKDAY = r"((mon|tues?|wed(nes)?|thu(rs?)?|fri|sat(ur)?|sun)(day)?,?\s+)"
DAY = rf"{WEEKDAY}?\d{{1,2}}(st|nd|rd|th)?"
DATE_SPAN = re.compile(rf"(?<![\d.:/-])\d{{1,2}}(st|nd|rd|th)?\s*(–|—|-|to|and)\s*{DAY}\s+{MONTH}\b"
                       rf"|\b{MONTH}\s+\d{{1,2}}(st|nd|rd|th)?\s*(–|—|-)\s*\d{{1,2}}(st|nd|rd|th)?\b(?![\d:.])",
                       re.IGNORECASE)
# A date an event's hours are on: "Saturday 14 June", "June 14", "14/06/2025", "tonight" (a
# span of hours on no date, "The Saturday session runs 10:00 to 14:00", is a routine's).
DATED = re.compile(rf"\d{{1,2}}(st|nd|rd|th)?\s+(of\s+)?{MONTH}\b|\b{MONTH}\.?\s+\d{{1,2}}\b"
                   r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\d{4}-\d{2}-\d{2}|\b(today|tonight|tomorrow)\b", re.IGNORECASE)
# A podcast's players, listed where its episode page begins: "Listen on Apple · Spotify ·
# Overcast · RSS" (two of them: a post may send its readers to one show on one app).
LISTEN_LINE = re.compile(r"^\W{0,3}(listen|subscribe|follow)\b[^\n]{0,30}?\b(on|in|via|with|to)\b[^\n]{0,120}$",
                         re.IGNORECASE | re.MULTILINE)
PLAYER = re.compile(r"\b(apple|spotify|overcast|pocket ?casts|castbox|castro|stitcher|podcast addict|deezer|rss"
                    r"|youtube music|amazon music|audible|player\.fm|podbean)\b", re.IGNORECASE)
PLAYERS = 2
# A vacancy's sections, as boards and careers pages head them: "The role", "What you'll do",
# "What we're looking for", "Pay and benefits", "Compensation: £75,000–£90,000". Two of
# them make a job's page; one may head an article's paragraph on a role.
JOB_SECTION = re.compile(r"^\W{0,3}(about )?(?P<section>(the|this|your) (role|position|job|opportunity)"
                         r"|what you('ll| will) (do|bring|need)|what we('re| are) looking for|who you are|about you"
                         r"|(pay|salary|compensation)( and benefits)?|benefits and perks|how to apply"
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
# A maintained document's owner where its opening lines give it, "Owner: Product Ops · Last
# edited May 2025": a team's process page (a blank "Owner: ______" is a template's).
OWNED = re.compile(r"^\W{0,3}((page |doc(ument)? |process )?owner|maintainer|maintained by)\s*:\s*[A-Za-z]",
                   re.IGNORECASE | re.MULTILINE)
# A book's number, "ISBN 978-1-7393614-2-0", "ISBN-10: 0-306-40615-2" (a report may have
# one too: its pages beside its PDF, or its naming itself, make it the report).
ISBN = re.compile(r"\bISBN(-1[03])?:?\s*(97[89][- ]?)?\d{1,5}[- ]?\d{1,7}[- ]?\d{1,7}[- ]?[\dX]\b", re.IGNORECASE)
# A book's binding where a publisher's table of details gives it, "| Hardback | 9781837460219 |
# £85.00 |", "| Format | Flexibound, 190 x
# 120 mm |", "Binding: Paperback", its pages on a line of their own ("| Extent | 448 pages |").
FORMAT_LINE = re.compile(rf"^\W{{0,3}}((format|binding|edition)\W{{1,5}})?{BINDING}\b", re.IGNORECASE | re.MULTILINE)
REPORT_LENGTH = 8  # pages: a report's, not a form's or a leaflet's
SPAN_HINT = re.compile(r"\d\s*(st|nd|rd|th|[ap]\.?m\.?)?\s*(–|—|-|to\b|and\b)", re.IGNORECASE)  # what every span has
OPENING_LINES = 4
OPENING_LINE_CHARS = 200  # a line of details is short; a feed's text may have no line breaks
HEAD_CHARS = 1_000  # a page's details (format, length, date) come before its body


def _opening_lines(head: str) -> str:
    """The first OPENING_LINES lines of the head of a text, OPENING_LINE_CHARS a line at most
    on average (a feed's text may have no line breaks)."""
    return "\n".join(head.splitlines()[:OPENING_LINES])[:OPENING_LINES * OPENING_LINE_CHARS]


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
    opening_lines = _opening_lines(head)
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
            AMOUNT.search(body) and PAY.search(body)):
        scores["job-posting"] += 3
    spanned = bool(SPAN_HINT.search(opening_lines))
    sessions = weekly_dates(opening_lines) or spanned and offered_runs(opening_lines)  # a course's, no event's
    if not sessions and spanned and (
            TIME_SPAN.search(opening_lines) and not RECURRING.search(opening_lines)  # a routine's are no event's
            and (DATED.search(opening_lines) or DATED.search(title or ""))
            or DATE_SPAN.search(opening_lines)) or (
            ("start" in opening_lowered or "doors" in opening_lowered) and START_TIME.search(opening_lines)):
        scores["event-conference"] += 3
    if COURSE_LENGTH.search(opening_lines) and COURSE_TERMS.search(opening_lines) or (
            "days" in opening_lowered and WEEKLY_SESSIONS.search(opening_lines)) or sessions or (
            ("duration" in lowered or "course length" in lowered) and COURSE_DURATION.search(head)):
        scores["course"] += 3
    if "owner" in opening_lowered and OWNED.search(opening_lines):
        scores["guide-playbook"] += 3
    if any(len(set(PLAYER.findall(line[0]))) >= PLAYERS for line in LISTEN_LINE.finditer(head)):
        scores["podcast-episode"] += 3
    if "pdf" in lowered and REPORT_FORMAT.search(head) and not book and _pages(head) >= REPORT_LENGTH:
        scores["whitepaper-report"] += 3
    return scores


def book_line(title: str | None, opening_lines: str, opening_lowered: str) -> bool:
    """Whether a book's line heads a page: an excerpt's (EXCERPT), an edition's or a chapter's
    in its opening lines (EDITION), or a title that ends on its chapter (CHAPTER_TITLE)."""
    return bool(("from" in opening_lowered or "by " in opening_lowered) and EXCERPT.search(opening_lines)
                or any(word in opening_lowered for word in ("edition", "published", "chapter"))
                and EDITION.search(opening_lines)
                or title and "chapter" in title.lower() and CHAPTER_TITLE.search(title))


def episode_details(title: str | None, head: str, opening_lines: str) -> bool:
    """Whether a show's episode shows in its details: its number in its title or its
    opening line (the line after the title where the text repeats it) (EPISODE_NUMBER,
    EPISODE_LINE; not a newsletter's issue, NEWSLETTER_ISSUE), a guest named at the end of
    its title (GUEST), a broadcast's lines (BROADCAST) or an audio file offered in its
    opening lines (AUDIO_FILE)."""
    first, _, rest = head.partition("\n")
    opening = (rest.partition("\n")[0] if title and first.strip() == title.strip() else first)[:OPENING_LINE_CHARS]
    lowered = opening_lines.lower()
    numbered = EPISODE_NUMBER.search(title or "") or EPISODE_NUMBER.search(opening) or EPISODE_LINE.match(opening)
    if numbered and not ("issue" in lowered and NEWSLETTER_ISSUE.search(opening_lines)):
        return True
    if title and GUEST.search(title):
        return True
    if ("broadcast" in lowered or "listen again" in lowered or "programme" in lowered) and BROADCAST.search(head):
        return True
    return any(kind in lowered for kind in ("mp3", "m4a", "aac", "ogg")) and bool(AUDIO_FILE.search(opening_lines))


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


def _pages(head: str) -> int:
    """The most pages the head of a text gives (PAGE_COUNT), 0 where it gives none."""
    return max((int(found[1] or found[2]) for found in PAGE_COUNT.finditer(head)), default=0)


def routine(head: str) -> bool:
    """Whether the opening lines of a text give hours that come round again ("every Monday
    at 9:30", "Thursdays 14:00 to 14:50": RECURRING beside a clock time)."""
    opening_lines = _opening_lines(head)
    lowered = opening_lines.lower()
    if not any(word in lowered for word in ("every ", "weekly", "fortnightly", "days")):
        return False  # the words a routine needs, looked for first: most texts have none
    return bool(RECURRING.search(opening_lines) and CLOCK_TIME.search(opening_lines))


def how_we_do(title: str | None, body: str) -> bool:
    """Whether a title says how a team does a thing (HOW_WE_DO) over a text told in the
    present (under PAST_SHARE of its sentences in the past: TOLD_IN_THE_PAST)."""
    if not (title and (HOW_WE_DO.match(title) or HOW_WE_DO.match(title.rpartition(": ")[2]))):
        return False  # "How we tier launches", "Cycle counting at Brookside: how we do it"
    sentences = [sentence for sentence in SENTENCE.split(body) if sentence.strip()]
    return sum(bool(TOLD_IN_THE_PAST.search(sentence)) for sentence in sentences) < PAST_SHARE * len(sentences)


# A process laid down in the present (`process_told`): sentences that give its times ("Each
# Monday, product ops groups the new requests", "within ten working days", "no later than
# three days before", "from May to September", "- October: Sales Ops refreshes the account
# list", "Working day 4: the controller locks the period", "by 7:30"), its conditions ("If
# the river path floods, the director decides") and its duties ("Kit must come back", "Only
# certified metrics may appear").
UNIT = (r"(minute|hour|day|morning|evening|night|week|weekday|fortnight|month|quarter|half|year|season|sprint"
        r"|release|cycle|session|meeting|spring|summer|autumn|winter|(mon|tues|wednes|thurs|fri|satur|sun)day)s?\b")
NUMBER = (r"(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty"
          r"|forty[- ]eight|sixty|ninety|\d{1,3})")
WEEKDAY = r"(mon|tues|wednes|thurs|fri|satur|sun)day\b"
TIMED_RULE = re.compile(
    rf"\b((every|each) (other )?{UNIT}|(every|each) {MONTH}\b|within {NUMBER} (working |business |calendar )?"
    rf"(minutes?|hours?|days?|weeks?|months?)|no later than"
    rf"|at least {NUMBER} (working |business )?(hours?|days?|weeks?) (before|ahead)"
    rf"|{NUMBER} (working |business )?(days?|weeks?|months?) (before|after|ahead of) (each|every|the|a|your|their)"
    rf"|^\W{{0,3}}at {NUMBER} (days?|weeks?|months?)\b"
    rf"|by (noon|midday|the end of|the next|\d{{1,2}}(:\d{{2}})?\s*[ap]m|{WEEKDAY})"
    rf"|(once|twice|{NUMBER} times) a (day|week|fortnight|month|quarter|year)|{NUMBER} (days?|weeks?) ahead\b"
    rf"|(daily|weekly|fortnightly|monthly|quarterly|annually)"
    rf"|(from|between) {MONTH} (to|and|until) {MONTH}\b|(from|between) {WEEKDAY} (to|and|until) {WEEKDAY}"
    rf"|on the (first|last|second) \w+ of (each|every|the) )"
    rf"|^\W{{0,3}}({MONTH}|((working|business) )?(day|week|month) \w+)\s*[:–—-]|(?<![\w.:]){CLOCK}(?![a-z])")
CONDITION = re.compile(r"^\W{0,3}(if|when|where|once|until|unless|whenever|any)\b|, (if|unless|until|once) ")
DUTY = re.compile(r"\b(must|may|cannot|can't|(is|are) responsible|owns|(is|are) expected to|(has|have) to"
                  r"|(is|are) (not )?allowed|only \w+ (may|can)|never|always)\b|^\W{0,3}do not\b")
# What a process page never does: open with a story in the past ("Last year we stopped it
# after three days", "Our sales team kept a spreadsheet", "Before 2023, ...") or with news
# ("The council voted on Tuesday ...", "Brightwell is recalling ...", "The freeze was
# announced": STORY, TOLD_IN_THE_PAST, NEWS in its OPENING_SENTENCES), tell more of them than
# one sentence in five (TOLD_SHARE: a handbook's "access a person no longer needs" or "if a
# participant says so" is one), or announce a change anywhere ("From today, every workspace
# ...", "Build caches now expire after seven days", "From 2 September, the library opens
# until 20:00": CHANGE). ("Will" is no news: a handbook promises, "we will call you".) Nor is
# its title a listicle's ("7 rituals the best teams keep", "Ten facilitation tips"), a claim
# ("Product ops is not the tracker police", "Design systems must never ship ..."; not "what
# schools must do") or a post's aside ("Your PMO is not your product ops team (and that's
# fine)"), nor is its address dated as a post's is ("/2024/10/council-approves-...",
# "/economy/2026-02-17/...").
PRESENT_IN_ED = "need|feed|proceed|exceed|succeed|speed|seed|embed|heed|shred|bleed|breed"  # "we need", "they embed"
STORY = re.compile(rf"\b(we|i|they|she|he|our( \w+){{1,2}})\s+(?!({PRESENT_IN_ED})\b)"
                   r"(\w+ed|cut|built|made|got|took|found|won|lost|ran|wrote|broke|brought|began|kept|left|put|saw"
                   r"|learnt|fell|grew|hit|spent|thought|knew|told|chose|sent|gave)\b")
NEWS = re.compile(rf"\b(going to|(is|are) due to|said|says|since|\w+ed on {WEEKDAY}"
                  r"|(is|are) recalling|(has|have) been reported|(in|before|until|by) (19|20)\d\d"
                  r"|announc\w*|no longer|this (week|issue|month|year))\b")
CHANGE = re.compile(r"\b(from today|now|(is|are) (coming|launching|moving|changing))\b"
                    rf"|\bfrom (\d{{1,2}}(st|nd|rd|th)? )?{MONTH}\b(?! (to|and|until|through)\b)")
OPENING_SENTENCES = 2
# A clause that tells of a thing, not the page's story: "the month in which the threshold was
# passed", "how the money was spent", "the use you have had"; the past there is the thing's,
# and a condition's is only supposed ("If you think a notice was issued unfairly, ...").
ON_YOUR_CONDITION = re.compile(r"\W{0,3}if you(r)?\b")  # "If you disagree, use ...": what the reader does then
CLAUSE = re.compile(r"\b(which|that|when|where|who|whom|how|what|you have|if)\b[^,;:]*")
TOLD_SHARE = 0.2  # of its sentences, one at least
LISTICLE = re.compile(r"^\W{0,3}(\d+|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\s",
                      re.IGNORECASE)
CLAIM = re.compile(r"^(?!.*\b(what|how|when)\b).*\b((is|are)(n't| not| no| never)|must|should(n't)?|never|needs?)\b",
                   re.IGNORECASE)
ASIDE = re.compile(r"\((and|or|but|not|why)\b", re.IGNORECASE)
DATED_ADDRESS = re.compile(r"/(19|20)\d\d[/-][01]\d([/-][0-3]\d)?[/-]")
PROCESS_SENTENCES = 4  # a process page's prose, at least
ASKED = re.compile(r"\?\W*$")  # a sentence that asks, '"Who has the key?"' too
RULES_SHARE = 0.2  # of its sentences: a handbook page gives its times, conditions or duties in one in five


def notice(url: str, lowered: str) -> bool:
    """Whether a page is a notice by its address (dated, or a site's news, changelog or
    forum: NOTICES_ADDRESS) or announces a change (CHANGE): its times and rules are news."""
    return bool(NOTICES_ADDRESS.search(url) or DATED_ADDRESS.search(url) or CHANGE.search(lowered))


def process_told(url: str, title: str | None, lowered: str) -> bool:
    """Whether a text lays down a process in the present: RULES_SHARE or more of its
    sentences (PROCESS_SENTENCES or more, of four words or more, not a table's rows) give
    its times, conditions or duties (TIMED_RULE, CONDITION, DUTY), one at least its times or
    what its reader does on a condition ("If you disagree, use the dispute service"); it
    opens with no story in the past and no news (TOLD_IN_THE_PAST, STORY, NEWS), tells no
    more of them than TOLD_SHARE of its sentences, announces no change (CHANGE) and asks
    nothing. Nor is its title a listicle's, a question, a claim, a post's aside or in the
    first person singular (the text's is the caller's test), nor its address a post's
    (`posted`) or a notice's (`notice`)."""
    title = title or ""
    if any(pattern.search(title) for pattern in (FIRST_PERSON, LISTICLE, ASKED, CLAIM, ASIDE)):
        return False
    if posted(url) or notice(url, lowered):
        return False
    # A table's rows are not its prose (a list of films: "| 12:01 pm | 1990 | ...").
    sentences = [sentence for sentence in SENTENCE.split(lowered) if len(sentence.split()) >= 4 and "|" not in sentence]
    if len(sentences) < PROCESS_SENTENCES or any(ASKED.search(sentence) for sentence in sentences):
        return False
    most_told, told = max(1, TOLD_SHARE * len(sentences)), 0
    for number, sentence in enumerate(sentences):  # stopped at the first that rules it out: most texts do early
        if STORY.search(sentence) or NEWS.search(sentence) or TOLD_IN_THE_PAST.search(CLAUSE.sub("", sentence)):
            told += 1
            if number < OPENING_SENTENCES or told > most_told:
                return False
    timed = [bool(TIMED_RULE.search(sentence)) for sentence in sentences]
    rules = sum(on_time or bool(CONDITION.search(sentence) or DUTY.search(sentence))
                for on_time, sentence in zip(timed, sentences))
    advised = any(ON_YOUR_CONDITION.match(sentence) and _instructs(sentence) for sentence in sentences)
    return (any(timed) or advised) and rules >= RULES_SHARE * len(sentences)


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


def posted(url: str) -> bool:
    """Whether a URL is a post's: a blog's, a writer's ("/@name/"), or a site's news,
    changelog or forum (NOT_DOCUMENTATION). There a team's practice told in the
    present is a post about it, as the labellers file it, not its process page."""
    return bool(NOT_DOCUMENTATION.search(url))


def documentation(url: str) -> bool:
    """Whether a URL is a page of a team's documentation (DOCUMENTATION_ADDRESS), not of its
    news or its forum (NOT_DOCUMENTATION)."""
    return bool(DOCUMENTATION_ADDRESS.search(url)) and not posted(url)


def recording_line(head: str) -> bool:
    """Whether a line of the head of a text says when or where it was recorded (RECORDED)."""
    return ("recorded" in head.lower() or "filmed" in head.lower()) and bool(RECORDED.search(head))


def running_time(head: str) -> bool:
    """Whether the head of a text gives a recording's running time (RUNNING_TIME)."""
    return ("min" in head.lower() or "·" in head) and bool(RUNNING_TIME.search(head))


class Cues(NamedTuple):
    """The cues' score of each content type, and the types the text names the page as
    ("in this guide", "this episode")."""

    scores: Counter
    self_described: frozenset[str]
    addressed: frozenset[str]  # the types the URL's patterns score
    filed: frozenset[str]  # of those, the ones only a folder's name gives ("/resources/")
    offers_files: bool  # a kit's page in the round (`files_offered`), whoever tells its story

    @classmethod
    def of(cls, index: TypeIndex, url: str, title: str | None, text: str | None, is_pdf: bool) -> Cues:
        """Score a document's cues (see the module docstring)."""
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
        for name in named - self_described:
            self_described.add(name)
            text_hits[name] += 1  # then scores as a phrase naming the page does
        if text_hits["whitepaper-report"] and "whitepaper-report" not in self_described and reports_on_a_study(body):
            del text_hits["whitepaper-report"]  # its words are the study's, told by someone else
        for owner, hits in text_hits.items():
            scores[owner] += 3 if owner in self_described else min(hits, 3)
        lowered = body.lower()  # for the tests of a kind in the round, whose patterns are in lower case
        if is_pdf or yearly_figures(title, body) or study_published(lowered) and not reports_on_a_study(body):
            scores["whitepaper-report"] += 3
        present = {kind.id for kind in index.types}
        head = (text or "")[:HEAD_CHARS]
        scores.update({kind: score for kind, score in details_scores(title, head, body).items() if kind in present})
        if "book" in present and CHAPTER_OPENING.match(title or "") and "guide-playbook" not in addressed and not (
                NOT_DOCUMENTATION.search(url) or DATED_ADDRESS.search(url)):
            scores["book"] += 3
        copied = "template-toolkit" in present and copy_me(title, text or "")
        if copied:
            scores["template-toolkit"] += FORM_SCORE
        elif "guide-playbook" in present:
            scores["guide-playbook"] += max(instruction_score(text), steps_score(text))
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
        # sentences also outweighs a stray word of another kind (two of a word list's: "books").
        strongest = max(scores.values(), default=0)
        if "guide-playbook" in present and (
                strongest < ROUTINE_ALONE and routine(head) and not notice(url, lowered)
                or not FIRST_PERSON.search(body) and (
                    strongest < ROUTINE_ALONE and (documentation(url) or how_we_do(title, body) and not posted(url))
                    or strongest < MIN_TYPE_SCORE and process_told(url, title, lowered))):
            scores["guide-playbook"] += 3
        return cls(scores, frozenset(self_described), addressed, filed, offers_files)

    def best(self, least: int = MIN_TYPE_SCORE, leaving: frozenset[str] = frozenset()) -> str:
        """The best-scoring type (of those not in `leaving`) if it scores `least` or more,
        else `article`."""
        scores = [(kind, score) for kind, score in self.scores.items() if kind not in leaving]
        if not scores:
            return DEFAULT_TYPE
        # A tie goes to a type the text shows over one a folder of its address alone gives (a
        # recording's chapters over "/resources/"), then to whitepaper-report.
        best, score = max(scores, key=lambda item: (item[1], item[0] not in self.filed,
                                                    item[0] == "whitepaper-report"))
        return best if score >= least else DEFAULT_TYPE

    def named_type(self) -> str | None:
        """The type the text names the page as (the best-scoring of them), or None."""
        if not self.self_described:
            return None
        return max(sorted(self.self_described), key=lambda kind: self.scores[kind])


def content_type(index: TypeIndex, url: str, title: str | None, text: str | None, is_pdf: bool) -> str:
    """The most likely content type of a document by its words alone, no markup read (see
    the module docstring; decide_type reads its markup first)."""
    return decide_type(index, url, title, text, is_pdf).content_type


def is_gated(html: bytes, text: str | None, word_count: int | None = None) -> bool:
    """A page that hides its resource behind a lead form: an email form, words of a gate,
    and little text of its own (`word_count`: the text's words, when counted already)."""
    words = word_count if word_count is not None else len((text or "").split())
    if words >= 600 or not html or not FORM.search(html):
        return False
    return bool(EMAIL_INPUT.search(html)) and bool(GATE_WORDS.find(text or ""))


def language(text: str | None, declared: str | None) -> str | None:
    """The language of a text (ISO 639-1), detected when there is enough of it, else the
    page's declared language."""
    if text and len(text.split()) >= MIN_WORDS_TO_DETECT_LANGUAGE:
        detected, _ = py3langid.classify(text[:LANGUAGE_CHARS])
        return detected
    return declared


# Scripts written without spaces between words: Chinese (Han), Japanese (Han and kana).
UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


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
