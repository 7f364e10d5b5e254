"""Curated lists and exports: each format parses back with its standard parser."""

import csv
import fcntl
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree

import feedparser
import pytest
import yaml
from conftest import ROOT, run_prodops

from pipeline.config.lists import load_lists, pin, save_lists
from pipeline.demo.articles import ARTICLES
from pipeline.publish.export import neutralize, to_csv, to_markdown


@pytest.fixture
def corpus(sample_corpus):
    return sample_corpus


def test_lists_are_created_edited_and_resolved(corpus, tmp_path, shared_sample_web):
    sample_web = shared_sample_web  # the web the corpus was crawled from
    lists = tmp_path / "lists.yaml"
    base = ["--lists", str(lists)]
    assert run_prodops("lists", "create", "onboarding", "--title", "Onboarding guides",
                       "--concept", "enablement-training", *base).returncode == 0
    pinned = sample_web.base_url + "/blog/building-a-voice-of-the-customer-program/"
    assert run_prodops("lists", "add", "onboarding", pinned, "--note", "Start here", *base).returncode == 0
    shown = run_prodops("lists", "show", "onboarding", "--db", str(corpus), *base)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert ARTICLES[2]["title"] in lines[1] and "Start here" in lines[1]  # pinned first, with its note
    assert any(ARTICLES[1]["title"] in line for line in lines[2:])  # picked by the rule
    onboarding = sample_web.base_url + "/blog/onboarding-product-managers-in-30-days/"
    removed = run_prodops("lists", "remove", "onboarding", onboarding, *base)
    # Not pinned: only left out of the rules, and said so (a mistyped URL said "Removed" too).
    assert removed.returncode == 0 and removed.stdout.startswith(f"{onboarding} was not pinned to onboarding; its "
                                                                 "rules now leave it out"), removed.stdout
    again = run_prodops("lists", "remove", "onboarding", onboarding, *base)
    assert again.stdout.strip() == f"{onboarding} was already left out of onboarding"
    shown = run_prodops("lists", "show", "onboarding", "--db", str(corpus), *base)
    assert ARTICLES[1]["title"] not in shown.stdout
    assert run_prodops("lists", "note", "onboarding", pinned, "Read first", *base).returncode == 0
    saved = yaml.safe_load(lists.read_text())["lists"][0]
    assert saved["pinned"] == [{"url": pinned, "note": "Read first"}]
    assert saved["excluded"] == [onboarding]
    missing = run_prodops("lists", "show", "nope", "--db", str(corpus), *base)
    assert missing.returncode == 2 and "no list 'nope'" in missing.stderr
    no_file = run_prodops("lists", "show", "onboarding", "--db", str(corpus), "--lists", str(tmp_path / "typo.yaml"))
    assert no_file.returncode == 2 and f"{tmp_path / 'typo.yaml'}: file not found" in no_file.stderr  # not "no list"
    future = "https://example.org/not-crawled-yet"
    assert run_prodops("lists", "add", "onboarding", future, *base).returncode == 0
    shown = run_prodops("lists", "show", "onboarding", "--db", str(corpus), *base)  # it said nothing of it
    assert shown.stdout.splitlines()[-1] == (f"  (pinned, not stored yet: <{future}>; it is listed once a crawl "
                                             "stores it)"), shown.stdout
    untitled = tmp_path / "untitled.db"  # a page with no title is named by its address (it read "None")
    with sqlite3.connect(corpus) as source, sqlite3.connect(untitled) as conn:
        source.backup(conn)
        stored = pinned.rstrip("/")  # (its canonical URL)
        assert conn.execute("UPDATE documents SET title = NULL, sitename = NULL WHERE url = ?",
                            [stored]).rowcount == 1
        source_name = conn.execute("SELECT s.name FROM documents d JOIN sources s ON s.id = d.source_id "
                                   "WHERE d.url = ?", [stored]).fetchone()[0]
    shown = run_prodops("lists", "show", "onboarding", "--db", str(untitled), *base)
    assert shown.stdout.splitlines()[1] == f"  1. {stored}  <{stored}>  — Read first", shown.stdout
    # ... and with no site name, its source is the source's name, as on the site (it was the id)
    exported = json.loads(run_prodops("export", "--format", "json", "--list", "onboarding", "--db", str(untitled),
                                      *base).stdout)
    assert exported["items"][0]["source"] == source_name
    unpinned = run_prodops("lists", "remove", "onboarding", pinned, *base)
    assert unpinned.stdout.strip() == f"Removed {pinned} from onboarding: unpinned, and left out of its rules"


def export(corpus, *args):
    result = run_prodops("export", "--db", str(corpus), *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_exports_parse_back(corpus, tmp_path):
    data = json.loads(export(corpus, "--format", "json", "--tag", "prodops-definition"))
    assert data["items"] and all(item["url"].startswith("http") for item in data["items"])
    assert all("prodops-definition" in item["tags"] for item in data["items"])

    rows = list(csv.DictReader(io.StringIO(export(corpus, "--format", "csv", "--type", "whitepaper-report"))))
    assert {row["content_type"] for row in rows} == {"whitepaper-report"}

    atom = feedparser.parse(export(corpus, "--format", "atom", "--min-relevance", "0.5"))
    assert not atom.bozo, atom.get("bozo_exception")
    assert len(atom.entries) >= 5 and all(e.link.startswith("http") for e in atom.entries)

    markdown = export(corpus, "--format", "md", "--list", "prodops-reports")
    # A list is exported as curated: a filter given with it was ignored, the whole list printed.
    filtered = run_prodops("export", "--db", str(corpus), "--list", "prodops-reports", "--type", "article",
                           "--limit", "1")
    assert filtered.returncode == 2 and filtered.stdout == "" and filtered.stderr.strip() == (
        "Error: --list prodops-reports exports the list as curated: --type, --limit would be ignored; leave them "
        "out, or leave out --list to export the documents they pick"), filtered.stderr
    links = re.findall(r"^- \[(.+?)\]\((https?://[^)\s]+)\)", markdown, re.M)
    assert len(links) == 2 and markdown.startswith("# Product ops reports")

    html = export(corpus, "--format", "html", "--since", "2026-09-01")
    ElementTree.fromstring(re.sub(r"<!DOCTYPE html>|<meta[^>]*>|<link[^>]*>", "", html))
    assert "<script" not in html

    opml = ElementTree.fromstring(export(corpus, "--format", "opml"))
    assert opml.tag == "opml"
    # OPML is the feed sources: a document filter with it was ignored, every source printed.
    filtered = run_prodops("export", "--db", str(corpus), "--format", "opml", "--tag", "okrs", "--min-relevance", "0")
    assert filtered.returncode == 2 and filtered.stdout == "", filtered.stdout
    assert filtered.stderr.strip() == ("Error: --format opml lists the feed sources, not documents: --tag, "
                                       "--min-relevance would pick nothing in it; leave them out, or choose "
                                       "another --format")


def test_export_writes_exactly_the_file_asked_for(corpus, tmp_path):
    out = tmp_path / "out" / "list.md"
    missing = run_prodops("export", "--db", str(corpus), "-o", str(out))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    out.parent.mkdir()
    assert run_prodops("export", "--db", str(corpus), "-o", str(out)).returncode == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["list.md"]
    assert run_prodops("export", "--db", str(corpus), "-o", str(out.parent)).returncode == 2
    empty = run_prodops("export", "--db", str(corpus), "-o", "")  # was "-o : is a folder"
    assert empty.returncode == 2 and empty.stderr.strip() == (
        "Error: -o is empty: give a file name, or omit -o for standard output"), empty.stderr
    # The mode a file gets is the one it had (or a new file's), not owner-only; a link is
    # written through; a device is refused.
    out.chmod(0o644)
    link = tmp_path / "link.md"
    link.symlink_to(out)
    assert run_prodops("export", "--db", str(corpus), "--format", "html", "-o", str(link)).returncode == 0
    assert link.is_symlink() and out.read_text().startswith("<!DOCTYPE html") and out.stat().st_mode & 0o777 == 0o644
    device = run_prodops("export", "--db", str(corpus), "-o", "/dev/null")
    assert device.returncode == 2 and "not a regular file" in device.stderr


def test_an_export_that_fails_half_way_leaves_the_file_as_it_was_and_no_temporary(tmp_path):
    from pipeline.cli.export import write_output

    out = tmp_path / "list.md"
    out.write_text("the list before\n")
    with pytest.raises(UnicodeEncodeError):  # fails mid-write, as a full disk or a stop would
        write_output("a title, then a lone surrogate: \udcff", str(out))
    assert out.read_text() == "the list before\n"
    assert [p.name for p in tmp_path.iterdir()] == ["list.md"]


def test_a_line_break_in_a_stored_value_cannot_start_a_line_of_the_markdown_export():
    """A title or note with a line break, or an address with one, would start a line of its
    own in the Markdown (a heading, or a link to javascript:); each item stays one line."""
    rows = [{"title": "Fine\r\n# Heading\n[x](javascript:alert(1))", "url": "https://ok.example/a\n[x](javascript:alert(8))",
             "note": "a\n\n- an item", "description": "one\ntwo", "tags": "[]", "source_id": "s"}]
    text = to_markdown("List", "", rows, {})
    [item] = [line for line in text.splitlines() if line.startswith("- ")]
    assert len([line for line in text.splitlines() if line.strip()]) == 3  # the title, "Other", the item
    assert "\\# Heading \\[x\\](javascript:alert(1))" in item
    assert "(https://ok.example/a%0A[x]%28javascript:alert%288%29%29)" in item


def test_csv_neutralizes_formulas():
    rows = [{"title": "=HYPERLINK(\"http://evil\")", "url": "https://x.org/a", "description": "+1 idea",
             "tags": "[]", "note": "@mention", "source_id": "-s"}]
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows))))[0]
    assert parsed["title"].startswith("'=") and parsed["description"].startswith("'+")
    assert parsed["note"].startswith("'@") and parsed["source"].startswith("'-")
    assert neutralize("plain") == "plain"
    assert to_csv([{"title": "x", "url": "javascript:alert(1)"}]).count("\n") == 1  # header only


def test_creating_a_list_waits_for_an_edit_in_progress_and_keeps_it(tmp_path):
    """`lists create` takes the lock every writer of the lists file takes: an edit the site
    makes meanwhile (here held by this test) is read before the new list is written, not
    overwritten by a copy read before it."""
    lists = tmp_path / "lists.yaml"
    shutil.copy(ROOT / "data" / "lists.yaml", lists)
    with open(f"{lists}.lock", "a", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        create = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "lists", "create", "tools", "--title", "Tools",
                                   "--lists", str(lists)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(4)  # long enough for the command to start and, without the lock, be done
        assert create.poll() is None and "tools" not in [curated.slug for curated in load_lists(lists)]
        edited = [*load_lists(lists)]
        pin(edited[0], "https://a.example/pinned-meanwhile", "an edit in progress")
        save_lists(lists, edited)
        fcntl.flock(lock, fcntl.LOCK_UN)
        _, stderr = create.communicate(timeout=60)
    assert create.returncode == 0, stderr
    after = {curated.slug: curated for curated in load_lists(lists)}
    assert "tools" in after
    assert "https://a.example/pinned-meanwhile" in [item["url"] for item in after[edited[0].slug].pinned]


def test_editing_lists_keeps_the_files_comments_and_points_at_a_real_readme_section(tmp_path):
    lists = tmp_path / "lists.yaml"
    shutil.copy(ROOT / "data" / "lists.yaml", lists)
    comments = [line for line in lists.read_text().splitlines() if line.lstrip().startswith("#")]
    base = ["--lists", str(lists)]
    assert run_prodops("lists", "create", "tools", "--title", "Tools", "--type", "template-toolkit",
                       *base).returncode == 0
    assert run_prodops("lists", "add", "prodops-onboarding", "https://a.example/x", "--note", "n",
                       *base).returncode == 0
    assert run_prodops("lists", "note", "prodops-onboarding", "https://a.example/x", "better", *base).returncode == 0
    text = lists.read_text()
    assert all(comment in text for comment in comments)
    assert [c.slug for c in load_lists(lists)] == ["prodops-onboarding", "prodops-reports", "tools"]
    # A new file gets a header that names a page of docs/ and a section that page has.
    fresh = tmp_path / "fresh.yaml"
    assert run_prodops("lists", "create", "a", "--title", "A", "--lists", str(fresh)).returncode == 0
    page, section = re.search(r"(docs/[a-z-]+\.md), '([^']+)'", fresh.read_text()).groups()
    assert f"## {section}\n" in (ROOT / page).read_text()


def test_a_refused_list_edit_writes_nothing(tmp_path):
    lists = tmp_path / "lists.yaml"
    base = ["--lists", str(lists)]
    assert run_prodops("lists", "create", "good", "--title", "Good", *base).returncode == 0
    before = lists.read_text()
    refused = [run_prodops("lists", "create", "Bad Slug", "--title", "x", *base),
               run_prodops("lists", "create", "later", "--title", "x", "--since", "notadate", *base),
               run_prodops("lists", "create", "later", "--title", "x", "--concept", "nosuch", *base),
               run_prodops("lists", "create", "later", "--title", "x", "--type", "nosuch", *base),
               run_prodops("lists", "add", "good", "not-a-url", *base)]
    assert [result.returncode for result in refused] == [2] * 5
    assert "lower-case letters, digits and '-'" in refused[0].stderr and "YYYY-MM-DD" in refused[1].stderr
    assert "--concept nosuch: no such concept" in refused[2].stderr and "--type nosuch" in refused[3].stderr
    assert "not a web address" in refused[4].stderr
    assert all(len(result.stderr.strip().splitlines()) == 1 for result in refused)
    assert lists.read_text() == before and [c.slug for c in load_lists(lists)] == ["good"]


def test_commands_that_read_a_corpus_refuse_a_missing_database_and_make_none(tmp_path):
    missing = tmp_path / "typo.db"
    results = [run_prodops(*args, "--db", str(missing)) for args in (
        ("export",), ("retag",), ("sources", "health"), ("lists", "show", "prodops-onboarding"),
        ("search", "planning"), ("serve", "--port", "9"), ("sources", "enable", "x"))]
    assert [result.returncode for result in results] == [2] * 7
    assert all(f"no database at {missing}: crawl first" in result.stderr for result in results)
    assert not missing.exists()


def test_commands_that_read_a_corpus_refuse_an_empty_file_and_leave_it_empty(tmp_path):
    empty = tmp_path / "touched.db"
    empty.write_bytes(b"")
    results = [run_prodops(*args, "--db", str(empty)) for args in (
        ("export",), ("retag",), ("sources", "health"), ("lists", "show", "prodops-onboarding"),
        ("search", "planning"), ("curators", "list"))]
    assert [result.returncode for result in results] == [2] * 6, [r.stdout for r in results]
    assert all(f"--db {empty} is an empty file, not a crawled corpus" in result.stderr
               and len(result.stderr.strip().splitlines()) == 1 for result in results)
    assert empty.read_bytes() == b""  # (it was given a schema, and export printed an empty selection)


def test_curators_of_a_database_that_is_not_there_are_refused_and_kept_nowhere(tmp_path):
    from pipeline.publish.curators import curators_file

    missing = tmp_path / "typo.db"
    added = run_prodops("curators", "add", "maya", "--password-stdin", "--db", str(missing))
    others = [run_prodops("curators", *args, "--db", str(missing))
              for args in (("list",), ("token", "maya"), ("remove", "maya"))]
    folder = run_prodops("curators", "list", "--db", str(tmp_path))
    assert [r.returncode for r in (added, *others, folder)] == [2] * 5
    assert all(f"no database at {missing}: crawl first" in r.stderr for r in (added, *others))
    assert f"--db {tmp_path} is a folder" in folder.stderr
    assert not curators_file(missing).exists() and not curators_file(tmp_path).exists()


def test_export_refuses_filters_the_taxonomy_does_not_know(corpus):
    results = [run_prodops("export", "--db", str(corpus), *args)
               for args in (("--tag", "nosuch"), ("--type", "nosuch"), ("--since", "last week"))]
    assert [result.returncode for result in results] == [2, 2, 2] and not any(r.stdout for r in results)


def test_search_says_a_file_that_is_not_a_database_is_not_one(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("not a database at all\n" * 50)
    result = run_prodops("search", "planning", "--db", str(junk))
    assert result.returncode == 2 and "file is not a database" in result.stderr and "Traceback" not in result.stderr


def test_an_export_to_a_folder_that_takes_no_new_file_is_one_line(corpus):
    # /proc takes no new file, as a read-only file system or another user's folder does
    # not (this test may run as root, for whom a folder's mode is no bar).
    result = run_prodops("export", "--db", str(corpus), "-o", "/proc/prodops-export.md")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "cannot write a file in /proc" in result.stderr and "a folder you may write" in result.stderr


def test_a_list_created_in_a_folder_not_made_yet_makes_it(tmp_path):
    lists = tmp_path / "new" / "folder" / "lists.yaml"
    result = run_prodops("lists", "create", "reading", "--title", "Reading", "--lists", str(lists))
    assert result.returncode == 0, result.stderr
    assert [c.slug for c in load_lists(lists)] == ["reading"]


def test_the_note_fields_stop_where_a_note_is_refused():
    """The pages' note fields and the lists' own limit are one figure: a browser stops typing
    where the server refuses (it was checked in the browser alone)."""
    from pipeline.config.lists import MAX_NOTE_CHARS

    templates = ROOT / "pipeline" / "publish" / "templates"
    found = re.findall(r'name="note"[^>]*maxlength="(\d+)"', "".join(
        (templates / name).read_text(encoding="utf-8") for name in ("_curate.html", "list.html")))
    assert found == [str(MAX_NOTE_CHARS)] * 2
