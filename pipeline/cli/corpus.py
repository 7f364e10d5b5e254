"""`prodops retag`, `prodops reextract`, `prodops label` and `prodops eval`: work on the stored corpus, teach it,
and measure its quality."""

from __future__ import annotations

import sys

import click

from pipeline.cli.common import (UserError, check_since, cluster_options, db_option, labels_option,
                                 remake_signatures_first, require_database, scrapy_settings, taxonomy_option,
                                 use_cluster)
from pipeline.config.entities import DEFAULT_ENTITIES, load_entities
from pipeline.config.labels import load_labels
from pipeline.config.lists import DEFAULT_LISTS, load_lists
from pipeline.config.taxonomy import load_taxonomy
from pipeline.quality import GROUPS as EVAL_GROUPS
from pipeline.store.bodies import stored_size
from pipeline.store.database import open_database
from pipeline.store.labels import JudgementError, mirror_labels, record_label


@click.command()
@db_option
@taxonomy_option
@labels_option
@click.option("--lists", "lists_path", default=str(DEFAULT_LISTS), show_default=True,
              help="Lists file (YAML): pinned URLs count as relevant, excluded ones as not.")
@click.option("--entities", "entities_path", default=str(DEFAULT_ENTITIES), show_default=True,
              help="Entities file (YAML): tools, frameworks and methods to index.")
@cluster_options("Tag on this Dask scheduler's workers (tls://host:8786; tcp:// on this machine).")
def retag(db_path, taxonomy_path, labels_path, lists_path, entities_path, cluster, cluster_insecure) -> None:
    """Re-apply the taxonomy (tags, relevance, why, content type), the entities and the
    curator's labels to every stored document, without fetching anything.

    \b
    Examples:
      prodops retag
      prodops retag --taxonomy my-taxonomy.yaml
    """
    # Imported here: scikit-learn and SciPy would cost every other command (the crawler
    # among them) memory and start-up time (docs/benchmarks.md, "Measurements behind
    # choices in the code").
    from pipeline.store.retag import retag_corpus

    taxonomy = load_taxonomy(taxonomy_path)
    entities = tuple(load_entities(entities_path))
    labels = load_labels(labels_path, set(taxonomy.ids()))
    lists = load_lists(lists_path) if lists_path else []
    require_database(db_path)
    client = use_cluster(cluster, client=True, insecure=cluster_insecure) if cluster else None
    db = open_database(db_path)
    try:
        mirror_labels(db, labels, lists)
        summary = retag_corpus(db, taxonomy, entities, executor=client)
    finally:
        if client is not None:
            client.close()
    learned = (f"learned from {summary.labels} label(s)" if summary.learned
               else f"{summary.labels} label(s), fewer than 20: scores as tagged")
    click.echo(f"Retagged {summary.seen} document(s); {summary.changed} changed; {learned}.")


@click.command()
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Only this source's documents (repeatable).")
@click.option("--since", help="Only bodies fetched on or after this date (YYYY-MM-DD).")
@db_option
@click.option("-s", "settings", multiple=True, metavar="NAME=VALUE",
              help="A crawl setting, e.g. -s PRODOPS_EXTRACTION_FAVOUR=recall.")
def reextract(source_ids, since, db_path, settings) -> None:
    """Re-run extraction and the later stages over the kept bodies with the installed
    versions and the crawl's settings, without fetching anything; report per source how
    many documents' text changed and by how many words. Exit status: 0 done, 1 interrupted,
    2 bad input, 75 a crawl is writing the database.

    \b
    Examples:
      prodops reextract
      prodops reextract --source acme-blog
    """
    from pipeline.crawl.lock import CrawlLockedError, crawl_lock
    from pipeline.crawl.reextract import Reextraction
    from pipeline.crawl.reextract import reextract as reextract_corpus
    from pipeline.crawl.runner import crawl_settings

    check_since(since)
    db = open_database(require_database(db_path))
    known = {row[0] for row in db.execute("SELECT id FROM sources UNION SELECT DISTINCT source_id FROM documents")}
    count, size = stored_size(db)
    db.close()
    for source_id in source_ids:
        if source_id not in known:
            raise UserError(f"no source {source_id!r} in {db_path} (sources: {', '.join(sorted(known)) or 'none'})")
    work = Reextraction(crawl_settings(db_path, scrapy_settings(settings)))
    if count == 0:
        click.echo(f"No fetched bodies are kept in {db_path} (PRODOPS_BODIES_MAX_MB = 0, or no crawl "
                   "since bodies were kept): nothing to re-extract.")
        return
    try:
        with crawl_lock(db_path):
            remake_signatures_first(db_path)  # a changed text is clustered by comparing them
            report = reextract_corpus(work, db_path, tuple(source_ids), since)
    except CrawlLockedError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(75)
    click.echo(reextract_table(report))
    rate = report.documents / report.seconds if report.seconds else 0.0
    versions = ", ".join(f"{name} ({n})" for name, n in report.extractors.most_common()) or "none"
    click.echo(f"Re-extracted {report.documents} document(s) in {report.seconds:.1f} s "
               f"({rate:.1f} documents/s) from {count} kept bodies ({size / 1048576:.1f} MiB); "
               f"extracted by {versions}.")
    if report.interrupted:
        click.echo("Interrupted: the documents re-extracted so far are saved.", err=True)
        sys.exit(1)


def reextract_table(report) -> str:
    """The per-source report of `prodops reextract`, as an aligned table."""
    header = f"{'source':<24} {'documents':>9} {'changed':>8} {'words +':>9} {'words -':>9} {'no text':>8}"
    lines = [header]
    for source_id, c in sorted(report.sources.items()):
        lines.append(f"{source_id:<24} {c.documents:>9} {c.changed:>8} {c.words_added:>9} "
                     f"{c.words_removed:>9} {c.no_text:>8}")
    return "\n".join(lines)


@click.command()
@click.argument("url")
@click.option("--relevant", "is_relevant", is_flag=True, help="The document is about product ops.")
@click.option("--not-relevant", "not_relevant", is_flag=True, help="The document is not about product ops.")
@click.option("--concept", "concepts", multiple=True, metavar="ID", help="A concept it is about (repeatable).")
@click.option("--not-concept", "not_concepts", multiple=True, metavar="ID",
              help="A concept it is not about, though tagged so (repeatable).")
@db_option
@labels_option
@taxonomy_option
def label(url, is_relevant, not_relevant, concepts, not_concepts, db_path, labels_path, taxonomy_path) -> None:
    """Record a judgement of a stored document (table `labels` and the labels file);
    `prodops retag` learns from the labels.

    \b
    Examples:
      prodops label https://example.com/post --relevant --concept voice-of-customer
      prodops label https://example.com/other --not-relevant
    """
    if is_relevant and not_relevant:
        raise UserError("give --relevant or --not-relevant, not both")
    relevant = True if is_relevant else False if not_relevant else None
    both = set(concepts) & set(not_concepts)
    if both:  # (record_label refuses it too; here in the options' words)
        raise UserError(f"concept {sorted(both)[0]!r} given as --concept and --not-concept")
    require_database(db_path)
    try:
        record_label(open_database(db_path), labels_path, set(load_taxonomy(taxonomy_path).ids()), url, relevant,
                     concepts, not_concepts)
    except JudgementError as error:
        raise UserError(str(error)) from None
    judged = [] if relevant is None else ["relevant" if relevant else "not relevant"]
    judged += [f"+{c}" for c in concepts] + [f"-{c}" for c in not_concepts]
    click.echo(f"Labelled {url}: {', '.join(judged)} (run `prodops retag` to learn from it)")


@click.command("eval")
@taxonomy_option
@click.option("--labels", "use_labels", is_flag=True,
              help="Instead: cross-validate on the curator's labels in --db, before and after learning.")
@db_option
@click.option("--semantic/--no-semantic", default=True, show_default=True,
              help="Tag with the semantic signal (off: phrases only, for comparison).")
@click.option("--only", "groups", multiple=True, type=click.Choice(EVAL_GROUPS),
              help="Measure only this group of figures (repeat for more; default: all). "
                   "relevance parses the neighbourhood's feeds: most of the time eval takes.")
@cluster_options("Read the labelled pages on this Dask scheduler's workers.")
def evaluate_command(taxonomy_path, use_labels, db_path, semantic, groups, cluster, cluster_insecure) -> None:
    """Measure extraction, dedup, tagging and content-type quality on the labelled sets;
    exit status 1 when a figure is below its target.

    \b
    Examples:
      prodops eval
      prodops eval --only markup --only labelled
      prodops eval --labels
    """
    taxonomy = load_taxonomy(taxonomy_path)
    if use_labels:
        _evaluate_labels(taxonomy, db_path)
        return
    from pipeline.quality.evaluation import evaluate, format_figures

    client = use_cluster(cluster, client=True, insecure=cluster_insecure) if cluster else None
    try:
        mapper = (lambda function, items: client.gather(client.map(function, items, pure=False))) if client else map
        figures = evaluate(taxonomy, semantic, mapper, groups or EVAL_GROUPS)
    finally:
        if client is not None:
            client.close()
    click.echo(format_figures(figures))
    low = [figure.name for figure in figures if not figure.met]
    if low:
        click.echo(f"Below target: {', '.join(low)}", err=True)
        sys.exit(1)


def _evaluate_labels(taxonomy, db_path) -> None:
    from pipeline.quality.evaluation import format_cross_validation
    from pipeline.store.retag import labelled_examples
    from pipeline.understand.learning import MIN_LABELS, cross_validate

    db = open_database(require_database(db_path))
    examples = labelled_examples(db, taxonomy)
    if len(examples) < MIN_LABELS:
        raise UserError(f"{len(examples)} labelled document(s) in {db_path}; cross-validation needs "
                        f"at least {MIN_LABELS}: label more with `prodops label`")
    click.echo(format_cross_validation(cross_validate(taxonomy, examples)))
