"""Validating data/sources.yaml: good files load, bad ones name the file, entry and field."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_prodops

from pipeline.config.files import ConfigError
from pipeline.config.sources import load_sources


def write(tmp_path, text):
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_committed_sources_file_is_valid():
    sources = load_sources(ROOT / "data" / "sources.yaml")
    assert len(sources) >= 15
    assert {s.kind for s in sources} <= {"feed", "sitemap", "site", "links", "url"}
    assert any("byproduct.management" in s.url for s in sources)


def test_a_minimal_source_gets_defaults(tmp_path):
    [source] = load_sources(write(tmp_path, "sources:\n  - {id: a, kind: url, url: 'https://x.org/p'}\n"))
    assert (source.name, source.enabled, source.settings) == ("a", True, {})


@pytest.mark.parametrize(
    "body, expected",
    [
        ("sources: [1]", "source #1: expected a mapping"),
        ("sources:\n  - {id: a, kind: url}", "source #1 (a): field 'url': missing"),
        ("sources:\n  - {id: a, kind: rss, url: 'https://x.org'}", "field 'kind': unknown kind 'rss'"),
        ("sources:\n  - {id: A B, kind: url, url: 'https://x.org'}", "field 'id': use lower-case"),
        ("sources:\n  - {id: a, kind: url, url: 'ftp://x.org'}", "field 'url': 'ftp://x.org' is not"),
        ("sources:\n  - {id: a, kind: url, url: 'https://x.org', colour: red}", "field 'colour': unknown field"),
        ("sources:\n  - {id: a, kind: feed, url: 'https://x.org', settings: {max_entries: many}}",
         "field 'settings.max_entries': must be of type int"),
        ("sources:\n  - {id: a, kind: url, url: 'https://x.org', settings: {depth: 2}}",
         "field 'settings.depth': not an option of kind 'url'"),
        ("sources:\n  - {id: a, kind: url, url: 'https://x.org'}\n  - {id: a, kind: url, url: 'https://y.org'}",
         "source #2 (a): field 'id': duplicate id"),
        ("sources:\n  - {id: a, kind: url, url: 'https://x.org', enabled: maybe}", "field 'enabled'"),
        ("sources:\n  - {id: a, kind: links, url: 'https://x.org', settings: {selector: 'ul >> li'}}",
         "field 'settings.selector': 'ul >> li' is not a CSS selector"),
        ("sources:\n  - {id: a, kind: site, url: 'https://x.org', settings: {allow: ['(']}}",
         "field 'settings.allow': '(' is not a regular expression"),
        ("sources:\n  - {id: a, kind: site, url: 'https://x.org', settings: {allow: [1]}}",  # "of type list, got [1]"
         "field 'settings.allow': must be a list of strings (quoted patterns), got [1]"),
        ("- just a list", "expected a mapping with a 'sources' list"),
        ("sources:\n  - {id: a\n", "not valid YAML at line"),
    ],
)
def test_malformed_sources_are_reported_precisely(tmp_path, body, expected):
    path = write(tmp_path, body)
    with pytest.raises(ConfigError) as error:
        load_sources(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_aliases_that_expand_a_file_into_billions_of_values_are_refused_at_once(tmp_path):
    # "Billion laughs": nine lists of nine of the one before, nine deep. Quoted in a message
    # (or walked by a reader) it took minutes and gigabytes; now one line, in a moment.
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    path = write(tmp_path, "\n".join(lines) + "\nsources:\n  - {id: a, kind: site, url: 'https://x.org', "
                 "settings: {allow: *a9}}\n")
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "sources", "list", "--sources", str(path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)  # in a process of its own: bounded
    assert result.returncode == 2, result.stderr[:300]
    assert "aliases (*name) repeat anchored values" in result.stderr and len(result.stderr) < 400


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_a_file_saved_in_another_encoding_is_told_to_be_saved_as_utf8(tmp_path, encoding):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - {id: a, name: Café, kind: url, url: 'https://x.org'}\n", encoding=encoding)
    with pytest.raises(ConfigError, match=r"not UTF-8 text \(byte 0x.. at offset \d+\); save it as UTF-8"):
        load_sources(path)


def test_missing_file_says_which_option_to_use(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_sources(tmp_path / "nope.yaml")


def test_cli_exits_2_with_one_line_for_a_bad_sources_file(tmp_path):
    path = write(tmp_path, "sources:\n  - {id: a, kind: url, url: 'ftp://x.org'}\n")
    db = tmp_path / "prodops.db"
    result = run_prodops("crawl", "--sources", str(path), "--db", str(db))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "source #1 (a): field 'url'" in result.stderr
    assert not db.exists()


def test_cli_exits_2_for_an_unknown_source_id(tmp_path):
    path = write(tmp_path, "sources:\n  - {id: a, kind: url, url: 'https://x.org'}\n")
    result = run_prodops("crawl", "--sources", str(path), "--db", str(tmp_path / "x.db"), "--only", "b")
    assert result.returncode == 2
    assert "unknown source id 'b'" in result.stderr
    assert not (tmp_path / "x.db").exists()  # nothing written


def test_cli_exits_2_for_a_malformed_scrapy_setting(tmp_path):
    path = write(tmp_path, "sources:\n  - {id: a, kind: url, url: 'https://x.org'}\n")
    result = run_prodops("crawl", "--sources", str(path), "--db", str(tmp_path / "x.db"), "-s", "NOVALUE")
    assert result.returncode == 2
    assert "expected NAME=VALUE" in result.stderr


def test_a_setting_the_crawl_cannot_use_is_named_in_one_line(tmp_path):
    path = write(tmp_path, "sources:\n  - {id: a, kind: url, url: 'https://x.org'}\n")
    result = run_prodops("crawl", "--sources", str(path), "--db", str(tmp_path / "x.db"),
                         "-s", 'ITEM_PIPELINES={"no_such_module.Stage": 100}')
    assert result.returncode == 2, result.stderr
    said = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(said) == 1 and "the crawl did not start" in said[0] and "no_such_module" in said[0], said


@pytest.mark.parametrize("setting, says", [
    ("DOWNLOAD_DELAY=abc", "DOWNLOAD_DELAY is a number"), ("PRODOPS_SEMANTIC=nah", "true or false"),
    ("DOWNLOAD_TIMEOUT=-1", "cannot be negative"), ("LOG_LEVEL=LOUD", "one of DEBUG"),
    ("DOWNLOAD_HANDLERS=abc", "a JSON object"), ("DOWNLOAD_DELAY=inf", "a finite number"),
    ("DOWNLOAD_TIMEOUT=nan", "a finite number"),
    # Read as whole numbers: a traceback before the crawl, or every sitemap failing (and backing off).
    ("PRODOPS_EXTRACT_WORKERS=2.5", "a whole number"), ("PRODOPS_MAX_SITEMAPS=2.5", "a whole number"),
    ("RETRY_TIMES=1e3", "a whole number"),
    # A command's own option's: through -s, another database than --db was written, or no source chosen.
    ("PRODOPS_DB=/tmp/other.db", "--db PATH"), ("PRODOPS_ONLY=a", "--only SOURCE_ID"),
    ("PRODOPS_SOURCES=/tmp/other.yaml", "--sources PATH"),
    # A misspelt name, or a relevance past 1: the crawl ran as if they had not been given.
    ("DOWNLOD_DELAY=2", "no such setting; did you mean DOWNLOAD_DELAY?"),
    ("PRODOPS_NO_SUCH=1", "no such setting of this project"),
    ("PRODOPS_FOLLOW_MIN_RELEVANCE=5", "a relevance, from 0 to 1")])
def test_a_setting_of_the_wrong_kind_is_refused_before_the_crawl(tmp_path, setting, says):
    path = write(tmp_path, "sources:\n  - {id: a, kind: url, url: 'https://x.org'}\n")
    result = run_prodops("crawl", "--sources", str(path), "--db", str(tmp_path / "x.db"), "-s", setting)
    assert result.returncode == 2 and says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.db").exists()


def test_every_setting_read_as_a_whole_number_is_checked_as_one():
    """The settings ours or Scrapy's code reads with getint are the ones -s checks are whole
    numbers (pipeline.cli.common.WHOLE_NUMBER_SETTINGS): one read so and missing there takes
    "2.5" to int() in the crawl."""
    import scrapy

    from pipeline.cli.common import WHOLE_NUMBER_SETTINGS

    read = set()
    for folder in (Path(scrapy.__file__).parent, ROOT / "pipeline", ROOT / "spiders"):
        for module in folder.rglob("*.py"):
            read |= set(re.findall(r"getint\(\s*[\"']([A-Z0-9_]+)[\"']", module.read_text(encoding="utf-8")))
    assert "PRODOPS_EXTRACT_WORKERS" in read and "RETRY_TIMES" in read
    assert read <= WHOLE_NUMBER_SETTINGS, sorted(read - WHOLE_NUMBER_SETTINGS)


def test_a_whole_number_setting_takes_a_whole_number(tmp_path):
    from pipeline.cli.common import scrapy_settings

    assert scrapy_settings(("PRODOPS_EXTRACT_WORKERS=2", "RETRY_TIMES= 3", "DOWNLOAD_TIMEOUT=2.5")) == {
        "PRODOPS_EXTRACT_WORKERS": "2", "RETRY_TIMES": " 3", "DOWNLOAD_TIMEOUT": "2.5"}
    # A priority may be negative (RETRY_PRIORITY_ADJUST's default is -1): it was refused as a count.
    assert scrapy_settings(("RETRY_PRIORITY_ADJUST=-2", "DEPTH_PRIORITY=-1")) == {
        "RETRY_PRIORITY_ADJUST": "-2", "DEPTH_PRIORITY": "-1"}


def test_cli_exits_2_for_a_database_that_is_not_sqlite(tmp_path):
    path = write(tmp_path, "sources:\n  - {id: a, kind: url, url: 'https://x.org'}\n")
    db = tmp_path / "notes.db"
    db.write_text("my precious notes", encoding="utf-8")
    result = run_prodops("crawl", "--sources", str(path), "--db", str(db))
    assert result.returncode == 2
    assert "is not a SQLite database" in result.stderr
    assert db.read_text(encoding="utf-8") == "my precious notes"


@pytest.mark.parametrize("rule, says", [
    ("min_relevance: 50", "'rules.min_relevance': a number from 0 to 1, not 50"),
    ("min_relevance: .nan", "'rules.min_relevance': a number from 0 to 1, not nan"),
    ("limit: 0", "'rules.limit': 1 or more, not 0"),
    ("since: '2026-02-30'", "'rules.since': a date as YYYY-MM-DD (of a day the calendar has)"),
    ("since: 2026-01-01T10:00:00Z", "'rules.since': a date as YYYY-MM-DD (of a day the calendar has), not "
                                    "'2026-01-01 10:00:00+00:00'")])
def test_a_list_rule_that_would_pick_nothing_or_everything_is_refused(tmp_path, rule, says):
    # (min_relevance 50 for 50 %, or .nan, picked nothing; limit 0 nothing; 30 February was
    # compared as text with the stored dates.)
    from pipeline.config.lists import load_lists

    path = tmp_path / "lists.yaml"
    path.write_text(f"lists:\n  - slug: a\n    title: A\n    rules: {{{rule}}}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(says)):
        load_lists(path)


def test_a_list_rules_date_written_unquoted_is_the_date(tmp_path):
    """`since: 2026-01-01`, as the docs write a date and a curator types it, is read by YAML as
    a date, not a text: it was refused ("must be of type str") by every command that reads
    the lists. Editing the file keeps it."""
    from pipeline.config.lists import load_lists

    path = tmp_path / "lists.yaml"
    path.write_text("lists:\n  - slug: a\n    title: A\n    rules: {since: 2026-01-01, limit: 5}\n", encoding="utf-8")
    [curated] = load_lists(path)
    assert curated.rules == {"since": "2026-01-01", "limit": 5}
    added = run_prodops("lists", "add", "a", "https://example.com/guide", "--lists", str(path))
    assert added.returncode == 0, added.stderr
    [curated] = load_lists(path)
    assert curated.rules["since"] == "2026-01-01" and curated.pinned[0]["url"] == "https://example.com/guide"


@pytest.mark.parametrize("command", [["export"], ["lists", "create", "a", "--title", "A"], ["reextract"]])
@pytest.mark.parametrize("option, says", [
    (["--since", "2026-02-30"], "--since '2026-02-30': give a date as YYYY-MM-DD, of a day the calendar has"),
    (["--since", "2026-13-01"], "--since '2026-13-01': give a date"),
    (["--min-relevance", "nan"], "--min-relevance nan: give a number from 0 to 1")])
def test_a_date_the_calendar_lacks_or_a_relevance_of_nan_is_refused(tmp_path, command, option, says):
    if command == ["reextract"] and option[0] == "--min-relevance":
        pytest.skip("reextract has no --min-relevance")
    lists, db = tmp_path / "lists.yaml", tmp_path / "prodops.db"
    result = run_prodops(*command, *option, "--lists" if command != ["reextract"] else "--db",
                         str(lists if command != ["reextract"] else db))
    assert result.returncode == 2 and says in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert not lists.exists() and not db.exists()  # nothing written


def test_a_lists_file_with_a_duplicate_slug_is_refused(tmp_path):
    from pipeline.config.lists import load_lists

    path = tmp_path / "lists.yaml"
    path.write_text("lists:\n  - {slug: a, title: A}\n  - {slug: a, title: B}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"list #2 \(a\): field 'slug': duplicate slug"):
        load_lists(path)


@pytest.mark.parametrize("command, text, says", [
    # a second `sources:` pasted below the first: the first block's sources were lost without a word
    (["sources", "list", "--sources"], "sources:\n  - {id: a, kind: feed, url: 'http://a.example/f'}\n"
     "sources:\n  - {id: b, kind: feed, url: 'http://b.example/f'}\n", "line 3, column 1: the key 'sources' is "
     "given twice (first at line 1)"),
    (["sources", "list", "--sources"], "sources:\n  - id: a\n    kind: feed\n    url: http://a.example/f\n"
     "    url: http://a2.example/f\n", "the key 'url' is given twice (first at line 4)"),
    (["lists", "show", "a", "--lists"], "lists:\n  - slug: a\n    title: A\n    title: B\n",
     "the key 'title' is given twice")])
def test_a_key_given_twice_in_a_file_is_refused_not_the_last_kept(tmp_path, command, text, says):
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_prodops(*command, str(path))
    assert result.returncode == 2 and says in result.stderr and len(result.stderr.strip().splitlines()) == 1, \
        result.stderr


def test_a_merge_key_may_be_overridden(tmp_path):
    """`<<: *defaults` then a key of the defaults again is YAML's way to override, not a key twice."""
    from pipeline.config.files import parse_yaml

    assert parse_yaml("d: &d {x: 1, y: 1}\ne:\n  <<: *d\n  x: 2\n")["e"] == {"x": 2, "y": 1}


def test_the_labels_file_given_as_the_lists_file_or_the_other_way_is_named_not_read_as_empty(tmp_path):
    """Each read as the other held nothing: `retag` learnt from no label, and `lists create`
    wrote its list into the labels file."""
    from pipeline.config.labels import load_labels

    labels = tmp_path / "labels.yaml"
    labels.write_text("labels:\n  - {url: 'https://a.example/x', relevant: true}\n", encoding="utf-8")
    lists = tmp_path / "lists.yaml"
    shutil.copy(ROOT / "data" / "lists.yaml", lists)
    before = labels.read_bytes()
    result = run_prodops("lists", "create", "tools", "--title", "Tools", "--lists", str(labels))
    assert result.returncode == 2 and labels.read_bytes() == before
    assert result.stderr.strip().splitlines() == [
        f"Error: {labels}: expected a 'lists' list at the top, found 'labels': is it another file?"]
    with pytest.raises(ConfigError, match=r"expected a 'labels' list at the top, found 'lists': is it another file"):
        load_labels(lists)
    for empty in ("", "labels:\n", "# nothing yet\n"):  # a file started by hand holds no labels, as before
        labels.write_text(empty, encoding="utf-8")
        assert load_labels(labels) == []


def test_a_parsed_taxonomy_is_kept_while_its_file_is_unchanged_and_read_again_once_edited(tmp_path):
    from pipeline.config.files import PROJECT_DATA
    from pipeline.config.taxonomy import cached_taxonomy

    path = tmp_path / "taxonomy.yaml"
    text = (PROJECT_DATA / "taxonomy.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = cached_taxonomy(str(path))
    assert cached_taxonomy(str(path)) is first  # a crawl's stages check it without reading it again
    path.write_text(text.replace("label: Onboarding, training & enablement", "label: Onboarding and enablement"),
                    encoding="utf-8")
    edited = cached_taxonomy(str(path))
    assert edited is not first and "Onboarding and enablement" in [concept.label for concept in edited.concepts]


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/", "http://[::1", "https://example.com:port/",
                                 "https://exa mple.com/"])  # (every fetch of it failed: "Invalid URI")
def test_a_source_url_urllib_cannot_take_apart_is_refused_when_the_file_is_read(tmp_path, url):
    path = write(tmp_path, f"sources:\n  - {{id: bad, kind: url, url: '{url}'}}\n  - {{id: good, kind: feed, url: 'https://x.org/feed'}}\n")
    result = run_prodops("crawl", "--sources", str(path), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2 and "not an absolute http(s) URL" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "x.db").exists()


def test_a_corrupt_database_is_one_line_whatever_the_command(tmp_path):
    from pipeline.store.database import open_database

    db = tmp_path / "c.db"
    open_database(db).close()
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[3 * page:4 * page] = b"\xff" * page  # a table's page overwritten: opening works, reading fails
    db.write_bytes(bytes(data))
    for args in (("sources", "health"),):
        result = run_prodops(*args, "--db", str(db))
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "malformed" in result.stderr, result.stderr


@pytest.mark.parametrize("setting", ["max_entries: -1", "max_pages: 0", "max_depth: -1"])
def test_a_source_limit_below_its_least_is_refused(tmp_path, setting):
    kind = "site" if "depth" in setting or "pages" in setting else "feed"
    path = write(tmp_path, f"sources:\n  - {{id: a, kind: {kind}, url: 'https://x.org/', settings: {{{setting}}}}}\n")
    with pytest.raises(ConfigError, match="or more"):
        load_sources(path)


def test_another_programs_database_is_refused_and_left_as_it_was(tmp_path):
    import sqlite3

    other = tmp_path / "crm.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers (name) VALUES ('Ada')")
    conn.close()
    before = other.read_bytes()
    path = write(tmp_path, "sources:\n  - {id: a, kind: url, url: 'https://x.org'}\n")
    for args in (("crawl", "--sources", str(path)), ("export",), ("sources", "health", "--sources", str(path))):
        result = run_prodops(*args, "--db", str(other))
        assert result.returncode == 2 and "another program's SQLite database" in result.stderr, result.stderr
    assert other.read_bytes() == before and not (tmp_path / "crm.db-wal").exists()


def test_a_database_another_command_keeps_locked_is_busy_not_damaged(sample_corpus, tmp_path):
    # A crawl (here: a connection in this test) holding the write lock past the 10 s wait:
    # the message told the user to restore the file from a copy, which would lose that work.
    import sqlite3

    url = sqlite3.connect(sample_corpus).execute("SELECT url FROM documents LIMIT 1").fetchone()[0]
    writer = sqlite3.connect(sample_corpus, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        result = run_prodops("label", url, "--relevant", "--db", str(sample_corpus),
                             "--labels", str(tmp_path / "labels.yaml"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.returncode == 75, result.stderr
    assert "the database is busy: another command" in result.stderr and "restore" not in result.stderr
    assert not (tmp_path / "labels.yaml").exists()  # nothing recorded: the label can be given again


def test_output_to_a_full_disk_is_one_line_not_a_traceback(sample_corpus):
    # `prodops export > file` on a full disk printed a traceback ending in "OSError: [Errno 28]".
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "pipeline.cli", "export", "--format", "csv",
                                 "--db", str(sample_corpus)], cwd=ROOT, stdout=full, stderr=subprocess.PIPE,
                                text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [
        "Error: no space left on the device: free some space and run this again"]


def test_a_database_whose_disk_fills_is_a_one_line_failure_not_a_damaged_file(tmp_path):
    # SQLite's "database or disk is full" was reported as a damaged database, to be restored
    # from a copy. A page limit stands in for the full disk: SQLite says SQLITE_FULL alike.
    import sqlite3

    import click
    from click.testing import CliRunner

    from pipeline.cli.common import CuratorGroup

    group = CuratorGroup()

    @group.command()
    def fill():
        conn = sqlite3.connect(tmp_path / "full.db")
        conn.execute("PRAGMA max_page_count = 2")
        conn.execute("CREATE TABLE t (x TEXT)")
        conn.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
        click.echo("not reached")

    result = CliRunner().invoke(group, ["fill"])
    assert result.exit_code == 1 and "not reached" not in result.output, result.output
    assert result.output.strip() == ("Error: the database's disk is full: free some space and run this again "
                                     "(what was stored before is kept)")


def test_a_crawl_whose_log_disk_is_full_says_so_in_one_line(tmp_path):
    # Each log line Scrapy could not write to a full disk printed "--- Logging error ---" and a
    # traceback (83 lines for `prodops demo` into an 800 KB disk) before the error.
    sources = write(tmp_path, "sources:\n  - {id: a, kind: url, url: 'http://127.0.0.1:9/x'}\n")
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sources),
                             "--db", str(tmp_path / "c.db"), "-s", "LOG_FILE=/dev/full"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last == "Error: no space left on the device: free some space and run this again"
    assert "Logging error" not in result.stderr and "Traceback" not in result.stderr, result.stderr
