"""`prodops sources`: import, add, export, health, enable — through the real CLI."""

import xml.etree.ElementTree as ElementTree

import pytest
import sqlite_utils
import yaml
from conftest import CORPORA, FAST, run_prodops, write_sources

from pipeline.config.sources import Source, load_sources
from pipeline.demo.webserver import Route, StaticWeb
from pipeline.store.database import open_database

CATALOG = CORPORA / "opml" / "pm-feeds" / "catalog" / "feeds.opml"
needs_corpora = pytest.mark.skipif(not CORPORA.exists(), reason=f"{CORPORA} is absent")


@needs_corpora
def test_importing_the_pm_catalog_yields_300_feed_sources(tmp_path):
    sources_file = tmp_path / "sources.yaml"
    result = run_prodops("sources", "import", str(CATALOG), "--sources", str(sources_file))
    assert result.returncode == 0, result.stderr
    sources = load_sources(sources_file)
    assert len(sources) >= 300
    assert {s.kind for s in sources} == {"feed"}
    assert len({s.id for s in sources}) == len(sources)
    again = run_prodops("sources", "import", str(CATALOG), "--sources", str(sources_file))
    assert "Imported 0 feed source(s)" in again.stdout
    assert len(load_sources(sources_file)) == len(sources)


@needs_corpora
def test_every_opml_in_the_corpora_is_imported_or_rejected_with_a_message(tmp_path):
    files = [p for p in (CORPORA / "opml").rglob("*") if p.is_file()
             and p.suffix in (".opml", ".xml")]
    assert len(files) > 100
    for number, path in enumerate(files):
        sources_file = tmp_path / f"s{number}.yaml"
        result = run_prodops("sources", "import", str(path), "--sources", str(sources_file), timeout=60) \
            if number % 25 == 0 else None  # a sample through the CLI (each run is a process) ...
        if result is not None:
            assert result.returncode in (0, 2), result.stderr
            assert "Traceback" not in result.stderr
            assert result.returncode == 0 or "Error:" in result.stderr
    # ... and every file through the same function the CLI calls.
    from feeds.opml import OpmlError, parse_opml

    imported = rejected = 0
    for path in files:
        try:
            parse_opml(path.read_bytes(), str(path))
            imported += 1
        except OpmlError as error:
            assert str(path) in str(error)
            rejected += 1
    assert imported > 100 and imported + rejected == len(files)


def test_malformed_opml_with_raw_ampersands_is_imported(tmp_path):
    opml = tmp_path / "list.opml"
    opml.write_bytes(b'<?xml version="1.0"?><opml version="1.0"><head><title>A & B</title></head><body>'
                     b'<outline text="News & Views" xmlUrl="https://a.example/feed?x=1&y=2"/>'
                     b'<outline text="Bad" xmlUrl="javascript:alert(1)"/></body></opml>')
    result = run_prodops("sources", "import", str(opml), "--sources", str(tmp_path / "s.yaml"))
    assert result.returncode == 0, result.stderr
    [source] = load_sources(tmp_path / "s.yaml")
    assert source.url == "https://a.example/feed?x=1&y=2"
    assert "not an http(s) URL" in result.stderr


def test_not_an_opml_file_is_rejected_with_exit_2(tmp_path):
    bad = tmp_path / "x.opml"
    bad.write_text("<html><body>hi</body></html>")
    result = run_prodops("sources", "import", str(bad), "--sources", str(tmp_path / "s.yaml"))
    assert result.returncode == 2
    assert "not an OPML file" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "s.yaml").exists()


def test_add_keeps_comments_and_export_round_trips(tmp_path):
    sources_file = tmp_path / "sources.yaml"
    sources_file.write_text("# my sources\nsources:\n  - id: a\n    kind: url\n    url: https://a.example/p\n")
    result = run_prodops("sources", "add", "https://b.example/blog/feed/", "--sources", str(sources_file))
    assert result.returncode == 0, result.stderr
    assert sources_file.read_text().startswith("# my sources\n")
    assert [(s.id, s.kind) for s in load_sources(sources_file)] == [("a", "url"), ("b-example-blog-feed", "feed")]
    duplicate = run_prodops("sources", "add", "https://b.example/blog/feed/", "--sources", str(sources_file))
    assert duplicate.returncode == 2 and "already in" in duplicate.stderr
    before = sources_file.read_bytes()  # a source the file could not hold: checked before a byte is written
    refused = run_prodops("sources", "add", "https://c.example/x", "--id", "Bad Id", "--sources", str(sources_file))
    assert refused.returncode == 2 and "field 'id'" in refused.stderr
    assert sources_file.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["sources.yaml"]

    opml = run_prodops("sources", "export", "--format", "opml", "--sources", str(sources_file)).stdout
    outlines = ElementTree.fromstring(opml).findall(".//outline")
    assert [o.get("xmlUrl") for o in outlines] == ["https://b.example/blog/feed/"]
    exported = run_prodops("sources", "export", "--format", "yaml", "--sources", str(sources_file)).stdout
    assert [s["id"] for s in yaml.safe_load(exported)["sources"]] == ["a", "b-example-blog-feed"]


def test_a_gone_source_is_disabled_then_enabled_again(tmp_path):
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"),
                     "/feed": Route(b"gone", "text/plain", status=410)})
    db_path = tmp_path / "c.db"
    with web:
        sources_file = write_sources(tmp_path / "s.yaml", [Source("old", "Old", "feed", web.base_url + "/feed")])
        first = run_prodops("crawl", "--sources", str(sources_file), "--db", str(db_path),
                            "--allow-private-network", *FAST)
        assert first.returncode == 0, first.stderr
        row = sqlite_utils.Database(db_path)["sources"].get("old")
        assert row["disabled_reason"].startswith("410 Gone")
        health = run_prodops("sources", "health", "--sources", str(sources_file), "--db", str(db_path))
        assert "disabled" in health.stdout and "410 Gone" in health.stdout
        skipped = run_prodops("crawl", "--sources", str(sources_file), "--db", str(db_path),
                              "--allow-private-network", *FAST)
        assert "Skipping old: disabled" in skipped.stderr
        assert web.requests.count("/feed") == 1
        enabled = run_prodops("sources", "enable", "old", "--db", str(db_path))
        assert enabled.returncode == 0
        assert sqlite_utils.Database(db_path)["sources"].get("old")["disabled_reason"] is None


def test_failures_back_off_exponentially_and_disable_after_n(tmp_path):
    from pipeline.store.runs import HealthPolicy

    policy = HealthPolicy(backoff_base=60, backoff_max=3600, disable_after=3)
    assert [policy.backoff(n).total_seconds() for n in (1, 2, 3, 10)] == [60, 120, 240, 3600]
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"),
                     "/feed": Route(b"<html>not a feed</html>", "text/html")})
    db_path = tmp_path / "c.db"
    with web:
        sources_file = write_sources(tmp_path / "s.yaml", [Source("f", "F", "feed", web.base_url + "/feed")])
        for _ in range(3):
            run_prodops("crawl", "--sources", str(sources_file), "--db", str(db_path), "--only", "f",
                        "--allow-private-network", *FAST, "-s", "PRODOPS_DISABLE_AFTER=3")
    row = sqlite_utils.Database(db_path)["sources"].get("f")
    assert row["consecutive_errors"] == 3
    assert row["disabled_reason"].startswith("3 failures in a row")
    assert "is an HTML page, not a feed" in row["last_status"]
    assert row["next_due"] > row["last_fetched"]


def test_unknown_source_to_enable(tmp_path):
    open_database(tmp_path / "c.db").close()
    result = run_prodops("sources", "enable", "nope", "--db", str(tmp_path / "c.db"))
    assert result.returncode == 2 and "unknown source id 'nope'" in result.stderr


def test_discover_finds_declared_and_usual_feeds_and_the_robots_sitemap(sample_web, tmp_path):
    sources_file = tmp_path / "s.yaml"
    result = run_prodops("sources", "discover", sample_web.base_url + "/blog/what-product-ops-actually-does/",
                         "--add", "--sources", str(sources_file), "--allow-private-network", *FAST)
    assert result.returncode == 0, result.stderr
    found = {(s.kind, s.url) for s in load_sources(sources_file)}
    assert found == {
        ("feed", sample_web.base_url + "/feed.xml"),  # <link rel=alternate>
        ("feed", sample_web.base_url + "/atom.xml"),  # the usual path
        ("sitemap", sample_web.base_url + "/sitemap-index.xml"),  # robots.txt
    }
    assert "declared by" in result.stdout and "declared in robots.txt" in result.stdout


def test_discover_tries_the_usual_sitemap_path_on_a_site_without_robots_txt(tmp_path):
    """robots.txt answers 404: /sitemap.xml is still tried, as a sitemap source given the
    site's root tries it. The 404 was dropped before it was read, and nothing was proposed."""
    sitemap = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               b"<url><loc>http://x/a</loc></url></urlset>")
    web = StaticWeb({"/": Route(b"<html><head><title>Home</title></head><body><p>Hello</p></body></html>"),
                     "/sitemap.xml": Route(sitemap, "application/xml")})
    with web:
        result = run_prodops("sources", "discover", web.base_url + "/", "--sources", str(tmp_path / "s.yaml"),
                             "--allow-private-network", *FAST)
    assert result.returncode == 0, result.stderr
    assert f"{web.base_url}/sitemap.xml" in result.stdout and "the usual sitemap path" in result.stdout
    assert "/robots.txt" in web.requests


def test_discovery_leaves_out_the_feeds_of_readers_comments():
    """A WordPress page declares its posts' feed beside two of comments (the site's and the
    post's); Blogger's comments feed too: only the posts' is a source of writing."""
    from feeds.discover import feed_links

    head = ('<link rel="alternate" type="application/rss+xml" title="Ops Notes &raquo; Feed" href="/feed/">'
            '<link rel="alternate" type="application/rss+xml" title="Ops Notes &raquo; Comments Feed" '
            'href="/comments/feed/">'
            '<link rel="alternate" type="application/rss+xml" title="Ops Notes &raquo; Launch tiers Comments Feed" '
            'href="/2025/05/launch-tiers/feed/">'
            '<link rel="alternate" type="application/atom+xml" href="/feeds/comments/default">'
            '<link rel="alternate" type="application/atom+xml" title="Commentary" href="/commentary.xml">')
    found = feed_links(f"<html><head>{head}</head><body></body></html>", "https://opsnotes.example/2025/05/x/")
    assert found == [("https://opsnotes.example/feed/", "Ops Notes » Feed"),
                     ("https://opsnotes.example/commentary.xml", "Commentary")]


def test_a_source_added_is_given_the_kind_its_address_shows():
    """An XML file that is no sitemap is a feed ("/blog.xml" was added as a `url` source, whose
    crawl stored nothing: "no main text or title"), and so is Blogger's posts address."""
    from pipeline.config.source_files import guess_kind

    assert [guess_kind(url) for url in ("https://a.example/blog.xml", "https://a.example/feed/",
                                        "https://b.blogspot.com/feeds/posts/default", "https://a.example/sitemap.xml",
                                        "https://a.example/post.html", "https://a.example/about")] == [
        "feed", "feed", "feed", "sitemap", "url", "url"]


def test_discover_guesses_platform_paths():
    from feeds.discover import guessed_feed_urls

    assert guessed_feed_urls("https://medium.com/product-coalition")[0] == "https://medium.com/feed/product-coalition"
    assert "https://example.substack.com/feed" in guessed_feed_urls("https://example.substack.com/p/x")
    assert "https://blog.example/feed/" in guessed_feed_urls("https://blog.example/")


@pytest.mark.parametrize("existing", ["", "# my sources, one day\n", "sources: []\n", "sources:\n"])
@pytest.mark.parametrize("namespace", ["", ' xmlns="http://opml.org/spec2"'])
def test_import_into_an_existing_empty_sources_file(tmp_path, existing, namespace):
    """Into a file that is empty, comments only, an empty list or the key alone; from an OPML
    file with or without OPML 2.0's namespace (with it, nothing was found, and exit 0)."""
    opml = tmp_path / "feeds.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"{namespace}><head><title>t</title></head><body>'
                    '<outline text="Blog" type="rss" xmlUrl="https://blog.example/feed"/></body></opml>')
    sources_file = tmp_path / "new.yaml"
    sources_file.write_text(existing)
    assert load_sources(sources_file) == []  # an empty file is an empty list of sources
    result = run_prodops("sources", "import", str(opml), "--sources", str(sources_file))
    assert result.returncode == 0, result.stderr
    assert [s.url for s in load_sources(sources_file)] == ["https://blog.example/feed"]
    if existing.startswith("#"):
        assert sources_file.read_text().startswith(existing)  # a comment stays


def test_an_opml_file_without_subscriptions_or_that_loses_some_says_so(tmp_path):
    from feeds.opml import OpmlError, parse_opml

    with pytest.raises(OpmlError, match="no feed subscriptions in it"):
        parse_opml(b'<opml version="2.0"><body><outline text="A folder"/></body></opml>', "f.opml")
    # HTML with its own quotes inside an attribute (a real export's description): the
    # recovering parser cannot save that outline.
    broken = (b'<opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/feed"/>'
              b'<outline text="B" description="By the makers of <a href="https://b.example">B</a>." '
              b'xmlUrl="https://b.example/feed" type="rss" />'
              b'<outline text="C" xmlUrl="https://c.example/feed"/></body></opml>')
    read = parse_opml(broken, "f.opml")
    lost = 3 - len(read.feeds)
    assert lost > 0 and f"{lost} of its 3 subscriptions could not be read" in read.problems[-1]


def test_discover_says_why_it_found_nothing(sample_web, tmp_path):
    sources_file = tmp_path / "s.yaml"
    not_a_url = run_prodops("sources", "discover", "not-a-url", "--sources", str(sources_file))
    refused = run_prodops("sources", "discover", sample_web.base_url + "/", "--add", "--sources", str(sources_file),
                          *FAST)
    assert not_a_url.returncode == 2 and "is not a web address" in not_a_url.stderr
    assert refused.returncode == 1 and "--allow-private-network" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr + refused.stdout and not sources_file.exists()


def test_sources_list_keeps_its_columns_for_a_long_id(tmp_path):
    long_id = "a-source-whose-id-runs-well-past-thirty-two-characters"
    sources = write_sources(tmp_path / "s.yaml", [Source("short", "s", "feed", "https://a.example/feed"),
                                                  Source(long_id, "l", "url", "https://b.example/page")])
    lines = run_prodops("sources", "list", "--sources", str(sources)).stdout.splitlines()
    assert len({line.index("https://") for line in lines}) == 1 and lines[1].startswith(long_id + " ")


def test_a_source_added_to_a_file_in_a_folder_not_made_yet_makes_it(tmp_path):
    sources_file = tmp_path / "new" / "folder" / "sources.yaml"
    result = run_prodops("sources", "add", "https://blog.example/feed", "--sources", str(sources_file))
    assert result.returncode == 0, result.stderr
    assert [s.url for s in load_sources(sources_file)] == ["https://blog.example/feed"]
