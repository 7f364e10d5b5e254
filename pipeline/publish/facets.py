"""Facets where search reads them from SQL rather than from its in-memory index
(pipeline.publish.indexes): the clauses a browse without words filters by, and the counts of
the values of the rows it keeps."""

from __future__ import annotations

from collections import Counter
from typing import Any

from pipeline.publish.export import tags_of
from pipeline.publish.indexes import ARRAY_FACETS, CANONICAL, FACET_VALUES_SHOWN, FACETS


def filter_sql(filters: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """SQL clauses (and their parameters) that keep the canonical copy of each cluster and
    the documents every filter keeps (a list of values: any of them)."""
    clauses = [CANONICAL]
    params = {}
    for name, value in filters.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        names = []
        for index, one in enumerate(values):
            params[f"f_{name}_{index}"] = str(one)
            names.append(f":f_{name}_{index}")
        if name in ARRAY_FACETS:
            clauses.append(f"EXISTS (SELECT 1 FROM json_each(d.{name}) t WHERE t.value IN ({', '.join(names)}))")
        else:
            clauses.append(f"CAST(d.{name} AS TEXT) IN ({', '.join(names)})")
    return "".join(f" AND {clause}" for clause in clauses), params


def facet_counts(rows: list[tuple]) -> dict[str, list[tuple[Any, int]]]:
    """Value counts per facet; `rows` hold the FACETS columns in order. Counted with C-speed
    Counters per column, and each distinct JSON array (tags, entities) decoded once."""
    facets = {}
    for name, values in zip(FACETS, zip(*rows)):
        if name in ARRAY_FACETS:
            counter: Counter = Counter()
            for array, times in Counter(values).items():
                for value in tags_of(array):
                    counter[value] += times
        else:
            counter = Counter(values)
            counter.pop(None, None)
            counter.pop("", None)
        if counter:
            facets[name] = counter.most_common(FACET_VALUES_SHOWN)
    return facets
