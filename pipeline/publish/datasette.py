"""Datasette configuration for a corpus database, from data/metadata.yml.

metadata.yml describes a database named `prodops` (data/prodops.db). Datasette names a
database after its file, so the description is re-keyed to the file actually served
(data/demo.db becomes `demo`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette.app import Datasette

from pipeline.config.files import PROJECT_DATA, parse_yaml
from pipeline.config.labels import DEFAULT_LABELS
from pipeline.config.lists import DEFAULT_LISTS
from pipeline.config.taxonomy import DEFAULT_TAXONOMY
from pipeline.publish.curators import curators, site_secret
from pipeline.store.citations import CITED_NOT_FOLLOWED_SQL

METADATA = PROJECT_DATA / "metadata.yml"
PLUGINS_DIR = Path(__file__).resolve().parent / "plugins"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
# Our scripts (Datasette's inline ones as files, for the CSP), served at /-/prodops-static/.
STATIC_MOUNT = ("-/prodops-static", str(Path(__file__).resolve().parent / "static"))
NAME_IN_FILE = "prodops"
# Datasette settings for a fast, read-only site: facet suggestions (the costly part of a
# search page over 10^5 documents) off, and time limits on facets and queries (every query,
# canned or, with `prodops serve --sql`, written by a visitor; its memory: publish.limits).
SETTINGS = {
    "suggest_facets": False,
    "facet_time_limit_ms": 50,
    "sql_time_limit_ms": 3000,
    "default_page_size": 50,
    "allow_download": False,
    "allow_csv_stream": False,  # CSV is buffered to neutralize formulas: keep it to one page
}


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives a database file."""
    return Path(db_path).stem


def load_metadata(db_path: str | Path, path: Path = METADATA) -> dict[str, Any]:
    """metadata.yml, re-keyed for the database at `db_path`."""
    metadata = parse_yaml(path.read_text(encoding="utf-8"))
    name = database_name(db_path)
    if name != NAME_IN_FILE:
        text = json.dumps(metadata).replace(f"/{NAME_IN_FILE}/", f"/{name}/")
        metadata = json.loads(text)
        databases = metadata.get("databases", {})
        if NAME_IN_FILE in databases:
            databases[name] = databases.pop(NAME_IN_FILE)
    return metadata


def list_queries(lists) -> dict[str, Any]:
    """One canned query per curated list (its items as resolved at serve time)."""
    queries = {}
    for curated in lists:
        queries[f"list_{curated.slug.replace('-', '_')}"] = {
            "title": f"List: {curated.title}",
            "description": curated.description,
            "sql": (
                "select i.position, d.title, d.url, d.sitename, d.published, d.content_type, "
                "i.note, c.verdict as link, c.detail as link_detail, c.checked_at as link_checked "
                "from list_items i join documents d on d.id = i.document_id "
                "left join link_checks c on c.url = d.url "
                f"where i.list_slug = '{curated.slug}' order by i.position"
            ),
        }
    return queries


def build_datasette(db_path: str | Path, lists=(), allow_sql: bool = False, labels_path: str | Path = DEFAULT_LABELS,
                    taxonomy_path: str | Path = DEFAULT_TAXONOMY, lists_path: str | Path = DEFAULT_LISTS) -> Datasette:
    """The published site: the one factory of the Datasette app, for `prodops serve` and
    the tests alike. Our metadata (re-keyed to the file, with a canned query per curated
    list), the read-only settings, and our plugin. Arbitrary SQL (and a table's `_where=`)
    only with `allow_sql`: canned queries, search, tables and our pages answer either way.
    With curators beside the database, `/-/login` signs them in, and their acts record
    judgements in `labels_path` (pipeline/publish/acts.py)."""
    metadata = load_metadata(db_path)
    queries = metadata.setdefault("databases", {}).setdefault(database_name(db_path), {})
    queries.setdefault("queries", {}).update(list_queries(lists))
    queries["queries"]["cited_not_followed"] = {
        "title": "Cited but not followed",
        "description": "Sites that relevant documents cite from their main text and no source is on, "
                       "ranked by the relevance of the citing documents (as `prodops sources suggest`). "
                       "Blank: at least 3 citing documents, 50 sites.",
        "sql": CITED_NOT_FOLLOWED_SQL,
    }
    # Sign-in only where there are curators (pipeline/publish/signin.py); their cookies are
    # signed with the secret kept beside the database, so they outlive a restart.
    sign_in = bool(curators(db_path))
    return Site([str(db_path)], metadata=metadata, plugins_dir=str(PLUGINS_DIR), template_dir=str(TEMPLATES_DIR),
                static_mounts=[STATIC_MOUNT], settings={**SETTINGS, "default_allow_sql": allow_sql},
                secret=site_secret(db_path) if sign_in else None,
                options=SiteOptions(sign_in, str(labels_path), str(taxonomy_path), str(lists_path)))


class Site(Datasette):
    """Datasette with the options our plugin reads (site_options): held on the app, not in
    its metadata, which /-/metadata.json shows to anyone; set before Datasette builds its
    routes (in its __init__, for its test client)."""

    def __init__(self, *args, options: SiteOptions, **kwargs):
        self.prodops = options
        super().__init__(*args, **kwargs)


@dataclass(frozen=True)
class SiteOptions:
    """What our plugin needs to know of the site it serves (`datasette.prodops`)."""

    sign_in: bool = False  # curators exist: /-/login and their acts (pipeline/publish/acts.py)
    labels_path: str = str(DEFAULT_LABELS)
    taxonomy_path: str = str(DEFAULT_TAXONOMY)
    lists_path: str = str(DEFAULT_LISTS)


def site_options(datasette) -> SiteOptions:
    """The options build_datasette gave the app (the defaults for an app made otherwise)."""
    return getattr(datasette, "prodops", None) or SiteOptions()
