"""The README's generated parts (command synopsis, settings, documents' columns, layers) are
what the code says now: `cog --check` fails when they are stale (`cog -r README.md` fixes)."""

from __future__ import annotations

from pathlib import Path

from cogapp import Cog

from pipeline.cli.reference import _column_descriptions, project_settings
from pipeline.store.database import migrations

ROOT = Path(__file__).resolve().parents[1]


def test_the_generated_parts_of_the_readme_are_current(monkeypatch):
    monkeypatch.chdir(ROOT)
    status = Cog().main(["cog", "--check", "README.md"])
    assert status == 0, "README.md is stale: run `.venv/bin/cog -r README.md`"


def test_every_setting_and_every_documents_column_is_described():
    assert all(comment for _, _, comment in project_settings()), "a PRODOPS_ setting without a comment"
    import sqlite_utils

    db = sqlite_utils.Database(memory=True)
    migrations.apply(db)
    described = _column_descriptions()
    assert [c.name for c in db["documents"].columns if c.name not in described] == []
