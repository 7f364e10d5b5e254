"""The `prodops` command line: the group, and the commands of each module of this package."""

from __future__ import annotations

import click

from pipeline.cli.common import CuratorGroup
from pipeline.cli.corpus import evaluate_command, label, reextract, retag
from pipeline.cli.crawl import crawl
from pipeline.cli.export import export
from pipeline.cli.lists import lists_group
from pipeline.cli.serve import demo, serve
from pipeline.cli.sources import sources


@click.group(cls=CuratorGroup)
@click.version_option(package_name="prodops-curator")
def main() -> None:
    """ProdOps Curator: collect, understand and publish product-ops resources."""


for command in (crawl, serve, demo, sources, lists_group, export, retag, reextract, label, evaluate_command):
    main.add_command(command)
