"""The generated parts of docs/, made from the code so they cannot drift: the command line's
synopsis (from the click commands), the table of the project's settings (from
spiders/settings.py and its comments), the documents' columns (from the schema the
migrations create, described in data/metadata.yml), and the layers (pipeline/layers.py).
docs/commands.md, configuration.md, data.md and architecture.md call these in cog blocks;
tests/test_readme.py fails when a page differs from what they print."""

from __future__ import annotations

import io
import tokenize
from pathlib import Path
from typing import cast

import click
import sqlite_utils

from pipeline.cli.main import main
from pipeline.config.files import PROJECT_DATA, parse_yaml
from pipeline.layers import LAYERS, ONLY_IN
from pipeline.store.database import migrations

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = ROOT / "spiders" / "settings.py"
WIDTH = 100


def synopsis(command: click.Command = main, path: str = "prodops") -> str:
    """One usage line (wrapped) per command, subcommands included, in the order of `--help`."""
    if isinstance(command, click.Group):
        # (cast: a name from list_commands always has its command)
        return "\n".join(synopsis(cast(click.Command, command.get_command(click.Context(command), name)),
                                  f"{path} {name}")
                         for name in command.list_commands(click.Context(command)))
    parts = []
    for param in command.params:
        if isinstance(param, click.Argument):
            parts.append(param.human_readable_name.upper())
        elif isinstance(param, click.Option) and not param.hidden and param.name != "help":
            name = max(param.opts, key=len)
            shown = name if param.is_flag else f"{name} {_metavar(param)}"
            parts.append(shown if param.required else f"[{shown}]" + ("..." if param.multiple else ""))
    lines, indent = [path], " " * len(path)
    for part in parts:  # wrapped between options, never inside one
        if len(lines[-1]) + 1 + len(part) > WIDTH:
            lines.append(indent)
        lines[-1] += " " + part
    return "\n".join(lines)


def _metavar(option: click.Option) -> str:
    if option.metavar:
        return option.metavar
    if isinstance(option.type, click.Choice):
        return "|".join(option.type.choices)
    if isinstance(option.default, (str, int, float)) and option.default != "" and not option.multiple:
        return _shown(option.default)
    return option.name.upper()


def _shown(value) -> str:
    """A default as a reader would type it: the project's own files relative to its root."""
    text = str(value)
    return text.removeprefix(str(ROOT) + "/") if text.startswith(str(ROOT)) else text


def commands_table(command: click.Group = main, path: str = "prodops") -> str:
    """A Markdown table: each command and the first line of its help."""
    rows = ["| command | what it does |", "|---|---|"]
    for name in command.list_commands(click.Context(command)):
        sub = cast(click.Command, command.get_command(click.Context(command), name))  # as in synopsis
        if isinstance(sub, click.Group):
            rows += commands_table(sub, f"{path} {name}").splitlines()[2:]
        else:
            summary = " ".join((sub.help or "").split("\n\n")[0].split())
            rows.append(f"| `{path} {name}` | {summary} |")
    return "\n".join(rows)


def settings_table() -> str:
    """A Markdown table of the PRODOPS_* settings: default and the comment beside it."""
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    for name, default, comment in project_settings():
        rows.append(f"| `{name}` | `{default}` | {comment} |")
    return "\n".join(rows)


def project_settings() -> list[tuple[str, str, str]]:
    """(name, default, the comment beside it) of each PRODOPS_* setting, in file order."""
    import spiders.settings as defaults

    found, line_tokens = [], []
    for token in tokenize.generate_tokens(io.StringIO(SETTINGS_FILE.read_text(encoding="utf-8")).readline):
        line_tokens.append(token)
        if token.type in (tokenize.NEWLINE, tokenize.NL):
            if line_tokens[0].type == tokenize.NAME and line_tokens[0].string.startswith("PRODOPS_"):
                comment = next((t.string.lstrip("# ") for t in line_tokens if t.type == tokenize.COMMENT), "")
                name = line_tokens[0].string
                found.append((name, _shown(getattr(defaults, name)), comment))
            line_tokens = []
    return found


def layers_table() -> str:
    """A Markdown table of the layers (pipeline/layers.py), bottom first, and the libraries
    kept to some of them."""
    rows = ["| layer | what it holds | may also import |", "|---|---|---|"]
    for name, holds in LAYERS:
        libraries = ", ".join(library for library, homes in ONLY_IN.items() if name in homes)
        rows.append(f"| `{name.replace('.', '/')}/` | {holds} | {libraries or '-'} |")
    return "\n".join(rows)


def documents_columns() -> str:
    """A Markdown table of the documents table's columns as the migrations make them, with
    the descriptions Datasette shows (data/metadata.yml)."""
    db = sqlite_utils.Database(memory=True)
    migrations.apply(db)
    described = _column_descriptions()
    rows = ["| column | type | meaning |", "|---|---|---|"]
    for column in db["documents"].columns:
        rows.append(f"| `{column.name}` | {column.type or 'any'} | {described.get(column.name, '')} |")
    return "\n".join(rows)


def _column_descriptions() -> dict[str, str]:
    metadata = parse_yaml((PROJECT_DATA / "metadata.yml").read_text(encoding="utf-8"))
    return metadata["databases"]["prodops"]["tables"]["documents"]["columns"]
