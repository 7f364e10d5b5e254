"""How a document's content type is decided: plain functions over its URL, title, text and
markup declarations, in modules by concern — `text` (the parts of a text every cue reads),
`writing` (instructions, steps, definitions), `recordings`, `templates`, `schedules` (events
and courses), `publications` (books, reports, jobs), `process` (a team's process page),
`accounts` (a personal account, a title that recounts), `index` (the taxonomy's cues),
`cues` (each type's score), `decision` (the type and the signal that decided it).

Content type scoring (cues in data/taxonomy.yaml): a URL pattern scores 3, each title phrase 2
(two at most; 3 for a title that opens "How to", which names a guide; nothing for the "What is"
of a question that goes on past a term, an explainer's, nor for its address's "/what-is-..."
slug), each distinct text phrase 1 (three at most) or 3 for a phrase in which the page names
itself ("in this guide", "this episode", "In this 45-minute webinar", "This is a practical
ebook for ..."; so does an opening sentence that introduces the page by one of those names: "A
practical four-part online course for accountants ..."), a year's figures 3 toward
whitepaper-report (a title dated by its year that names its results, "Water quality monitoring:
2024 results", or over a text dense in shares and medians, "PMO Pulse 2025": `yearly_figures`),
and so does a study told in the round: how it was done beside what it found and where it is
published, not a post on someone else's ("we interviewed 41 product managers", "At a glance",
"the full report": `study_published`).
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
opening lines ("Owner: Product Ops · Last edited May 2025") or a policy's control box
(`controlled`: "Policy reference", "Version 5.0", "Review date") 3 toward guide-playbook; one
with blanks to fill in ("[PM name]", "Owner: ______", "- [ ] Alerts live", "□ Book the venue", fields to pick
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
title is no listicle's and makes no claim, and its address is neither dated nor a writer's,
nor a site's news, changelog or forum, nor a blog's under a title in the team's own voice
("How we lend our kit", "Release trains at Corvid"), where a team's practice told in the
present is a post about it; under a title that names the practice alone ("Equipment loans")
it is a guide on a blog too: `process_told`, `posted`, OWN_VOICE, `notice`).
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
one a folder of the address alone gives); otherwise a PDF (its bytes or its address:
FILE_ADDRESS) is a report, unless it names itself a story or a release where it opens
(TOLD_AS_AN_ARTICLE), and anything else `article`. (Static word embeddings were
tried for the type and found no better than chance on the tune split: they see the topic,
not the form.) The cues and the forms were chosen on the tune splits of data/eval/, never on
the held-out ones, and checked against real blogs' posts (pipeline.quality.neighbourhood).

Before the cues, what the page declares (pipeline.understand.markup: JSON-LD, microdata,
og:type, a feed entry's enclosure; a PDF's fields to fill in, pipeline.understand.pdf.FORM):
the first declaration the taxonomy lists under a content type's `markup` decides ("JobPosting"
beside a theme's "BlogPosting"), over every cue but one: the page's own words naming it as
another type ("this report examines" on a report its publisher marks up as a Book, for its
ISBN). A declared form of writing (HowTo, DefinedTerm) counts only where the text shows a cue
of it (WRITING_FORMS; a DefinedTerm under a term's short title counts alone), and so does a
VideoObject in the structured data of a page with a story of its own (EMBEDDED: a customer
story with its testimonial clip), and a declaration on a blog's post needs two cues (a careers
plugin's JobPosting on a post saying the company is hiring: BLOG_POST_ADDRESS), and a Dataset
beside the page's declaration of a story decides nothing (a news site's analytics record:
DATA_RECORD), and a PDF's own fields to fill in give way only to its text naming it another
type (STRUCTURAL); and where the text shows little of the declared type, another kind of thing
its cues name decides, a definition but no other form of writing (OVERRULING_SCORE, OUTWEIGHS,
NOT_OVERRULING; the URL's pattern of the declared type counts for nothing there, as the
platform's template that wrote the markup wrote the address too: an ebook in a course
platform's store, at /courses/..., marked Course). A declaration listed nowhere (Article,
BlogPosting, WebPage, og:article, which blog themes put on every page) decides nothing: the
cues do. The deciding signal is kept as the type's reason
(`type_reason`) in the documents' `why`.

Last, an entry of a product's release notes (its changelog's address, "/releases/4-12",
"/whats-new/june") that numbers the steps to turn a change on is still release notes, an
article (RELEASE_NOTES_ADDRESS), unless it says it teaches or names itself a guide. And a
text told in the first person singular (PERSONAL_SHARE) is an article, whatever its markup or
cues say: someone's account of the course she took or the conference he went to
carries the course's or the conference's words and, often, its markup. So is a page whose
title recounts, reports or announces ("Review: ...", "Notes from ...", "..., survey finds",
"Why we built ...", "We're sharing our launch checklist", "Our PRD template is now free":
REVIEWING, RECOUNTING) or tells a story in the past ("We cut our release checklist from 40
items to 9": `recounts`), or whose first line under the title is a review's
("Review: The Operating Layer, by ..."). Books, episodes and talks are exempt but from a review's
title: their own pages speak so (an author presenting her book, a transcript) and their
titles may recount; so is a kit from a personal account, where its page offers its files
(`files_offered`): its maker tells how she came to make it; and so is a guide whose text
says where it opens that it teaches ("In this post, I'll show you how to ...", "This article
will explain how ...", "Here's how to ...": `teaches`), however much of it the writer tells of herself.
"""
