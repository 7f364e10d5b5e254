"""Opening the corpus database (pipeline/store/database.py): where it goes, how it is
tuned for one writer and many readers, what a reader gets, and what a user is told when
the file cannot be used."""

from __future__ import annotations

import sqlite3

import pytest

from pipeline.store.database import DatabaseError, database_state, open_database, open_read_only


def test_the_database_is_made_where_asked_tuned_for_a_writer_and_readers(tmp_path):
    path = tmp_path / "new" / "deeper" / "c.db"
    db = open_database(str(path))
    assert path.exists()
    pragma = lambda name: db.conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert (pragma("journal_mode"), pragma("busy_timeout"), pragma("synchronous"), pragma("cache_size")) == (
        "wal", 10000, 1, -32768)


def test_a_path_that_cannot_be_a_database_says_why(tmp_path):
    with pytest.raises(DatabaseError) as raised:
        open_database(tmp_path)  # a directory
    assert str(raised.value) == (f"{tmp_path} is a folder; give the path of a database file, "
                                 f"e.g. {tmp_path / 'prodops.db'}")  # (SQLite said "unable to open database file")


@pytest.mark.parametrize("command", [["search", "planning"], ["export"], ["sources", "health"]])
def test_a_folder_given_as_db_to_a_command_that_reads_a_corpus_is_named_a_folder(tmp_path, command):
    from conftest import run_prodops

    result = run_prodops(*command, "--db", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"--db {tmp_path} is a folder; give the path of a database file" in result.stderr, result.stderr


def test_a_database_a_newer_version_wrote_is_refused_and_left_as_it_was(tmp_path):
    path = tmp_path / "c.db"
    open_database(path).conn.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('prodops', 'm999_from_the_future', '2030-01-01')")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="written by a newer version of ProdOps Curator .* m999_from_the_future"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_reader_reads_and_cannot_write(tmp_path):
    path = tmp_path / "c.db"
    assert open_read_only(path) is None
    assert not path.exists()  # looking does not create it
    db = open_database(path)
    db["sources"].insert({"id": "a"})
    reader = open_read_only(path, timeout=0.5)
    try:
        assert reader.execute("SELECT id FROM sources").fetchall() == [("a",)]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.execute("INSERT INTO sources (id) VALUES ('b')")
    finally:
        reader.close()


def test_the_state_changes_with_every_commit(tmp_path):
    assert database_state(None) == ()
    path = tmp_path / "c.db"
    assert database_state(str(path)) == (None, None)
    db = open_database(path)
    before = database_state(str(path))
    assert len(before) == 2 and all(isinstance(part, tuple) for part in before)  # the file and its WAL
    db["sources"].insert({"id": "a"})
    assert database_state(str(path)) != before
