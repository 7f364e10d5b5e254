"""What shows a team's process page (a guide-playbook told in prose): hours that come round
again (`routine`), a title that says how a team does a thing (`how_we_do`), a page of a team's
documentation (`documentation`), a process laid down in the present (`process_told`); and
what rules one out: an address of a notice (`notice`), of a post (`posted`) under a title in
the team's own voice (OWN_VOICE).
"""

from __future__ import annotations

import re

from pipeline.understand.content_types.schedules import CLOCK_TIME, RECURRING
from pipeline.understand.content_types.text import CLOCK, DATED_ADDRESS, FIRST_PERSON, MONTH, SENTENCE, opening_of
from pipeline.understand.content_types.writing import is_instruction

ROUTINE_ALONE = 2  # the most another kind may score for a routine to make a team's process page
# A title that says how a team does a thing, in the present: "How we tier launches", "How we
# run incident reviews" (not "How we cut triage from nine days to two", a story told in the
# past, nor "How we plan a quarter (and who keeps the calendar)", a post's aside) ...
WE_DO = (r"(we|our team|the team)\s+(?!(\w+ed|chose|cut|built|made|got|went|took|found|won|lost|ran|wrote|broke"
         r"|brought|began|did|had|kept|left|put|saw|learnt|set|fell|grew|hit)\b)[a-z]+")
# ... or how a thing is done there, in the passive: "How decisions are made at Marlowe", "How a
# pricing change is usually run in a software company".
IT_IS_DONE = (r"(?!(to|we|i|you|they|our)\b)([\w'-]+ ){1,5}(is|are) ((usually|normally|typically) )?"
              r"(\w+ed|run|made|done|set|kept|paid|chosen|taken|written|given|held|sold|shown|drawn)")
HOW_WE_DO = re.compile(rf"^\W{{0,3}}how ({WE_DO}|{IT_IS_DONE})\b[^()?!:]*$", re.IGNORECASE)
# ... or what a newcomer's first days there hold: "Your first shift at the food bank", "Your
# first 30 days as a PM at Fernway" (not a claim: "Your first roadmap is wrong").
YOUR_FIRST = re.compile(r"^\W{0,3}your first\b(?![^:|]*\b(is|are|was|were|will|should|must)\b)", re.IGNORECASE)
TOLD_IN_THE_PAST = re.compile(r"\b(was|were|had|did|went|used to|ago|last (year|month|week|quarter))\b", re.IGNORECASE)
PAST_SHARE = 0.2
# A team's documentation: a wiki, a handbook, a help centre, a docs site, a Confluence
# space, a Notion workspace, a site or a folder of processes or runbooks, a team's manual; a
# page there that shows no other kind is how something is done there (a triage rota, a
# definition of done, a request process: prose, no steps). Its news, blog, changelog and
# forum, and a writer's page ("/@name/"), are not (NOT_DOCUMENTATION).
DOCUMENTATION_ADDRESS = re.compile(r"//(wiki|docs|help|support|kb|handbook|intranet|confluence|notion|runbooks?)"
                                   r"\.[^/]+/."
                                   r"|/display/[A-Z][A-Za-z0-9]*/|atlassian\.net/wiki/|\.notion\.site/."
                                   r"|/(processes|procedures|runbooks?|how-we-work|ways-of-working|sops?|team-manual|help)/.")
RELEASE_NOTES = r"changelogs?|release-?notes|releases|whats?-new"  # a product's release notes' folders
NOTICES = (rf"news|notices?|posts?|{RELEASE_NOTES}|announcements|updates"
           r"|questions|forums?|community|discussions?|threads?|t|explainers?")
WRITERS_PAGE = r"/@[\w.-]+/"
WRITERS_ADDRESS = re.compile(WRITERS_PAGE)
NOT_DOCUMENTATION = re.compile(rf"/(blog|{NOTICES})(?=[/?#.]|$)|/\w+-(blog|news)/|{WRITERS_PAGE}", re.IGNORECASE)
# A title in a team's or a writer's own voice ("How we tier launches", "Our hiring loop", "Release
# trains at Corvid", "Inside our weekly product review"): on a post, the team's story of its
# practice, which the labellers file an article. Under a title that names the practice alone
# ("Territory planning for sales operations teams", "Expense approvals, explained"), a process
# laid down in the present is a guide on a blog too (`process_told`).
OWN_VOICE = re.compile(r"\b(?i:we|our|us|i|my|me)\b|\bat [A-Z]|^\W*(?i:inside)\b")
# Where present-tense rules and hours are a notice's, a release note's, a forum answer's or a
# publisher's explainer's ("/explainers/deposit-return-rules": told about, not laid down)
# (`notice`; a blog's are a post's, `posted`).
NOTICES_ADDRESS = re.compile(rf"/({NOTICES})(?=[/?#.]|$)|/\w+-news/", re.IGNORECASE)  # "/it-news/" too
# Of those, an entry of a product's release notes ("changelog.example.com/...", "/releases/4-12",
# "/whats-new/june"), not a page about them ("/product/release-notes", a handbook's): the
# labellers file them articles, however they tell how to turn a change on.
RELEASE_NOTES_ADDRESS = re.compile(rf"/({RELEASE_NOTES})(\.|/[^/?#]+)", re.IGNORECASE)
# A maintained document's owner where its opening lines give it, "Owner: Product Ops · Last
# edited May 2025": a team's process page (a blank "Owner: ______" is a template's).
OWNED = re.compile(r"^\W{0,3}((page |doc(ument)? |process )?owner|maintainer|maintained by)\s*:\s*[A-Za-z]",
                   re.IGNORECASE | re.MULTILINE)
# ... or its control box, as policies and procedures open: "Policy reference IPC 07", "Version
# 5.0", "Approved by ...", "Review date January 2028", "Target audience All staff": CONTROLS
# distinct ones of them in its head, each at a line's start.
CONTROL = re.compile(r"^\W{0,3}(?P<label>(?:policy|procedure|document|sop) (?:reference|number|no\b|owner|id\b)"
                     r"|version\s+v?\d|approved by|(?:date )?approv(?:ed|al)(?: date| on)?|(?:next )?review(?:ed)?"
                     r"(?: date| by)|effective(?: date| from)|target audience|applies to|supersedes)",
                     re.IGNORECASE | re.MULTILINE)
CONTROLS = 3


def controlled(head: str) -> bool:
    """Whether the head of a text opens with a maintained document's control box: CONTROLS
    or more distinct labels of CONTROL at its lines' starts."""
    return len({found["label"].lower().split()[0] for found in CONTROL.finditer(head)}) >= CONTROLS


def routine(head: str) -> bool:
    """Whether the opening lines of a text give hours that come round again ("every Monday
    at 9:30", "Thursdays 14:00 to 14:50": RECURRING beside a clock time)."""
    opening_lines = opening_of(head)
    lowered = opening_lines.lower()
    if not any(word in lowered for word in ("every ", "weekly", "fortnightly", "days")):
        return False  # the words a routine needs, looked for first: most texts have none
    return bool(RECURRING.search(opening_lines) and CLOCK_TIME.search(opening_lines))


def how_we_do(title: str | None, body: str) -> bool:
    """Whether a title says how a team does a thing (HOW_WE_DO) or what a newcomer's first
    days hold (YOUR_FIRST) over a text told in the present (under PAST_SHARE of its sentences
    in the past: TOLD_IN_THE_PAST)."""
    if not (title and (HOW_WE_DO.match(title) or HOW_WE_DO.match(title.rpartition(": ")[2])
                       or YOUR_FIRST.match(title))):
        return False  # "How we tier launches", "Cycle counting at Brookside: how we do it"
    sentences = [sentence for sentence in SENTENCE.split(body) if sentence.strip()]
    return sum(bool(TOLD_IN_THE_PAST.search(sentence)) for sentence in sentences) < PAST_SHARE * len(sentences)


# A process laid down in the present (`process_told`): sentences that give its times ("Each
# Monday, product ops groups the new requests", "within ten working days", "no later than
# three days before", "from May to September", "- October: Sales Ops refreshes the account
# list", "Working day 4: the controller locks the period", "by 7:30", a deadline's date:
# "close on 15 January", "before 1 September"), its conditions ("If
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
    rf"|on the (first|last|second) \w+ of (each|every|the) "
    rf"|(before|by|on|until|close on|open on) \d{{1,2}}(st|nd|rd|th)? {MONTH}\b)"
    rf"|^\W{{0,3}}({MONTH}|((working|business) )?(day|week|month) \w+)\s*[:–—-]|(?<![\w.:]){CLOCK}(?![a-z])")
CONDITION = re.compile(r"^\W{0,3}(if|when|where|once|until|unless|whenever|any)\b|, (if|unless|until|once) ")
DUTY = re.compile(r"\b(must|may|cannot|can't|(is|are) responsible|owns|(is|are) expected to|(has|have) to"
                  r"|(is|are) (not )?allowed|only \w+ (may|can)|never|always)\b|^\W{0,3}do not\b")
# What a process page never does: open with a story in the past ("Last year we stopped it
# after three days", "Our sales team kept a spreadsheet", "We had 114 custom fields", "Before
# 2023, ...") or with news ("The council voted on Tuesday ...", "Brightwell is recalling ...",
# "The freeze was announced": STORY, TOLD_IN_THE_PAST, NEWS in its OPENING_SENTENCES), tell
# more of them than one sentence in five (TOLD_SHARE: a handbook's "access a person no longer
# needs" or "if a participant says so" is one), or announce a change anywhere ("From today,
# every workspace ...", "Build caches now expire after seven days", "From 2 September, the
# library opens until 20:00": CHANGE). ("Will" is no news: a handbook promises, "we will call
# you".) Nor is its title a listicle's ("7 rituals the best teams keep", "Ten facilitation
# tips"), a claim ("Product ops is not the tracker police", "Design systems must never ship
# ..."; not "what schools must do") or a post's aside ("Your PMO is not your product ops team
# (and that's fine)"), nor is its address dated as a post's is
# ("/2024/10/council-approves-...", "/economy/2026-02-17/...").
PRESENT_IN_ED = "need|feed|proceed|exceed|succeed|speed|seed|embed|heed|shred|bleed|breed"  # "we need", "they embed"
STORY = re.compile(rf"\b(we|i|they|she|he|our( \w+){{1,2}})\s+(?!({PRESENT_IN_ED})\b)"
                   r"(\w+ed|cut|built|made|got|took|found|won|lost|ran|wrote|broke|brought|began|kept|left|put|saw"
                   r"|learnt|fell|grew|hit|spent|thought|knew|told|chose|sent|gave|had)\b")
NEWS = re.compile(rf"\b(going to|(is|are) due to|said|says|since|\w+ed on {WEEKDAY}"
                  r"|(is|are) recalling|(has|have) been reported|(in|before|until|by) (19|20)\d\d"
                  r"|announc\w*|no longer|this (week|issue|month|year))\b")
CHANGE_DAY = rf"({WEEKDAY} )?(\d{{1,2}}(st|nd|rd|th)? )?{MONTH}\b"  # "Monday 6 May", "2 September", "September"
CHANGE = re.compile(r"\b(from (today|next (week|month|term|quarter|year|season|spring|summer|autumn|winter))|now"
                    r"|(is|are) (coming|launching|moving|changing))\b"
                    rf"|\bfrom {CHANGE_DAY}(?! (to|and|until|through)\b)")
# A title that ends on the day a change begins: "New opening hours from 6 May", "Mill Lane
# closed for drainage works from 3 March", "Bin collections change from Monday".
CHANGED_FROM = re.compile(rf"\bfrom (today|next \w+|{WEEKDAY}|{CHANGE_DAY})\W*$", re.IGNORECASE)
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
    first person singular (the text's is the caller's test), nor its address a notice's
    (`notice`), a writer's, or a post's (`posted`) under a title in the team's own voice
    (OWN_VOICE)."""
    title = title or ""
    if any(pattern.search(title) for pattern in (FIRST_PERSON, LISTICLE, ASKED, CLAIM, ASIDE)):
        return False
    if notice(url, lowered) or teams_own_story(url, title):
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
    advised = any(ON_YOUR_CONDITION.match(sentence) and is_instruction(sentence) for sentence in sentences)
    return (any(timed) or advised) and rules >= RULES_SHARE * len(sentences)


def teams_own_story(url: str, title: str | None) -> bool:
    """Whether a page tells a team's practice as its own story, not as its process page: a
    writer's page, or a post (`posted`) under a title in the team's own voice (OWN_VOICE)."""
    return bool(WRITERS_ADDRESS.search(url)) or posted(url) and bool(OWN_VOICE.search(title or ""))


def posted(url: str) -> bool:
    """Whether a URL is a post's: a blog's, a writer's ("/@name/"), or a site's news,
    changelog or forum (NOT_DOCUMENTATION). There a team's practice told in the
    present is a post about it, as the labellers file it, not its process page."""
    return bool(NOT_DOCUMENTATION.search(url))


def documentation(url: str) -> bool:
    """Whether a URL is a page of a team's documentation (DOCUMENTATION_ADDRESS), not of its
    news or its forum (NOT_DOCUMENTATION)."""
    return bool(DOCUMENTATION_ADDRESS.search(url)) and not posted(url)
