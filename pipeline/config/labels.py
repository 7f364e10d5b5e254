"""The curator's labels file (data/labels.yaml): judgements of documents — relevant or not,
concepts it is or is not about — kept beside the sources, the lists and the taxonomy so that
they survive a rebuilt database. `prodops label` appends to it; `prodops retag` reads it.

Each entry: url, relevant (true/false), concepts and not_concepts (lists of concept ids),
labelled_at (ISO time), and by (the curator who judged, when signed in to the site). A later
entry for the same URL counts instead of an earlier one, which stays in the file.
"""

from __future__ import annotations

import fcntl
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML

from feeds.urls import is_web_address
from pipeline.config.files import PROJECT_DATA, SAFE_LOADER, ConfigError, read_yaml, top_level_list

DEFAULT_LABELS = PROJECT_DATA / "labels.yaml"
HEADER = """\
# The curator's judgements, written by `prodops label` (edit by hand if you like).
# `prodops retag` learns from them once there are at least 20 (with list pins and
# exclusions): relevance and concept scores of look-alike documents move toward them,
# and the labelled documents themselves take their labels.
"""


@dataclass
class Label:
    """One judgement of one document."""

    url: str
    relevant: bool | None  # None: only concepts were judged
    concepts: list[str] = field(default_factory=list)
    not_concepts: list[str] = field(default_factory=list)
    labelled_at: str = ""
    origin: str = "curator"  # curator | list-pin | list-excluded
    by: str = ""  # the curator who judged, when known (the site's signed-in curator)

    def as_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"url": self.url}
        if self.relevant is not None:
            entry["relevant"] = self.relevant
        if self.concepts:
            entry["concepts"] = list(self.concepts)
        if self.not_concepts:
            entry["not_concepts"] = list(self.not_concepts)
        entry["labelled_at"] = self.labelled_at
        if self.by:
            entry["by"] = self.by
        return entry


def load_labels(path: str | Path = DEFAULT_LABELS, concept_ids: set[str] | None = None) -> list[Label]:
    """The labels of a file ([] when it does not exist), the last one per URL; raise
    ConfigError naming the file, entry and field of a bad one (or an unknown concept)."""
    path = Path(path)
    if not path.exists():
        return []
    labels: dict[str, Label] = {}
    for index, entry in enumerate(top_level_list(path, read_yaml(path), "labels"), start=1):
        label = _label(path, index, entry, concept_ids)
        labels.pop(label.url, None)
        labels[label.url] = label
    return list(labels.values())


def _label(path: Path, index: int, entry: Any, concept_ids: set[str] | None) -> Label:
    where = f"{path}: label #{index}"
    if not isinstance(entry, dict) or not isinstance(entry.get("url"), str) or not entry["url"].strip():
        raise ConfigError(f"{where}: expected a mapping with a 'url'")
    if not is_web_address(entry["url"]):
        raise ConfigError(f"{where}: {entry['url'].strip()!r} is not an http(s) URL; correct or remove it")
    relevant = entry.get("relevant")
    if relevant is not None and not isinstance(relevant, bool):
        raise ConfigError(f"{where}: field 'relevant': true or false")
    lists = {}
    for name in ("concepts", "not_concepts"):
        value = entry.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: field {name!r}: a list of concept ids")
        unknown = [v for v in value if concept_ids is not None and v not in concept_ids]
        if unknown:
            raise ConfigError(f"{where}: field {name!r}: no concept {unknown[0]!r} in the taxonomy")
        lists[name] = value
    if relevant is None and not lists["concepts"] and not lists["not_concepts"]:
        raise ConfigError(f"{where}: says nothing: give 'relevant' or 'concepts' or 'not_concepts'")
    return Label(url=entry["url"].strip(), relevant=relevant, concepts=lists["concepts"],
                 not_concepts=lists["not_concepts"], labelled_at=str(entry.get("labelled_at") or ""),
                 by=str(entry.get("by") or ""))


def append_label(path: str | Path, label: Label) -> None:
    """Add one label at the end of the file (created with a header when absent), keeping
    what is there, comments included. The file is replaced whole (a new file renamed over
    it: a reader sees the old or the new, never half) under a lock that `prodops label` and
    the site share, so two judgements at once both land."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = yaml.safe_dump([label.as_dict()], sort_keys=False, allow_unicode=True, width=1000)
    with open(f"{path}.lock", "a", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if not text.strip():
            text = HEADER + "labels:\n"
        if not text.endswith("\n"):
            text += "\n"
        appended = text + "".join("  " + line + "\n" for line in entry.splitlines())
        if not _ends_with(appended, label):
            # Not the layout the appended lines assume (`labels: []`, items at the key's
            # column, another key after the list): the whole document, through ruamel's
            # round trip, which keeps the comments and the style it finds.
            appended = _round_trip_append(text, label)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(appended, encoding="utf-8")
        temporary.replace(path)


def _ends_with(text: str, label: Label) -> bool:
    """Whether `text` reads as a labels file whose last label is `label`."""
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return False
    entries = data.get("labels") if isinstance(data, dict) else None
    return isinstance(entries, list) and bool(entries) and entries[-1] == label.as_dict()


def _round_trip_append(text: str, label: Label) -> str:
    editor = YAML()
    document = editor.load(text)
    if not isinstance(document, dict):
        raise ConfigError("the labels file is not a mapping with a 'labels' list; fix it or move it aside")
    if not isinstance(document.get("labels"), list):
        document["labels"] = []
    document["labels"].append(label.as_dict())
    stream = io.StringIO()
    editor.dump(document, stream)
    return stream.getvalue()
