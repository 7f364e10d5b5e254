"""The layer rule, written once as data: tests/test_layers.py checks every import against
it, and the layers table of docs/architecture.md is printed from it.

Layers are listed bottom first. A module may import from its own layer and the layers
below it, never from a layer above. Some libraries are kept to the layers that need them
(Scrapy where crawling happens, click at the command line, Datasette where publishing is,
SQLite where the corpus is stored), so the pure layers stay pure.
"""

from __future__ import annotations

# (package, what it holds), bottom first. "pipeline" is the root package's own modules.
LAYERS: tuple[tuple[str, str], ...] = (
    ("feeds", "feeds, sitemaps, OPML, robots.txt and feed discovery read from bytes; dates"),
    ("pipeline", "STAGES (the stage order), the Page item, the clock, the run's counters"),
    ("pipeline.config", "the files a curator edits: sources, taxonomy, curated lists, labels"),
    ("pipeline.demo", "the bundled sample web (demo, tests, benchmarks)"),
    ("pipeline.understand", "pure functions: canonical URLs, charsets, extraction, PDF, "
                            "content type, tags, signatures; a worker's warm-up"),
    ("pipeline.store", "SQLite: schema and migrations, documents, clusters, runs and source "
                       "health, validators, lists resolved, retagging, kept bodies, link checks, "
                       "citations, drift and scorecards"),
    ("pipeline.stages", "the Scrapy item stages over understand and store; the worker pool"),
    ("spiders", "the Scrapy project: one navigation module per kind of source, middlewares"),
    ("pipeline.crawl", "running a crawl: the runner, the run log, progress, the lock; "
                       "re-extraction from kept bodies"),
    ("pipeline.publish", "Datasette's settings and plugin, the search engine, the exports"),
    ("pipeline.quality", "measuring corpus quality (`prodops eval`)"),
    ("pipeline.cli", "the `prodops` command line, one module per command group"),
)

# Libraries kept to some layers: library -> the layers that may import it.
ONLY_IN: dict[str, tuple[str, ...]] = {
    "scrapy": ("pipeline.stages", "spiders", "pipeline.crawl", "pipeline.cli"),
    "twisted": ("pipeline.stages", "spiders", "pipeline.crawl", "pipeline.cli"),
    "click": ("pipeline.cli",),
    "distributed": ("pipeline.stages",),  # the cluster pool; the CLI reaches it through pipeline.stages.cluster
    "datasette": ("pipeline.publish",),
    "sqlite3": ("pipeline.store", "pipeline.stages", "spiders", "pipeline.crawl",
                "pipeline.publish", "pipeline.quality", "pipeline.cli"),
    "sqlite_utils": ("pipeline.store", "pipeline.stages", "spiders", "pipeline.crawl",
                     "pipeline.publish", "pipeline.quality", "pipeline.cli"),
}


def layer_of(module: str) -> str | None:
    """The layer a module (or an imported name's module) belongs to, or None if it is not
    the project's."""
    names = [name for name, _ in LAYERS]
    candidates = [name for name in names if module == name or module.startswith(name + ".")]
    if not candidates:
        return None
    return max(candidates, key=len)  # pipeline.store.runs is in pipeline.store, not pipeline


def rank(layer: str) -> int:
    """Position of a layer, 0 at the bottom."""
    return [name for name, _ in LAYERS].index(layer)
