"""Structured data first: what a page declares in its markup (JSON-LD, microdata, og:type, a
feed entry's enclosure) types it before its text's cues do, and `why` says which decided.

Pages are extracted by the real extractor and typed by the real taxonomy; the crawl-level
tests run Scrapy against a local server and read the stored rows."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
import yaml
import sqlite_utils
from trafilatura import load_html

from pipeline.config.sources import Source
from pipeline.config.taxonomy import load_taxonomy
from pipeline.demo.pdfmaker import make_pdf
from pipeline.demo.webserver import Route, StaticWeb
from pipeline.understand.content_types.cues import DEFAULT_TYPE
from pipeline.understand.content_types.decision import A_PDF, NO_CUES, TEXT_CUES, decide_type
from pipeline.understand.content_types.index import TypeIndex
from pipeline.understand.content_types.process import process_told
from pipeline.understand.content_types.writing import instruction_score, is_instruction, steps_score, teaches
from pipeline.understand.extraction import extract_html
from pipeline.understand.markup import read_markup
from pipeline.understand.pdf import extract_pdf
from tests.conftest import FAST, crawl_page, run_prodops, write_sources

PROSE = ("Our team met on Tuesday to talk about the quarter. The numbers were steady, the roadmap "
         "moved a little, and the customers we spoke to were mostly happy with the release. ") * 4
GUIDE = ("In this guide we set up a weekly review. Start with the list of open requests. Review each "
         "one with its owner. Write down the decision. Share the notes with the team. Repeat every "
         "week, and check the list before the meeting. ") * 2


def page(body: str = PROSE, head: str = "", title: str = "Notes on the team", attrs: str = "") -> str:
    """A whole HTML page with `head` in its head and `body` as its article's text."""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f"<body><header><nav><a href='/'>Home</a></nav></header><main><article{attrs}>"
            f"<h1>{title}</h1><p>{body}</p></article></main><footer>© Example</footer></body></html>")


@functools.cache
def type_index() -> TypeIndex:
    return TypeIndex(load_taxonomy())


def kind(title: str, text: str, url: str = "https://site.example/p/1") -> str:
    """The content type of a text alone (no markup), as the real taxonomy's cues give it."""
    return decide_type(type_index(), url, title, text, False).content_type


def json_ld(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def typed(html: str, url: str = "https://example.org/notes/1"):
    """The content type decision for a page, through the real extraction."""
    extraction = extract_html(html, url)
    assert extraction is not None
    return decide_type(TypeIndex(load_taxonomy()), url, extraction.title, extraction.text, False, extraction.markup)


@pytest.mark.parametrize("head, expected, signal", [
    (json_ld({"@context": "https://schema.org", "@type": "JobPosting", "title": "Notes team lead"}),
     "job-posting", "JobPosting in the page's JSON-LD"),
    (json_ld({"@context": "https://schema.org", "@type": ["CreativeWork", "Book"]}), "book",
     "Book in the page's JSON-LD"),
    (json_ld({"@context": "https://schema.org", "@graph": [{"@type": "WebSite"}, {"@type": "WebPage"},
                                                          {"@type": "Course", "name": "Team notes 101"}]}),
     "course", "Course in the page's JSON-LD"),
    (json_ld({"@context": "https://schema.org", "@type": "WebPage",
              "mainEntity": {"@type": "SportsEvent", "name": "City 10k"}}),
     "event-conference", "SportsEvent in the page's JSON-LD"),
    (json_ld([{"@type": "http://schema.org/PodcastEpisode"}]), "podcast-episode",
     "PodcastEpisode in the page's JSON-LD"),
    ('<meta property="og:type" content="video.other">', "video-webinar", "og:type video.other"),
    ('<meta property="og:type" content="book">', "book", "og:type book"),
    ('<meta property="og:type" content="books.book">', "book", "og:type books.book"),  # Goodreads'
    # A paper's Highwire Press tags, Google Scholar's: its title beside what only a publication has.
    ('<meta name="citation_title" content="Notes on the team"><meta name="citation_author" content="Ada Moss">'
     '<meta name="citation_journal_title" content="Journal of Operations">',
     "whitepaper-report", "a paper's citation_* meta tags"),
    ('<meta name="citation_title" content="Notes on the team"><meta name="citation_doi" content="10.1/x">',
     "whitepaper-report", "a paper's citation_* meta tags"),
])
def test_a_declared_type_decides(head, expected, signal):
    assert typed(page(head=head)) == (expected, signal)


@pytest.mark.parametrize("head", [
    '<meta property="og:type" content="books.author">',  # an author's page, not a book's
    '<meta name="citation_title" content="Notes on the team">',  # a title alone: any plugin may write it
    # A title, authors and dates, as a Quarto site's `google-scholar: true` writes on every post.
    '<meta name="citation_title" content="Notes on the team"><meta name="citation_author" content="Ada Moss">'
    '<meta name="citation_publication_date" content="2024-05-02">'
    '<meta name="citation_online_date" content="2024-05-02">'
    '<meta name="citation_fulltext_html_url" content="https://ada.example/posts/notes/">',
])
def test_a_declaration_that_is_not_the_pages_kind_decides_nothing(head):
    assert typed(page(head=head)) == ("article", "no cues")


@pytest.mark.parametrize("url, expected", [
    ("https://www.coursera.org/learn/product-management", "course"),
    ("https://www.linkedin.com/learning/product-operations-foundations", "course"),
    ("https://maven.com/harbourline/product-ops-foundations", "course"),
    ("https://www.loom.com/share/4f1c2a", "video-webinar"),
    ("https://www.brighttalk.com/webcast/18411/622001", "video-webinar"),
    ("https://event.on24.com/wcc/r/4411/6A1F", "video-webinar"),
    ("https://www.buzzsprout.com/1234567/15550123-the-intake-board", "podcast-episode"),
    ("https://share.transistor.fm/s/9f2c1a", "podcast-episode"),
    ("https://maven.com/p/ab12cd/ops-office-hour", "article"),  # a free session, not a course
    # The platforms' other pages (the audit's): a topic's, a category's, a folder of videos.
    ("https://www.linkedin.com/learning/topics/product-management", "article"),
    ("https://www.linkedin.com/learning/", "article"),
    ("https://maven.com/categories/product", "article"),
    ("https://www.loom.com/share/folder/9c1d", "article"),
    # Books, and the serials and fiction the web publishes chapter by chapter.
    ("https://www.gutenberg.org/ebooks/11", "book"),
    ("https://www.goodreads.com/book/show/40121378-atomic-habits", "book"),
    ("https://www.royalroad.com/fiction/63759/super-supportive/chapter/1449598/one-hundred-two", "book"),
    ("https://archiveofourown.org/works/12345678/chapters/28117500", "book"),
    ("https://www.royalroad.com/fictions/search", "article"),
    ("https://www.goodreads.com/review/show/1234567", "article"),  # someone's review of a book
])
def test_the_platforms_that_host_courses_recordings_and_episodes_say_what_their_pages_are(url, expected):
    assert kind("Product operations foundations", PROSE, url) == expected


def test_microdata_itemtype_decides():
    html = page(attrs=' itemscope itemtype="https://schema.org/Course"')
    assert read_markup(load_html(html)) == ["microdata:Course"]
    assert typed(html) == ("course", "Course in the page's microdata")


def test_a_declared_form_of_writing_counts_only_where_the_text_shows_it():
    # An SEO plugin's HowTo, built from an essay's subheadings: the essay does not instruct.
    how_to = json_ld({"@type": "HowTo", "name": "Notes"})
    assert typed(page(head=how_to)) == ("article", "no cues")
    assert typed(page(GUIDE, head=how_to))[0] == "guide-playbook"


COHORT = ("Join a four-week cohort of product operations practitioners. Enrol by May; live sessions twice "
          "a week, homework between them, and a capstone you present to the group. ") * 3


def test_the_text_of_another_kind_of_thing_overrules_a_declaration_it_shows_nothing_of():
    # An LMS marks each cohort an Event for its start date; the page is a course.
    event = json_ld({"@type": "Event", "name": "Discovery sprint, June cohort", "startDate": "2026-06-01"})
    decision = typed(page(COHORT, head=event, title="Discovery sprint: a four-week cohort"))
    assert decision.content_type == "course" and "over Event in the page's JSON-LD" in decision.signal
    # A course page that speaks in the imperative is still the course its markup says.
    course = json_ld({"@type": "Course", "name": "Knife skills"})
    imperative = GUIDE.replace("In this guide we set up", "We cook")
    assert typed(page(imperative, head=course, title="Knife skills"))[0] == "course"


def test_a_declaration_the_text_shows_little_of_gives_way_to_a_kind_it_shows_twice_as_much():
    # An academy's LMS marks every page Course, a webinar replay among them.
    replay = ("Watch the webinar replay: our recorded webinar on intake triage, with the slides and the "
              "recording. Our instructor hosted it live last month; it is the full recording. ") * 2
    course = json_ld({"@type": "Course", "name": "Intake triage"})
    decision = typed(page(replay, head=course, title="Webinar replay: intake triage"))
    assert decision.content_type == "video-webinar", decision
    assert "over Course in the page's JSON-LD the text shows little of" in decision.signal
    # Where the declared kind holds its own in the text, the declaration stands.
    lessons = replay.replace("this replay is the full recording", "enrol for the lessons, modules, homework and "
                             "a certificate")
    assert typed(page(lessons, head=course, title="Intake triage"))[0] == "course"


def test_an_address_the_platform_writes_with_its_markup_does_not_second_the_markup():
    # A course platform's store: every product is at /courses/... and marked Course, an ebook too.
    ebook = "By Dave K. $24 · Buy now. What you get: 186 pages, fully illustrated (PDF and EPUB, yours to keep). " * 2
    course = json_ld({"@type": "Course", "name": "Anchors: The Field Handbook"})
    decision = typed(page(ebook, head=course, title="Anchors: The Field Handbook"),
                     url="https://learn.verticalfirst.example/courses/anchors-the-field-handbook")
    assert decision.content_type == "book", decision


def test_a_programme_steps_and_a_dictionary_entry_show_their_kind():
    from pipeline.understand.content_types.schedules import agenda_score
    from pipeline.understand.content_types.templates import placeholders_score
    from pipeline.understand.content_types.writing import definition_score, instruction_score, steps_score

    assert agenda_score("Programme\n- 09:00 Coffee and badges\n- 09:30 Talk one\n- 10:15 Talk two") == 3
    assert agenda_score("0:00 Intro\n1:40 Boards\n5:10 Questions") == 0  # a recording's chapters
    assert steps_score("Step 1 — Decide what counts\nText.\nStep 2 — Name the people\nText.") == 3
    assert steps_score("Step one was an inventory of every tool we paid for, found in the expense system.\n"
                       "Step two was deciding what each job needs and who owns it.") == 0  # a story, in order
    assert definition_score("fond", "fond\n/fɔ̃/ · noun · from French\n1. The browned residue...") == 4
    assert definition_score("Release train", "A release train is a fixed, recurring schedule for shipping.") == 4
    assert definition_score("Release train", "A release train left on time today.") == 0
    blank = "Owner: [PM name]\nStatus: [Draft / In review]\nRelease: [Quarter or date]\nProblem: [Two sentences. Who?]"
    assert placeholders_score(blank) == 4
    brief = "Owner: ______  Launch date: ______\nSegment(s): ______\nApprovals: [ ] Owner  [ ] Ops\n- [ ] Alerts live"
    assert placeholders_score(brief) == 4  # blanks to write on, boxes to tick
    assert placeholders_score("Part one\n______________\nPart two\n______________\nPart three\n________") == 0
    runbook = ("This is how we run the cycle.\n- Send the calendar to all leads.\n- Ask finance for the baseline.\n"
               "- Open the planning board.\n1. Record every decision.\n2. Publish the plans.\nTeams revise them.")
    assert instruction_score(runbook) == 3
    help_centre = ("Linking feedback shows demand. To link one item, open it and choose Link. To link in bulk, "
                   "filter the inbox. If the button is grey, ask your admin. Please check your role first.")
    assert instruction_score(help_centre) == 3  # instructions after their purpose or condition
    story = "To our surprise, the team grew. If anything, it got easier. When we met, we talked. Once, it rained."
    assert instruction_score(story) == 0
    brewing = ("Most ruined batches are dirty kit. As soon as you have bottled, rinse the fermenter. Then soak it "
               "for an hour. On brew day, sanitise the spoon. Finally, wipe the lid.")
    assert instruction_score(brewing) == 3  # after a clause of time or an adverb of sequence
    assert instruction_score("Then we met. On Monday, we talked. Finally, it rained. As it happened, we left.") == 0
    assert placeholders_score("See [1], [2] and a[i + 1]; [citation needed]; [Value, int] " * 4) == 0


def test_numbered_things_to_do_chapters_after_a_running_time_and_an_entrys_first_line_show_their_kind():
    from pipeline.understand.content_types.recordings import chapters_score
    from pipeline.understand.content_types.schedules import agenda_score
    from pipeline.understand.content_types.writing import definition_score, steps_score

    pruning = ("Prune between leaf fall and February.\n1. Remove the three Ds. Cut out dead wood.\n"
               "2. Take out crossing branches. Where two rub, the weaker goes.\n3. Open the centre.\n"
               "4. Shorten the leaders by a third.")
    assert steps_score(pruning) == 3
    results = "1. Revenue grew 12%.\n2. Churn fell to 3%.\n3. Headcount stayed flat.\n4. Margins rose."
    assert steps_score(results) == 0  # a numbered list of findings instructs nobody
    clinometer = "Procedure\n- Walk away from the tree.\n- Sight the top.\n- Subtract the base reading.\n- Note it."
    assert steps_score(clinometer) == 3  # bulleted things to do
    assert steps_score("- Revenue grew 12%.\n- Churn fell to 3%.\n- Headcount stayed flat.") == 0
    aside = PROSE * 4 + "\n- Build the tools.\n- Use the assets.\n- Make a list.\n" + PROSE * 4
    assert steps_score(aside) == 0  # a few bullets in a long text
    assert steps_score("Methods:\n* GET a folder.\n* PUT a document.\n* DELETE a document.\n* GET a document.") == 0
    teardown = "24:18 · Published 2 June 2025\nChapters\n00:00 The test, again\n02:40 Tool E\n08:15 Tool F"
    assert (chapters_score(teardown), agenda_score(teardown)) == (3, 0)  # a running time, then chapters
    covered = "What's covered\n- 03:10 Five tiers\n- 16:45 A free plan\n- 29:20 Seats to events\n- 38:00 Questions"
    assert (chapters_score(covered), agenda_score(covered)) == (3, 0)  # 29:20 is no hour of the day
    day = "Programme\n09:30 Coffee\n10:00 Keynote\n12:30 Lunch\n14:00 Workshops"
    assert (chapters_score(day), agenda_score(day)) == (0, 3)
    assert definition_score("Opportunity solution tree", "Terms A–Z / O\nDefinition: a visual map of outcomes.") == 4
    assert definition_score("Mise en place", "/meez ahn PLAHSS/ · French · noun\nThe preparation of a station.") == 4
    assert definition_score("Net revenue retention (NRR)", "Also called net dollar retention.\nThe share kept.") == 4
    assert definition_score("Net revenue retention (NRR)", "Our retention grew. Its meaning for us is simple.") == 0
    assert definition_score("Monday metrics review", "The Monday metrics review is a 30-minute meeting at 10:00.") == 0
    assert definition_score("Foundations", "Foundations is a six-week, part-time programme for PMs.") == 0
    assert definition_score("Release train", "A release train is a fixed schedule of releases.") == 4


def test_a_books_details_a_running_time_and_an_episodes_number_show_what_a_page_presents():
    assert kind("The One-Tin Bakery", "Harriet Moss\nHardback · 224 pages · £22.00\n" + PROSE) == "book"
    assert kind("The state of ops", "A 48-page report.\n" + PROSE) == "article"  # pages, but no binding
    grand_rounds = "Speakers: Dr Qureshi\nLength: 54 minutes including questions\nThe recording is below.\n" + PROSE
    assert kind("Sepsis pathway: one year on", grand_rounds) == "video-webinar"
    assert kind("Ep. 112 – Territory planning without tears", PROSE) == "podcast-episode"
    assert kind("What I took from The Launch Room, episode 41", PROSE) == "article"  # someone's take on it
    assert kind("#12: Saying no to sales", "April 3, 2025 · 41:12\nLena and Marco take on sales.\n" + PROSE) == (
        "podcast-episode")
    assert kind("No-till on heavy clay", "Dirt Talk · Episode 88\nAlistair farms clay.\n" + PROSE) == "podcast-episode"
    assert kind("Senior Product Manager, Payments", "Lisbon, Portugal · Hybrid · Full time · Product\n" + PROSE) == (
        "job-posting")
    swap = "Saturday 26 April, 10am – 1pm\nHollow Lane Garden\n" + PROSE
    assert kind("Spring plant swap", swap) == "event-conference"
    assert kind("Upgrading the kernel", "Posted 12 May at 10:42\nFrom 2.6.18-4 to 2.6.26-1.\n" + PROSE) == "article"
    assert kind("Five things we brought home from Ops Summit", "The venue, the speakers, the attendees. " + PROSE) == (
        "article")

def test_a_span_of_days_a_reports_length_and_a_bare_episode_number_show_what_a_page_presents():
    weekend = "Friday 17 – Sunday 19 October 2025 · Elan Valley\n£345 per person\n" + PROSE
    assert kind("Milky Way weekend", weekend) == "event-conference"
    assert kind("Rail summit", "March 3-5, 2026 · Leeds\n" + PROSE) == "event-conference"
    assert kind("Our quarter", "Posted 17 October 2025\n" + PROSE) == "article"  # one day: a byline
    assert kind("Parkside 5K 2025", "Sunday 13 July 2025 – 10:00 start\nKingsmoor Park\n" + PROSE) == "event-conference"
    assert kind("The mill fire", "Live at the hall. Questions start at 41:20.\n" + PROSE) == "article"  # a timecode
    report = "| Published | 7 November 2025 |\n| Pages | 22 |\n| Format | PDF, 2.4 MB |\n" + PROSE
    assert kind("Berth waiting times, Q3", report) == "whitepaper-report"
    assert kind("Family group sheet", "Printable, A4 (PDF, 2 pages, 140 KB)\n" + PROSE) != "whitepaper-report"
    ebook = "by Ruth Akande · 164 pages · PDF, EPUB and Kindle · $24\n" + PROSE
    assert kind("Signal to Decision", ebook) == "book"
    storefront = "$15+\nI wrote the book I wanted. 212 pages, no fluff.\n- Planning calendars\nPDF and EPUB.\n" + PROSE
    assert kind("Product Ops in Practice", storefront) == "book"
    assert kind("Climbs of the Southern Alps", "€34.00\n- Flexibound, 21 x 15 cm, 312 pages, 690 g\n" + PROSE) == "book"
    assert kind("Enablement is a product, with Ravi Menon", "#17\nRavi leads enablement.\n" + PROSE) == (
        "podcast-episode")


def test_a_page_that_opens_by_introducing_itself_names_its_kind():
    def opening(text: str) -> str:
        return kind("Self-employed returns", text)

    assert opening("Self-employed returns\nA practical four-part online course for accountants and bookkeepers.\n"
                + PROSE) == "course"
    assert opening("A comprehensive guide to VPNs, including a tier list of popular services.\n" + PROSE) == (
        "guide-playbook")
    assert opening("A friend is teaching a course on data analysis this spring.\n" + PROSE) == "article"
    assert opening("A new report from the central bank finds that rents rose again.\n" + PROSE) == "article"
    assert opening("A Plain-Speaking Guide to Money After Forty\n" + PROSE) == "article"  # a subtitle


def test_a_page_naming_itself_with_words_between_this_and_the_name_names_its_kind():
    webinar = "In this 45-minute webinar, three revenue leaders show the agendas they use.\n" + PROSE
    assert kind("Forecast calls that don't waste an hour", webinar) == "video-webinar"
    assert kind("PIP support", "Ask whether this short playbook fits their goals.\n" + PROSE) == "guide-playbook"
    quoted = "Meta disputed the findings. “This deeply subjective report relies on a misunderstanding.”\n" + PROSE
    assert kind("Teen accounts are not working, researchers say", quoted) == "article"
    assert kind("The First Ninety Days", PROSE + "\nThis is a practical ebook for them.") == "book"
    assert kind("Turning", PROSE + "\nThis is a course correction, not a new plan.") == "article"
    assert kind("Budgets", "This year's report on budgets is out.\n" + PROSE) == "article"  # some year's
    assert kind("Tribes", "This particular episode of Frontline was about cults.\n" + PROSE) == "article"  # a TV show's
    assert kind("Maths", "In this TED talk, Conrad Wolfram argues for usage first.\n" + PROSE) == "article"  # someone's
    assert kind("Budgets", "This new report finds that budgets fell.\n" + PROSE) == "article"  # news of one


def test_a_vacancys_sections_a_podcasts_players_a_publishers_table_and_a_forms_fields_show_their_kind():
    vacancy = ("About Kestrel Pay\nWe build payments.\nThe role\nYou'll be our first hire.\nWhat you'll bring\n"
               "- Three years in product\n" + PROSE)
    assert kind("Product Operations Manager", vacancy) == "job-posting"
    assert kind("Hiring a first product ops person", "The role\nWhat we learned.\n" + PROSE) == "article"  # one
    episode = "Listen on Apple · Spotify · Overcast · RSS\nWhen Leah was head of product, she said no.\n" + PROSE
    assert kind("42. Saying no to your biggest customer", episode) == "podcast-episode"
    assert kind("Notes", "Listen on Spotify to our new show.\n" + PROSE) == "article"  # one player
    table = "A Field Guide\n| Format | Flexibound, 190 x 120 mm |\n| Extent | 448 pages |\n" + PROSE
    assert kind("Mushrooms of the Northern Uplands", table) == "book"
    assert kind("Product review pre-read — [team name] — [date]", PROSE) == "template-toolkit"
    assert kind("[Video] How we review the roadmap", PROSE) == "article"  # a post's tag, no blank
    log = "- ID: a number\n- Type: Risk / Assumption / Issue / Dependency\n- Status: Open / Monitoring / Closed\n"
    assert kind("RAID log", log + PROSE) == "template-toolkit"
    assert kind("Roadmaps", "1. Now / Next / Later\nStill the best default.\n" + PROSE) == "article"  # no field
    brief = ("Problem:\nIn the customer's terms.\nWho is affected:\nSegment.\nWhat we know\n- Evidence:\n"
             "Why now:\nOut of scope:\nOpen questions\n-\n-\nNext step and owner:\n")
    assert kind("Problem brief", brief) == "template-toolkit"
    assert kind("Cooking", "Ingredients:\n- flour\nMethod:\nMix it.\n" + PROSE) == "article"  # two headings


def test_an_isbn_a_reports_sections_an_owner_and_notes_on_a_talk_show_what_a_page_is():
    shop = PROSE + "\nDetails\n- Sewn on linen tapes, 176 pp.\n- Edition of 600\n- ISBN 978-1-7393614-2-0\n"
    assert kind("Sewn Boards: Structures for the Small Bindery", shop) == "book"
    assert kind("Slate Lines", "Hardback £35.00 · 368pp · 234 x 156mm\n" + PROSE) == "book"
    assert kind("Reading", PROSE + "\nISBN 978-1-7393614-2-0 is on the back.") == "article"  # no pages
    summary = ("Key points\n- 418 cases were notified.\nMethods\nData are drawn from notifications.\n"
               "Public health conclusions\nVaccinate more widely.\nSuggested citation: Institute. Summary 2024.\n")
    assert kind("Tick-borne encephalitis: annual summary for 2024", summary) == "whitepaper-report"
    essay = "Introduction\n" + PROSE + "\nResults\nWe shipped.\nConclusion\nIt went well.\n"
    assert kind("What we shipped", essay) == "article"  # any essay's sections
    owned = "Owner: Product Ops · Last edited May 2025\nMost launches here are small.\n" + PROSE
    assert kind("Launch readiness: how we do it", owned) == "guide-playbook"
    assert kind("Launch brief", "Owner: ______ Launch date: ______\n" + PROSE) != "guide-playbook"  # a blank
    talk = "The talk I keep thinking about from last week's summit was Maya's. In this talk she argued well.\n"
    assert kind("Consent debt: notes on Maya Okafor's talk at ResearchOps Summit", talk + PROSE) == "article"


def test_an_episodes_number_a_running_time_in_hours_numbered_sections_a_shops_table_and_contents_show_the_kind():
    assert kind("142: Triage before taxonomy, with Priya Raman", PROSE) == "podcast-episode"
    assert kind("No. 31 — Imprint or parent-reared?", PROSE) == "podcast-episode"
    assert kind("2024: the year in review", PROSE) == "article"  # a year, not a number
    hour = "3 March 2025 · 1 hr 8 min\nWe talk about hawks, and we finally had it out.\n" + PROSE
    assert kind("Imprint or parent-reared?", hour) == "podcast-episode"
    review = ("1. Summary\nWe reviewed 40 services.\n2. How we carried out the review\nWe surveyed 812 people.\n"
              "3. Findings\nFew could stop work.\n4. Recommendations\nFund teams, not projects.\n")
    assert kind("Product management capability across government: 2024 review", review) == "whitepaper-report"
    press = ("| Hardback | 9781837460219 | £85.00 |\n| Open access PDF | 9781837460233 | Free |\n"
             "Published September 2024 · 264 pages · 12 figures\n" + PROSE)
    assert kind("Deciding What Not to Build", press) == "book"  # a book's PDF, not a report
    inside = "I wrote Intake after doing the job.\nInside\n- Part One, The Desk: why\n- Part Two, The Flow: how\n"
    assert kind("Intake: Product Operations Without the Bottleneck", inside + PROSE) == "book"
    assert kind("Sequels", "Part two of our series.\n" + PROSE) == "article"  # one part, no contents
    told = ("Chapter one: why most plans fail. They serve the author. Chapter two: the reader's questions, in order. "
            "Chapter three: a worked example.\n")
    assert kind("The plan nobody reads", told + PROSE) == "book"  # its contents run on in prose
    mentioned = "I liked chapter two: the reader's questions. And chapter three: a worked example.\n"
    assert kind("The plan nobody reads", mentioned + PROSE) == "article"  # chapters named inside sentences
    series = "Welcome to part 2. Part 1, last week, covered the setup. Part 3, next week, covers deploys.\n"
    assert kind("Deploys, part 2", series + PROSE) == "article"  # a series' parts, no contents


def test_a_line_saying_where_or_when_it_was_recorded_makes_a_recording():
    masterclass = "Recorded in Trefoldighetskirken, Oslo, as part of the open rehearsal series.\n" + PROSE
    assert kind("Masterclass: Unifying vowels – with Helga Brandvold", masterclass) == "video-webinar"
    replay = "Recorded 14 November. 45 minutes. Free, registration required.\nWatch the recording below.\n" + PROSE
    assert kind("Release notes on autopilot", replay, "https://relay.example/resources/autopilot") == "video-webinar"
    assert kind("Notes", PROSE + "\nWe recorded every call that month.") == "article"  # not a line of its own
    # How long an album's making took is no recording's line (a record label's news, lookalikes-8).
    album = ("We are delighted to announce that The Lanterns will release their third album on 14 November.\n"
             "Recorded over three weeks last winter in a converted chapel, the album has eleven new songs.\n"
             + PROSE)
    assert kind("The Lanterns announce a new album", album, "https://label.example/news/new-album") == "article"


def test_hours_that_come_round_again_are_a_routine_not_an_event():
    sync = "Product sync, weekly, Thursdays 14:00 to 14:50\nChair: rotates\nAdd items by Wednesday.\n" + PROSE
    assert kind("Product sync", sync) != "event-conference"
    assert kind("Product sync — [date]", sync) == "template-toolkit"
    handover = "Handover happens every Wednesday at 11:00 UTC on a short call.\nThe outgoing engineer walks through it."
    assert kind("On-call handover", handover + "\n" + PROSE) == "guide-playbook"  # a routine, and nothing else
    course = ("Tuesdays, 18:30–20:30 · 23 September\nA ten-week course with an instructor, homework and a "
              "certificate for each learner.\n" + PROSE)
    assert kind("Product Operations Fundamentals", course) == "course"
    assert kind("Meetup", "Thursday 6 March, 18:30 – 21:00\n" + PROSE) == "event-conference"  # once, an event


def test_headings_and_a_tables_rows_are_not_sentences_that_fail_to_instruct():
    plan = ("The plan below is what we give most patients.\nBefore you start\nYou should manage 20 calf raises.\n"
            "Weeks 1–2\nKeep calf raises going daily.\nWeeks 3–4\nAdd gentle hills after a good week.\nWeeks 5–6\n"
            "Continuous easy running up to 30 minutes.\nWhen to back off\nUse a simple rule: pain above 3 means rest.\n"
            "| Week | Run 1 | Run 2 |\n| 1 | 4 km easy | 5 km |\n| 2 | 4 km easy | 6 km |\n")
    assert kind("Back to running after a calf strain", plan) == "guide-playbook"
    assert kind("Notes", "Weeks 1–2\nWe ran.\nWeeks 3–4\nWe ran more.\nWeeks 5–6\nWe rested.\n" + PROSE) == "article"


def test_a_plugins_declaration_on_a_blogs_post_needs_the_text_to_show_its_kind():
    def posting(title: str) -> str:
        return json_ld({"@context": "https://schema.org", "@type": "JobPosting", "title": title})

    growing = "We're growing the product team"
    news = page(head=posting(growing), title=growing)
    assert typed(news, "https://www.quarry.example/blog/were-growing") == (DEFAULT_TYPE, NO_CUES)
    declared = ("job-posting", "JobPosting in the page's JSON-LD")
    assert typed(news, "https://www.quarry.example/careers/growing") == declared
    lead = "Product operations lead"
    vacancy = page("About the role. Responsibilities: run planning. Requirements: two years in ops. " + PROSE,
                   head=posting(lead), title=lead)
    assert typed(vacancy, "https://www.quarry.example/blog/ops-lead") == declared


def test_a_video_in_a_long_storys_structured_data_is_a_clip_in_it_not_the_page():
    story = ("Harbour Freight Lines runs shipping software for 600 forwarders. Feedback lived in four places "
             "until their first product operations manager joined and consolidated it in one board. ") * 6
    clip = json_ld({"@type": "VideoObject", "name": "Harbour Freight Lines testimonial"})
    decision = typed(page(story, head=clip, title="How Harbour Freight Lines cut triage from weeks to days"))
    assert decision == (DEFAULT_TYPE, NO_CUES)
    watch = story + "Watch the video of the session."
    assert typed(page(watch, head=clip, title="How Harbour Freight Lines cut triage"))[0] == "video-webinar"
    # A short page whose text is another kind of thing (a glossary entry with its explainer clip).
    entry = "Feature flag debt is the cost of flags left in code after their release is done."
    explainer = json_ld({"@type": "VideoObject", "name": "Feature flag debt"})
    assert typed(page(entry, head=explainer, title="Feature flag debt"))[0] == "glossary-entry"
    session = "Our meetup session on flags left in code after their release, with questions from the room."
    assert typed(page(session, head=explainer, title="Feature flag debt"))[0] == "video-webinar"  # its own
    # Said of the page itself (og:type), a video needs no word of it.
    own = '<meta property="og:type" content="video.other">'
    assert typed(page(story, head=own, title="How Harbour Freight Lines cut triage"))[0] == "video-webinar"


def test_a_node_for_a_thing_the_page_mentions_does_not_type_it():
    url = "https://essays.example/2025/opscon-notes/"
    title = "What I brought home from the spring conference"
    mentioned = [
        # the conference the essay recounts: no address, a name the title does not carry
        {"@type": "Event", "name": "OpsCon EU 2025", "startDate": "2025-05-01"},
        # the talk's recording, at its own address
        {"@type": "VideoObject", "name": "What I brought home", "url": "https://video.example/v/81"},
        # the site's book, at the site's home page
        {"@type": "Book", "name": "What I brought home from the spring conference", "url": "https://essays.example/"},
    ]
    for node in mentioned:
        assert read_markup(load_html(page(head=json_ld(node), title=title)), url) == [], node
        assert typed(page(head=json_ld(node), title=title), url) == ("article", NO_CUES)
    # An address of the page decides, though the editor's headline differs from the title.
    own = {"@type": "Event", "headline": "Another headline", "url": url, "mainEntityOfPage": True}
    assert read_markup(load_html(page(head=json_ld(own), title=title)), url) == ["json-ld:Event"]
    # A page node's mainEntity is the page's, whatever its name.
    main = {"@type": "WebPage", "url": url, "mainEntity": {"@type": "Event", "name": "OpsCon EU 2025"}}
    assert read_markup(load_html(page(head=json_ld(main), title=title)), url) == ["json-ld:WebPage", "json-ld:Event"]


def test_a_node_named_by_the_part_of_the_title_before_the_sites_name_is_the_pages():
    from pipeline.understand.markup import describes_another_thing

    book = {"@type": "Book", "name": "Operating Rhythm: Building Product Operations That Scale"}
    url = "https://press.example/catalog/operating-rhythm"
    assert not describes_another_thing(book, url, ["Operating Rhythm | Harbourline Press"])
    assert describes_another_thing(book, url, ["Spring catalogue | Harbourline Press"])
    assert describes_another_thing(book, url, ["Home | Operating"])  # one word is no name


@pytest.mark.parametrize("address", [
    "https://www.essays.example/2025/opscon-notes/#event",  # www., a fragment: the same page
    "http://essays.example/2025/opscon-notes",  # another scheme, no trailing slash
    "/2025/opscon-notes/?utm_source=feed",  # relative, with a query
    {"@id": "https://essays.example/2025/opscon-notes/#webpage"},  # a reference to the page's node
])
def test_an_address_of_the_page_in_any_form_is_the_page(address):
    from pipeline.understand.markup import describes_another_thing

    node = {"@type": "Event", "name": "Something else entirely", "mainEntityOfPage": address}
    assert not describes_another_thing(node, "https://essays.example/2025/opscon-notes/", ["Spring notes"])
    # `"mainEntityOfPage": true` is no address: the name decides.
    flagged = {"@type": "Event", "name": "Something else entirely", "mainEntityOfPage": True}
    assert describes_another_thing(flagged, "https://essays.example/2025/opscon-notes/", ["Spring notes"])


def test_nested_types_say_what_a_page_mentions_not_what_it_is():
    # A review of a book: the book is its itemReviewed, not the page.
    head = json_ld({"@type": "Review", "itemReviewed": {"@type": "Book", "name": "Ops"},
                    "author": {"@type": "Person", "name": "A"}})
    assert typed(page(head=head)) == ("article", NO_CUES)


def test_a_generic_article_theme_leaves_the_text_cues_to_decide():
    head = json_ld({"@type": "BlogPosting"}) + '<meta property="og:type" content="article">'
    assert typed(page(GUIDE, head=head, title="Weekly review")) == ("guide-playbook", TEXT_CUES)
    assert typed(page(head=head)) == ("article", NO_CUES)


def test_a_specific_type_wins_over_a_theme_that_marks_every_page_blogposting():
    head = json_ld({"@type": "BlogPosting"}) + json_ld({"@type": "JobPosting"})
    assert typed(page(head=head)) == ("job-posting", "JobPosting in the page's JSON-LD")


def test_the_page_naming_itself_wins_over_a_publishers_specific_type():
    # A report its publisher marks up as a Book, for its ISBN.
    head = json_ld({"@type": "Book", "isbn": "978-0-00-000000-0"}) + '<meta property="og:type" content="book">'
    body = "This report examines how thirty product teams measure outcomes. " + PROSE
    assert typed(page(body, head=head, title="Counted twice")) == (
        "whitepaper-report", "text cues: the text names it, over Book in the page's JSON-LD")


def test_a_text_that_opens_by_defining_its_title_is_a_glossary_entry():
    html = page("Accrual (noun): an amount recorded for income earned or an expense incurred before "
                "cash moves. " + PROSE, title="Accrual")
    assert typed(html, "https://ledger.example/accounting-terms/accrual") == ("glossary-entry", TEXT_CUES)
    assert typed(page("Accrual accounting changed our quarter. " + PROSE, title="Accrual"))[0] == "article"


def test_a_recordings_chapters_make_a_themes_blogposting_a_video():
    chapters = "".join(f"<li>{time} {step}</li>" for time, step in (
        ("0:00", "Creating the workspace"), ("1:40", "Setting up boards"), ("3:15", "Custom statuses"),
        ("5:02", "Branding the portal")))
    html = page(PROSE, head=json_ld({"@type": "BlogPosting"}), title="Walkthrough: a feedback portal").replace(
        "</p></article>",
        f"</p><p>Chapters:</p><ul>{chapters}</ul><p>Everything in the recording is on the free plan.</p></article>")
    assert typed(html) == ("video-webinar", TEXT_CUES)
    agenda = html.replace("0:00", "9:00")  # an event's agenda is not a recording's chapters
    assert typed(agenda)[0] != "video-webinar"


@pytest.mark.parametrize("script", [
    '{"@type": "JobPosting",',  # cut short
    "{'@type': 'Book'}",  # not JSON
    '"JobPosting"',  # JSON, not an object
    '{"@type": 42, "@graph": "x", "mainEntity": [null, 3]}',
    "",
])
def test_malformed_json_ld_never_crashes_and_the_text_cues_decide(script):
    head = f'<script type="application/ld+json">{script}</script>'
    assert typed(page(GUIDE, head=head, title="Weekly review")) == ("guide-playbook", TEXT_CUES)


def test_json_ld_wrapped_in_a_comment_is_read():
    head = '<script type="application/ld+json"><!--\n{"@type": "Dataset"}\n--></script>'
    assert typed(page(head=head))[0] == "whitepaper-report"


def test_a_dataset_beside_a_storys_own_declaration_is_its_data_not_the_page():
    # NBC News marks each of its stories up with an analytics record typed Dataset, at the story's address.
    analytics = json_ld({"@context": {"@vocab": "http://schema.org"}, "@type": "Dataset", "name": "additionalTaxonomy",
                         "description": "Additional taxonomy for analytics", "url": "https://example.org/notes/1"})
    story = json_ld({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Notes on the team"})
    assert typed(page(head=story + analytics)) == ("article", NO_CUES)
    assert typed(page(head=analytics))[0] == "whitepaper-report"  # a data publication's page
    report = "This report gathers the survey's figures for 2025, with the data behind each chart. " + PROSE
    assert typed(page(report, head=story + analytics))[0] == "whitepaper-report"  # the cues decide
    news = "Most of the respondents told the council the library should stay open. " + PROSE
    assert typed(page(news, head=story + analytics))[0] == "article"  # one report's word is not enough


def test_the_crawl_stores_the_markup_type_and_why_and_retag_keeps_it(tmp_path):
    head = json_ld({"@context": "https://schema.org", "@type": ["BlogPosting"]}) + \
        json_ld({"@context": "https://schema.org", "@type": "JobPosting", "title": "Product ops lead"})
    db_path, row = crawl_page(tmp_path, page(head=head, title="Product ops lead"))
    assert row["content_type"] == "job-posting"
    assert json.loads(row["markup_types"]) == ["json-ld:BlogPosting", "json-ld:JobPosting"]
    reasons = json.loads(row["why"])
    assert reasons[0] == {"concept": None, "where": "type", "content_type": "job-posting",
                          "signal": "JobPosting in the page's JSON-LD"}

    retag = run_prodops("retag", "--db", str(db_path))
    assert retag.returncode == 0, retag.stderr
    assert "0 changed" in retag.stdout  # the crawl and retag type alike, without the HTML
    [stored] = sqlite_utils.Database(db_path)["documents"].rows
    assert stored["content_type"] == "job-posting"
    assert json.loads(stored["why"])[0]["signal"] == "JobPosting in the page's JSON-LD"


def test_the_crawl_types_a_page_without_markup_by_its_text(tmp_path):
    _, row = crawl_page(tmp_path, page(GUIDE, title="Weekly review"))
    assert (row["content_type"], json.loads(row["markup_types"])) == ("guide-playbook", [])
    assert json.loads(row["why"])[0]["signal"] == TEXT_CUES


def test_a_feed_entry_with_an_audio_enclosure_is_a_podcast_episode(tmp_path):
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain")})
    with web:
        feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Ops talk</title><link>{web.base_url}/</link>'
                f"<item><title>Notes from the team</title><link>{web.base_url}/notes</link>"
                f'<enclosure url="{web.base_url}/notes.mp3" type="audio/mpeg" length="1000"/></item>'
                "</channel></rss>")
        web.routes["/feed.xml"] = Route(feed.encode(), "application/rss+xml")
        web.routes["/notes"] = Route(page().encode())
        sources = write_sources(tmp_path / "s.yaml", [Source("talk", "Ops talk", "feed", f"{web.base_url}/feed.xml")])
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / "c.db"),
                             "--allow-private-network", *FAST)
    assert result.returncode == 0, result.stderr
    [row] = sqlite_utils.Database(tmp_path / "c.db")["documents"].rows
    assert row["content_type"] == "podcast-episode"
    assert json.loads(row["why"])[0]["signal"] == "feed enclosure audio/mpeg"


def test_eval_reports_markup_accuracy_per_split_type_and_markup(tmp_path):
    from pipeline.quality.content_types import markup_figures

    items = [
        {"url": "https://jobs.example/1", "type": "job-posting", "markup": "specific", "split": "tune",
         "html": page(head=json_ld({"@type": "JobPosting"}))},
        {"url": "https://blog.example/2", "type": "guide-playbook", "markup": "generic", "split": "tune",
         "html": page(GUIDE, head=json_ld({"@type": "Article"}), title="Weekly review")},
        {"url": "https://blog.example/3", "type": "book", "markup": "none", "split": "held-out",
         "html": page()},
    ]
    path = tmp_path / "markup.yaml"
    path.write_text(yaml.safe_dump({"items": items}), encoding="utf-8")
    figures = {figure.name: figure for figure in markup_figures(load_taxonomy(), path)}
    tune = figures["markup, tune: content-type accuracy"]
    assert (tune.value, tune.note) == (1.0, "guide-playbook 1/1, job-posting 1/1")
    assert figures["markup, tune: by markup"].note == "generic 1/1, specific 1/1"
    held_out = figures["markup, held-out: content-type accuracy"]
    assert (held_out.value, held_out.target, held_out.met) == (0.0, 0.90, False)
    assert markup_figures(load_taxonomy(), tmp_path / "absent.yaml") == []


def test_eval_reports_pdf_accuracy_per_split_and_type_through_a_real_pdf(tmp_path):
    from pipeline.quality.content_types import pdf_figures

    items = [
        {"url": "https://files.example/launch-form.pdf", "title": "Launch readiness form", "author": None,
         "fields": 4, "type": "template-toolkit", "split": "tune", "lines": FORM_LINES},
        {"url": "https://files.example/dl?id=7", "title": None, "author": "Ada Moss", "fields": 0,
         "type": "whitepaper-report", "split": "tune", "lines": ["Launches in 2026", "Six a quarter went out."]},
        {"url": "https://files.example/notes.pdf", "title": "Notes", "author": None, "fields": 0,
         "type": "book", "split": "held-out", "lines": ["Notes on the team", "We met on Tuesday."]},
    ]
    path = tmp_path / "pdfs.yaml"
    path.write_text(yaml.safe_dump({"items": items}), encoding="utf-8")
    figures = {figure.name: figure for figure in pdf_figures(load_taxonomy(), path)}
    tune = figures["pdfs, tune: content-type accuracy"]
    assert (tune.value, tune.note) == (1.0, "template-toolkit 1/1, whitepaper-report 1/1")
    assert (figures["pdfs, held-out: content-type accuracy"].value, figures[
        "pdfs, held-out: content-type accuracy"].note) == (0.0, "book 0/1")
    assert pdf_figures(load_taxonomy(), tmp_path / "absent.yaml") == []


def test_a_page_of_one_line_is_kept_when_its_markup_says_what_it_is(tmp_path):
    """A video page whose text is a line: too short to be main text, but its markup names its
    type, so the crawl keeps it (marked too short); the same line without markup is dropped."""
    video = json_ld({"@context": "https://schema.org", "@type": "VideoObject", "name": "Morning flow"})
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"),
                     "/video": Route(page("A gentle morning flow.", head=video, title="Morning flow").encode()),
                     "/plain": Route(page("A gentle morning flow.", title="Morning flow").encode())})
    db_path = tmp_path / "c.db"
    with web:
        sources = write_sources(tmp_path / "s.yaml", [Source("video", "Video", "url", f"{web.base_url}/video"),
                                                      Source("plain", "Plain", "url", f"{web.base_url}/plain")])
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(db_path),
                             "--allow-private-network", *FAST)
    assert result.returncode == 0, result.stderr
    rows = list(sqlite_utils.Database(db_path)["documents"].rows)
    assert [(row["source_id"], row["content_type"], row["too_short"]) for row in rows] == [
        ("video", "video-webinar", 1)]


FORM_LINES = ["Launch readiness form", "Product name:", "Launch owner:", "Launch date:",
              "Support briefed (yes or no):", "Sales enablement date:"]


def typed_pdf(pdf_bytes: bytes, url: str = "https://example.org/files/launch-form.pdf"):
    """The content type decision for a PDF, through the real PDF extraction."""
    extraction = extract_pdf(pdf_bytes, url)
    assert extraction is not None
    return decide_type(type_index(), url, extraction.title, extraction.text, True, extraction.markup)


def test_a_pdf_with_fields_to_fill_in_is_a_template_whatever_its_address_says():
    form = make_pdf(FORM_LINES, title="Launch readiness form", fields=["Product", "Owner", "Date", "Support"])
    assert typed_pdf(form) == ("template-toolkit", "fields to fill in in the PDF")
    # Two fields and a "Print" button are a report's own feedback box, not a form: a PDF still a report.
    feedback = make_pdf(["Launches in 2026", "Six launches a quarter went out last year, two of them late.",
                         "Was this useful?"], fields=["Rating", "Comment"], buttons=["Print"])
    assert typed_pdf(feedback) == ("whitepaper-report", A_PDF)
    # Its text naming it another type wins, as over any declaration.
    for opening in ("In this report we look at 212 launches and what made them land.",
                    "This whitepaper looks at 212 launches and what made them land.",
                    "In this paper we look at 212 launches and what made them land."):
        report = make_pdf([opening, *FORM_LINES[1:]], title="Launches in 2026", fields=["Name", "Team", "Email"])
        assert typed_pdf(report).content_type == "whitepaper-report", opening


PLAYBOOK_LINES = ["The launch readiness playbook", "In this playbook, the way a launch is readied at Harbourline.",
                  "Launches went out late twice last year, and support heard of them from customers."]


@pytest.mark.parametrize("url", ["https://example.org/files/launch-playbook.pdf",
                                 "https://example.org/wp-content/uploads/2026/03/launch-playbook.pdf",
                                 "https://example.org/download?file=launch-playbook"])
def test_a_pdf_counts_toward_a_report_once_so_a_pdf_playbook_is_a_guide(url):
    # A PDF's bytes, its ".pdf" address and a WordPress upload's address are one fact, not three.
    assert typed_pdf(make_pdf(PLAYBOOK_LINES, title="The launch readiness playbook"), url).content_type == (
        "guide-playbook")
    assert typed_pdf(make_pdf(["Launch readiness", "Six launches a quarter went out last year."]), url) == (
        "whitepaper-report", A_PDF)


def test_a_field_counts_once_however_many_widgets_show_it(monkeypatch):
    # A report's "Was this useful?" box: a comment and one radio group of three buttons is two fields, not four.
    report = ["Launches in 2026", "Six launches a quarter went out last year, two of them late.", "Was this useful?"]
    useful = make_pdf(report, fields=["Comment"], choices=["Yes", "No", "Somewhat"])
    assert typed_pdf(useful).content_type == "whitepaper-report"
    assert typed_pdf(make_pdf(FORM_LINES, title="Launch readiness form", fields=["Comment", "Email"],
                              choices=["Yes", "No"])) == ("template-toolkit", "fields to fill in in the PDF")
    # Past MAX_ANNOTATIONS nothing is looked at: a file of a hundred thousand links costs no more than a form.
    monkeypatch.setattr("pipeline.understand.pdf.MAX_ANNOTATIONS", 2)
    fields = make_pdf(report, fields=["Product", "Owner", "Date", "Support"])
    assert typed_pdf(fields).content_type == "whitepaper-report"


def test_a_pdf_is_a_report_where_its_words_show_no_other_kind():
    # Its words show no kind: a report, by being a PDF (a city's audit report, a survey's deck).
    audit = ["City of Eastmere", "Office of the City Auditor", "Fleet Fuel Card Controls", "May 2025",
             "Finding 1: 127 cards were assigned to vehicles that had been sold."]
    assert typed_pdf(make_pdf(audit)) == ("whitepaper-report", A_PDF)
    # Another kind shown as much as a report's (a webinar's deck in a folder of webinars) wins over being a PDF.
    deck = ["Standing up product ops in 90 days", "Live webinar · October 2024", "Agenda", "Why now", "Q&A"]
    assert typed_pdf(make_pdf(deck), "https://example.org/hubfs/Webinars/product-ops-90-days.pdf").content_type == (
        "video-webinar")
    # A story or a release says what it is where it opens: not a report for being a PDF.
    for label in ("CUSTOMER STORY", "NEWS RELEASE", "Case study"):
        story = [label, "Kestrel Health cuts onboarding time by 40%", "The challenge",
                 "Its product team noticed that half of new clinics had booked nothing."]
        assert typed_pdf(make_pdf(story)) == ("article", "no cues"), label
    # ... and so does an opinion page, a blog's post or a newsletter's issue printed (a blind PDF set's).
    for opening in (["THE MERCURY VALE HERALD", "OPINION", "Saturday, March 9, 2024"],
                    ["Farah Ahmed is an urban planner. The views expressed are her own."],
                    ["Crumb & Crust Bakery - Journal", "Posted on October 2, 2023 by Marta Nowak"],
                    ["Why our sourdough takes 36 hours", "Marta Nowak · 6 min read"],
                    ["THE REOPS DISPATCH", "The monthly newsletter of the ReOps Collective"]):
        printed = [*opening, "Last month, the city council spent four hours debating a building.",
                   "It was eventually approved, two years after the application was first filed."]
        assert typed_pdf(make_pdf(printed)) == ("article", "no cues"), opening
    assert typed_pdf(make_pdf(["THE MERCURY VALE HERALD", "Saturday, March 9, 2024", *printed[-2:]])) == (
        "whitepaper-report", A_PDF)
    # A magazine's interview, a school's newsletter, a web page a browser printed (pdfs-3's).
    for opening in (["THE INTERVIEW", "Research ops is a service business"],
                    ["St Mary's Primary School", "NEWSLETTER", "Spring Term 2 | Issue 6"],
                    ["The Harlow Page", "News from the Library | Spring 2024 newsletter | Issue 37"],
                    ["7/8/24, 3:17 PM Your roadmap should be a list of problems – Roadmapcraft"]):
        assert typed_pdf(make_pdf([*opening, *printed[-2:]])) == ("article", "no cues"), opening


def test_a_pdfs_title_names_the_document():
    """A PDF's title is its own name, its metadata's or its first heading, not a post's
    headline: "Employee Handbook" and "Visitor Guide" name a guide there (pdfs-2's)."""
    handbook = ["Fernhill Software Ltd", "United Kingdom · Effective 1 January 2024", "Contents",
                "1 Welcome to Fernhill 3", "2 Working hours 6", "3 Holidays and leave 8", "4 Expenses 17"]
    assert typed_pdf(make_pdf(handbook, title="Employee Handbook (UK) 2024")).content_type == "guide-playbook"
    assert typed_pdf(make_pdf(handbook, title="Fernhill Software UK 2024")) == ("whitepaper-report", A_PDF)


def test_a_forms_first_person_is_its_signers():
    """A consent form's ticks are its signer's statements ("I have read and understood ..."),
    not an account told in the first person: its fields make it a form (pdfs-3's)."""
    ticks = ["User Research Participant Consent Form", "Study name: ______", "Please tick to confirm",
             "I have read and understood the information about this study.", "I agree to the session being recorded.",
             "I understand that I can stop at any time.", "I know who to contact if I have a question.",
             "I agree that my words may be quoted without my name."]
    form = make_pdf(ticks, fields=[f"tick {number}" for number in range(6)])
    assert typed_pdf(form) == ("template-toolkit", "fields to fill in in the PDF")


def test_a_templates_script_is_its_users_first_person():
    """An interview guide's template scripts its user's words ("I'm [name] and I work on
    [product]"): it tells its reader to copy it, so it is a kit, not an account (pdfs-4's)."""
    guide = ["User Interview Discussion Guide - Template", "Copy this template for each study.",
             "Study name: ________ Researcher: ________", "1. Introduction (5 min)",
             "Thanks for joining. I'm [name] and I work on [product]. I'm not testing you, I'm learning how you work.",
             "Is it okay if I record so I can focus on our conversation? I'll stop whenever you like.",
             "2. Warm-up (5 min)", "Tell me about your role. What does a typical week look like for you?"]
    assert typed_pdf(make_pdf(guide, title="Discussion Guide Template")).content_type == "template-toolkit"


def test_a_course_is_named_by_its_syllabus_or_module_handbook():
    syllabus = ["Lakeshore Community College", "ACCT 201-02: Principles of Managerial Accounting",
                "Fall 2024 | 3 Credit Hours", "Instructor: Robert Gonzalez", "Prerequisite: ACCT 101",
                "Course Description", "An introduction to the use of accounting information for decisions."]
    assert typed_pdf(make_pdf(syllabus, title="ACCT 201 Syllabus Fall 2024")).content_type == "course"
    module = ["Northgate Business School", "MAN7042 Product Management and Digital Innovation",
              "Semester 2 | 20 credits | Level 7", "Module leader: Dr Aisha Rahman", "Contents",
              "1. Welcome and module overview 2", "2. Learning outcomes 3", "3. Teaching schedule 4"]
    assert typed_pdf(make_pdf(module, title="MAN7042 Module Handbook 2023-24")).content_type == "course"
    assert typed_pdf(make_pdf(module[:2], title="Staff Handbook 2023-24")).content_type == "guide-playbook"


def test_an_isbn_in_the_address_names_a_book():
    chapter = ["7", "Growing together? Allotments and the politics of urban land", "Margaret Hollis", "Introduction",
               "On a wet Saturday morning in October 2019, some forty people gathered outside the gates."]
    url = "https://press.example/media/chapters/9781526187654_ch7.pdf"
    assert typed_pdf(make_pdf(chapter), url).content_type == "book"
    assert typed_pdf(make_pdf(chapter), url.replace("9781526187654", "19781526187654")).content_type != "book"


def test_a_talks_slides_are_the_talks_and_a_cookbook_a_book():
    """A conference's /slides/ hold its talks' decks (SlideShare's and Speaker Deck's too),
    whose metadata title is PowerPoint's "PowerPoint Presentation"; a cookbook is a book."""
    deck = ["Write It Down:", "Decision Logs as a Product Ops Superpower", "Hana Kim · Product Operations Lead",
            "ProdOpsCon 2024 · Berlin · Track B", "What a decision log is", "What it isn't"]
    for url in ("https://2024.prodopscon.example/slides/day2/hana-kim-decision-logs.pdf",
                "https://www.slideshare.net/hanakim/decision-logs"):
        assert kind("PowerPoint Presentation", "\n".join(deck), url) == "video-webinar", url
    assert typed_pdf(make_pdf(deck, title="PowerPoint Presentation")).content_type != "video-webinar"
    recipes = ["From Our Kitchens to Yours", "Collected by the Riverside PTA · 2023", "Contents", "Breakfasts 3",
               "Soups & Stews 15", "Main Dishes 31"]
    assert typed_pdf(make_pdf(recipes, title="Riverside Community Cookbook")).content_type == "book"


def test_a_books_front_matter_names_a_book():
    """A book's copyright page ("First published 2022 by ...", "a catalogue record for this
    book", "This is a work of fiction", "Uncorrected proof") names it, in a PDF as on a page."""
    press = ["Health in Small Places", "Edited by Margaret O'Donnell",
             "First published 2022 by Halden University Press",
             "A catalogue record for this book is available from the British Library.", "Contents", "1 Introduction 1"]
    assert typed_pdf(make_pdf(press)).content_type == "book"
    novel = ["THE SALT ORCHARD", "Greywater Press", "Uncorrected proof. Not for resale.",
             "Publication date: 5 March 2024.", "This is a work of fiction.", "ONE",
             "The winter the sea came into the orchard, my father stopped talking."]
    assert typed_pdf(make_pdf(novel)).content_type == "book"
    assert typed_pdf(make_pdf([press[0], press[1], *press[4:]])).content_type != "book"


def test_a_policys_control_box_makes_a_guide_and_boxes_to_tick_a_template():
    policy = ["St Helier Hospitals NHS Trust", "Hand Hygiene Policy and Procedure", "Policy reference IPC 07",
              "Version 5.0", "Approved by Infection Prevention and Control Committee", "Review date January 2028",
              "1. Introduction", "Hand hygiene is the single most important measure against infection."]
    assert typed_pdf(make_pdf(policy)) == ("guide-playbook", TEXT_CUES)
    # Two of the box's lines are any report's ("Version 2.0", "Published May 2025"): not a policy's.
    assert typed_pdf(make_pdf(policy[:2] + policy[3:4] + policy[6:])).content_type == "whitepaper-report"
    checklist = "Event planning checklist\n12 months to go\n" + "\n".join(
        f"□ {task}" for task in ("Set your budget", "Book the venue", "Book the caterer", "Send save-the-dates",
                                 "Book the band"))
    assert kind("Your event planning checklist", checklist) == "template-toolkit"


def test_the_crawl_types_a_fillable_pdf_by_its_fields_and_retag_keeps_it(tmp_path):
    form = make_pdf(FORM_LINES, title="Launch readiness form", fields=["Product", "Owner", "Date", "Support"])
    db_path, row = crawl_page(tmp_path, form, path="/launch-form.pdf", content_type="application/pdf")
    assert (row["content_type"], json.loads(row["markup_types"])) == ("template-toolkit", ["pdf:form"])
    assert json.loads(row["why"])[0]["signal"] == "fields to fill in in the PDF"
    retag = run_prodops("retag", "--db", str(db_path))
    assert retag.returncode == 0, retag.stderr
    assert "0 changed" in retag.stdout


ACCOUNT = ("I took the four-week cohort this spring, and my notes are below. I enrolled late, so I missed the first "
           "live session. The homework was lighter than I expected. My capstone was about our intake process, "
           "and the instructor's questions made me rethink it. I would take the course again. ")


def test_a_personal_account_is_an_article_whatever_the_thing_it_recounts():
    # The course's own words (cohort, enrol, live sessions, homework, capstone) in someone's account of it.
    decision = typed(page(ACCOUNT * 2, title="Four weeks in a cohort"))
    assert decision == ("article", "a personal account, over text cues")
    # The same words as the course's page speaks them: a course.
    assert typed(page(COHORT, title="A four-week cohort"))[0] == "course"
    # The conference's Event node on the essay that recounts it.
    event = json_ld({"@type": "Event", "name": "Four weeks in a cohort", "startDate": "2026-06-01"})
    decision = typed(page(ACCOUNT * 2, head=event, title="Four weeks in a cohort"))
    assert decision.content_type == "article" and decision.signal.startswith("a personal account, over ")
    meetup = json_ld({"@type": "Event", "name": "Team notes day", "startDate": "2026-06-01"})
    assert typed(page(PROSE, head=meetup, title="Team notes day")) == (
        "event-conference", "Event in the page's JSON-LD")
    # A newsletter's issue greets its readers, then takes a survey apart: a letter, not the report.
    letter = "Hi friends. The new survey of respondents got forwarded twice; its methodology is thin. " + PROSE
    assert typed(page(letter, title="The survey says less than you think")) == (
        "article", "a personal account, over text cues")
    assert typed(page("Hiring managers read the survey of respondents and its methodology. " + PROSE,
                      title="The survey says less than you think"))[0] == "whitepaper-report"


MY_DAY = ("I recently needed to move our intake board to a new tool. I had put it off for months. My team "
          "asked me about it twice a week. I finally found a free afternoon last Friday. ")


@pytest.mark.parametrize("opening", [
    "In this post, I’ll show you how to move an intake board without losing its history.",
    "This article will explain how to import the board and keep each request's votes.",
    "This post walks you through exporting the board first.",
    "In this follow-up post, I'd like to walk through exporting the board first.",
    "Here's how to move the board cleanly, with its history.",  # a blind set's tutorial (session 36)
    "Here is how you export the board first.",
    "In this post we'll build one in about sixty lines.",  # a blind set's tutorial (session 36)
    "People ask how we do it, so this post describes the process in detail.",  # a blind set's (session 37)
    "This post walks through how it works, from the form to the weekly triage.",
])
def test_a_post_that_says_it_teaches_is_a_guide_however_much_the_writer_tells_of_herself(opening):
    decision = typed(page(MY_DAY + opening + " " + MY_DAY, title="Moving an intake board"))
    assert decision == ("guide-playbook", TEXT_CUES)


@pytest.mark.parametrize("opening", [
    "In this post, I’ll explain how I made the move in an afternoon.",  # what she did: her story
    "In this post, I’ll explain why we moved at all.",
    "In this post, I’ll show you how I made the move in an afternoon.",  # "show you" no less than "explain"
    "In this post, I’ll show you why we moved at all.",
    "In this post, I’ll explain how our team made the move.",  # her team's story is hers too
    "In a post last year I showed you how to set up the old board.",  # another post's
    # What else a post shows or walks through (the audit's, from real posts).
    "In this post I'll show you some photos of the new board.",
    "This post will explain how the outage happened.",
    "In this post we'll walk through the tips I would give myself.",
    "This article walks through common interview questions.",
    "Here's how we moved it in an afternoon.",  # her team's story
    "In this post I'll build a case for moving the board at all.",  # an argument
    "This post walks through how our ops team moved it in an afternoon.",  # what the team did
    "This post covers the setup, the checks and the honest result.",
])
def test_a_post_on_what_the_writer_did_or_thinks_stays_an_article(opening):
    assert typed(page(MY_DAY + opening + " " + MY_DAY, title="Moving an intake board"))[0] == "article"


def test_a_video_whose_description_says_it_teaches_is_still_the_video():
    # A tutorial's video: its saying it teaches is a guide's cue, not its name over what its page declares.
    description = ("In this tutorial, I’ll show you how to move an intake board without losing its history. "
                   "Chapters: 0:00 Intro, 2:10 The export, 6:40 The import. Subscribe for more.")
    html = page(description, head='<meta property="og:type" content="video.other">', title="Moving an intake board")
    assert typed(html, "https://www.youtube.com/watch?v=abc") == ("video-webinar", "og:type video.other")


def test_a_title_that_opens_howto_names_a_guide():
    assert kind("HOWTO prep for the migration off SHA-1", PROSE) == kind("How to prep for the migration", PROSE)


def test_an_author_presenting_her_own_book_is_still_a_book():
    foreword = ("I wrote this book after ten years of running intake reviews. My editor asked me why another "
                "book on process, and my answer is in the first chapter. I kept each chapter short. The hardcover "
                "has the templates I use, and my publisher put them online too. The ISBN is on my website. ") * 2
    book = json_ld({"@type": "Book", "name": "Intake reviews"})
    assert typed(page(foreword, head=book, title="Intake reviews"))[0] == "book"
    assert typed(page(foreword, title="Intake reviews"))[0] == "book"


def test_a_title_that_recounts_heads_an_article_about_the_thing():
    review = ("The Operator's Handbook runs to twelve chapters, from intake to planning, and the ISBN, "
              "the hardcover price and the publisher's name are the first things on its page. " + PROSE)
    book = json_ld({"@type": "Book", "name": "The Operator's Handbook"})
    decision = typed(page(review, head=book, title="Review: The Operator's Handbook"))
    assert decision.content_type == "article" and decision.signal.startswith("a title that recounts, over ")
    assert typed(page(review, head=book, title="The Operator's Handbook"))[0] == "book"
    survey = ("Key findings: of respondents, 41% report to the CFO. Methodology: we surveyed 1,130 people; "
              "download the full report. " + PROSE)
    assert typed(page(survey, title="Product ops teams have doubled since 2022, survey finds"))[0] == "article"
    assert typed(page(survey, title="The product ops team survey 2025"))[0] == "whitepaper-report"
    course = "We teach the cohort course now: lessons, modules, homework and a certificate. " + PROSE
    assert typed(page(course, title="Why we finally built a course"))[0] == "article"
    assert typed(page(course, title="Product ops in practice"))[0] == "course"
    kit = "Duplicate this template, fill in the blanks and make a copy for each feature. " + PROSE
    assert typed(page(kit, title="Against the PRD template (here is mine anyway)"))[0] == "article"  # it argues
    assert typed(page(kit, title="The one-page PRD template"))[0] == "template-toolkit"
    # ... or announces that the team shares it, or tells the team's story of it in the past.
    for title in ("We're sharing our internal launch checklist", "Our PRD template is now free to copy",
                  "We cut our release checklist from 40 items to 9", "Our capacity spreadsheet lied to us",
                  "We had 114 fields in our launch checklist"):  # situations-46's "We had ..."
        assert typed(page(kit, title=title))[0] == "article", title
    assert typed(page(kit, title="Our shared launch checklist"))[0] == "template-toolkit"  # "shared": no story
    assert typed(page(kit, title="We need a launch checklist: here is ours"))[0] == "template-toolkit"
    notes = json_ld({"@type": "VideoObject", "name": "Capacity planning webinar"})
    decision = typed(page(PROSE, head=notes, title="My notes from the capacity planning webinar"))
    assert decision.content_type == "article", decision
    # An episode's title may recount; it is still the episode.
    episode = json_ld({"@type": "PodcastEpisode", "name": "Lessons from scaling an ops team"})
    assert typed(page(PROSE, head=episode, title="Lessons from scaling an ops team"))[0] == "podcast-episode"


def test_a_tables_informed_column_is_not_a_first_person():
    from pipeline.understand.content_types.accounts import personal_account

    raci = "\n".join(f"| Activity {n} for the launch | A | C | R | I |" for n in range(12))
    assert not personal_account("Pre-filled with launch activities and roles.\n" + raci)
    assert personal_account(ACCOUNT)


def test_a_news_agencys_credit_line_is_not_a_report_naming_itself():
    story = PROSE + "Reuters and Amal Haddad in Tunis contributed to this report."
    assert typed(page(story, title="Attack stokes instability fears"))[0] == "article"
    assert typed(page(PROSE + "In this report we examine the attack.", title="Attack"))[0] == "whitepaper-report"


def test_a_page_of_a_teams_documentation_that_shows_no_other_kind_is_how_the_team_works():
    triage = ("Feedback from support, sales and the forum lands on one board. The analyst on rotation tags each note "
              "with its product area and merges duplicates. Anything about data loss goes to the escalation channel "
              "instead. Group PMs review their notes before planning.")
    assert kind("Feedback triage", triage, "https://wiki.corvid.example/ops/feedback-triage") == "guide-playbook"
    assert kind("Feedback triage", triage, "https://confluence.example/display/PROD/Triage") == "guide-playbook"
    assert kind("Feedback triage", triage, "https://pmo.example/processes/triage") == "guide-playbook"
    assert kind("Feedback triage", triage, "https://corvid.notion.site/Feedback-triage-7f31c2") == "guide-playbook"
    assert kind("Feedback triage", triage, "https://runbooks.corvid.dev/support/triage") == "guide-playbook"
    assert kind("Feedback triage", triage, "https://digital.borough.example/team-manual/triage") == "guide-playbook"
    assert kind("Feedback triage", triage, "https://corvid.example/feedback-triage") == "article"  # anyone's site
    assert kind("Feedback triage", triage, "https://wiki.corvid.example/news/2025/triage") == "article"  # its news
    assert kind("Feedback triage", triage, "https://support.corvid.example/questions/1234") == "article"  # a forum
    diary = "I spent the week reading the board. " + triage
    assert kind("Feedback triage", diary, "https://wiki.someone.example/site/now.html") == "article"  # someone's


def test_a_site_or_a_folder_of_talks_replays_recordings_or_lectures_holds_recordings():
    talk = "Sana Lindgren, Product Operations Lead · OpsForum Stockholm, October 2024 · 25:47\n" + PROSE
    assert kind("Metrics that survive a reorg", talk, "https://talks.opsforum.example/2024/m") == "video-webinar"
    assert kind("Metrics that survive a reorg", talk, "https://opsforum.example/2024/m") == "article"
    assert kind("Metrics that survive a reorg", talk, "https://replays.summit.example/lectures/5512") == "video-webinar"
    assert kind("Sectionals", talk, "https://choir.example/resources/recordings/sectionals") == "video-webinar"
    assert kind("Sectionals", talk, "https://school.example/courses/okrs/lectures/5839201") == "video-webinar"


def test_a_folder_of_an_address_alone_loses_a_tie_to_what_the_text_shows_a_site_does_not():
    chapters = "What's covered\n- 03:10 Five tiers\n- 16:45 A free plan\n- 29:20 Seats to events\n" + PROSE
    address = "https://tierwise.example/resources/teardown/"
    assert kind("Packaging teardown, live", chapters, address) == "video-webinar"
    assert kind("Packaging teardown, live", PROSE, address) == "whitepaper-report"
    steps = "Start with the list. Review each request. Write down the decision. Share the notes.\n"
    assert kind("Triage in ten minutes", steps, "https://www.youtube.com/watch?v=fKf6Kl5TMc0") == "video-webinar"


def test_fields_whose_values_are_prompts_in_brackets_make_a_form():
    brief = ("How to use: copy this page and replace everything in brackets.\nProposed by: [name, team]\n"
             "Council date: [date]\nThe change\n[What changes, for which plans, from which date.]\n"
             "New customers: [yes/no, how]\nOutcome: [approved / rejected]\n")
    assert kind("Pricing brief", brief, "https://wiki.example/display/PROD/Pricing+brief") == "template-toolkit"
    config = "Edit the configuration:\n[phases]\npublish = no\n[extensions]\nevolve =\n[...]\n[figure 1: two repos]\n"
    assert kind("Phases", config + PROSE) == "article"  # a config file's sections and a figure's caption


def test_a_title_saying_how_a_team_does_a_thing_over_a_text_in_the_present_is_a_guide():
    tiers = ("Every change that reaches customers gets a launch tier. The PM proposes the tier in the ticket. "
             "Product ops confirms it at the Wednesday sync. Tier 1 is reserved for new products.")
    assert kind("How we tier launches at Quillstack", tiers) == "guide-playbook"
    assert kind("Launch tiers at Quillstack", tiers) == "article"  # says no more than any post
    assert kind("How we cut triage from nine days to two", tiers) == "article"  # a story
    assert kind("How we tier launches (and why sales hated it)", tiers) == "article"  # a post's aside
    story = "Last year we had no tiers. Everything was a launch. It was chaos. Then we tried three tiers. " + tiers
    assert kind("How we tier launches", story) == "article"  # told in the past


def test_a_process_laid_down_in_the_present_is_a_guide():
    loans = ("The equipment store lends cameras and tripods to members of the film society. "
             "Loans are booked on the society's sheet no later than two days before they are needed. "
             "Members collect their kit from the store keeper on Tuesday or Thursday evenings. "
             "Kit must come back within seven days, cleaned and with its batteries charged. "
             "If anything is damaged, the borrower tells the store keeper the same day.")
    assert kind("Equipment loans", loans) == "guide-playbook"  # its times, duties and conditions
    assert kind("Equipment loans", "Last year two tripods were lost. " + loans) == "article"  # opens with a story
    assert kind("Equipment loans", loans + " Last year two tripods were lost.") == "guide-playbook"  # one aside
    assert kind("Equipment loans", loans + " Last year two tripods were lost. We replaced both of them.") == "article"
    assert kind("Equipment loans", "The society voted on Tuesday to lend its kit. " + loans) == "article"  # news
    clause = loans.replace("before they are needed", "before the day on which they were promised to a crew")
    assert kind("Equipment loans", clause) == "guide-playbook"  # the past of a thing in a clause is no story
    assert kind("Equipment loans", loans.replace("Loans are booked", "Loans were booked")) == "article"
    assert kind("Equipment loans", loans.replace("If anything is damaged", "If a case will not close or anything "
                                                 "is damaged")) == "guide-playbook"  # "will" in a clause is no news
    assert kind("Equipment loans", loans.replace("Loans are booked", "From March, loans will be booked")) == "article"
    assert kind("Equipment loans", loans + " Who keeps the key?") == "article"  # a post that asks
    assert kind("Lending my cameras", loans) == "article"  # someone's own
    assert kind("How I lend my cameras", loans) == "guide-playbook"  # her way, as a how-to's title says (HOW_I_DO)
    few = loans.replace("no later than two days before they are needed", "in pencil").replace(
        "If anything is damaged, the borrower tells the store keeper the same day.", "The tripods are old.")
    assert kind("Equipment loans", few) == "guide-playbook"  # one rule in five sentences is a handbook's
    assert kind("Equipment loans", few + " The store is in the basement.") == "article"  # one in six: a description
    swap = ("The swap opens in the church hall every second Saturday from 10:00 to 13:00. "
            "Two volunteers arrive at 9:30 to set out the tables by subject. "
            "Anyone who cannot make their slot arranges a swap by Thursday. "
            "Visitors can bring up to ten books and take as many as they bring; a paperback for a hardback is fine.")
    assert kind("How the swap runs", swap) == "guide-playbook"  # its rules outweigh two words of a book's
    duty = loans.replace("Kit must come back", "Members are expected to bring kit back")
    assert kind("Equipment loans", duty) == "guide-playbook"  # a duty, not news
    assert kind("Equipment loans", loans + ' The first rule is simple: "Who has the key?"') == "article"
    renewals = ("At 120 days, check the account's health score and usage. At 90 days, send a short summary of the "
                "value delivered. At 60 days, send the renewal quote to the sponsor. At 30 days, escalate any unsigned "
                "renewal to your team lead.")
    assert kind("Renewals, 120 days out", renewals) == "guide-playbook"  # a timeline's steps
    shifts = ("The warehouse runs three shifts from Monday to Saturday. Each shift has a lead who holds the keys. "
              "Donations are checked for dates before anything is packed. Release a shift you cannot make at least "
              "24 hours ahead so the coordinator can fill it.")
    assert kind("How shifts work at the warehouse", shifts) == "guide-playbook"
    opinion = ("Companies that resist remote work may lose their best people. When a team trusts each other, "
               "location matters less. Good leaders never count hours. Any company that ignores this pays for it.")
    assert kind("Remote work is here to stay", opinion) == "article"  # duties and conditions, but no times
    # Its times may be dates a deadline falls on, as a service's page gives them.
    places = ("You can apply for a place if your child turns four before 1 September next year. Applications "
              "close on 15 January; list up to four schools in order of preference. Places are offered by email. "
              "If a school has more applicants than places, priority goes to looked-after children.")
    assert kind("Apply for a primary school place", places) == "guide-playbook"
    assert kind("Equipment loans", loans.replace("Kit must come back", "Kit now comes back")) == "article"  # a change
    assert kind("Equipment loans", "From 2 September, " + loans[0].lower() + loans[1:]) == "article"  # a notice
    assert kind("5 rules for equipment loans", loans) == "article"  # a listicle
    assert kind("Five rules for equipment loans", loans) == "article"
    assert kind("Equipment loans must never run late", loans) == "article"  # a title that claims: an opinion's
    assert kind("Equipment loans: what members must do", loans) == "guide-playbook"
    promise = loans + " If a loan runs late, the store keeper will call the borrower."
    assert kind("Equipment loans", promise) == "guide-playbook"  # a promise, not news
    assert kind("Equipment loans", loans.replace("Kit must", "Kit no longer needed must")) == "guide-playbook"
    assert kind("Equipment loans (and why we keep them)", loans) == "article"  # a post's aside
    assert kind("Equipment loans", loans, "https://filmsociety.example/2024/10/equipment-loans") == "article"
    assert kind("Who may borrow the cameras?", loans) == "article"  # a title that asks
    assert kind("Equipment loans", loans, "https://filmsociety.example/news/equipment-loans") == "article"  # a notice
    assert kind("Equipment loans", loans, "https://renters.example/explainers/equipment-loans") == "article"
    assert kind("Equipment loans", loans, "https://filmsociety.example/members/equipment-loans") == "guide-playbook"
    # A folder that reports and kits share says nothing against it.
    assert kind("Equipment loans", loans, "https://filmsociety.example/resources/equipment-loans") == "guide-playbook"
    # A team's practice told on its blog under a title in its own voice, or on a writer's page,
    # is a post about it, as labellers file it; under a title that names the practice alone, a
    # process laid down in the present is a guide on a blog too.
    blog, writers = "https://filmsociety.example/blog/equipment-loans", "https://medium.example/@kit/equipment-loans"
    for title in ("How we lend our kit", "Equipment loans at Harbour Film Society", "Inside our equipment loans",
                  "Our equipment loans"):
        assert kind(title, loans, blog) == "article"
    assert kind("Equipment loans", loans, blog) == "guide-playbook"
    blog_host = "https://blog.filmsociety.example/loans"
    assert kind("Equipment loans for film societies", loans, blog_host) == "guide-playbook"
    assert kind("Equipment loans", loans, writers) == "article"
    assert kind("How we lend our kit", loans, "https://filmsociety.example/members/loans") == "guide-playbook"
    assert kind("Equipment loans", "Our store keeper kept a paper list. " + loans) == "article"  # a team's story


def test_a_document_is_offered_by_the_readers_own_act_of_copying_it():
    diary = ("I have kept a reading list since I was at school. Every Sunday I paste the titles I finished "
             "into the spreadsheet my sister made for me. I was surprised how much I read last year.")
    assert kind("My reading list", diary) == "article"  # someone's own list, in her own story
    contracts = ("She joined in March. She wants a copy of every signed contract sent to the legal team. "
                 "The board meets monthly. Her first priority is the audit.")
    assert kind("Five questions for our new finance director", contracts) == "article"
    offered = contracts.replace("She wants a copy of every signed contract sent to the legal team.",
                                "Copy the questions into your own interview notes.")
    assert kind("Five questions for our new finance director", offered) == "template-toolkit"
    sheet = ("Small labs often track samples in notebooks only one person can read. The sheet gives every sample an "
             "ID and records where it is stored. A custody tab logs each move. Download it as an Excel file and "
             "adapt the columns to your rules.")
    assert kind("Sample tracking sheet for small labs", sheet) == "template-toolkit"  # handed over in a format
    assert kind("How small labs track samples", sheet) == "article"  # the title names no document
    assert kind("Sample tracking sheet for small labs", sheet.replace(" as an Excel file", "")) == "article"


def test_instructions_counted_off_in_words_are_instructions():
    cottage = ("If your cottage will stand empty over winter, frozen pipes are the biggest risk. First, turn off the "
               "water at the stopcock. Second, drain the hot water cylinder. Third, leave the loft hatch open. "
               "We offer a fixed-price visit.")
    assert kind("Leaving a holiday cottage empty for the winter", cottage) == "guide-playbook"


def test_hours_on_no_date_are_a_routines_not_an_events():
    session = ("The Saturday session runs 10:00 to 14:00 and is the busiest thing we do. Anyone can bring a bike. "
               "Whoever holds the key arrives at 09:30.\n" + PROSE)
    assert kind("Saturday open workshop", session) != "event-conference"
    hours = ("The reading group meets every Sunday from 10:00 to 12:00. Whoever holds the key arrives at 09:30.\n"
             + PROSE)
    assert kind("Sunday reading group", hours, "https://townhall.example/library/sunday") == "guide-playbook"
    assert kind("Sunday reading group", hours, "https://townhall.example/news/sunday") == "article"  # news of one
    assert kind("Sunday reading group", hours.replace("meets", "now meets")) == "article"  # a change
    assert kind("Open workshop", "Saturday 14 June, 10:00 to 14:00\n" + PROSE) == "event-conference"
    assert kind("Open workshop", "It is on Saturday 14 June, 10:00 – 13:00.\n" + PROSE) == "event-conference"


def test_a_manuals_chapter_is_a_guide():
    chapter = ("Members' reference. Revised August 2024.\n6.1 Why it matters\nMost callouts are for fires we "
               "thought were out. Mop-up is slow and dirty. Start at the anchor point and work the perimeter.\n")
    assert kind("Chapter 6: Mop-up", chapter, "https://ridgewater.example/manual/ch6-mop-up") == "guide-playbook"
    assert kind("Mop-up", chapter, "https://ridgewater.example/stories/mop-up") == "article"
    assert kind("Chapter 6: Mop-up", chapter, "https://ridgewater.example/stories/ch6-mop-up") == "book"  # no manual's


def test_a_page_count_may_be_written_as_an_adjective():
    pitch = "The text is finished. Your pledges pay for the printing: a 240-page hardback with a sewn binding.\n"
    assert kind("Slow Bread from a Small Oven", pitch + PROSE) == "book"
    assert kind("Slow Bread", "A 12-page leaflet came with it.\n" + PROSE) == "article"  # no binding


def test_a_title_that_announces_a_thing_heads_an_article_about_it():
    course = ("A certificate programme for the people who do launch readiness. Six weeks, live sessions, "
              "a capstone and a certificate. Enrol now; the cohort starts in May.\n" + PROSE)
    assert kind("Launch Readiness Certificate", course) == "course"
    assert kind("Introducing the Launch Readiness Certificate", course) == "article"


def test_a_term_followed_by_a_blank_opens_a_form_not_a_definition():
    prd = ("Product requirements doc: [Feature name]\nOwner: [PM name]\n1. Problem\nWhat are we solving?\n"
           "Copy the page, fill in each section and delete the guidance. The template has six sections.\n")
    assert kind("Product requirements doc (PRD)", prd) == "template-toolkit"
    assert kind("Product requirements doc (PRD)", "Product requirements doc: a page that says what to build.\n"
                + PROSE) == "glossary-entry"


def test_a_page_that_opens_by_telling_its_reader_to_copy_it_is_the_thing_to_copy():
    review = ("Copy this document, give it the incident number and fill it in with the people who responded. "
              "Keep the language blameless.\nSummary: what happened, in three sentences.\nImpact: who was affected.\n"
              "Timeline: times in UTC.\nActions: each with an owner and a due date.\n"
              "Review it with the wider team. Send it to the on-call channel. Close the ticket.\n")
    url = "https://sre.example.dev/handbook/incident-review-document"
    assert kind("Incident review document", review, url) == "template-toolkit"
    told = review.replace("Copy this document, give it", "Each review gets")
    assert kind("Incident review document", told, url) == "guide-playbook"  # what to do, no copy offered


def test_an_instruction_may_follow_its_phases_label():
    plan = ("Week one: refresh the demand forecast. Planners update the statistical forecast.\n"
            "Week two: check supply against it. Production tests whether plants can meet it.\n"
            "Week three: bring finance, sales and operations together. They agree options for each gap.\n"
            "Week four: the executive meeting signs off the plan.\n")
    assert kind("Running a monthly planning cycle", plan) == "guide-playbook"
    assert kind("Running a monthly planning cycle", plan.replace("Week one: refresh", "Week one saw us refresh")
                .replace("Week two: check", "Week two, we checked")
                .replace("Week three: bring", "Week three brought")) == "article"


def test_an_interview_shows_episode_by_its_guest_its_audio_file_or_its_number():
    talk = ("Tom and Sara get into why grandfathered prices outlive everyone who set them, and what they "
            "would do differently. ") * 3
    assert kind("Grandfathering, with Tom Aske", talk) == "podcast-episode"
    assert kind("Intake forms nobody fills in (with Priya Raman)", talk) == "podcast-episode"
    assert kind("Getting started with Visual Studio", talk) == "article"  # a tool, not a guest's name after a comma
    broadcast = "Swarm season\nFirst broadcast Sunday 15 September 2024 · 38 minutes\nDownload (MP3, 36 MB)\n" + talk
    assert kind("Swarm season", broadcast) == "podcast-episode"
    assert kind("Tardigrades in orbit", "Tardigrades in orbit\nNo. 212 · 29 min ·\n" + talk) == "podcast-episode"
    assert kind("#112 · Three for the commute", "#112 · Three for the commute\n" + PROSE) == "article"  # an issue


def test_a_recordings_chapters_may_be_coded_in_hours_minutes_and_seconds():
    chapters = ("Jump to\n- 00:03:30 – Farah Siddiqui: a two-layer form\n- 00:22:10 – Tobias Lind: consent "
                "for playtests\n- 00:41:00 – Ruth Ekwueme: plain language\n- 00:58:45 – Open discussion\n")
    assert kind("Show & Tell 17: Consent forms people read", chapters + PROSE) == "video-webinar"
    clock = "Timetable\n- 09:30 – Arrival\n- 10:15 – Welcome\n- 11:00 – Lunch\n"  # hours of a day
    assert kind("Show & Tell 17: Consent forms people read", clock + PROSE) != "video-webinar"


def test_a_book_excerpt_is_headed_by_the_book_it_is_from():
    excerpt = ("Chapter 3: The Opinion Tax\nFrom Evidence Over Opinion: Making Product Decisions by Leila Haddad\n"
               + PROSE)
    assert kind("Chapter 3: The Opinion Tax", excerpt) == "book"
    untitled = excerpt.replace("Chapter 3: ", "")  # the excerpt's line alone, no chapter in the title
    assert kind("The Opinion Tax", untitled) == "book"
    assert kind("The Opinion Tax", untitled.replace("From Evidence", "On evidence")) == "article"


def test_a_page_that_says_it_explains_how_is_a_guide():
    page = "This page explains the options and the steps finance needs, so participants are paid quickly.\n" + PROSE
    assert kind("Paying research participants", page) == "guide-playbook"


def test_a_recipes_methodis_instruction():
    method = ("Soften a chopped onion in a little oil for ten minutes. Add two peppers and a litre of stock. "
              "Simmer for twenty minutes, until the peppers are soft. Blend until smooth. Season to taste.\n")
    assert kind("Red pepper soup", method) == "guide-playbook"
    told = "She softened an onion, added the peppers and let it simmer while we talked about the harvest.\n"
    assert kind("Red pepper soup", told * 3) == "article"
    named = ("Steam rose from the pot as the cooks arrived. Strain on the kitchen team grew all week. Drizzle is the "
             "database library we picked. Roast beef was served at the launch party. Blend of old and new staff.\n")
    assert kind("A week in the kitchen", named) == "article"  # a noun or a name that opens a sentence


def test_an_instruction_may_follow_the_time_it_is_done_at():
    cycle = ("Six weeks before the quarter, send teams the company goals and their capacity. Ask for nothing yet.\n"
             "Weeks five and four: each team drafts what it would build.\n"
             "Final week: publish the plan, with what did not make it and why. Keep the first cycle simple.\n")
    assert kind("A first quarterly planning cycle, week by week", cycle) == "guide-playbook"
    told = cycle.replace("send teams", "we sent teams").replace("Final week: publish", "Final week: we published")
    assert kind("A first quarterly planning cycle, week by week", told) == "article"


def test_a_title_that_wishes_it_had_known_recounts():
    tips = "".join(f"{n}. {tip}\n" for n, tip in enumerate((
        "Listen for a month before changing anything.", "Fix one thing that managers feel every week.",
        "Write down what you will not do.", "Remove a meeting for every meeting you add."), 1))
    assert kind("Four ways to start in product ops", tips) == "guide-playbook"
    assert kind("Four things I wish I had known in my first ninety days", tips) == "article"


def test_a_postmortems_title_recounts_its_incident():
    """"Postmortem: the 47-minute checkout outage on 12 February": the window and the date under
    it are the incident's, no event's (situations-38's); a template for one stays a kit."""
    outage = ("On Monday 12 February, most customers could not complete checkout for 47 minutes.\n"
              "Timeline (UTC)\n13:58 — Configuration change merged and deployed.\n14:06 — Error rate on checkout "
              "begins rising.\n14:11 — On-call engineer acknowledges.\n14:38 — Change identified. Rollback started.\n"
              "14:53 — Checkout success rate back to normal.\n")
    assert kind("The checkout outage on 12 February", outage) == "event-conference"
    recounted = ("Postmortem: the 47-minute checkout outage on 12 February",
                 "Incident review: failed checkouts on 12 February")  # situations-44's
    assert [kind(title, outage) for title in recounted] == ["article", "article"]
    assert kind("Postmortem template", "Fill in each section within five working days.\nSummary: ____\n"
                "Timeline: ____\nRoot cause: ____\nActions: ____\n") == "template-toolkit"


def test_news_of_someone_elses_study_is_an_article():
    news = ("Product managers spend a third of their week on status updates, according to a report published "
            "Tuesday by Quayside. The company surveyed 640 product managers, a sample of its users. "
            "Respondents at large companies reported the heaviest load. The sample was recruited online. "
            "Key findings are on its website.\n")
    assert kind("Product teams spend a third of their week on status", news) == "article"
    own = news.replace("according to a report published Tuesday by Quayside", "in our survey").replace(
        "The company surveyed", "We surveyed")
    assert kind("Product teams spend a third of their week on status", own) == "whitepaper-report"


def test_a_resources_folder_holds_templates_as_much_as_reports():
    pack = ("The pack has two files. The slide has four boxes: the numbers, what changed, risks and the decision "
            "needed. Download both, fill in your numbers and keep the box order.\n")
    assert kind("Monthly product review pack", pack, "https://northstar.example/resources/review-pack") == (
        "template-toolkit")
    report = "We surveyed 400 teams. Key findings: most plan quarterly. Methodology: an online panel.\n" + PROSE
    assert kind("Planning in 2025", report, "https://northstar.example/resources/planning-2025") == "whitepaper-report"


def test_a_label_over_the_title_names_the_pages_kind():
    moves = ("Territory planning in five moves\nAnnual planning starts in October. A spreadsheet holds it.\n"
             "Move 1: the capacity model\nMove 2: the accounts\n" + PROSE)
    url = "https://crm.example/insights/territory-planning"
    assert kind("Territory planning in five moves", "Playbook · Sales operations\n" + moves, url) == "guide-playbook"
    assert kind("Territory planning in five moves", moves, url) == "article"
    # A label after the title is a line of the text, not the site's label for the page.
    assert kind("Territory planning in five moves", moves.replace("\n", "\nPlaybook · Sales operations\n", 1),
                url) == "article"


def test_a_books_extract_or_edition_line_heads_its_pages():
    chapter = "The Operating Layer by Tamsin Okafor · Extract\n3. The Intake Problem\n" + PROSE
    assert kind("3. The Intake Problem", chapter) == "book"
    online = "Research Operations in Practice\nSecond edition · Noor Haddad and Callum Pryce · 2024\n" + PROSE
    assert kind("Research Operations in Practice", online) == "book"
    assert kind("3. The Intake Problem", chapter.replace(" · Extract", "")) == "article"  # a byline


def test_a_page_that_ends_by_telling_its_reader_to_copy_it_or_opens_with_use_this_agenda_is_a_template():
    scorer = ("Answer five questions about the release on the first tab. The sheet adds up the points and suggests "
              "a tier.\nThe second tab lists what each tier needs.\n" + PROSE + "\nDuplicate it into your own drive "
              "to start.\n")
    assert kind("Launch tier scorer", scorer) == "template-toolkit"
    assert kind("Launch tier scorer", scorer.replace("Duplicate it into your own drive to start.", "")) == "article"
    agenda = "Use this agenda for a 90-minute quarterly roadmap review.\n" + PROSE
    assert kind("Quarterly roadmap review agenda", agenda) == "template-toolkit"
    # Following a process's page, or buying a book, is not copying a form.
    assert kind("Launch date at risk", "Use this page when a launch may miss its date.\n" + PROSE) == "article"
    assert kind("The Operating Layer", "The Operating Layer\nGet a copy\n" + PROSE) == "article"


def test_an_instruction_may_follow_how_long_before_it_is_done():
    plan = ("Twelve weeks out, decide who keeps the old price. Ten weeks out, test the new plans on last month's "
            "invoices. Eight weeks out, tell account managers. Six weeks out, update the pricing page.\n")
    assert kind("Landing a price change", plan) == "guide-playbook"


def test_a_stations_listen_again_page_is_an_episode_and_two_named_days_an_events():
    again = "Down the Allotment\nSaturday 12 April 2025, 9am\nAvailable for 28 days after broadcast.\n" + PROSE
    assert kind("Down the Allotment", again) == "podcast-episode"
    assert kind("Down the Allotment", again.replace("after broadcast", "after the show")) != "podcast-episode"
    congress = "Spring Congress 2025\nSaturday 5 and Sunday 6 April 2025 at the Guildhall.\n" + PROSE
    assert kind("Spring Congress 2025", congress) == "event-conference"
    assert kind("Spring Congress 2025", congress.replace("Saturday 5 and Sunday 6 April", "5 April")) == "article"


def test_two_of_a_reports_sections_make_a_findings_page():
    findings = ("In 2024 we measured how much of the city is covered by tree canopy.\nKey findings\n"
                "- Canopy covers 17.8% of the city.\n- Most of the loss was on private land.\nHow we measured it\n"
                "We classified 5,000 random points as tree or non-tree.\n")
    assert kind("Tree canopy assessment 2024", findings + PROSE) == "whitepaper-report"
    assert kind("Tree canopy assessment 2024", findings.replace("How we measured it\n", "") + PROSE) == "article"


def test_a_length_in_weeks_beside_a_price_is_a_courses_details():
    course = "Throwing on the Wheel\nWednesdays, 23 April to 25 June (10 weeks) · 6.30pm–9pm\n£245 · 3 places left\n"
    assert kind("Throwing on the Wheel: Beginners", course + PROSE) == "course"
    one_evening = course.replace(" (10 weeks)", "").replace("Wednesdays, 23 April to 25 June", "Wednesday 23 April")
    assert kind("Throwing on the Wheel: Beginners", one_evening + PROSE) != "course"
    sprint = "We ran a six-week sprint on pricing.\nIt cost us £2,000 in credits.\n"  # a story's weeks
    assert kind("What a pricing sprint taught us", sprint + PROSE) == "article"


def test_sessions_on_a_weekday_over_dates_are_a_courses():
    sessions = "Tracing Your Family History\nWhen: Thursdays 6, 13, 20, 27 November, 2pm–3.30pm\nWhere: online\n"
    assert kind("Tracing Your Family History: five online sessions", sessions + PROSE) == "course"
    office = "Office hours\nThursdays 14:00 to 14:50, room 2.14\n"  # a routine's weekday, no dates
    assert kind("Office hours", office + PROSE) != "course"


def test_a_summary_of_findings_heads_a_reports_page_and_a_review_line_an_article():
    evaluation = ("Published 14 November 2024 · Corporate publications\nThe board asked for an evaluation.\n"
                  "Summary of findings\n- Programmes fell from 61 to 34.\nMethod in brief\nWe read the minutes.\n")
    assert kind("Evaluation of the PMO pilot", evaluation + PROSE) == "whitepaper-report"
    review = "Review: The Operating Layer, by Hannelore Voss\n" + PROSE
    assert typed(page(head=json_ld({"@type": "Book", "name": "The Operating Layer"}), title="The Operating Layer",
                      body=review), "https://notes.example/2025/01/review")[0] == "article"


def test_a_newsletters_numbered_issue_is_no_episode():
    issue = "#142: Do certificates matter?\nIssue 142 · 22 July 2025 · by Ezra Lindqvist\n" + PROSE
    assert kind("#142: Do certificates matter?", issue) == "article"
    assert kind("#142: Do certificates matter?", issue.replace("Issue 142 · ", "")) == "podcast-episode"


def test_a_plural_term_defined_in_the_singular_six_weekdays_and_how_we_do_it_after_a_colon():
    accruals = ("A · Accounting period · Accruals\nAccruals\nAn accrual is an expense that belongs to a period.\n"
                + PROSE)
    assert kind("Accruals", accruals) == "glossary-entry"
    cohort = "Outcome Roadmaps\nSix Thursdays · 2 October to 6 November · 17:00-19:00 · €890\n" + PROSE
    assert kind("Outcome Roadmaps", cohort) == "course"
    procedure = ("The system makes a count list each morning. A-class items are counted every two weeks. Any "
                 "location with a short pick is added.\nCounting\n- The counter scans the location label.\n")
    assert kind("Cycle counting at Brookside: how we do it", procedure) == "guide-playbook"
    assert kind("Cycle counting at Brookside", procedure) == "guide-playbook"  # its times: a process laid down
    described = "The system makes a count list. A-class items are counted more often. The counter scans the label.\n"
    assert kind("Cycle counting at Brookside: how we do it", described) == "guide-playbook"
    assert kind("Cycle counting at Brookside", described) == "article"


def test_a_title_dated_by_its_year_over_a_text_dense_in_shares_is_a_years_findings():
    figures = ("This is the seventh PMO Pulse. 530 heads of PMOs answered this year, 58% from the private sector.\n"
               "Maturity is flat\n46% of PMOs place themselves at level 2, the same share as in 2023. Only 9% claim "
               "level 4.\nThe mandate is widening\nTwo thirds now cover benefits tracking; 18% also run intake. "
               "81% expect AI tools to change PMO work, with a median of two tools.\n")
    assert kind("PMO Pulse 2025", figures) == "whitepaper-report"
    assert kind("PMO Pulse", figures) == "article"
    assert kind("PMO teams have grown since 2022", figures) == "article"
    assert kind("PMO Pulse 2025", figures + PROSE * 3) == "article"  # a figure or two in a long post


def test_a_books_first_publication_line_or_a_title_opening_or_ending_on_its_chapter_heads_its_pages():
    edition = ("The Barrow Navigation: A History, 1761-1962\nOnline edition, 2024. First published 1987 by the "
               "Barrow Navigation Society.\n" + PROSE)
    assert kind("The Barrow Navigation: A History, 1761-1962", edition) == "book"
    repost = "Why we stopped estimating\nFirst published on my blog in 2019.\n" + PROSE
    assert kind("Why we stopped estimating", repost) == "article"
    assert kind("The Quiet Machinery · Chapter One", PROSE) == "book"
    assert kind("Chapter 6 - Monitoring Distributed Systems", PROSE) == "book"  # a book's chapter, opening it
    assert kind("Chapter 2: The intake problem", PROSE) == "book"
    life = "I left Google in March. " * 3 + PROSE  # someone's life, told in chapters on a blog
    assert kind("Chapter 2: Joining Stripe", life, "https://kim.example/blog/chapter-2-joining-stripe") == "article"
    assert kind("Chapter 2: Joining Stripe", life, "https://kim.example/2024/05/chapter-2") == "article"
    assert kind("The Quiet Machinery: one chapter of our year", PROSE) == "article"


def test_dates_a_week_apart_or_a_weekdays_hours_over_dates_are_a_courses_sessions():
    saturdays = "Sourdough Saturdays\n1, 8, 15 and 22 March · 9am to 1pm · in the bakehouse behind the shop\n"
    assert kind("Sourdough Saturdays", saturdays + PROSE) == "course"
    festival = saturdays.replace("1, 8, 15 and 22 March", "1, 2, 3 and 4 March")
    assert kind("Sourdough Saturdays", festival + PROSE) != "course"
    evenings = "Wheel throwing\nTuesdays 7–9pm, 20 January to 24 February 2026 · 8 places\n"
    assert kind("Wheel throwing for beginners", evenings + PROSE) == "course"


def test_a_defined_term_under_a_terms_short_title_needs_no_cue_of_its_own():
    term = json_ld({"@type": "DefinedTerm", "name": "Feature adoption rate"})
    gloss = ("The share of eligible users who use a feature meaningfully within a set period after it becomes "
             "available to them. ") + PROSE
    assert typed(page(gloss, head=term, title="Feature adoption rate"))[0] == "glossary-entry"
    headline = "What we learned measuring feature adoption rate for a year"
    assert typed(page(gloss, head=term, title=headline))[0] == "article"


def test_a_title_that_gives_a_years_results_is_a_findings_pages():
    for title in ("Water quality monitoring: 2024 results", "Winter Waterbird Count 2024/25: the numbers",
                  "Annual Review 2024"):
        assert kind(title, PROSE) == "whitepaper-report", title
    assert kind("Water quality monitoring: results", PROSE) == "article"
    assert kind("What we learned in 2024", PROSE) == "article"


def test_a_numbered_senses_part_of_speech_or_a_what_is_titles_term_opens_an_entry():
    luff = ("Luff\nrhymes with stuff\n1. (noun) The front edge of a sail, the one nearest the mast.\n"
            "2. (verb) To turn the boat's bow towards the wind.\n")
    assert kind("Luff", luff + PROSE) == "glossary-entry"
    coverage = ("Resources · Sales terms\nPipeline coverage ratio\nPipeline coverage ratio is the value of open "
                "pipeline divided by the quota still to be achieved.\n")
    assert kind("What is pipeline coverage ratio?", coverage + PROSE) == "glossary-entry"
    assert kind("Pipeline coverage, quarter by quarter", coverage + PROSE) == "article"


def test_a_label_before_the_titles_colon_or_a_breadcrumbs_last_crumb_names_the_pages_kind():
    replay = "Resources / Replays\nSLO reviews people actually attend\n" + PROSE
    assert kind("Replay: SLO reviews people actually attend", replay) == "video-webinar"
    assert kind("SLO reviews people actually attend", replay) == "video-webinar"
    assert kind("SLO reviews people actually attend", replay.replace("Replays", "Articles")) == "article"
    assert kind("Lesson: SLO reviews people actually attend", PROSE) == "article"


def test_a_definition_overrules_a_platforms_declaration_where_instructions_do_not():
    course = json_ld({"@type": "Course", "name": "Feature adoption rate"})
    entry = ("Feature adoption rate is the share of your active users who used a given feature at least once in "
             "a period. ") + PROSE
    assert typed(page(entry, head=course, title="Feature adoption rate"))[0] == "glossary-entry"
    knife_skills = json_ld({"@type": "Course", "name": "Knife skills"})
    imperative = GUIDE.replace("In this guide we set up", "We cook")
    assert typed(page(imperative, head=knife_skills, title="Knife skills"))[0] == "course"


def test_a_news_storys_label_before_its_titles_colon_names_no_kind():
    news = "Product teams spend a third of their time in meetings, according to a new study.\n" + PROSE
    assert kind("Survey: product teams spend a third of their time in meetings", news) == "article"


def _details() -> list:
    """The cases of tests/cases/type_details.yaml, one pytest.param each."""
    cases = yaml.safe_load((Path(__file__).parent / "cases" / "type_details.yaml").read_text(encoding="utf-8"))
    return [pytest.param(case["title"], case["text"], case["kind"], case["cue"], case["instead"], id=case["case"])
            for case in cases]


@pytest.mark.parametrize("title, text, expected, cue, instead", _details())
def test_a_detail_shows_a_kind_and_without_it_the_page_is_not_that_kind(title, text, expected, cue, instead):
    assert kind(title, text + PROSE) == expected
    assert kind(title, text.replace(cue, instead) + PROSE) != expected


def test_a_what_is_title_names_a_terms_entry_only_when_it_asks_for_the_term_alone():
    short = "It matters more than it looks. " * 3
    assert kind("What is a launch tier?", short, "https://site.example/what-is-a-launch-tier") == "glossary-entry"
    for title in ("What is product operations, really?", "What is the 'rules-based order' and can it survive?",
                  "What is media impact value, the algorithm the fashion industry is fixated on"):
        slug = "https://news.example/" + "-".join(title.lower().split())[:60]
        assert kind(title, short, slug) == "article", title  # an explainer's question, its address its slug
    assert kind("Launch tier", "Notes.", "https://site.example/glossary/launch-tier") == "glossary-entry"
    for term in ("What is Profit and Loss?", "What is an OR gate?"):  # a term's own "and", "or"
        slug = "https://site.example/what-is-" + term[8:-1].lower().replace(" ", "-")
        assert kind(term, short, slug) == "glossary-entry", term


def test_a_title_that_opens_how_to_names_a_guide():
    question = "Would you like to pause a process and then resume it again?"
    assert kind("How to toggle a process' execution", question) == "guide-playbook"
    assert kind("Toggling a process' execution", question) == "article"
    assert kind("Why I stopped writing how to posts", question) == "article"  # "how to" inside, no opening
    mine = ("I repaired my microphone last week. I had dropped it twice. I was annoyed, and I glued it. "
            "My desk is still a mess. ")
    assert kind("How to repair a broken mounting ring", mine * 2) == "article"  # someone's account


def test_a_post_at_a_dated_address_that_opens_by_naming_its_subject_is_no_glossary_entry():
    opening = "Restic is a backup tool that keeps incremental snapshots.\n" + PROSE
    assert kind("Restic", opening, "https://tools.example/terms/restic") == "glossary-entry"
    assert kind("Restic", opening, "https://someone.example/2020/06/26/restic/") == "article"


def test_a_document_put_to_use_two_ways_in_prose_is_a_kit():
    deck = ("Fourteen slides, in the order a customer meeting usually runs. Charts are linked to a data sheet; "
            "paste in the customer's usage export and they update. Editable in PowerPoint and Google Slides.")
    assert kind("Quarterly business review deck", deck) == "template-toolkit"
    assert kind("Quarterly business review deck", deck.replace("Editable in", "We showed it in")) == "article"
    webinar = ("In this session our lead shows how we automate release notes. "
               "Fill in the form to watch the recording, then make a copy of the slides.")
    assert kind("Release notes on autopilot", webinar) != "template-toolkit"  # a gate's form, not a kit's blanks
    twice = "Download it from the shared drive. Some teams download them twice a year. Fourteen slides in all."
    assert kind("Quarterly business review deck", twice) == "article"  # one way, named twice
    folder = ("Everything we use to run a beta, in one shared folder: an invitation email, a welcome note, a "
              "feedback survey and an exit review. Replace the bracketed names and dates, and delete what you do "
              "not need.")
    assert kind("Beta programme kit", folder) == "template-toolkit"
    assert kind("Beta programme kit", folder.replace(", and delete what you do not need", "")) == "article"


def test_a_page_of_rules_that_tells_its_reader_what_to_do_is_a_guide():
    penalty = ("If you think a penalty charge notice was issued unfairly, you can make an informal challenge to the "
               "council within 28 days. If you challenge within 14 days and it is rejected, you will usually be "
               "offered the reduced rate for another 14 days. Once the council sends a notice to owner, you can make "
               "a formal representation. If that is rejected, you can appeal to the independent tribunal, which is "
               "free. Keep copies of any photos, permits or receipts that support your case.")
    url = "https://www.council.example/parking/challenge-a-penalty-charge-notice"
    assert kind("Challenge a penalty charge notice", penalty, url) == "guide-playbook"
    assert process_told(url, "Challenge a penalty charge notice", penalty.lower())  # a condition's past is no story
    told = penalty.replace("If you think a penalty charge notice was issued unfairly, you",
                           "Last year a penalty charge notice was issued to a neighbour, and she")
    assert not process_told(url, "Challenge a penalty charge notice", told.lower())
    assert is_instruction("If that is rejected, you can appeal to the tribunal.")  # "you", after its condition
    assert not is_instruction("If that is rejected, drivers can appeal to the tribunal.")
    deposit = ("Landlords must protect deposits in an approved scheme and return them within a set period after the "
               "tenancy ends, minus agreed deductions. Deductions are allowed for damage beyond fair wear and tear, "
               "unpaid rent and missing items listed in the inventory. If you disagree, use the scheme's free dispute "
               "service. Photographs from the start and end of the tenancy are the best evidence.")
    assert kind("Getting your tenancy deposit back", deposit, "https://law.example/deposits") == "guide-playbook"
    unadvised = deposit.replace("If you disagree, use", "Tenants who disagree use")
    assert kind("Getting your tenancy deposit back", unadvised, "https://law.example/deposits") == "article"


def test_words_of_a_script_written_without_spaces_are_counted():
    """A Chinese article of 3,379 characters split on spaces was 51 "words", and marked too
    short; each character of such a script counts as a word, as word processors count them."""
    from pipeline.understand.content_types.text import count_words, too_short

    chinese = "产品运营团队负责规划节奏、路线图评审和发布准备。" * 20  # 22 characters and 2 stops a sentence
    assert count_words(chinese) == 440 and not too_short(count_words(chinese))
    assert count_words("Product ops 产品运营 team") == 7
    assert count_words("Product operations, in plain English.") == 5


def test_a_days_early_prices_and_call_for_speakers_are_an_events():
    """A conference's page that sells places by its prices' deadlines, not by "register now",
    is an event's, though its dates and deadlines read as a process laid down (situations-12
    and lookalikes-6 each had one filed a guide)."""
    day = ("DesignOps Day is back, online, on 5 June 2025. Expect eight talks on scaling design teams and research "
           "operations. Tickets are free for students and €49 for everyone else. Talks are recorded and sent to all "
           "ticket holders within a week. We're still looking for two more speakers; proposals close on 1 April.")
    assert kind("DesignOps Day 2025", day) == "event-conference"
    plain = day.replace("ticket holders", "buyers").replace("proposals close", "the list closes")
    assert kind("DesignOps Day 2025", plain) != "event-conference"  # the phrases decide


def test_a_title_that_gives_a_posts_hours_names_a_vacancy():
    """"Volunteer coordinator (part-time)": a vacancy's title, though its duties and its date
    to apply read as a process laid down (situations-26 filed it a guide)."""
    post = ("Greenfields Community Allotments is looking for a volunteer coordinator, eight hours a week. You will "
            "recruit and welcome new volunteers, keep the rota and organise the monthly work parties. You will need to "
            "be friendly and organised. The post is paid at the real living wage. To apply, send a short letter to "
            "the chair by 28 February.")
    assert kind("Volunteer coordinator (part-time)", post) == "job-posting"
    assert kind("Volunteer coordinator", post) != "job-posting"


def test_a_live_webinars_registration_page_is_a_webinars():
    """A webinar is a video-webinar's page live or recorded (the labellers' definition), so
    its registration page too, though it asks you to register and save your seat as an
    event's does: "Live" in its title named an event."""
    page_text = ("LIVE WEBINAR\nThursday 19 June 2025 · 17:00 BST · 45 minutes + Q&A\nTwo product operations leads "
                 "walk through how they rebuilt their review deck. Speakers: Hana Oduya, Tomás Lindqvist. "
                 "Register now. Can't make it live? Register anyway and we'll send you the recording."
                 " Hosted by ProductPulse.")
    assert kind("Live webinar: Building a monthly product review leaders read", page_text) == "video-webinar"


def test_a_recap_on_a_blog_is_a_post_about_the_event_and_on_its_site_the_events():
    recap = ("Last Thursday we hosted a webinar on onboarding product managers with two guests. Over 400 of you joined "
             "live. Here are the points that stuck with us: most companies onboard product managers like any other "
             "hire. The agenda, the speakers and the recording are on our resources page.")
    title = "Recap: what 400 of you told us about onboarding new product managers"
    assert kind(title, recap, "https://blog.example-helmsman.com/recap-onboarding-webinar") == "article"
    own = ("Two days, 600 people, 40 speakers and a sold-out venue. The keynote opened with planning at scale; the "
           "agenda ran to three tracks. Tickets for next year's edition go on sale in March. Register now.")
    assert kind("Frontend Harbour 2025: the recap", own, "https://frontendconf.example.org/2025/recap") == (
        "event-conference")
    blog = "https://frontendconf.example.org/blog/2025-recap"
    assert kind("Frontend Harbour 2025: the recap", own, blog) == "article"


def test_release_notes_that_number_the_steps_to_turn_a_change_on_stay_release_notes():
    notes = ("Until now, every piece of feedback had to be linked to a roadmap idea by hand. Starting today, "
             "Feedbackly suggests the link for you.\nTurning it on\n1. Go to Settings, then Insights,"
             " then Auto-linking.\n"
             "2. Choose the sources you want included.\n3. Set the confidence threshold.\n4. Click Save.\n"
             "Available on Growth and Enterprise plans.")
    title = "New: Auto-link feedback to roadmap ideas"
    for entry in ("https://changelog.example-feedbackly.com/2025-04-08-auto-link",
                  "https://feedbackly.example/releases/4-12", "https://feedbackly.example/whats-new/april"):
        assert decide_type(type_index(), entry, title, notes, False) == (
            "article", "release notes by their address, over text cues")
    # A page about release notes, in a handbook, is no entry of them; elsewhere the steps teach.
    assert kind(title, notes, "https://handbook.example/product/release-notes") == "guide-playbook"
    assert kind(title, notes, "https://feedbackly.example/help/auto-link") == "guide-playbook"


def test_a_repositorys_front_page_offers_its_files():
    readme = ("A small CLI and GitHub Action that builds a weekly product status digest from Jira and your roadmap "
              "tool, and posts it to Slack. Our product ops team wrote it to stop asking twelve PMs for status.\n"
              "Installation\npip install roadmap-digest\nRun it\nroadmap-digest build --since 7d\nLicense\nMIT")
    title = "GitHub - ledgerline/roadmap-digest: Weekly product status digest"
    for repository in ("https://github.com/ledgerline/roadmap-digest", "https://gitlab.com/ledgerline/roadmap-digest/",
                       "https://codeberg.org/ledgerline/roadmap-digest"):
        assert kind(title, readme, repository) == "template-toolkit", repository
    # A release, an issue or a file of it is no front page.
    assert kind("Release v3.2.0", readme, "https://github.com/ledgerline/roadmap-digest/releases/tag/v3.2.0") == (
        "article")
    assert kind(title, readme, "https://github.com/ledgerline") == "article"


def test_a_how_to_title_names_a_guide_whatever_kit_comes_with_it():
    review = ("A weekly pipeline review is where sales leaders and reps look at open opportunities together.\n"
              "Before the meeting: set up your CRM\nRevenue operations should make sure every open opportunity has a "
              "stage, a close date and a next step. Create a saved view called Pipeline review, with columns for stage "
              "and close date.\nThe agenda (45 minutes)\n1. Forecast check (5 min)\n2. Flagged deals (25 min)\n"
              "3. Asks (5 min)\nCommon mistakes\n- Reviewing every deal instead of the exceptions\n- Letting close "
              "dates sit in the past\nDownload the pipeline review agenda and CRM view checklist (PDF)")
    url = "https://crm.example/academy/pipeline-review"
    decision = decide_type(type_index(), url, "How to run a weekly pipeline review (with a CRM setup checklist)",
                           review, False)
    assert decision == ("guide-playbook", "text cues: a how-to's title, over a kit's")
    assert kind("Weekly pipeline review (with a CRM setup checklist)", review, url) == "template-toolkit"


def test_a_sites_notices_are_notices():
    """A status site's /notices/ are notices, as its /news/ are: their windows and what to do
    are no process laid down (a blind set's maintenance notice was a guide)."""
    notice = ("We will carry out scheduled maintenance on the platform on Sunday 2 November between 02:00 and 05:00 "
              "UTC. During this window the dashboard will be unavailable for up to 60 minutes. Label printing will "
              "continue to work, but tracking updates may be delayed by up to two hours. If you run overnight batch "
              "imports, we recommend scheduling them outside the window. If you notice anything unusual afterwards, "
              "contact support through the help centre.")
    title = "Scheduled maintenance on Sunday 2 November"
    assert kind(title, notice, "https://status.parcelhub.example.com/notices/maintenance-2-november") == "article"
    assert kind(title, notice, "https://status.parcelhub.example.com/maintenance-2-november") == "guide-playbook"


def test_a_writers_way_offered_then_instructed_is_a_tutorial():
    """"Here is how I do both", then instructions: a tutorial told in the first person (six of
    situations-32's, a blind set of blogs' posts; "Here's what I do on every board now", "Here's
    the minimal shape I've settled on": situations-36's); "Here is how I think about it now" is an
    opinion, and an offer the text never follows with instructions a story."""
    steps = ("Read the page from params and default it to 1. Send it to the query as an offset. Keep the page size "
             "in one place. Add an index on the column you order by.")
    opening = ("Every Phoenix app I've worked on eventually grows a list page that is too long to render in one go. "
               "I tried two libraries last year and kept neither. ")
    for offer in ("Here is how I do both.", "Here's the setup I ended up with.", "Here's what I do on every app now.",
                  "Here's the minimal shape I've settled on.", "Here's the routine."):
        assert kind("Pagination with Phoenix and Ecto", opening + offer + " " + steps) == "guide-playbook", offer
        assert teaches(opening + offer + " " + steps), offer
    assert not teaches(opening + "Here is how I think about it now. " + steps)
    assert teaches(opening + "Here is how I do both. " + steps)
    told = "We moved the page to keyset pagination in March. It took a week, and nobody noticed."
    assert kind("Pagination with Phoenix and Ecto", opening + "Here is how I do both. " + told) == "article"


def test_a_public_services_application_page_is_no_vacancy():
    """"Apply for a residents' parking permit": what you'll need, how to apply and a permit's
    price a year are a service's, not a vacancy's sections and pay (situations-34's)."""
    permit = ("If you live in a controlled parking zone, you can apply for a permit to park in your zone's bays.\n"
              "Who can apply\nYou must live at an address in a controlled parking zone.\n"
              "What you'll need\n- your vehicle registration number\n- proof of address dated within 3 months\n"
              "Costs\n- first permit: £65 a year\n- second permit: £120 a year\n- electric vehicles: £30 a year\n"
              "How to apply\nApply online. It takes about 10 minutes. Upload your documents as photos or scans.\n"
              "Apply now\nMost applications are processed within 5 working days.")
    url = "https://www.ashworth.example.gov.uk/parking/apply-for-a-residents-parking-permit"
    assert kind("Apply for a residents' parking permit", permit, url) == "guide-playbook"
    # A price list's amounts are all prices, its heading over the first (situations-35's renewal page).
    from pipeline.understand.content_types.publications import states_pay
    prices = "Costs\nFirst vehicle: £65 a year\nSecond vehicle: £110 a year\nElectric vehicles: £30 a year"
    assert not states_pay(prices)
    assert states_pay("Location: Leeds\nContract: permanent\nSalary: £24,500 a year")
    vacancy = ("Parking enforcement officer\nThe role\nYou will patrol the town's controlled zones.\n"
               "Responsibilities\n- issue penalty charge notices\nSalary: £24,500 a year\nHow to apply\nApply online.")
    assert kind("Parking enforcement officer", vacancy, "https://www.ashworth.example.gov.uk/jobs/ceo-12") == (
        "job-posting")


def test_a_post_may_say_why_before_it_says_to_copy_it():
    """"People keep asking for it, so here's a cleaned-up version. Copy it, change the names,
    ...": the opening paragraph's third sentence tells the reader to copy (situations-33's)."""
    plan = ("Every time a new PM joins my team, I send them the same document. People keep asking for it, so here's a "
            "cleaned-up version. Copy it, change the names, and cut anything that doesn't fit your company.\n"
            "First 30 days: learn\nMeet everyone on the list below\nShadow five support calls\n"
            "Days 31-60: contribute\nOwn one discovery thread end to end\nWrite the spec for a feature")
    assert kind("The 30-60-90 I give every new PM on my team", plan) == "template-toolkit"
    assert kind("The 30-60-90 I give every new PM on my team", plan.replace("Copy it, change", "I change")) != (
        "template-toolkit")
    # ... or its fourth or fifth (situations-37's "Several people asked me to share it, so here it is.
    # Copy it, strip out what doesn't fit your company").
    longer = plan.replace("People keep asking", "It has changed over time. The bones have held. People keep asking")
    assert kind("The 30-60-90 I give every new PM on my team", longer) == "template-toolkit"


def test_a_course_its_maker_opens_to_learners_is_the_courses_page():
    """"Pandas for spreadsheet people: the course is open", "..., a six-week course": its maker
    tells it in her voice, as an author presents her book (situations-36's, -39's, -42's, -47's);
    the same words under another title are her account of it."""
    course = ("I have taught analysts to leave their spreadsheets for pandas for six years, two or three at a "
              "time, and my waiting list got silly. So I turned the workshop into an online course. I filmed it in "
              "my kitchen. It has seven modules and a cohort starts each month. Enrol for £120, or join the "
              "self-paced version. I answer every question in the course forum myself.")
    for offered in ("Pandas for spreadsheet people: the course is open", "Develop Your Own Film: enrolment is open",
                    "Pandas for spreadsheet people: a six-week course, starting in April",
                    "Pandas, Properly: a course for spreadsheet people"):  # situations-48's
        assert kind(offered, course) == "course", offered
    for told in ("Six years of teaching pandas in my kitchen", "Why I took a course on pandas"):
        assert kind(told, course) == "article", told


def test_a_title_that_invites_the_reader_to_copy_names_a_kit():
    """"The feedback tagging taxonomy we use (copy it)", "A customer feedback taxonomy you can
    copy": the page is the thing to copy, however its maker tells her story around it
    (situations-39's, -42's and -43's); a title that names copying invites nothing."""
    taxonomy = ("I have run feedback programmes at three companies and I tag every piece the same way now. I learnt "
                "it the hard way. My first taxonomy had sixty tags. My second had nine.\nArea: billing, onboarding, "
                "reporting, integrations\nKind: bug, request, question, praise\nSeverity: blocks work, slows work, "
                "cosmetic\nI review the tags every quarter and I merge any that nobody uses.")
    for title in ("The feedback tagging taxonomy we use (copy it)", "A customer feedback taxonomy you can copy",
                  "My feedback taxonomy (free to copy)", "12 feedback tags we actually use (copy them)",
                  "Our feedback taxonomy (free to adapt)", "Our feedback taxonomy, in plain English (steal it)"):
        assert kind(title, taxonomy) == "template-toolkit", title
    for title in ("The feedback taxonomy we use", "How I stopped copy-pasting feedback into tags"):
        assert kind(title, taxonomy) == "article", title


def test_a_teams_post_that_opens_roles_is_a_vacancy():
    """"The platform team is growing: two SRE roles open": a post that says the team is hiring,
    with the roles, their place and pay "depending on experience" (situations-33's)."""
    post = ("Two years ago the platform team was three people and a pager. Today we're nine, and we're hiring two "
            "more Site Reliability Engineers.\nThe roles\nSenior Site Reliability Engineer (two positions)\n"
            "Remote in the UK or Ireland, or hybrid from our Manchester office\n"
            "£80,000–£100,000 depending on experience, plus equity")
    url = "https://engineering.ledgerly.example/blog/platform-team-is-growing"
    assert kind("The platform team is growing: two SRE roles open", post, url) == "job-posting"
    assert kind("The platform team is growing", post.replace("we're hiring", "we've hired"), url) == "article"


def test_a_video_that_says_so_is_the_video_however_it_teaches():
    """"In this video I walk through five retrospective formats": the page names itself a
    video, whose how-to title and chapters teach (situations-35's)."""
    page_text = ("Agile Coach Corner · 184K subscribers\n42,318 views · 1 year ago\nIn this video I walk through five "
                 "retrospective formats I use with Scrum teams, when each one works best, and how to make sure the "
                 "actions get done.\n0:00 Why retros get stale\n1:45 Format 1: Start, Stop, Continue\n4:20 Format 2: "
                 "Sailboat\n7:55 Format 3: 4Ls")
    title = "How to run a retrospective that isn't boring (5 formats)"
    assert kind(title, page_text, "https://www.vidtube.example/watch?v=Qx7rT2mLp9s") == "video-webinar"


def test_a_policy_or_guidelines_by_its_title_lays_down_how():
    """"Expenses policy: what you can claim and how" (lookalikes-8's) and a graduate school's
    "Guidelines for the Presentation of Research Theses" (pdfs-5's) lay down how a thing is done."""
    expenses = ("This policy applies to all employees and contractors who incur costs on Tarnhill's behalf. It is "
                "owned by the finance team and was last reviewed in June.\n\nWhat you can claim. Travel to places "
                "other than your usual workplace, accommodation for trips that need an overnight stay, meals while "
                "travelling, and small purchases approved in advance by your manager.\n\nLimits. Hotels up to 160 "
                "euros per night in capital cities and 120 elsewhere. Meals up to 45 euros per day while travelling.")
    url = "https://finance.tarnhill.example.com/policies/expenses"
    assert kind("Expenses policy: what you can claim and how", expenses, url) == "guide-playbook"
    assert kind("Expenses: what you can claim and how", expenses, url) != "guide-playbook"
    theses = ["Graduate School", "1. Scope", "These guidelines apply to all research degrees.", "2. Format",
              "Theses are submitted as a single PDF, A4, with 2.5 cm margins."]
    assert typed_pdf(make_pdf(theses, title="Guidelines for the Presentation of Research Theses")).content_type == (
        "guide-playbook")


def test_a_heading_a_feed_ran_into_its_instruction_still_instructs():
    """A feed stores a post with its lines run together: "Tadka Heat the ghee ..." is a heading
    and its first instruction (situations-36's dal; real-posts-2's RISC-V post). Not a
    subject's verb in a title's case ("I Use Arch"), nor a story ("The team Reviewed ...")."""
    dal = ("It is the dal my grandmother made, more or less. Ingredients One cup of red lentils, a tomato, an "
           "onion, ghee, cumin seeds and chilli. The lentils Rinse the lentils until the water runs clear. Bring "
           "them to the boil in four cups of water and skim off the foam. The tadka Heat the ghee in a small pan "
           "until the cumin seeds crackle. Pour it over the dal and stir. It keeps for three days in the fridge.")
    assert kind("Weeknight dal (the one I actually make)", dal, "https://example.org/posts/weeknight-dal") == (
        "guide-playbook")
    assert is_instruction("The bucket Create a private bucket, then a key scoped to it.")
    assert is_instruction("Tadka Heat the ghee in a small pan until it shimmers.")
    assert not is_instruction("I Use Arch, by the way.")
    assert not is_instruction("The team Reviewed the plan on Monday.")
    assert not is_instruction("Room presence: mmWave plus PIR Use both.")  # the heading's own punctuation


def test_a_process_laid_out_in_named_stages_or_weeks_is_a_guide():
    """"Stage 1: Application review", "Stage 2: Recruiter call (30 minutes)": a team's process
    set out in order, told in its own voice on its blog (situations-37's sales onboarding
    "week by week", -38's hiring loop "written down"); a plan's bare "Week 1", "Week 2", left
    to be filled, are no stages."""
    loop = ("We think you should know what you're walking into, so this is our complete process for engineering "
            "roles.\nStage 1: Application review\nA recruiter and an engineer review every application. We aim to "
            "respond within five working days.\nStage 2: Recruiter call (30 minutes)\nA conversation about the role "
            "and salary expectations.\nStage 3: Technical conversation (60 minutes)\nWith a senior engineer. There "
            "is no coding in this stage.\nStage 4: Offer\nThe hiring manager calls you with the decision.")
    url = "https://www.larchmont.example/blog/how-we-hire-engineers"
    assert kind("How we hire engineers: the whole loop, written down", loop, url) == "guide-playbook"
    assert steps_score(loop) == 3
    bare = re.sub(r"^Stage (\d): .*$", r"Week \1", loop, flags=re.MULTILINE)
    assert "Week 2\n" in bare and steps_score(bare) == 0


def test_a_title_that_says_how_the_writer_does_a_thing_names_a_how_to():
    """"How I scan 35mm negatives with a digital camera": a how-to in the first person, however
    much of the post the writer tells of herself (situations-33's and -39's); "How I got my
    deposit back" is a story, "How I think about pricing" a view."""
    method = ("I shot film for years before I owned a scanner, and I still don't. I use the camera I already have. "
              "My setup is a copy stand I made from an old enlarger column, a macro lens and a cheap light pad. "
              "I tape the strip flat, I shoot each frame at f/8, and I invert the raw files in my editor. My results "
              "are as sharp as the lab's, and I spend an evening on a roll instead of a fortnight waiting.")
    assert teaches(method, "How I scan 35mm negatives with a digital camera")
    assert kind("How I scan 35mm negatives with a digital camera", method) == "guide-playbook"
    for title in ("How I got my 35mm negatives back from the lab", "How I think about 35mm negatives",
                  "How I finally scanned my 35mm negatives"):
        assert not teaches(method, title), title
        assert kind(title, method) == "article", title


def test_a_tutorial_told_around_many_commands_is_a_guide():
    """A blog's tutorial gives its commands among its story: six or more, one sentence in five
    (situations-39's truing a wheel); "you will" and "you should" are a vacancy's and an
    essay's address, no commands."""
    story = ("I broke a spoke on the canal path last spring. The shop quoted two weeks. Wheels can be trued at "
             "home ever since. It is slower than a stand. It costs nothing. My neighbour laughed at the zip tie. "
             "He borrowed it in June. The wheel has held all summer. I still carry a spoke key. ")
    steps = ("Turn the bike upside down. Wrap a zip tie around the fork near the rim. Move the wheel slowly. Mark "
             "where the rim touches. Tighten the spokes on the far side a quarter turn. Check it again. ")
    assert instruction_score(story + steps + story) == 3
    assert kind("Truing a wheel at home with a zip tie", story + steps + story) == "guide-playbook"
    addressed = ("You will turn the bike upside down. You will wrap a zip tie around the fork. You should spin the "
                 "wheel slowly. You should mark where the rim touches. You will tighten the far spokes. You will "
                 "check it again. ")
    assert instruction_score(story + addressed + story) == 1


def test_a_headline_that_asks_its_reader_a_question_is_an_essay_whatever_it_advises():
    """"Is it time to audit your marketing tech stack?": an essay weighing an answer, whose
    advice is its argument's (situations-34's and -46's); "How do I audit ...?" asks how to, and
    numbered steps lay a how-to out whatever the headline asks."""
    advice = ("Most teams pay for tools nobody opens. Pull every software line from finance. Check the login data "
              "for each tool. Ask each team which tools they would miss. Sort the tools into keep and cut. Set a "
              "reminder to repeat it every year.")
    assert instruction_score(advice) == 3
    for title in ("Is it time to audit your marketing tech stack?",
                  "Do you need a tools audit yet? Probably not, but here is when you will"):
        assert kind(title, advice) == "article", title
    for title in ("How do I audit our marketing tech stack?", "Auditing your marketing tech stack"):
        assert kind(title, advice) == "guide-playbook", title
    steps = "\n".join(f"Step {n}: {line}" for n, line in enumerate(advice.split(". ")[1:4], start=1))
    assert kind("Is it time to audit your marketing tech stack?", steps) == "guide-playbook"


def test_a_page_that_opens_by_naming_itself_by_its_title_introduces_itself():
    """"Harbour Data Day is a one-day conference for ...": the page opens with its title's
    name and says what it is, as "A one-day conference for ..." does (situations-52's)."""
    text = ("Harbour Data Day is a one-day conference for analysts and data engineers in the south west. This year "
            "we are at the Old Customs House. Two rooms of talks run through the day, with a long lunch between.")
    assert kind("Harbour Data Day 2026 — Plymouth, 9 June", text) == "event-conference"
    assert kind("Harbour Data Day: the recap", text.replace("is a one-day conference", "was a good day")) == "article"
    other = text.replace("Harbour Data Day is", "Kestrel Summit is")
    assert kind("Harbour Data Day 2026 — Plymouth, 9 June", other) == "article"


def test_a_meeting_announced_where_and_when_it_is_held_is_an_event():
    """"The club's Annual General Meeting will be held in the clubhouse on Thursday 20 March at
    7.30pm" (situations-51's); a meeting held at the same hour every week is a routine's."""
    agm = ("The society's Annual General Meeting will be held in the village hall on Thursday 20 March at 7.30pm. "
           "All paid-up members may vote.\nOn the agenda: the accounts and the election of a new treasurer.")
    assert kind("Annual General Meeting, Thursday 20 March", agm) == "event-conference"
    weekly = agm.replace("on Thursday 20 March at 7.30pm", "every Thursday at 7.30pm")
    assert kind("Annual General Meeting", weekly) != "event-conference"


def test_a_certificate_in_a_title_is_no_course():
    """"The certificate that expired on a Saturday", "New OpenPGP certificate for dkg": a
    certificate in a headline is as often a key's as a course's (situations-51's, a real post)."""
    story = ("At 06:12 on Saturday customers paying on our website started seeing an error. The client certificate "
             "we use to call the provider had expired at midnight. It now sits in the same renewal as the others.")
    assert kind("The certificate that expired on a Saturday", story) == "article"
    assert kind("New OpenPGP certificate for dkg, December 2023", "My new certificate is signed by the old one.") == (
        "article")


def test_a_careers_sites_blog_is_a_blog():
    """A post on a careers site's blog ("/careers/blog/a-day-with-the-data-team") that ends by
    saying the team is hiring is a post (situations-52's); "/careers/data-analyst" is a vacancy's."""
    post = ("At 8.30 on a Tuesday the data team is already arguing about bananas. The team is eleven people. By "
            "lunchtime the mystery is solved. We are hiring two analysts this spring.")
    site = "https://www.basket.example/careers"
    assert kind("A day with our data team", post, f"{site}/blog/a-day-with-the-data-team") == "article"
    assert kind("A day with our data team", post, f"{site}/data-analyst") == "job-posting"


def test_a_notice_of_a_change_from_a_day_is_news_whatever_it_tells_its_reader_to_do():
    """"New opening hours from 6 May" tells its customers what to do now, and "... will be able
    to book weekend appointments from next month" lays down hours: both announce a change
    (situations-53's and -52's)."""
    hours = ("From Monday 6 May the bakehouse will open at 7am and close at 2pm. We will be closed on Mondays. "
             "Reserve a loaf by phone the night before. Collect it from us before 2pm. Ask the Post Office next door "
             "to hold it until 6pm. Bring your own bag if you can.")
    assert instruction_score(hours) == 3
    assert kind("New opening hours from 6 May", hours) == "article"
    assert kind("Opening hours", hours) == "guide-playbook"
    clinic = ("Patients waiting for physiotherapy will be able to book Saturday and Sunday appointments from next "
              "month. The clinic will run in the outpatient building on both days from 8am to 4pm. Patients must "
              "book by text message within two days of the offer. Each appointment lasts forty minutes. A "
              "spokesperson said patients could decline without losing their place.")
    assert not process_told("https://www.valleytimes.example/health/weekend-clinic", "Weekend physiotherapy clinic",
                            clinic.lower())
    assert process_told("https://www.valleytimes.example/health/weekend-clinic", "Weekend physiotherapy clinic",
                        clinic.lower().replace(" from next month", ""))


def test_a_page_that_names_itself_a_guide_is_one_in_its_makers_voice():
    """"How working with me works": a freelancer's page that says "This page explains what
    happens from your first email to the final files" is a guide, however much she says "I"
    (situations-53's)."""
    page = ("This page explains what happens from your first email to the final files, so you know what to "
            "expect.\n1. Intro call, 30 minutes, free. I ask about your deadline and budget.\n2. Proposal within "
            "three working days. I send a fixed price.\n3. First concepts within two weeks. I present them on a "
            "call.\n4. Two rounds of revisions. I tell you before anything costs more.\nI work Monday to Thursday "
            "and I reply within one working day.")
    assert kind("How working with me works", page) == "guide-playbook"
    assert kind("How working with me works", page.replace("This page explains", "I like to think about")) == (
        "article")


def test_an_instruction_may_follow_a_condition_with_commas_in_it_or_open_with_do_not():
    """"If a child tells you something, listen, ..." and "Do not investigate ..." instruct; a
    club's page of what to do about a concern is a guide (situations-55's); "Do you ...?" asks."""
    assert is_instruction("If a child tells you something, listen, do not promise to keep it secret.")
    assert is_instruction("Do not investigate or question anyone yourself.")
    assert not is_instruction("Do notes from the meeting go to the whole club?")
    assert not is_instruction("If a child tells you something, it matters.")
    page = ("If you are worried about a child at the club, tell the welfare officer as soon as you can. Her number is "
            "on the noticeboard. If a child is in immediate danger, call 999 first. If a child tells you something, "
            "listen, do not promise to keep it secret, and write down what they said. Do not investigate it "
            "yourself. The welfare officer decides whether to refer the matter. Every coach has a DBS check.")
    assert kind("Reporting a concern about a child at the club", page) == "guide-playbook"


def test_a_documentation_page_that_instructs_a_little_is_still_documentation():
    """A team's wiki page whose own words lean a little to a guide ("Trigger:", "Do not wait")
    is no less its documentation: a guide's partial score does not count as another kind's."""
    page = ("Use this page when a launch may miss its announced date.\nTrigger: the launch owner says the date is at "
            "risk. Say it in #launches with the words AT RISK. Do not wait until you are sure.\nThe launch owner "
            "books a call with the PM and the marketing lead within two working days. The PM decides whether to hold "
            "the date with less scope or move it. Marketing can object only where press is involved. The launch "
            "owner updates the calendar the same day. Sales hear of it within a day of the decision. The comms lead "
            "owns anything said outside. A missed date is a launch incident. The owner writes a short review of it. "
            "The review is linked from this page.")
    assert kind("Launch date at risk", page, "https://notion.example.so/halcyon/Launch-date-at-risk-7f31c2") == (
        "guide-playbook")


def test_a_sites_help_section_is_its_documentation():
    """"/help/renewals-and-reservations" on a library's site lays down how renewing works, as a
    help centre's host does (situations-55's); its news is not."""
    page = ("Most items can be renewed up to five times, as long as nobody else has reserved them. You can renew "
            "online with your card number and PIN, or by phone to any branch. Items are renewed for another three "
            "weeks. Reservations cost 50p for adults. We text you when the book is ready.")
    site = "https://libraries.westmere.example"
    assert kind("Renewing and reserving books", page, f"{site}/help/renewals-and-reservations") == "guide-playbook"
    assert kind("Renewing and reserving books", page, f"{site}/news/renewals-and-reservations") == "article"


def test_a_letter_to_copy_is_a_template_whoever_it_speaks_for():
    """"Copy the letter below ... and fill in the parts in square brackets": the letter's "I"
    is its sender's, not an account of the page's writer (situations-55's)."""
    page = ("Copy the letter below into an email and fill in the parts in square brackets.\nDear [landlord name],\n"
            "I am writing to make a formal complaint about a repair at [your address]. I first reported it on [date]. "
            "I would like you to complete the repair by [date]. I have attached photos. I look forward to your reply."
            "\nYours sincerely, [name]")
    assert kind("Complaint letter about an outstanding repair", page) == "template-toolkit"


def test_a_recipe_address_names_a_how_to():
    """"/recipes/weeknight-red-lentil-dal": a recipe is how to make a dish, however its cook
    runs the steps into long sentences (situations-56's)."""
    dal = ("This is the dal I make when the fridge is nearly empty. It takes about 30 minutes. Simmer 250g red lentils "
           "in 900ml water with turmeric until soft, skimming the foam as it rises. Meanwhile, fry cumin seeds, "
           "onion, garlic and ginger until golden, then a tomato. Tip it all into the lentils. Serves four.")
    assert kind("Weeknight Red Lentil Dal", dal, "https://www.kitchen.example/recipes/weeknight-red-lentil-dal") == (
        "guide-playbook")
    assert kind("Weeknight Red Lentil Dal", dal, "https://www.kitchen.example/stories/weeknight-red-lentil-dal") == (
        "article")


def test_a_plans_weeks_told_in_prose_lay_it_out_in_steps():
    """"In week one, the new PM sits in on five customer calls ... In week two, ...": a plan
    told week by week (situations-56's); weeks told in the past are a story."""
    plan = ("Most companies hand new product managers a list of people to meet. We recommend a structure instead. In "
            "week one, the new PM sits in on five customer calls. In week two, they meet their engineering lead and "
            "designer. In week three, they write a one-page note on the team's biggest problem. In week four, they run "
            "the planning meeting, with support.")
    assert steps_score(plan) == 3
    assert kind("A first month for new product managers", plan) == "guide-playbook"
    story = plan.replace("sits in", "sat in").replace("they meet", "they met").replace("they write", "they wrote")
    assert steps_score(story) == 0


def test_a_newcomers_first_days_under_your_first_are_laid_down():
    """"Your first shift at the food bank": what a newcomer's first days hold, told in the
    present (situations-55's), as "Your first 30 days as a PM at Fernway" is; not a claim."""
    shift = ("New volunteers start with a shadow shift at the Tuesday or Saturday session. Arrive fifteen minutes "
             "early and ask for the shift lead. Before the doors open the team goes through the day. Clients are "
             "greeted and offered a hot drink while their parcel is made up. After the shift the lead signs off "
             "your induction checklist. Most people do two shadow shifts before taking on a role alone.")
    for title in ("Your first shift at the food bank", "Your first two shifts as a volunteer"):
        assert kind(title, shift) == "guide-playbook", title
    assert kind("Your first shift is the hardest", shift) == "article"


def test_a_short_text_that_mostly_instructs_is_a_guide():
    """Two instructions in a text of four sentences: a gardening tip's "Dig up the whole clump ...
    Replant at the same depth ..." (situations-59's); two among six are not enough."""
    tip = ("The best moment to split a crowded hosta is when the new shoots are poking through. Dig up the whole "
           "clump and cut it into pieces with a sharp spade. Each piece needs two or three shoots. Replant at the same "
           "depth in soil you have improved with compost.")
    assert instruction_score(tip) == 3
    assert kind("Divide hostas in spring, just as the shoots appear", tip) == "guide-playbook"
    longer = tip + " Hostas are shade plants. They came from Japan. Slugs love them."
    assert instruction_score(longer) == 0
    for sentence in ("Introduce your cover to your main contacts on a call.", "Raise a purchase request first.",
                     "Route standard agreements to a template.", "Divide the clump with a spade."):
        assert is_instruction(sentence), sentence


def test_a_title_that_tells_of_a_change_from_a_month_or_between_two_quantities_recounts():
    """"Central library to open on Sunday afternoons from September" announces a change, and
    "How Helio Analytics cut onboarding from 60 days to 38" tells one (situations-57's and
    -58's), however their texts set out hours or steps."""
    hours = ("The central library will open from 12pm to 4pm on Sundays from 1 September. Study spaces and the "
             "children's section will be open. The archive stays closed on Sundays.")
    assert kind("Central library to open on Sunday afternoons from September", hours) == "article"
    steps = ("Each customer gets a shared plan with owners on both sides. CSMs review overdue steps every Monday. "
             "Accounts that stall for two weeks get a call from the director. Kick-off happens within three days of "
             "signing. Each account must have a go-live date.")
    assert kind("Customer onboarding at Helio Analytics", steps) == "guide-playbook"
    assert kind("How Helio Analytics cut onboarding from 60 days to 38", steps) == "article"


def test_a_ticket_price_shows_an_event():
    """"Tickets £195 until 31 January": what a place at an event costs (situations-58's)."""
    day = ("Join 300 controllers and accounting leads in Manchester on 12 March. Morning sessions cover consolidation "
           "and the new lease rules. After lunch, choose a workshop or a panel.\nTickets £195 until 31 January, "
           "£265 after. Lunch included.")
    assert kind("Close & Consolidate 2025: a day for controllers", day) == "event-conference"
    assert kind("Close & Consolidate 2025: a day for controllers", day.replace("Tickets £195", "Places")) != (
        "event-conference")


def test_a_teams_news_folder_is_news_not_documentation():
    """"intranet.example.net/it-news/..." is IT's news on the intranet, not its documentation
    (situations-58's); a page whose slug ends in "-notice" is no notice by that."""
    news = ("IT will start moving staff to passkeys next month. You'll sign in with your laptop's fingerprint reader. "
            "Your old password keeps working for two weeks after you switch. Each team gets a 20-minute session.")
    assert kind("Passkeys for everyone", news, "https://intranet.example.net/it-news/passkeys") == "article"
    assert kind("Passkeys for everyone", news, "https://intranet.example.net/it/passkeys") == "guide-playbook"
    rules = ("If you think a penalty charge notice was issued unfairly, you can challenge it within 28 days. If that "
             "is rejected, you can appeal to the tribunal within 28 days. Keep copies of any photos. The council must "
             "reply within 56 days.")
    assert process_told("https://www.council.example/parking/challenge-a-penalty-charge-notice", "Challenges",
                        rules.lower())


def test_a_title_whose_part_after_its_colon_introduces_the_page_names_it():
    """"After action reviews: a guide for ward and department teams" names the page a guide,
    as an opening sentence "A guide for ward teams ..." would (situations-60's)."""
    page = ("An after action review is a short conversation held soon after an event. It is not an investigation. "
            "Keep it to twenty minutes and include everyone involved. The facilitator asks four questions. Record the "
            "agreed actions on the learning form.")
    for title, expected in (("After action reviews: a guide for ward and department teams", "guide-playbook"),
                            ("After action reviews: what ward teams told us", "article")):
        assert kind(title, page) == expected, title


def test_a_services_hours_on_weekdays_are_no_events_and_a_change_announced_is_news():
    """"The advice desk, open 9am to 1pm on weekdays": a service's hours that come round again,
    not an event's; and "We're changing how you ask for an appointment" announces a change,
    whatever its notice tells its reader to do (situations-61's)."""
    desk = ("The housing advice desk moved to the library foyer on 3 June, and is open 9am to 1pm on weekdays. "
            "Advisers can help with rent arrears, repairs and notices from a landlord. No appointment is needed.")
    assert kind("Housing advice desk", desk) != "event-conference"
    once = desk.replace("moved to the library foyer on 3 June, and is open 9am to 1pm on weekdays",
                        "comes to the library foyer on Saturday 14 June, open 9am to 1pm")
    assert kind("Housing advice desk", once) == "event-conference"
    notice = ("From 3 June you won't need to phone at 8am. Tell us what you need using a short online form. A GP will "
              "read every request the same day.\nIf you can't use the form, ring us.")
    assert instruction_score(notice) == 3
    assert kind("We're changing how you ask for an appointment", notice) == "article"
    assert kind("Asking for an appointment", notice) == "guide-playbook"


def test_a_recipe_told_by_its_cook_is_still_a_recipe():
    """A food blog's "/recipe/sugar-free-peach-jam/" is told in its cook's voice ("I tried it
    with ...", "I started by peeling peaches"): its address still makes it a how-to (a real
    post of real-posts-2); the same story on the blog's news is her account."""
    jam = ("For years people have asked me about jam with sugar substitutes. I tried a handful of times and I never "
           "liked the results. This time I tried it with a sweetener and I found it set well. I started by peeling "
           "four pounds of peaches. I cut them in half and removed the pits. Then I poured boiling water over them. "
           "I mashed them in a Dutch oven and I added apple juice and lemon juice.")
    site = "https://foodinjars.example.com"
    assert kind("Sugar Free Peach Jam", jam, f"{site}/recipe/sugar-free-peach-jam/") == "guide-playbook"
    assert kind("Sugar Free Peach Jam", jam, f"{site}/news/sugar-free-peach-jam/") == "article"
