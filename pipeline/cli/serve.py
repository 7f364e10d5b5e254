"""`prodops serve` and `prodops demo`: the published site, and the offline tour.

Datasette runs in this process (uvicorn, as `datasette serve` runs it), so a stop (SIGTERM,
Ctrl-C) stops the site with the command and leaves no server behind. Arbitrary SQL is off
unless `--sql` is given; `--no-sql`, the switch of the days it was on, is still accepted,
hidden from the help, and ignored with a note on stderr (a script that passed it keeps
working and gets what it asked for; beside `--sql` it is an error). What one query may allocate is bounded either way
(pipeline.publish.limits), SQLite's heap in this process included.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import sys

import click
import uvicorn

from pipeline.cli.common import DEFAULT_DB, UserError, labels_option, require_database, taxonomy_option
from pipeline.config.labels import DEFAULT_LABELS, load_labels
from pipeline.cli.crawl import run_and_report
from pipeline.config.lists import DEFAULT_LISTS, load_lists
from pipeline.config.taxonomy import DEFAULT_TAXONOMY, load_taxonomy
from pipeline.publish.curators import curators
from pipeline.publish.datasette import build_datasette
from pipeline.publish.limits import limit_process_heap
from pipeline.store.database import open_database
from pipeline.store.lists import publish_lists


@click.command()
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite database.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535))
@click.option("--sql", "allow_sql", is_flag=True,
              help="Also answer arbitrary SQL (read-only, 3 s and bounded memory a query); "
                   "without it: canned queries, search, tables and pages.")
@click.option("--no-sql", is_flag=True, hidden=True)  # the old default's switch: ignored, see above
@click.option("--lists", "lists_path", default=str(DEFAULT_LISTS), show_default=True,
              help="Curated lists to publish (and that signed-in curators pin to).")
@labels_option
@taxonomy_option
def serve(db_path, host, port, allow_sql, no_sql, lists_path, labels_path, taxonomy_path) -> None:
    """Publish the database with Datasette (read-only) using data/metadata.yml: a home page,
    search, document and list pages, the curated lists' Atom feeds and the charts.

    \b
    Examples:
      prodops serve
      prodops serve --db data/demo.db --port 8080
    """
    if allow_sql and no_sql:
        raise click.UsageError("--sql and --no-sql contradict each other; give --sql alone to answer SQL")
    if no_sql:
        click.echo("--no-sql is no longer needed: arbitrary SQL is off unless --sql is given.", err=True)
    require_database(db_path)
    serve_datasette(db_path, host, site_socket(host, port), allow_sql=allow_sql, lists_path=lists_path,
                    labels_path=labels_path, taxonomy_path=taxonomy_path)


def site_socket(host: str, port: int) -> socket.socket:
    """The site's socket, bound before anything else is done, and kept until uvicorn listens
    on it: a port in use is said in one line (exit 2) before a demo crawls, and no other
    program can take the port in between."""
    try:
        address = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)[0]
        bound = socket.socket(address[0], socket.SOCK_STREAM)
    except OSError as error:
        raise UserError(f"--host {host}: {error.strerror or error}; give an address of this machine") from None
    bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: a port just freed is free
    try:
        bound.bind(address[4])
    except OSError as error:
        bound.close()
        raise UserError(f"cannot serve on {host}:{port}: {error.strerror or error}; "
                        "give another port with --port (or `make run PORT=8002`)") from None
    return bound


def serve_datasette(db_path: str, host: str, site: socket.socket, allow_sql: bool = False,
                    lists_path: str = str(DEFAULT_LISTS), labels_path: str = str(DEFAULT_LABELS),
                    taxonomy_path: str = str(DEFAULT_TAXONOMY)) -> None:
    """Publish the lists into the database, then serve it until stopped (SIGTERM, Ctrl-C),
    with SQLite's heap in this process capped (pipeline.publish.limits). The files a
    curator's acts write to or check against are read first: a malformed one stops the site
    before it starts, not at a curator's first act."""
    concept_ids = set(load_taxonomy(taxonomy_path).ids())
    load_labels(labels_path, concept_ids)
    lists = load_lists(lists_path)
    db = open_database(db_path)  # creates the schema for a new path; refuses a non-SQLite file
    try:
        publish_lists(db, lists)
    finally:
        db.close()
    datasette = build_datasette(db_path, lists, allow_sql=allow_sql, lists_path=lists_path, labels_path=labels_path,
                                taxonomy_path=taxonomy_path)
    limit_process_heap()
    asyncio.run(datasette.invoke_startup())
    sql = "; arbitrary SQL on (--sql)" if allow_sql else ""
    port = site.getsockname()[1]
    click.echo(f"Serving {db_path} at http://{host}:{port}/{sql} (Ctrl-C stops)", err=True)
    if curators(db_path) and not is_loopback(host):
        click.echo(f"Warning: curators sign in with a password; on {host} put HTTPS in front of the site "
                   "(a reverse proxy, see the README's \"Curating in the browser\").", err=True)
    # uvicorn stops gracefully on SIGTERM and SIGINT, then raises the signal it caught again:
    # SIGINT's KeyboardInterrupt is a stop asked for (as uvicorn.run takes it), not an error.
    try:
        uvicorn.Server(uvicorn.Config(datasette.app(), log_level="warning", lifespan="on")).run(sockets=[site])
    except KeyboardInterrupt:
        pass


@click.command()
@click.option("--db", "db_path", default="data/demo.db", show_default=True)
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Datasette's port.")
@click.option("--no-serve", is_flag=True, help="Crawl the sample web and stop.")
def demo(db_path, port, no_serve) -> None:
    """Offline tour: crawl the bundled sample web (on 127.0.0.1) and serve the result.

    \b
    Examples:
      prodops demo
      prodops demo --no-serve --db /tmp/demo.db
    """
    from pipeline.demo.sampleweb import sample_sources, serve_sample_web

    site = None if no_serve else site_socket("127.0.0.1", port)  # a port in use is said before the crawl
    open_database(db_path).close()
    with serve_sample_web() as base_url:
        click.echo(f"Sample web running at {base_url}", err=True)
        sources = sample_sources(base_url)
        overrides = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0"}
        summary = run_and_report(sources, db_path, overrides, allow_private_network=True,
                                 verbose=False)
    if summary.stop_asked or summary.status != "finished":  # stopped (SIGTERM, Ctrl-C): so stop
        sys.exit(1)
    click.echo("(On purpose, the sample web answers 404 for one feed entry's page and serves another with no "
               "main text: both are kept from what their feed said, the reason in `page_error`; the page "
               "dropped for want of main text is a hub, whose links were followed.)")
    if site is not None:
        serve_datasette(db_path, "127.0.0.1", site)


def is_loopback(host: str) -> bool:
    """Whether `host` serves this machine only (localhost, 127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
