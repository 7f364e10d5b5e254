"""Where each concept's tag line is, and how far the definition concept must lead the specific
concepts to be tagged on meaning: the fitted parameters of pipeline.understand.tagging.

They ship in RULE_FILE, written by pipeline/quality/tag_rule_fit.py from the `tune` splits of
data/eval/situations.yaml and data/eval/lookalikes.yaml (never from a held-out split or the
project set). A concept the file does not name is tagged from DEFAULT_LINE.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

RULE_FILE = Path(__file__).with_name("tag-rule.json")
DEFAULT_LINE = 0.5  # a score of 0.5 or more is a tag unless the tune split chose otherwise


@dataclass(frozen=True)
class TagRule:
    """The tag line per concept (concept id -> score from which it is a tag) and the
    definition concept's lead: how much nearer in meaning than every specific concept a page
    must be to it for meaning alone to count for it."""

    lines: dict[str, float] = field(default_factory=dict)
    definition_margin: float = 0.0

    def line(self, concept_id: str) -> float:
        """The score from which the concept is a tag."""
        return self.lines.get(concept_id, DEFAULT_LINE)

    def as_dict(self) -> dict:
        return {"definition_margin": round(self.definition_margin, 4),
                "lines": {concept_id: round(line, 4) for concept_id, line in sorted(self.lines.items())}}

    @classmethod
    def from_dict(cls, data: dict) -> TagRule:
        return cls({k: float(v) for k, v in data.get("lines", {}).items()}, float(data.get("definition_margin", 0.0)))


@functools.cache
def tag_rule(path: Path = RULE_FILE) -> TagRule:
    """The shipped rule (read once per process)."""
    return TagRule.from_dict(json.loads(path.read_text(encoding="utf-8")))
