"""What shows an event or a course by its times: a day's programme (`agenda_score`), hours or
days in a page's opening lines, hours that come round again (RECURRING: a routine's, no
event's), a course's length, sessions, runs over dates and what it gives its learners beside
an offer of a place (`learning_offered`).
"""

from __future__ import annotations

import re

from pipeline.understand.content_types.recordings import CHAPTERS, timed_chapters
from pipeline.understand.content_types.text import AMOUNT, CLOCK, MONTH, TEXT_CHARS


def agenda_score(text: str | None) -> int:
    """3 when the text lists a day's programme (CHAPTERS lines opening with a clock time,
    "09:30 Coffee and badges") and no recording's chapters (from 0:00 on), else 0."""
    lines = [line.strip() for line in (text or "")[:TEXT_CHARS].splitlines()]
    timed = [line for line in lines if AGENDA_TIME.match(line)]
    return 3 if len(timed) >= CHAPTERS and timed_chapters(lines) < CHAPTERS else 0


# "09:30 Coffee", "- 14:15 Panel", "9.30am Welcome", "10:00–11:00 Workshop"
AGENDA_TIME = re.compile(r"^\W{0,3}\d{1,2}[:.]\d{2}\s*([ap]\.?m\.?)?\s*([-–—]\s*\d{1,2}[:.]\d{2}\s*([ap]\.?m\.?)?)?\s",
                         re.IGNORECASE)
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


# A title that offers a course: it now takes learners ("Develop Your Own Film: enrolment is
# open", "Pandas for spreadsheet people: the course is open", "cohort 5: enrolment is open"), or
# it names the page a course by its length ("Fingerstyle Foundations: a six-week course,
# starting in April", "RevOps Foundations: six-week cohort course") or by whom it is for,
# after its name ("Camera Scanning, Properly: a course for film photographers"; not "Why I
# took a course on negotiation"), as every such title of the tune sets does.
COURSE_OFFERED = re.compile(
    r"\b(enrol(l)?ments? (is |are )?(now )?open|(course|class|cohort) (is |are )?(now )?open|now open for enrol)"
    r"|(^|[:—–-]\s*)an? ([\w-]+ ){0,2}(course|class) (for|in|on)\b"
    r"|\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)[- ](week|day|month|session)s? "
    r"(live |online |evening |weekend |cohort |intensive )?(course|class|programme|program)\b", re.IGNORECASE)


def learning_offered(lowered: str) -> bool:
    """Whether a text in lower case offers a place (`offers_a_place`) with LEARNING_DETAILS or more kinds
    of what a course gives its learners (LEARNING), and is not news of it (what someone
    "said" TOLD_AS_NEWS times or more: SAID)."""
    if not offers_a_place(lowered) or len(SAID.findall(lowered)) >= TOLD_AS_NEWS:
        return False  # a news story on a course quotes its tutor and its learners
    return sum(bool(detail.search(lowered)) for detail in LEARNING) >= LEARNING_DETAILS


# An event's hours in a page's opening lines: "Saturday 26 April, 10am – 1pm", "09:00–17:30".
# A span, not a time: a post's byline carries the time it was published.
TIME_SPAN = re.compile(rf"(?<![\d.:]){CLOCK}\s*(–|—|-|to)\s*{CLOCK}(?![\d:]|\.\d)", re.IGNORECASE)
# Hours that come round again: "every Thursday from 19:30 to 21:30", "weekly, Thursdays 14:00
# to 14:50", "Tuesdays, 18:30–20:30": a team's meeting, a choir's rehearsal, a course's
# sessions (the labelled sets hold no event whose hours recur).
RECURRING = re.compile(r"\b(every (other )?(mon|tues|wednes|thurs|fri|satur|sun)day|every (other )?(week|fortnight)"
                       r"|weekly|fortnightly|(mon|tues|wednes|thurs|fri|satur|sun)days)\b", re.IGNORECASE)
# ... and a service's opening days, whose hours are no event's either: "open 7am to 6pm on
# weekdays" (but a routine's hours need a day of their own: `routine`).
OPEN_DAYS = re.compile(r"\bweek(day|end)s\b", re.IGNORECASE)
CLOCK_TIME = re.compile(CLOCK)
# An event's start in a page's opening lines: "Sunday 13 July 2025 – 10:00 start", "Doors
# open 18:30", "Starts at 7pm" (a post's byline has a time it was published, no start).
HOUR = r"(?<![\d:])(([01]?\d|2[0-3])[:.][0-5]\d(\s*[ap]\.?m\.?)?|(1[0-2]|0?\d)([.:][0-5]\d)?\s*[ap]\.?m\.?)(?![\d:])"
START_TIME = re.compile(rf"{HOUR}\s+(start|kick-?off)\b|\b(starts?|start time|kick-?off|doors)( at| open)?:?\s+{HOUR}",
                        re.IGNORECASE)  # an hour of the day, not a recording's "start at 41:20"
# A meeting's announcement, where it is held and when: "The club's Annual General Meeting will be
# held in the clubhouse on Thursday 20 March at 7.30pm", "The fair takes place on 3 May at 10am"
# (read with a date: `cues.details_scores`).
HELD_AT = re.compile(rf"\b(will be held|is being held|(will )?take place|takes place)\b[^.\n]{{0,80}}?\bat\s+{HOUR}",
                     re.IGNORECASE)
# What a ticket costs: "Tickets are £95, or £45 for students", "Tickets £195 until 31 January",
# "tickets cost 290 euros" (2, with the text phrase "tickets" an event's 3: `cues.details_scores`).
TICKET_PRICE = re.compile(rf"\btickets?\b[^.\n]{{0,25}}?({AMOUNT.pattern}|\d+\s?(euros?|dollars|pounds)\b)",
                          re.IGNORECASE)
TICKET_PRICE_SCORE = 2
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


# An event's days in a page's opening lines: "Friday 17 – Sunday 19 October 2025", "12–14
# May", "March 3-5, 2026": a span of days, where a post's byline gives one day. (A span is
# found from its first day's number: a weekday before it changes nothing.)
WEEKDAY = r"((mon|tues?|wed(nes)?|thu(rs?)?|fri|sat(ur)?|sun)(day)?,?\s+)"
DAY = rf"{WEEKDAY}?\d{{1,2}}(st|nd|rd|th)?"
DATE_SPAN = re.compile(rf"(?<![\d.:/-])\d{{1,2}}(st|nd|rd|th)?\s*(–|—|-|to|and)\s*{DAY}\s+{MONTH}\b"
                       rf"|\b{MONTH}\s+\d{{1,2}}(st|nd|rd|th)?\s*(–|—|-)\s*\d{{1,2}}(st|nd|rd|th)?\b(?![\d:.])",
                       re.IGNORECASE)
# A date an event's hours are on: "Saturday 14 June", "June 14", "14/06/2025", "tonight" (a
# span of hours on no date, "The Saturday session runs 10:00 to 14:00", is a routine's).
DATED = re.compile(rf"\d{{1,2}}(st|nd|rd|th)?\s+(of\s+)?{MONTH}\b|\b{MONTH}\.?\s+\d{{1,2}}\b"
                   r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\d{4}-\d{2}-\d{2}|\b(today|tonight|tomorrow)\b", re.IGNORECASE)
SPAN_HINT = re.compile(r"\d\s*(st|nd|rd|th|[ap]\.?m\.?)?\s*(–|—|-|to\b|and\b)", re.IGNORECASE)  # what every span has
