"""Datasette configuration for a corpus database, from data/metadata.yml.

metadata.yml describes a database named `prodops` (data/prodops.db). Datasette names a
database after its file, so the description is re-keyed to the file actually served
(data/demo.db becomes `demo`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

METADATA = Path(__file__).resolve().parents[1] / "data" / "metadata.yml"
NAME_IN_FILE = "prodops"


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives a database file."""
    return Path(db_path).stem


def load_metadata(db_path: str | Path, path: Path = METADATA) -> dict[str, Any]:
    """metadata.yml, re-keyed for the database at `db_path`."""
    metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
    name = database_name(db_path)
    if name != NAME_IN_FILE:
        text = json.dumps(metadata).replace(f"/{NAME_IN_FILE}/", f"/{name}/")
        metadata = json.loads(text)
        databases = metadata.get("databases", {})
        if NAME_IN_FILE in databases:
            databases[name] = databases.pop(NAME_IN_FILE)
    return metadata
