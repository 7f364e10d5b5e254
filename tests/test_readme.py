"""The generated parts of the docs (command synopsis, settings, documents' columns, layers)
are what the code says now: `cog --check` over README.md and every page of docs/ that has
cog blocks fails when one is stale (`.venv/bin/cog -r README.md docs/*.md` fixes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cogapp import Cog

from pipeline.cli.reference import _column_descriptions, project_settings
from pipeline.store.database import migrations

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ["README.md"] + sorted(str(page.relative_to(ROOT)) for page in (ROOT / "docs").glob("*.md")
                                   if "[[[cog" in page.read_text())


def test_the_docs_have_generated_parts():
    assert {"docs/commands.md", "docs/configuration.md", "docs/data.md", "docs/architecture.md"} <= set(GENERATED)


@pytest.mark.parametrize("page", GENERATED)
def test_the_generated_parts_are_current(page, monkeypatch):
    monkeypatch.chdir(ROOT)
    status = Cog().main(["cog", "--check", page])
    assert status == 0, f"{page} is stale: run `.venv/bin/cog -r {page}`"


def test_every_setting_and_every_documents_column_is_described():
    assert all(comment for _, _, comment in project_settings()), "a PRODOPS_ setting without a comment"
    import sqlite_utils

    db = sqlite_utils.Database(memory=True)
    migrations.apply(db)
    described = _column_descriptions()
    assert [c.name for c in db["documents"].columns if c.name not in described] == []
