"""Forms of writing a text shows in its own sentences: instructions and steps (a guide or a
playbook: `instruction_score`, `steps_score`), a term defined where the text opens (a glossary
entry: `definition_score`), and a title that asks "What is ...?" of more than a term (an
explainer, no entry: `explains`).
"""

from __future__ import annotations

import re

from pipeline.understand.content_types.text import HEAD_CHARS, LIST_MARKER, SENTENCE, TEXT_CHARS

INSTRUCTIONS = 3
INSTRUCTION_SHARE = 0.3
# ... or, in a short text, two sentences that instruct of at most four (a help page's "Dig up
# the whole clump ... Replant at the same depth ...").
SHORT_INSTRUCTIONS = 2
SHORT_SHARE = 0.5
# ... or gives many commands in its own verbs, one sentence in five or more, not only to "you"
# (a job's "You will ...", an essay's "You should ..."): a blog's tutorial told around them
# ("Knead for about eight minutes.", "Wrap a zip tie around the fork near the rim.").
COMMANDS = 6
COMMAND_SHARE = 0.2
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
introduce raise replant route divide
""".split())


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


# A feed stores a post's text with its lines run together, so a section's heading opens the
# sentence under it: "The bucket Create a private bucket, then ...", "Tadka Heat the ghee ...".
# The instruction is the capitalised verb after a few words with no punctuation between, not
# after its subject ("I Use Arch": a title's case).
HEADING_GLUED = re.compile(r"^(?:[\w'/+.-]+\s+){0,4}?(?!(?i:i|we|you|they|he|she|it)\s)[\w'/+.-]+\s+"
                           r"(?=(?P<verb>[A-Z][a-z]+)\s)")


def is_instruction(sentence: str, addressed: bool = True) -> bool:
    """Whether a sentence tells the reader what to do: it opens with a verb in the
    imperative or (where `addressed`) speaks to "you", after "please" or a leading clause of
    purpose or condition up to its comma ("To link in bulk, filter ...", "If that is
    rejected, you can appeal") or a heading a feed ran into it (HEADING_GLUED) too."""
    glued = HEADING_GLUED.match(sentence)
    if glued and glued["verb"].lower() in IMPERATIVES and not any(mark in glued[0] for mark in ",;:"):
        sentence = sentence[glued.end():]
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
        verb = words[0].rstrip(",;:").lower() if words else ""  # "If a child tells you, listen, ..."
        return verb in IMPERATIVES or addressed and verb in ("you", "your")
    if first == "please" and len(words) > 1:
        first = words[1].split(maxsplit=1)[0].lower()
    if first == "do" and len(words) > 1 and words[1].lower().startswith("not "):  # "Do not investigate ..."
        return True
    return first in IMPERATIVES or addressed and first in ("you", "your")


HEADING_MOST_WORDS = 6


def _is_heading(line: str) -> bool:
    """A short line with no sentence's end, a section's heading, or a table's row."""
    line = line.strip()
    return line.startswith("|") or len(line.split()) <= HEADING_MOST_WORDS and not line.endswith(
        (".", "!", "?", ":", ";", ","))


def instruction_score(text: str | None) -> int:
    """3 when the text mostly tells the reader what to do (INSTRUCTION_SHARE) or gives many
    commands (COMMANDS, COMMAND_SHARE), 1 when it partly does, else 0."""
    sentences = [s for s in SENTENCE.split((text or "")[:TEXT_CHARS]) if s.strip()]
    if not sentences:
        return 0
    bare = [LIST_MARKER.sub("", sentence) for sentence in sentences]  # "- Send the..."
    instructs = [is_instruction(sentence) for sentence in bare]
    instructing = sum(instructs)
    # A heading ("Weeks 1–2", "Before you start") is not a sentence that fails to instruct.
    counted = sum(1 for s, told in zip(sentences, instructs, strict=True) if told or not _is_heading(s))
    if instructing >= INSTRUCTIONS and instructing / counted >= INSTRUCTION_SHARE or (
            instructing >= SHORT_INSTRUCTIONS and instructing / counted >= SHORT_SHARE):
        return 3
    if instructing >= COMMANDS:  # a command is an instruction, so only those are read again
        commands = sum(is_instruction(sentence, addressed=False)
                       for sentence, told in zip(bare, instructs, strict=True) if told)
        if commands >= max(COMMANDS, COMMAND_SHARE * counted):
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


# A title that opens on what it teaches: "How to repair the mounting ring", "How to run a
# launch readiness review", "HOWTO prep for migration", "How-to: ...".
HOW_TO = re.compile(r"\W{0,3}how[ -]?to\b", re.IGNORECASE)
# A post that says, where it opens, that it teaches: "In this post, I'll show you how to ...",
# "This article will explain how ...", "In this post, I'd like to walk through implementing
# ...", "This article walks you through setting up ...", "In this post we'll build one in
# about sixty lines", "this post describes the process in detail", "this post walks through
# how it works": how to do a thing, the steps, how a thing works, the process (a team's, set
# out), a thing built along with the reader. Not what the writer or her team did ("I'll
# explain how I made them", "show you how we rebuilt it"), nor why ("I'll show you why it
# failed"), nor what else a post may show or walk through ("show you some photos", "walk
# through the tips I'd give myself").
APOSTROPHE = "['’]"
TEACHING = re.compile(
    r"\b(?:in )?this (?:[\w-]+\s+){0,2}?(?:post|article|piece|tutorial|write-?up)\b,?\s+"
    rf"(?:(?:I|we)(?:{APOSTROPHE}ll| will|{APOSTROPHE}m going to| am going to|{APOSTROPHE}d like to| would like to"
    rf"| want to| aim to| plan to|{APOSTROPHE}re going to| are going to)\s+"
    r"|(?:will|aims to|is going to|tries to|attempts to|intends to|should)\s+)?"
    r"(?:briefly\s+|quickly\s+)?"
    r"(?:shows?(?: you)? how to|shows? you (?:[\w-]+ )?ways? to|explains? how (?:to|[\w-]+(?: [\w-]+){0,2} works)"
    r"|(?:walks?|takes?)(?: you)? through (?:how to|the steps|(?![\w-]*thing\b)[\w-]+ing)"
    r"|outlines? (?:how to|the steps)|(?:demonstrates?|describes?|covers?|go(?:es)? over) how to"
    r"|teach(?:es)? you (?:how|to)|go(?:es)? through the steps|guides? you through"
    r"|(?:describes?|walks? through|sets? out|lays? out|documents?) (?:the (?:whole |full |current )?process\b"
    r"|how (?:it|this|that|the [\w-]+) works\b)"
    r"|(?:build(?! a case\b)|implement|set up) (?:a|an|one|the|your|our)\b)\b", re.IGNORECASE)


# ... or offers, where it opens, to show its reader how: "Here's how to do it cleanly with a
# small custom hook", "Here is how you set it up" (not "here's how we did it": its own story).
SHOWN_HOW = re.compile(rf"\bhere(?:{APOSTROPHE}s| is) how (?:to|you)\b", re.IGNORECASE)


# ... or offers, where it opens, to show the writer's own way ("Here is how I do both", "Here's
# the setup I ended up with", "Here's the approach that got it done", "Here's what I do on every
# board now", "Here's the minimal shape I've settled on", "Here's the routine") and then instructs
# (`instruction_score`): a tutorial told in the first person. Not how she thinks or how it
# went ("Here is how I think about requests like this now", "Here is how we built ...").
OFFERED_WAY = re.compile(rf"\bhere(?:{APOSTROPHE}s| is) (?:how\b(?! (?:I|we) (?:think|feel|see|built|got)\b| it went\b)"
                         r"|what (?:I|we) do\b"
                         r"|the (?:[\w-]+ )?(?:setup|approach|process|workflow|recipe|routine|version|shape|method)\b)",
                         re.IGNORECASE)


# A title that says how the writer does a thing, in the present: "How I scan 35mm negatives with
# a digital camera", "How I run 1:1s with senior engineers", "How I lube stabilizers (and fix
# the rattle)": a how-to in the first person, as every such title of the tune sets' is. Not a
# story told in the past ("How I got my deposit back", "How I finally ...", "How I became a
# PM"), nor a view ("How I think about pricing").
HOW_I_DO = re.compile(
    r"^\W{0,3}how i\s+(?!(?:\w+ed|was|became|came|began|brought|built|bought|caught|chose|did|drew|drove|fell|felt"
    r"|fought|found|forgot|gave|got|went|grew|had|heard|held|kept|knew|led|left|lost|made|met|paid|quit|ran|said"
    r"|saw|sold|sent|spent|stood|stole|took|taught|told|thought|threw|won|wrote|think|feel|see|view|finally"
    r"|accidentally|almost|nearly|once|never|stopped|survived|learnt)\b)[a-z]+\b", re.IGNORECASE)


def teaches(text: str | None, title: str | None = None) -> bool:
    """Whether a text says, in its opening (HEAD_CHARS), that it teaches (TEACHING, SHOWN_HOW),
    or offers its writer's way there and instructs (OFFERED_WAY); or its title says how the
    writer does a thing (HOW_I_DO)."""
    head = (text or "")[:HEAD_CHARS]
    return bool(TEACHING.search(head) or SHOWN_HOW.search(head) or HOW_I_DO.match(title or "")
                or OFFERED_WAY.search(head) and instruction_score(text) >= 1)


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


# A headline that asks its reader a question, not how to do a thing: "Is it time to audit your
# marketing tech stack?", "Do you need product ops yet? Probably not, but here is when you
# will": an essay weighing an answer, whose advice is its argument's, not a how-to's steps.
# Not "How do I ...?", "How can you ...?" (a how-to asked), nor "What is ...?" (`explains`).
ASKS = re.compile(r"^(?!\W{0,3}(how|what (is|are))\b)[^?|·—]{3,}\?", re.IGNORECASE)


def asks(title: str | None) -> bool:
    """Whether a title opens with a question of its own (ASKS) before any site's name."""
    return bool(ASKS.match(title or ""))


# A step's heading ("Step 1", "Step two — ..."), or a stage's or a week's that names what it
# holds ("Stage 2: Recruiter call (30 minutes)", "Week 1: The company and the customer"): a
# process laid out in order. Not a bare "Week 1" (a plan's template leaves it to be filled).
STEP = re.compile(r"^\W{0,3}(step\s+(\d+|one|two|three|four|five)\b"
                  r"|(stage|week)\s+(\d+|one|two|three|four|five)\s*[:–—-]\s*\w)", re.IGNORECASE)
STEPS = 2
# A plan's phases told in prose, in order: "In week one, the new PM sits in on five customer
# calls ... In week two, they meet ...", "On day 3, ..." (three of them at least: PHASES_TOLD).
# Not a story told in order ("In week two we interviewed twelve customers").
PHASE_TOLD = re.compile(r"(?:^|[.!?]\s+|\n)(?:in|on|during|by) (?:the )?(?:week|day|month|quarter) "
                        r"(?:one|two|three|four|five|\d{1,2})\b(?![^.!?\n]*\b(?:was|were|had|did|went|sat|met"
                        r"|wrote|ran|took|got|built|spent|found|began|saw|kept|led|told|brought"
                        r"|(?:we|i|they|she|he) \w+ed)\b)", re.IGNORECASE)
PHASES_TOLD = 3
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
    counts", "Stage 1: Application review": a short line opening with its step, STEP; "Step
    one was an inventory..." running on is a story told in order, not a step to follow),
    PHASES_TOLD phases in its prose ("In week one, ...": PHASE_TOLD), or
    LISTED_INSTRUCTIONS list items that
    open with an instruction, numbered ("1. Remove the dead wood.") or bulleted and
    BULLETED_SHARE of the sentences ("- Click Save."), else 0."""
    text = (text or "")[:TEXT_CHARS]
    lines = text.splitlines()
    headings = [line for line in lines if STEP.match(line.strip()) and len(line.split()) <= HEADING_WORDS]
    if len(headings) >= STEPS or len(PHASE_TOLD.findall(text)) >= PHASES_TOLD:
        return 3
    listed = [bool(item[1]) for line in lines
              if (item := LIST_ITEM.match(line)) and not item[2].isupper() and item[2].lower() in IMPERATIVES]
    if sum(listed) >= LISTED_INSTRUCTIONS:
        return 3
    if len(listed) < LISTED_INSTRUCTIONS:
        return 0
    sentences = sum(1 for sentence in SENTENCE.split(text) if sentence.strip())
    return 3 if len(listed) >= BULLETED_SHARE * sentences else 0
