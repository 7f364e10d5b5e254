"""A text that recounts rather than presents: told in the first person singular or opened as a
letter (`personal_account`), headed as a review or someone's notes (REVIEWING,
`reviewing_line`), under a title that recounts, reports, argues or announces (RECOUNTING).
Such a page is an article, whatever its markup or cues say (pipeline.understand.content_types.decision).
"""

from __future__ import annotations

import re

from pipeline.understand.content_types.process import CHANGED_FROM, STORY, posted
from pipeline.understand.content_types.recordings import RECORDINGS
from pipeline.understand.content_types.text import (
    FIRST_PERSON, HEAD_CHARS, OPENING_LINE_CHARS, OPENING_LINES, SENTENCE, TEXT_CHARS, under_title)

# A text told in the first person singular (at least PERSONAL_SENTENCES sentences and
# PERSONAL_SHARE of them with I, my or me: FIRST_PERSON) is someone's account: an article,
# whatever the thing it recounts (the conference she went to, the webinar he took notes at,
# the course she took) says in its words or its markup. Not for the kinds whose own pages
# speak so (TOLD_IN_FIRST_PERSON): an author presenting her book, an episode's or a talk's
# transcript. On the tune splits the pages of every other kind stay under a fifth; real
# blogs' posts mostly above.
PERSONAL_SENTENCES = 4
PERSONAL_SHARE = 0.25
TOLD_IN_FIRST_PERSON = frozenset({"book", *RECORDINGS})
# A title that recounts or reports on something ("Review: ...", "Notes from the intake
# webinar", "What we heard at ...", "Lessons from ...", "..., survey finds", "Why we built a
# course", "Postmortem: the 47-minute checkout outage on 12 February", "Incident review:
# failed logins on 12 March", whose window and date are the incident's, no event's) or argues
# about it ("Against the PRD template", "Stop writing playbooks nobody follows", "The case for
# ...") or announces it ("Introducing the Launch Readiness Certificate", "Meet the experiment
# brief") heads an article about the thing, whose words and markup are the thing's. "Recap"
# only on a post's address (RECAP): a conference's own recap page is the conference's (the
# labelled sets say so). Books, episodes and talks are exempt here too, their titles may
# recount ("Lessons from the trenches", "Notes from a small island", an episode's "Notes from
# the team"), but not from a review's or someone's notes' title (REVIEWING: "Review: ...", "My
# notes from the capacity planning webinar", "Consent debt: notes on Maya Okafor's talk",
# "What I took from episode 41"). A title that announces a thing the team now shares ("We're
# sharing our internal launch checklist", "Our PRD template is now free to copy") heads the
# news of it, not the thing.
REVIEWING = re.compile(r"^\s*review\s*:|:\s*notes on\b|\b(a review of|book review|my notes|"
                       r"what i (heard|learned|learnt|saw|took))\b", re.IGNORECASE)
# A quantity a change went from and to, in a title: "How Helio Analytics cut onboarding from 60
# days to 38", "From fourteen tools to six" (a story of the change, told after it).
QUANTITY = r"(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|fifty|hundred)"
RECOUNTING = re.compile(r"^\s*(why (we|i)|against|stop|in defen[cs]e of|the case (for|against)|introducing|announcing"
                        r"|meet (the|our))\b|considered harmful"
                        r"|^\W*(post-?mortem|(post-)?incident (report|review))\s*[:–—-]\s*\w"
                        r"|\b(notes from|takeaways|lessons from|brought (home|back) from|"
                        r"what we (heard|learned|learnt|saw|took away)|reflections on|"
                        r"(i|we) wish (i|we)('d| had)? known|"
                        r"(survey|study|report|research|poll|data) (finds|found|suggests|shows)|"
                        r"^\W*we('re| are) (sharing|publishing|releasing|open[- ]sourcing|changing|moving|retiring"
                        r"|switching|replacing|closing|ending|stopping|launching|introducing)"
                        r"|(is|are) now (free|available|public)"
                        rf"|from {QUANTITY}\b[^:|]*?\bto {QUANTITY})\b", re.IGNORECASE)


LETTER_OPENING = re.compile(r"\s*(hi|hello|hey|dear|greetings|good morning|morning)\b( again)?,?"
                            r"( (all|everyone|everybody|friends|folks|readers|there|team|y'all|you all))?\s*[,.!—–]",
                            re.IGNORECASE)


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


def reviewing_line(title: str | None, text: str | None) -> bool:
    """Whether a text's opening line (the one after its title's own) heads a review
    (REVIEWING: "Review: The Operating Layer, by Hannelore Voss")."""
    lines = under_title(title, (text or "")[:HEAD_CHARS].splitlines()[:2])
    return bool(lines) and bool(REVIEWING.match(lines[0][:OPENING_LINE_CHARS]))


# A recap on a post's address ("Recap: what 400 of you told us about onboarding", on a blog) is
# the post about an event; a conference's own recap page ("Frontend Harbour 2025: the recap",
# on its site) is the event's, as RECOUNTING leaves it.
RECAP = re.compile(r"\brecap\b", re.IGNORECASE)


def recounts(title: str | None, url: str = "") -> bool:
    """Whether a title recounts, reports, argues or announces (RECOUNTING), or tells a story in
    the past ("Our capacity spreadsheet lied to us for a year", "We cut our release checklist
    from 40 items to 9": process.STORY, as a process page never opens), announces a change from
    a day ("New opening hours from 6 May": process.CHANGED_FROM), or recaps on a post's address
    (RECAP, process.posted)."""
    title = title or ""
    return bool(RECOUNTING.search(title) or STORY.search(title.lower()) or CHANGED_FROM.search(title)
                or RECAP.search(title) and posted(url))
