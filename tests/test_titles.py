"""A page's title as a reader would name it (pipeline.understand.titles), through extract_html:
each case is a small page in the shape of a real one (Mozilla Readability's test pages,
named beside each case), and the title a reader would give it."""

import pytest

from pipeline.understand.extraction import extract_html

pytestmark = pytest.mark.long  # run early: conftest.pytest_collection_modifyitems

TEXT = "".join(f"<p>{sentence}</p>" for sentence in (
    "Product operations teams keep the planning cadence honest across every squad and quarter.",
    "They run the intake of requests, the review of roadmaps and the reporting of outcomes.",
    "Without them each team invents its own process and nobody can compare what was shipped.",
))


def page(title: str | None = None, head: str = "", body: str = "") -> str:
    title_tag = f"<title>{title}</title>" if title is not None else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{title_tag}{head}</head>'
            f"<body>{body}<article>{TEXT}</article></body></html>")


CHROME_H1 = '<header class="site-header"><h1>{}</h1><nav><a href="/">Home</a></nav></header>'
WEBMD = page("Babies Who Eat Peanuts Early May Avoid Allergy",
             body='<div id="hdr" class="titlebar"><h1>Allergies Health Center</h1></div>')
VERGE_TITLE = "Apple’s Vision Pro is the Retina display moment for headsets"
FIREFOX_TITLE = "These Weeks in Firefox: Issue 85"

# (Readability page the shape is from, or what it shows; page; URL; the title a reader gives it)
CASES = [
    # A lone <h1> of the site's chrome, no declared title: the <title> is the article's.
    ("webmd-1", WEBMD, "https://www.webmd.com/a", "Babies Who Eat Peanuts Early May Avoid Allergy"),
    ("001", page("Get your Frontend JavaScript Code Covered | Code | Nicolas Perriault",
                 body=CHROME_H1.format("Hi, I'm Nicolas.")),
     "https://nicolas.perriault.net/code/2013/get-your-frontend-javascript-code-covered/",
     "Get your Frontend JavaScript Code Covered | Code"),  # the site's part after the last separator cut
    ("archive-of-our-own", page("Conversations with a Cryptid - Chapter 1 - AMournfulHowlInTheNight | My Hero Academia "
                                "[Archive of Our Own]", body='<div id="header" class="region"><h1 class="heading">'
                                                            "Archive of Our Own beta</h1></div>"),
     "https://archiveofourown.org/works/1", "Conversations with a Cryptid - Chapter 1 - AMournfulHowlInTheNight"),
    # The heading agrees with the <title> (its words are all among the <title>'s): the heading.
    ("ebb-org", page("On Recent Controversial Events - Bradley M. Kuhn ( Brad ) ( bkuhn )",
                     body="<h1>On Recent Controversial Events</h1>"),
     "http://ebb.org/bkuhn/blog/2018/10/07/recent-events.html", "On Recent Controversial Events"),
    ("qq", page("DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶_科技_腾讯网",
                body="<h1>DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶</h1>"),
     "http://tech.qq.com/a/20161013/000000.htm", "DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶"),
    ("(a repository's page)", page("feedback-tagging | pm-ops-kit",
                                   body=CHROME_H1.format("pm-ops-kit / feedback-tagging")),
     "https://pm-ops-kit.example/feedback-tagging/", "pm-ops-kit / feedback-tagging"),
    # The <title> is only the site's name, or too short to be a title, or the heading is the
    # content's (not the chrome's), or marked as the title by its class: the heading stays.
    ("(site name)", page("Harbourline Press", '<meta property="og:site_name" content="Harbourline Press">',
                         CHROME_H1.format("Operating Rhythm: Building Product Operations That Scale")),
     "https://press.example/books/operating-rhythm/", "Operating Rhythm: Building Product Operations That Scale"),
    ("(short title)", page("Blog", body=CHROME_H1.format("Why product operations needs a charter")),
     "https://ops.example/blog/charter/", "Why product operations needs a charter"),
    ("google-sre-book-1", page("Google - Site Reliability Engineering",
                               body='<div class="header"><h2 class="chapter-title">Chapter 6 - Monitoring Distributed '
                                    'Systems</h2></div><main><h1>Monitoring Distributed Systems</h1><h1>Definitions'
                                    "</h1></main>"),
     "https://sre.google/sre-book/monitoring-distributed-systems/", "Chapter 6 - Monitoring Distributed Systems"),
    ("(a job's page)", page("Work with us | Crumb and Hearth", body="<main><h1>Another pair of hands for the early "
                                                                    "bake</h1></main>"),
     "https://crumbandhearth.example.com/work-with-us", "Another pair of hands for the early bake"),
    # A declared title keeps its words, less a last part that is the site's name (declared, or
    # the URL's host); a first part stays.
    ("aktualne", page("West Ham hrozí gigantům - Aktuálně.cz",
                      '<meta property="og:title" content="West Ham hrozí gigantům, okouzlil i Linekera | Aktuálně.cz">'
                      '<meta property="og:site_name" content="Aktuálně.cz - Víte, co se právě děje">'),
     "https://sport.aktualne.cz/fotbal/r~1/", "West Ham hrozí gigantům, okouzlil i Linekera"),
    ("firefox-nightly-blog", page(head=f'<meta property="og:title" content="{FIREFOX_TITLE} – Firefox Nightly News">'
                                       '<meta property="og:site_name" content="Firefox Nightly News">'),
     "https://blog.nightly.mozilla.org/2021/01/19/these-weeks-in-firefox-issue-85/", FIREFOX_TITLE),
    ("theverge", page("Apple’s Vision Pro hands-on: the Retina display moment for headsets - The Verge",
                      f'<meta property="og:title" content="{VERGE_TITLE} - The Verge">'),
     "https://www.theverge.com/2023/6/5/vision-pro", VERGE_TITLE),
    ("(an event's own site)", page(head='<meta property="og:title" content="ProdOps Unconference — Amsterdam">'
                                        '<meta property="og:site_name" content="ProdOps Unconference">'),
     "https://prodops-unconf.example.org/", "ProdOps Unconference — Amsterdam"),
    ("(no site name)", page(head='<meta property="og:title" content="Kubernetes - the hard way">'),
     "https://ops.example/k8s/", "Kubernetes - the hard way"),
    # JSON-LD in a CDATA section (an XHTML page's) declares the headline: not the chrome's heading.
    ("article-author-tag", page("", body='<script type="application/ld+json">\n<![CDATA[\n{"@context": '
                                         '"https://schema.org", "@type": "NewsArticle", "headline": "The Deck of '
                                         'Cards That Made Tarot A Global Phenomenon"}\n]]>\n</script>'
                                         '<nav><h2 class="nav-card-title">Take your next trip with Atlas Obscura!</h2>'
                                         "</nav>"),
     "https://www.atlasobscura.com/articles/tarot", "The Deck of Cards That Made Tarot A Global Phenomenon"),
]


@pytest.mark.parametrize("html, url, expected", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_pages_title_is_the_one_a_reader_would_name(html, url, expected):
    """trafilatura took a lone <h1> before the <title>, and kept the site's name on a declared
    title: "Allergies Health Center" for WebMD's article, "... | Aktuálně.cz"."""
    extraction = extract_html(html, url)
    assert extraction is not None and extraction.title == expected


def test_a_title_a_feed_gave_is_not_looked_for_on_the_page():
    """With the title known from a feed the page's is trafilatura's, untouched (the feed's
    wins: pipeline.store.documents.document_row); without, the reader's."""
    url = "https://www.webmd.com/a"
    assert extract_html(WEBMD, url).title == "Babies Who Eat Peanuts Early May Avoid Allergy"
    assert extract_html(WEBMD, url, known=frozenset({"title"})).title == "Allergies Health Center"
