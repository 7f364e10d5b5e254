"""`prodops search`: the site's search from the command line, for scripts and cron."""

from __future__ import annotations

import difflib
import json

import click

from pipeline.cli.common import DEFAULT_DB, UserError, check_filters, require_database
from pipeline.config.taxonomy import load_taxonomy


class WordsCommand(click.Command):
    """A command whose words may begin with a dash: `prodops search okr -template`. Click
    would read `-template` as the short options -t -e -m ...; this command has no short
    options, so click's ignore_unknown_options hands each such word to WORDS as it is. A
    mistyped long option (`--jsn`) is still an error, not a word; after `--` all are words."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options = [param for param in self.get_params(ctx) if isinstance(param, click.Option)]
        known = {name for option in options for name in (*option.opts, *option.secondary_opts)}
        takes_value = {name for option in options if not option.is_flag for name in option.opts}
        previous = None
        for arg in args:
            if arg == "--":
                break
            name = arg.split("=", 1)[0]
            if arg.startswith("--") and name not in known and previous not in takes_value:
                raise click.NoSuchOption(name, possibilities=difflib.get_close_matches(name, known), ctx=ctx)
            previous = arg
        return super().parse_args(ctx, args)


@click.command(cls=WordsCommand, context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1)
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite database.")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="Results to print.")
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="Only this content type (repeatable: any of them).")
@click.option("--tag", "tags", multiple=True, metavar="CONCEPT",
              help="Only documents with this concept (repeatable: any).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON (as /-/search.json).")
def search_command(words, db_path, limit, types, tags, as_json) -> None:
    """Search the corpus by words and meaning, as the site's search does: print each result's
    title, URL, type and how it matched. The words need no quotes; with none, --type and
    --tag browse.

    Any word may match; +word or "word" (a "phrase") is required, -word, NOT word or
    -"phrase" excluded: from the words' and the meaning's matches alike. Excluded words
    alone browse every document without them.

    \b
    Examples:
      prodops search quarterly planning
      prodops search okr -template
      prodops search onboarding --type guide-playbook --json
      prodops search --tag enablement-training
    """
    query = " ".join(words)
    # Imported here: the search engine loads numpy and the embedding model.
    from pipeline.publish.search import search
    from pipeline.store.database import open_read_only

    if not query.strip() and not (types or tags):
        raise UserError("give words to search for, or --type / --tag to browse")
    taxonomy = load_taxonomy()
    check_filters(taxonomy, tags, types)
    conn = open_read_only(require_database(db_path))
    assert conn is not None  # the file is there: just checked
    try:  # a file that is not a corpus: SQLite's error, said in a line by the CLI group
        result = search(conn, query, {"content_type": list(types), "tags": list(tags)}, page_size=limit)
    finally:
        conn.close()
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2))
        return
    if result.note:
        click.echo(result.note, err=True)
    if result.excluded:
        click.echo(f"Leaving out documents with {' or '.join(result.excluded)} (in any form).", err=True)
    if not result.rows:
        click.echo(f"No document matches {query!r}.")
        return
    labels = taxonomy.type_labels()
    for number, row in enumerate(result.rows, start=1):
        click.echo(f"{number}. {row['title'] or row['url']}\n   {row['url']}\n"
                   f"   {labels.get(row['content_type'], row['content_type'])} · matched by "
                   f"{row['matched_by'].replace('+', ' and ')}")
