"""What SQL on the site's connections may read: SQLite's authorizer, put on every connection
Datasette opens (the plugin's prepare_connection), refuses the one table-valued pragma that
names a file, `pragma_database_list`, whose `file` column is the database's path on the
server (with `prodops serve --sql`, a visitor's `select * from pragma_database_list` read
it; no page of the site shows it).

Why reads of that table, not the pragma: Datasette lets a visitor's SQL call a few pragma
functions (pragma_table_info and pragma_database_list among them) and refuses `PRAGMA`
statements. SQLite reports a pragma function to the authorizer as a PRAGMA statement is
reported (SQLITE_PRAGMA, "database_list"), and also as SQLITE_READ of its columns, from the
table `pragma_database_list`: only the function reads a table. The statement must keep
working, for Datasette (its database page lists attached databases with `PRAGMA
database_list`) and for search (pipeline.publish.indexes tells which file a connection
reads so), as must the pragmas FTS5 asks for at every MATCH (`data_version`). The other
pragma functions Datasette allows describe the schema, which the site's pages show anyway.
"""

from __future__ import annotations

import sqlite3

HIDDEN_TABLES = frozenset({"pragma_database_list"})


def hide_file_paths(conn: sqlite3.Connection) -> None:
    """Refuse, on `conn`, every statement that reads a table of HIDDEN_TABLES, in any case or
    schema ("access to pragma_database_list.file is prohibited"); allow everything else."""
    conn.set_authorizer(_authorize)


def _authorize(action: int, table: str | None, column: str | None, database: str | None, trigger: str | None) -> int:
    if action == sqlite3.SQLITE_READ and (table or "").lower() in HIDDEN_TABLES:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK
