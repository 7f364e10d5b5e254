"""`prodops export`: a curated list or a selection as Markdown, CSV, JSON, Atom or HTML;
the feed sources as OPML."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from pipeline.cli.common import DEFAULT_SOURCES, UserError, check_filters, require_database
from pipeline.cli.lists import db_option, find_list, lists_option
from pipeline.config.files import replace_file
from pipeline.config.lists import CuratedList, load_lists, rules_from
from pipeline.config.source_files import export_opml
from pipeline.config.sources import load_sources
from pipeline.config.taxonomy import load_taxonomy
from pipeline.publish.export import to_atom, to_csv, to_html, to_json, to_markdown
from pipeline.store.database import open_database
from pipeline.store.lists import resolve


def write_output(text: str, output: str | None) -> None:
    """Write to stdout, or atomically to exactly the file asked for (a temporary file in the
    same folder, renamed over it): nothing is ever written anywhere else."""
    if output in (None, "-"):
        click.echo(text, nl=False)
        return
    if not output.strip():  # (Path("") is the current folder)
        raise UserError("-o is empty: give a file name, or omit -o for standard output")
    path = Path(output)
    if path.is_symlink():
        path = path.resolve()  # written through: the file the link names is replaced, the link stays
    if path.is_dir():
        raise UserError(f"-o {output}: is a folder; give a file name")
    if path.exists() and not path.is_file():
        raise UserError(f"-o {output}: not a regular file (a device, a pipe); give a file name, or omit -o")
    if not path.parent.exists():
        raise UserError(f"-o {output}: folder {path.parent} does not exist")
    try:
        replace_file(path, text)
    except OSError as error:  # a read-only file system, a folder such as /proc that takes no new file
        raise UserError(f"-o {output}: cannot write a file in {path.parent} ({error.strerror}); "
                        "give a file in a folder you may write") from None
    click.echo(f"Wrote {path}", err=True)



@click.command("export")
@click.option("--format", "output_format", type=click.Choice(["md", "csv", "json", "atom", "opml", "html"]),
              default="md", show_default=True)
@click.option("--list", "slug", help="A curated list (else: every canonical document the filters pick).")
@click.option("--tag", "concepts", multiple=True, help="Only documents with this concept (repeatable).")
@click.option("--type", "types", multiple=True, help="Only this content type (repeatable).")
@click.option("--since", help="Published on or after (YYYY-MM-DD).")
@click.option("--min-relevance", type=click.FloatRange(0, 1))
@click.option("--limit", type=click.IntRange(1), default=1000, show_default=True)
@click.option("-o", "output", help="Output file (default: standard output).")
@lists_option
@db_option
@click.option("--sources", "sources_path", default=DEFAULT_SOURCES, show_default=True,
              help="Sources file (for --format opml).")
def export(output_format, slug, concepts, types, since, min_relevance, limit, output, lists_path,
           db_path, sources_path) -> None:
    """Export a curated list or a selection of documents as Markdown, CSV, JSON, Atom or HTML;
    or the feed sources as OPML.

    \b
    Examples:
      prodops export --list prodops-onboarding --format md -o onboarding.md
      prodops export --tag voice-of-customer --format csv --since 2026-01-01
      prodops export --format opml > sources.opml
    """
    # The options that pick documents; said when given where they would pick nothing.
    given = [name for name, value in (("--tag", concepts), ("--type", types), ("--since", since),
                                      ("--min-relevance", min_relevance)) if value not in (None, (), "")]
    if click.get_current_context().get_parameter_source("limit") is not ParameterSource.DEFAULT:
        given.append("--limit")
    if output_format == "opml":
        # OPML lists the feed sources, not documents: a filter given with it would be ignored.
        given = ["--list"] * bool(slug) + given
        if given:
            raise UserError(f"--format opml lists the feed sources, not documents: {', '.join(given)} "
                            "would pick nothing in it; leave them out, or choose another --format")
        write_output(export_opml(load_sources(sources_path)), output)
        return
    if slug and given:
        # A curated list is exported as its curator made it (its own rules and pins).
        raise UserError(f"--list {slug} exports the list as curated: {', '.join(given)} would be ignored; "
                        "leave them out, or leave out --list to export the documents they pick")
    taxonomy = load_taxonomy()
    check_filters(taxonomy, concepts, types, since, min_relevance=min_relevance)
    if slug:
        lists = load_lists(lists_path)
        curated = find_list(lists, slug, lists_path)
    else:
        curated = CuratedList("selection", "ProdOps Curator selection", "",
                              rules_from(concepts, types, min_relevance, since, limit))
    rows = resolve(open_database(require_database(db_path)), curated)
    if output_format == "md":
        labels = {c.id: c.label for c in taxonomy.concepts}
        text = to_markdown(curated.title, curated.description, rows, labels)
    elif output_format == "csv":
        text = to_csv(rows)
    elif output_format == "json":
        text = to_json(curated.title, rows)
    elif output_format == "atom":
        text = to_atom(curated.title, f"urn:prodops-curator:list:{curated.slug}", rows)
    else:
        text = to_html(curated.title, curated.description, rows)
    write_output(text, output)
