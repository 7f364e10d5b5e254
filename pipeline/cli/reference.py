"""The generated parts of docs/, made from the code so they cannot drift: the command line's
synopsis (from the click commands), the table of the project's settings (from
spiders/settings.py and its comments), the documents' columns (from the schema the
migrations create, described in data/metadata.yml), the layers (pipeline/layers.py), the
evaluation sets in data/eval/ by family (their files and items, counted) and `prodops eval`'s
targets. docs/commands.md, configuration.md, data.md, architecture.md and quality.md call
these in cog blocks; tests/test_readme.py fails when a page differs from what they print."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import Counter
from pathlib import Path
from typing import cast

import click
import sqlite_utils

from pipeline.cli.main import main
from pipeline.config.files import PROJECT_DATA, parse_yaml
from pipeline.layers import LAYERS, ONLY_IN
from pipeline.quality.figures import TARGETS
from pipeline.store.migrations import migrations

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
            name = param.human_readable_name.upper()
            if param.nargs == -1 and not name.endswith("..."):  # any number of them (unless its metavar says so)
                name = f"{name}..." if param.required else f"[{name}]..."
            parts.append(name)
        elif isinstance(param, click.Option) and not param.hidden and param.name != "help":
            name = max(param.opts, key=len)
            if param.secondary_opts:  # an on/off switch: both its names, as --help shows them
                name += "/" + max(param.secondary_opts, key=len)
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


def modules_table(root: Path = Path(__file__).resolve().parents[2]) -> str:
    """A Markdown table of every module, layer by layer (bottom first), with what its
    docstring says it is: the first sentence, or where that runs long, its part before the
    first colon or dash."""
    rows = ["| module | what it is |", "|---|---|"]
    layers = {name for name, _ in LAYERS}
    for name, _ in LAYERS:
        folder = root.joinpath(*name.split("."))
        for path in sorted(folder.glob("*.py")) + sorted(folder.glob("*/*.py")):
            if path.parent != folder and ".".join(path.parent.relative_to(root).parts) in layers:
                continue  # a sub-package that is a layer of its own is listed there
            if path.name == "__init__.py" and path.parent == folder and name != "pipeline":
                continue  # a layer's package (a sub-package's says what the package is for)
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            rows.append(f"| `{path.relative_to(root).as_posix()}` | {_first_sentence(doc)} |")
    return "\n".join(rows)


def _first_sentence(doc: str, longest: int = 170) -> str:
    text = " ".join(doc.split("\n\n")[0].split())
    sentence = re.split(r"(?<=[a-z)`])\. ", text, maxsplit=1)[0].rstrip(".:")
    if len(sentence) > longest:
        head = re.split(r": | — | -- ", sentence, maxsplit=1)[0]
        if 20 <= len(head) <= longest:
            sentence = head
        else:
            sentence = sentence[:longest].rsplit(" ", 1)[0]
            if sentence.count("`") % 2:  # never cut inside a code span
                sentence = sentence[:sentence.rindex("`")].rstrip(" (")
            sentence += " ..."
    return sentence.replace("|", "\\|")


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


# What each family of data/eval/ files is, for docs/quality.md's table. A file that matches
# no family fails the table (and so the docs' check): a new set is described when it is added.
EVAL_FAMILIES = (
    (r"labelled", "the project set: 62 items written with the taxonomy (scored as held-out)"),
    (r"situations", "pages written from situations a product-ops team lives through, with hard "
                    "negatives from neighbouring fields; types adjudicated by three hands"),
    (r"situations-(second|third)-labels", "the second and third hands' types for the situations set"),
    (r"situations-(fourth|fifth)-labels", "two checking hands' types for the situations set (not its reference)"),
    (r"situations-held-out-2", "a second held-out set in the situations set's style (session 27)"),
    (r"situations-held-out-2-(second|third)-labels", "its second and third hands' types"),
    (r"situations-\d+", "tune batches by further blind hands: a team's process, templates in prose, "
                         "short pages, rules and rights, beside the stories and news about them; blogs' posts "
                         "(session 37); short pages in the first set's manner again (session 38)"),
    (r"lookalikes", "pages written the way the neighbourhood writes: product ops never named, "
                    "and its words borrowed for something else"),
    (r"lookalikes-\d+", "tune batches in its manner (-7: a team's practice told on its blog)"),
    (r"lookalikes-7-(second|third)-labels", "two later hands' types for lookalikes-7, reported beside its first's"),
    (r"markup", "whole pages whose markup is specific, generic, misleading or absent"),
    (r"markup-[23]", "two more held-out sets in markup.yaml's mix, never looked at item by item"),
    (r"markup-tune-\d+", "tune batches of the hard cases, each by another blind hand"),
    (r"pdfs", "PDFs a crawl meets (forms, playbooks, reports, decks, releases), written blind as "
              "their metadata, text lines and fields; made into real PDFs when measured"),
    (r"pdfs-\d+", "40 more each, all tune, written by one blind hand and typed by another (session 36)"),
    (r"real-pages", "Readability's real test pages with a main text, typed by a blind hand (tune)"),
    (r"real-posts(-2)?", "real posts of the neighbourhood's feeds typed by a blind hand "
                         "(-2: tune posts the classifier filed as articles)"),
    (r"queries", "search queries with the pages that answer them"),
)


def eval_sets_table(folder: Path = PROJECT_DATA / "eval") -> str:
    """A Markdown table of the evaluation sets in data/eval/, a row per family of files: how
    many files and items, and how many items each split holds (an item without a split is
    read whole: the project set as held-out, another hand's types beside the set they type,
    the real pages as tune)."""
    rows = ["| files | items | tune | held-out | what |", "|---|---|---|---|---|"]
    families: dict[str, list[Path]] = {pattern: [] for pattern, _ in EVAL_FAMILIES}
    for path in sorted(folder.glob("*.yaml"), key=_natural):
        pattern = next((pattern for pattern, _ in EVAL_FAMILIES if re.fullmatch(pattern, path.stem)), None)
        if pattern is None:
            raise ValueError(f"{path.name} belongs to no family of EVAL_FAMILIES: describe it there")
        families[pattern].append(path)
    for pattern, what in EVAL_FAMILIES:
        paths = families[pattern]
        items = [item for path in paths for item in _eval_items(path)]
        splits = Counter(item.get("split") for item in items if isinstance(item, dict))
        names = ", ".join(f"`{path.name}`" for path in paths) if len(paths) <= 2 else \
            f"{len(paths)} files, `{paths[0].name}` to `{paths[-1].name}`"
        rows.append(f"| {names} | {len(items)} | {splits['tune'] or '-'} | {splits['held-out'] or '-'} | {what} |")
    return "\n".join(rows)


def _natural(path: Path) -> tuple:
    """situations-2 before situations-10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.stem))


def _eval_items(path: Path) -> list:
    data = parse_yaml(path.read_text(encoding="utf-8"))
    return data.get("items") or data.get("queries") or []


def targets_table() -> str:
    """A Markdown table of `prodops eval`'s targets (pipeline/quality/figures.py)."""
    rows = ["| figure | target |", "|---|---|"]
    rows += [f"| {name} | {target:g} |" for name, target in TARGETS.items()]
    return "\n".join(rows)


def drop_reasons_table() -> str:
    """A Markdown table of why a crawl leaves items out (pipeline.counters.DROP_REASONS);
    every reason must say what it means."""
    from pipeline.counters import DROP_REASONS, DropReason

    unsaid = [reason.value for reason in DropReason if reason not in DROP_REASONS]
    if unsaid:
        raise ValueError(f"drop reasons without a meaning in DROP_REASONS: {', '.join(unsaid)}")
    rows = ["| reason | meaning |", "|---|---|"]
    rows += [f"| `{reason.value}` | {DROP_REASONS[reason]} |" for reason in DropReason]
    return "\n".join(rows)
