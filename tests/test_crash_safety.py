"""Crash safety: a crawl killed with SIGKILL at random points, then run again, leaves a sound
database with the same documents as an uninterrupted crawl."""

import random
import sqlite3
import subprocess
import sys
import threading
import time

from conftest import FAST, ROOT, crawl_into


def documents(db_path):
    with sqlite3.connect(db_path) as conn:
        return sorted(row[0] for row in conn.execute("SELECT url FROM documents"))


def check_sound(db_path):
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) - count(DISTINCT url) FROM documents").fetchone()[0] == 0
        # No half-written document: each has its sighting, its hash and its tags.
        assert conn.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM sightings s WHERE s.document_id = d.id) OR d.tags IS NULL "
            "OR (d.text != '' AND d.content_hash IS NULL)").fetchone()[0] == 0


def wait_for_a_running_crawl(db_path, process, limit: float = 60.0) -> None:
    """Return once the crawl has recorded its run (or has ended), polling the database."""
    deadline = time.monotonic() + limit
    while process.poll() is None and time.monotonic() < deadline:
        if db_path.exists():
            conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
            try:
                if conn.execute("SELECT 1 FROM runs WHERE status = 'running'").fetchone():
                    return
            except sqlite3.DatabaseError:
                pass  # the schema is still being created
            finally:
                conn.close()
        time.sleep(0.05)  # polling, bounded by the deadline


def test_sigkill_at_random_points_then_a_rerun_matches_an_uninterrupted_crawl(sample_sources_file, tmp_path):
    expected = documents(crawl_into(sample_sources_file, tmp_path / "reference.db"))
    db_path = tmp_path / "killed.db"
    rng = random.Random(20261125)
    command = [sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sample_sources_file),
               "--db", str(db_path), "--allow-private-network", *FAST]
    for _ in range(6):
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_a_running_crawl(db_path, process)
        try:
            process.wait(timeout=rng.uniform(0.0, 1.0))  # the kill point: somewhere in the crawl
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if db_path.exists():
            check_sound(db_path)
    crawl_into(sample_sources_file, db_path)
    check_sound(db_path)
    assert documents(db_path) == expected
    with sqlite3.connect(db_path) as conn:  # the kills did land in the middle of crawls
        interrupted = conn.execute("SELECT count(*) FROM runs WHERE status = 'interrupted'").fetchone()[0]
    assert interrupted >= 1


class HeldRoutes(dict):
    """The routes of a StaticWeb, with one path whose answer waits (in the server's thread)
    until `release` is set: the crawl is held between two of its writes for as long as the
    test needs, however fast it otherwise is."""

    def __init__(self, routes: dict, held: str):
        super().__init__(routes)
        self.held = held
        self.asked = threading.Event()  # the crawler has asked for the held path
        self.release = threading.Event()

    def get(self, path, default=None):
        if path == self.held:
            self.asked.set()
            self.release.wait(timeout=25)  # bounded: a test that never releases must not hang
        return super().get(path, default)


def test_a_datasette_reader_during_a_crawl_sees_no_errors(sample_web, sample_sources_file, tmp_path):
    import asyncio

    from pipeline.publish.datasette import build_datasette
    from pipeline.store.database import open_database

    # The URL source's page (a document of its own) is held back, so the crawl stores the
    # other pages while it waits: a read then lands strictly between the crawl's first and
    # last writes.
    held = "/guides/product-metrics-dashboards/"
    routes = sample_web.routes = HeldRoutes(sample_web.routes, held)
    db_path = tmp_path / "prodops.db"
    open_database(db_path).close()
    crawl = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sample_sources_file),
         "--db", str(db_path), "--allow-private-network", *FAST],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    async def read_while_crawling():
        datasette = build_datasette(db_path)
        statuses, counts, while_held = [], [], []
        deadline = time.monotonic() + 20  # within the crawl's DOWNLOAD_TIMEOUT (30 s)
        try:
            while crawl.poll() is None:
                for path in ("/prodops/documents.json?_search=product&_shape=array",
                             "/prodops/latest.json?_shape=array"):
                    response = await datasette.client.get(path)
                    statuses.append(response.status_code)
                response = await datasette.client.get("/prodops/documents.json?_size=0")
                statuses.append(response.status_code)
                counts.append(response.json()["filtered_table_rows_count"])
                if routes.asked.is_set() and not routes.release.is_set():
                    while_held.append(counts[-1])
                    # Let the held page go once a read has seen some of the crawl's documents
                    # (or the time is up: the assertions below then say what was missing).
                    if counts[-1] > 0 or time.monotonic() > deadline:
                        routes.release.set()
                await asyncio.sleep(0.05)  # a reader's pace, until the crawl ends
        finally:
            routes.release.set()
        return statuses, counts, while_held

    statuses, counts, while_held = asyncio.run(read_while_crawling())
    assert crawl.wait() == 0
    assert statuses and set(statuses) == {200}
    assert counts == sorted(counts)  # documents only ever appear, whole
    final = documents(db_path)
    assert routes.asked.is_set(), "the crawl never asked for the held page"
    # Some read saw the crawl half-done: documents stored, and not yet all of them.
    assert any(0 < count < len(final) for count in while_held), (while_held, len(final))


def _can_mount_a_small_disk() -> bool:
    """Whether this machine lets a test make a disk of its own (a tmpfs in a mount namespace
    of its own: root, or a user namespace; nothing outside the namespace sees it)."""
    import shutil

    return shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "--mount", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True).returncode == 0


def test_a_crawl_whose_disk_fills_stops_in_a_line_and_the_next_one_goes_on(tmp_path):
    """A database on a disk that fills half-way through a crawl: the crawl stops (nothing more
    could be stored), says why in one line, exit status 1, no traceback; the database is sound,
    every document it counts is stored, no source is marked failing; and a crawl with space
    enough stores the rest. Before: a traceback for each failed commit, "documents: N new" for
    pages rolled back, and "the crawl did not start"."""
    import re
    import shlex
    import shutil

    import pytest
    from conftest import write_sources

    from pipeline.config.sources import Source
    from pipeline.demo.generate import generated_web
    from pipeline.demo.webserver import StaticWeb

    if not _can_mount_a_small_disk():
        pytest.skip("this machine does not let a test mount a small disk (unshare --mount, tmpfs)")
    web = StaticWeb()
    web.routes.update(generated_web(web.base_url, 60)[1])  # long articles: about 40 MB of database
    disk, kept = tmp_path / "disk", tmp_path / "kept"
    disk.mkdir()
    kept.mkdir()
    with web:
        sources = write_sources(tmp_path / "s.yaml", [Source("heavy", "Heavy", "feed", f"{web.base_url}/feed.xml")])
        # The crawl on a 3 MB disk of its own; the database copied out before the disk goes.
        crawl = shlex.join([sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sources),
                            "--db", f"{disk}/c.db", "--allow-private-network", "-s",
                            f"LOG_FILE={tmp_path / 'crawl.log'}", *FAST])
        script = (f"mount -t tmpfs -o size=3000k tmpfs {shlex.quote(str(disk))} && {crawl}; status=$?; "
                  f"cp {shlex.quote(str(disk))}/c.db* {shlex.quote(str(kept))}/; exit $status")
        full = subprocess.run(["unshare", "--mount", "sh", "-c", script], cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
        assert full.returncode == 1, full.stdout + full.stderr
        assert "Traceback" not in full.stdout + full.stderr, full.stderr[-3000:]
        assert "Interrupted: the disk of the database" in full.stdout and "is full" in full.stdout, full.stdout
        stored_count = int(re.search(r"documents: (\d+) new", full.stdout).group(1))
        db_path = kept / "c.db"
        check_sound(db_path)
        with sqlite3.connect(db_path) as conn:
            assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == stored_count
            assert stored_count < 60
            assert conn.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
            assert conn.execute("SELECT consecutive_errors FROM sources").fetchall() == [(0,)]
        shutil.copytree(kept, tmp_path / "roomy")
        crawl_into(sources, tmp_path / "roomy" / "c.db")
    check_sound(tmp_path / "roomy" / "c.db")
    assert len(documents(tmp_path / "roomy" / "c.db")) == 60
