"""The generated parts of the docs (command synopsis, settings, documents' columns, layers)
are what the code says now: `cog --check` over README.md and every page of docs/ that has
cog blocks fails when one is stale (`.venv/bin/cog -r README.md docs/*.md` fixes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cogapp import Cog

from pipeline.cli.reference import _column_descriptions, eval_sets_table, modules_table, project_settings
from pipeline.store.migrations import migrations

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ["README.md"] + sorted(str(page.relative_to(ROOT)) for page in (ROOT / "docs").glob("*.md")
                                   if "[[[cog" in page.read_text())


def test_the_docs_have_generated_parts():
    assert {"docs/commands.md", "docs/configuration.md", "docs/data.md", "docs/architecture.md",
            "docs/quality.md"} <= set(GENERATED)


def test_every_module_says_what_it_is_in_the_architecture_page():
    rows = modules_table().splitlines()[2:]
    assert len(rows) > 100 and "`pipeline/stages/follow.py`" in modules_table()
    assert [row for row in rows if row.endswith("|  |")] == [], "a module without a docstring"


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


def test_every_command_shows_examples_that_parse():
    """`--help` of each command ends its text with examples, as sqlite-utils' commands do, and
    each example is a command line its parser accepts (options and arguments that exist)."""
    import shlex

    import click

    from pipeline.cli.main import main
    from pipeline.cli.reference import synopsis

    names = [line.split()[1:3] for line in synopsis().splitlines() if line.startswith("prodops ")]
    missing, wrong = [], []
    for words in names:
        path = [word for word in words if not word.startswith(("[", "-")) and not word.isupper()]
        command: click.Command = main
        for word in path:
            command = command.get_command(click.Context(command), word)  # type: ignore[attr-defined]
        examples = (command.help or "").split("Example", 1)
        if len(examples) < 2:
            missing.append(" ".join(path))
            continue
        for line in examples[1].splitlines()[1:]:
            tokens = shlex.split(line.strip())
            if "prodops" not in tokens:
                continue
            tokens = tokens[tokens.index("prodops") + 1:]
            tokens = tokens[:next((i for i, t in enumerate(tokens) if t in (">", "|")), len(tokens))]
            try:
                command.make_context("prodops " + " ".join(path), tokens[len(path):])
            except click.ClickException as error:
                if "does not exist" not in error.format_message():  # a file the reader has, not this test
                    wrong.append(f"{line.strip()}: {error.format_message()}")
    assert not missing, f"commands without examples: {missing}"
    assert not wrong, wrong


def test_an_evaluation_set_nobody_described_stops_the_table(tmp_path):
    (tmp_path / "situations-2.yaml").write_text("items:\n- {split: tune}\n- {split: held-out}\n")
    assert "| `situations-2.yaml` | 2 | 1 | 1 |" in eval_sets_table(tmp_path)
    (tmp_path / "guesses.yaml").write_text("items: []\n")
    with pytest.raises(ValueError, match="guesses.yaml belongs to no family"):
        eval_sets_table(tmp_path)


def test_every_table_the_migrations_make_is_in_the_data_page():
    import sqlite_utils

    db = sqlite_utils.Database(memory=True)
    migrations.apply(db)
    page = (ROOT / "docs" / "data.md").read_text()
    missing = [table for table in db.table_names()
               if not table.startswith(("_", "documents_fts_")) and f"`{table}`" not in page]
    assert missing == [], f"docs/data.md's table of tables does not name {missing}"
