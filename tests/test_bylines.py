"""A page's byline as a reader would name its authors (pipeline.understand.bylines), through
extract_html: each case is a small page in the shape of a real one (Mozilla Readability's test
pages, named beside each case), and the authors a reader would name, or None where the page
names none."""

import pytest

from pipeline.understand.extraction import extract_html

pytestmark = pytest.mark.long  # run early: conftest.pytest_collection_modifyitems

TEXT = "".join(f"<p>{sentence}</p>" for sentence in (
    "Product operations teams keep the planning cadence honest across every squad and quarter.",
    "They run the intake of requests, the review of roadmaps and the reporting of outcomes.",
    "Without them each team invents its own process and nobody can compare what was shipped.",
))
URL = "https://news.example/2015/03/25/story/"


def page(body: str = "", head: str = "", after: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>A story about planning</title>'
            f"{head}</head><body>{body}<article><h1>A story about planning</h1>{TEXT}</article>{after}</body></html>")


# (Readability page the shape is from, page, the byline a reader gives it)
CASES = [
    # A date after the name: normalize_authors cut at its digits and left the words before them.
    ("lwn-1", page('<div class="FeatureByline"> By <b>Nathan Willis</b><br/>March 25, 2015 </div>'), "Nathan Willis"),
    ("yahoo-3", page('<cite class="byline vcard top-line"><span>By </span><span class="fn">GILLIAN MOHNEY</span>'
                     "<abbr>March 11, 2015 3:46 PM</abbr></cite>"), "GILLIAN MOHNEY"),
    ("article-author-tag", page('<div class="author">Laura June Topolsky July 10, 2015</div>'), "Laura June Topolsky"),
    ("simplyfound-1", page('<div class="article-author"><a href="/latest?author=joewee"><span>Joe Wee</span></a>'
                           "&nbsp; <span>Monday, February 29, 2016 @ 11:10 PM UTC</span></div>"), "Joe Wee"),
    ("aktualne", page('<div class="author"><a href="/autori/ales-vavra/">Aleš Vávra</a> před 2 hodinami</div>'),
     "Aleš Vávra"),
    ("(a bullet before the date)", page('<p class="byline"><span class="author">Maren Oduya · Mar 3, 2025</span></p>'),
     "Maren Oduya"),
    ("(a single digit left)", page('<p class="byline"><span class="author">Caleb Mwangi · September 9</span></p>'),
     "Caleb Mwangi"),
    ("spiceworks", page('<div class="author">Last Updated January 7, 2019</div>'), None),
    # A form's or a page's label where the byline was looked for: no name there.
    ("wapo-1", page('<a class="nav-btn" data-menu="user-menu"><span class="username">Username</span></a>'), None),
    ("wikipedia-2", page(after='<div class="navbox authority-control"><a href="/wiki/Help:Authority_control">'
                               "Authority control</a></div>"), None),
    ("gmw", page('<span class="author">作者：</span>'), None),
    ("(label before the name)", page('<div class="author">Author: Jane Doe</div>'), "Jane Doe"),
    ("(label before a Chinese name)", page('<div class="author">作者：张三</div>'), "张三"),
    # A degree after the comma is the name's, not one more author.
    ("telegraph", page('<p class="byline"><span class="author">By Our Foreign Staff</span></p>'),
     "Our Foreign Staff"),  # a desk's signature, whole (a trailing "Staff" was cut as a job)
    ("webmd-1", page('<div class="author_fmt">By <a rel="author" href="/brenda-goodman">Brenda  Goodman, MA</a>'
                     "<br/>WebMD Health News</div>"), "Brenda Goodman"),
    # A job after the comma is no author; a job after the name is cut.
    ("(staff writer)", page('<p class="byline">By <span class="author">Jane Doe, Staff Writer</span></p>'), "Jane Doe"),
    ("(senior editor)", page('<p class="byline">By <span class="author">Ben Silverman Senior Editor</span></p>'),
     "Ben Silverman"),
    ("(names and jobs)", page('<div class="author">Eleanor Marsh, Partner · David Obi, Associate</div>'),
     "Eleanor Marsh; David Obi"),
    ("(another hand's credit)", page('<div class="author">Catriona Bell · Photographs by João Pires · May 3</div>'),
     "Catriona Bell"),
    ("(a button)", page('<div class="author">Jen Davies · Follow</div>'), "Jen Davies"),
    # A byline's lines apart: a job or an editor's credit on a line of its own ran into the name.
    ("yahoo-1", page('<div class="author"><a class="author-link" href="/author/ben-silverman">Ben Silverman</a>'
                     '<div class="author-title">Games Editor</div></div>'), "Ben Silverman"),
    ("google-sre-book-1", page('<p class="byline author">Written by Rob Ewaschuk<br/>Edited by Betsy Beyer</p>'),
     "Rob Ewaschuk"),
    # A label where the byline was looked for first does not end the search: the byline after it is read.
    ("wapo-2", page('<a class="nav-btn"><span class="username">Username</span></a><div class="pb-sig-line">'
                    '<span class="pb-byline">By <a href="/people/steven-mufson">Steven Mufson</a></span>'
                    '<span class="pb-timestamp">March 18 at 12:22 PM</span></div>'), "Steven Mufson"),
    # A box about the author, which the search takes for a byline by its class: no byline.
    ("(a book's box about its author)", page('<section class="author-bio"><h2>About Hanna</h2><p>Hanna runs '
                                             'product operations and writes a monthly newsletter.</p></section>'),
     None),
    ("(its box about its authors)", page('<div id="about-authors"><h3>About the authors</h3><p>Ines Castro and '
                                         'Paul Wendt have led product operations teams.</p></div>'), None),
    ("(a box about the author before the byline)", page('<div class="author-box"><h4>About Jane Smith</h4><p>Jane '
                                                        'writes on pricing.</p></div><p class="byline">By Jane Smith'
                                                        '</p>'), "Jane Smith"),
    # A page signed by its site: the site's name whole (it was split at its "&").
    ("heise", page(head='<meta content="Mac &amp; i" property="og:site_name"><meta content="Mac &amp; i" '
                        'name="DC.creator">'), "Mac & i"),
    # One name in two meta tags, in two cases: once.
    ("nytimes", page(head='<meta name="author" content="Jeffrey Gettleman">'
                          '<meta name="byl" content="By JEFFREY GETTLEMAN">'), "Jeffrey Gettleman"),
    # An author tag's one word: a firm's, an agency's or a name in a script without spaces
    # (trafilatura drops it as a user name), not an account's, a role's or a placeholder's.
    ("(a firm)", page(head='<meta name="author" content="Gartner">'), "Gartner"),
    ("(an agency)", page(head='<meta name="author" content="AFP">'), "AFP"),
    ("gmw", page(head='<meta name="author" content="肖春芳">'), "肖春芳"),
    ("(an account)", page(head='<meta name="author" content="admin">'), None),
    ("(a user name)", page(head='<meta name="author" content="jsmith42">'), None),
    ("(a role)", page(head='<meta name="author" content="Editor">'), None),
    ("metadata-content-missing", page(head='<meta name="author" content="FAIL">'), None),
    # A URL after the name in a meta tag: not split into authors of its own.
    ("ebb-org", page(head='<meta name="author" content="Bradley M. Kuhn (http://ebb.org/bkuhn/)">'),
     "Bradley M. Kuhn"),
    # An initial keeps the full stop the page gives it (normalize_authors made every "." a space),
    # and gets none the page does not give it.
    ("nytimes-4", page(head='<meta name="author" content="Nelson D. Schwartz">'), "Nelson D. Schwartz"),
    ("(an initial written without a stop)", page(head='<meta name="author" content="Harry S Truman">'),
     "Harry S Truman"),
    # Names filed surname first, as Dublin Core writes them, beside the program that made the page.
    ("ietf-1", page(head='<meta name="creator" content="rfcmarkup version 1.111">'
                         '<meta name="DC.Creator" content="Kooman, F.">'
                         '<meta name="DC.Creator" content="Jong, Michiel de">'),
     "F Kooman; Michiel de Jong"),
    ("(surname first)", page(head='<meta name="citation_author" content="Goodman, Brenda">'), "Brenda Goodman"),
    # Only the tags that file names so are turned round: a plain author tag's "Alice, Bob" is two authors.
    ("(two authors in an author tag)", page(head='<meta name="author" content="Alice, Bob">'), "Alice; Bob"),
    ("(a job where a surname would be)", page(head='<meta name="DC.Creator" content="Editor, Jane">'), "Jane"),
    ("(a surname that is a word of software's)", page(head='<meta name="author" content="Sarah Version">'),
     "Sarah Version"),
    # A number in a URL or a date after the name is no program's: the name stays.
    ("(a version in the URL)", page(head='<meta name="author" content="Jane Doe (https://jane.example/cv-1.2/)">'),
     "Jane Doe"),
    ("(a dotted date)", page(head='<meta name="author" content="Max Mustermann, 03.02.2021">'), "Max Mustermann"),
    # Names that look like dates, or are not Latin, are kept.
    ("(a month as a surname)", page('<div class="author">By Theresa May</div>'), "Theresa May"),
    ("(two authors)", page(head='<meta name="author" content="Stella Kim, Jennifer Jett">'),
     "Stella Kim; Jennifer Jett"),
    ("(Chinese name)", page(head='<meta name="author" content="张 三">'), "张 三"),
]


@pytest.mark.parametrize("html, expected", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_pages_byline_names_its_authors_and_nothing_else(html, expected):
    """What trafilatura stored as an author on real pages: "Username", "Authority control",
    "作者", "Nathan Willis March", "Joe Wee Monday; February", "Last Updated January",
    "Brenda Goodman; MA", "Jeffrey Gettleman; JEFFREY GETTLEMAN", "Bradley M Kuhn http;
    Ebb Org; Bkuhn"."""
    extraction = extract_html(html, URL)
    assert extraction is not None and extraction.author == expected


def test_an_author_a_feed_gave_is_not_looked_for_on_the_page():
    """With the author known from a feed, the page's is trafilatura's untouched (the feed's
    wins: pipeline.store.documents.document_row), its author meta tags unread by us."""
    html = page('<div class="FeatureByline"> By <b>Nathan Willis</b><br/>March 25, 2015 </div>')
    assert extract_html(html, URL).author == "Nathan Willis"
    assert extract_html(html, URL, known=frozenset({"author"})).author == "Nathan Willis March"
