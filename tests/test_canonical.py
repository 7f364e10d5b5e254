"""Canonical URLs and document ids."""

import pytest

from pipeline.understand.canonical import canonicalize_url, document_id, same_site


@pytest.mark.parametrize(
    "url, expected",
    [
        ("HTTPS://Example.COM:443/Blog/Post/", "https://example.com/Blog/Post"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/a/", "http://example.com:8080/a"),
        ("https://example.com/a?utm_source=x&utm_medium=y&id=3#section", "https://example.com/a?id=3"),
        ("https://example.com/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref=hn", "https://example.com/a"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?b=2&a=1"),
        # news sites' own campaign parameters, as their feeds' links carry them
        ("https://www.bbc.com/news/articles/cp81l0e1eg5o?at_medium=RSS&at_campaign=rss",
         "https://www.bbc.com/news/articles/cp81l0e1eg5o"),
        ("https://www.dw.com/en/a-75995188?maca=en-rss-en-all-1573-rdf", "https://www.dw.com/en/a-75995188"),
        ("https://x.com/news/2026/2/18/a?traffic_source=rss", "https://x.com/news/2026/2/18/a"),
        ("https://x.com/a?icid=rss&ocid=msn&cmpid=1&smid=tw&xtor=RSS-1&_ga=2.1&_gl=1", "https://x.com/a"),
        ("https://www.heise.de/newsticker/meldung/a-4205274.html?wt_mc=rss.ho.beitrag.rdf",
         "https://www.heise.de/newsticker/meldung/a-4205274.html"),
        ("https://forum.example.com/t?cid=12&uid=3&source=a", "https://forum.example.com/t?cid=12&uid=3&source=a"),
        ("https://example.com/caf\u00e9", "https://example.com/caf%C3%A9"),
        ("http://[::1]:8000/x/", "http://[::1]:8000/x"),
        ("https://example.com/post/amp/", "https://example.com/post"),
        ("https://example.com/post?amp=1&id=2", "https://example.com/post?id=2"),
        ("https://example.com/post?outputType=amp", "https://example.com/post"),
        ("https://example.com/amplitude-guide", "https://example.com/amplitude-guide"),
    ],
)
def test_canonicalize_url(url, expected):
    assert canonicalize_url(url) == expected


def test_canonicalization_is_idempotent_and_ids_are_stable():
    url = canonicalize_url("https://Example.com/a/?utm_campaign=z")
    assert canonicalize_url(url) == url
    assert document_id(url) == document_id(canonicalize_url("https://example.com/a"))
    assert len(document_id(url)) == 16
    assert document_id(url) != document_id("https://example.com/b")


def test_same_site_ignores_www():
    assert same_site("https://www.example.com/a", "https://example.com/b")
    assert not same_site("https://example.com/a", "https://example.org/a")


@pytest.mark.parametrize(
    "url, expected",
    [
        ("HTTPS://Example.COM./a", "https://example.com/a"),  # the root label's dot is the same host
        ("https://example.com//", "https://example.com/"),  # a path of slashes is the root
        ("https://example.com/amp", "https://example.com/"),  # the AMP variant of the home page
        ("https://example.com/X/", "https://example.com/X"),  # only slashes are stripped, case kept
        ("https://example.com/a?a=&b=1", "https://example.com/a?a=&b=1"),  # a blank value is a value
        ("https://example.com/a?outputType=html&format=amp", "https://example.com/a?outputType=html&format=amp"),
        ("https://example.com/a?UTM_Source=x&Ref=y&si=1&keep=1", "https://example.com/a?keep=1"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("https:///a", "https:///a"),  # no host: none is made up
    ],
)
def test_canonicalize_url_edges(url, expected):
    assert canonicalize_url(url) == expected


def test_urls_without_a_host_are_not_the_same_site():
    assert not same_site("mailto:a@example.com", "mailto:b@example.org")
    assert not same_site("https:///a", "https:///b")
    assert same_site("https://WWW.Example.com/a", "http://example.com")
    assert document_id("https://example.com/") == "0f115db062b7c0dd"  # ids already stored never change


def test_a_port_out_of_range_is_dropped_not_a_crash():
    assert canonicalize_url("http://example.com:99999/a/") == "http://example.com/a"
    assert canonicalize_url("https://[2001:db8::1]:70000/x") == "https://[2001:db8::1]/x"


def test_parts_of_one_page_are_links_to_two_parts_or_more_of_one_canonical_page():
    from pipeline.understand.canonical import parts_of_one_page

    assert parts_of_one_page(["https://x.dev/launch", "https://x.dev/launch#update"]) == set()  # the post itself
    assert parts_of_one_page(["https://x.dev/post#more", "https://x.dev/other#more"]) == set()
    same_page = ["https://x.dev/q/#a", "https://x.dev/q#b", "https://x.dev/p?utm_source=rss#a",
                 "https://x.dev/p?utm_source=x#b", "https://x.dev/now#2025-01-11 Langdev",
                 "https://x.dev/now#2025-01-25 Post-Mortem", "https://x.dev/now"]
    assert parts_of_one_page(same_page) == set(same_page) - {"https://x.dev/now"}
    assert canonicalize_url("https://X.dev/links/#grug brain", keep_fragment=True) == "https://x.dev/links#grug%20brain"
