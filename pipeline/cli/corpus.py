"""`prodops retag` and `prodops eval`: work on the stored corpus and its quality."""

from __future__ import annotations

import sys

import click

from pipeline.cli.common import DEFAULT_DB
from pipeline.config.taxonomy import DEFAULT_TAXONOMY, load_taxonomy
from pipeline.store.database import open_database
from pipeline.store.retag import retag_corpus


@click.command()
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite database.")
@click.option("--taxonomy", "taxonomy_path", default=str(DEFAULT_TAXONOMY), show_default=True,
              help="Taxonomy file (YAML).")
def retag(db_path, taxonomy_path) -> None:
    """Re-apply the taxonomy (tags, relevance, why, content type) to every stored document,
    without fetching anything."""
    taxonomy = load_taxonomy(taxonomy_path)
    db = open_database(db_path)
    seen, changed = retag_corpus(db, taxonomy)
    click.echo(f"Retagged {seen} document(s); {changed} changed.")


@click.command("eval")
@click.option("--taxonomy", "taxonomy_path", default=str(DEFAULT_TAXONOMY), show_default=True,
              help="Taxonomy file (YAML) to evaluate.")
def evaluate_command(taxonomy_path) -> None:
    """Measure extraction, dedup, tagging and content-type quality on the labelled fixtures;
    exit status 1 when a figure is below its target."""
    from pipeline.quality.evaluation import evaluate, format_figures

    taxonomy = load_taxonomy(taxonomy_path)
    figures = evaluate(taxonomy)
    click.echo(format_figures(figures))
    low = [figure.name for figure in figures if not figure.met]
    if low:
        click.echo(f"Below target: {', '.join(low)}", err=True)
        sys.exit(1)
