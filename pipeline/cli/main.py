"""The `prodops` command line: the group, and where each of its commands lives (imported
when it is used)."""

from __future__ import annotations

import click

from pipeline.cli.common import CuratorGroup

COMMANDS = {
    "crawl": "pipeline.cli.crawl:crawl",
    "serve": "pipeline.cli.serve:serve",
    "demo": "pipeline.cli.serve:demo",
    "sources": "pipeline.cli.sources:sources",
    "lists": "pipeline.cli.lists:lists_group",
    "export": "pipeline.cli.export:export",
    "retag": "pipeline.cli.corpus:retag",
    "reextract": "pipeline.cli.corpus:reextract",
    "label": "pipeline.cli.corpus:label",
    "eval": "pipeline.cli.corpus:evaluate_command",
    "search": "pipeline.cli.search:search_command",
    "curators": "pipeline.cli.curators:curators_group",
}


@click.group(cls=CuratorGroup, lazy_commands=COMMANDS)
@click.version_option(package_name="prodops-curator")
def main() -> None:
    """ProdOps Curator: collect, understand and publish product-ops resources."""
