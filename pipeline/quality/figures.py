"""What every group of `prodops eval` shares: a figure beside its target (Figure), the
targets (TARGETS) and the hits per group that figures' notes give (hits_per)."""

from __future__ import annotations

from dataclasses import dataclass

TARGETS = {
    "dedup precision": 0.98,
    "dedup recall": 0.95,
    "canonical is the original": 1.0,
    "project set: tag micro-F1": 0.80,
    "project set: content-type accuracy": 0.90,
    "project set: tags per product-ops page": 3.0,
    "situations, held-out: concept recall": 0.85,
    "situations, held-out: relevance AUC": 0.95,
    "situations, held-out: content-type accuracy": 0.85,
    "situations, second held-out: content-type accuracy": 0.85,
    "situations, held-out: tags per product-ops page": 3.0,
    "look-alikes, held-out: concept recall": 0.85,
    "look-alikes, held-out: relevance AUC": 0.95,
    "markup, held-out: content-type accuracy": 0.90,
    "markup 2, held-out: content-type accuracy": 0.90,
    "markup 3, held-out: content-type accuracy": 0.90,
    "neighbourhood, held-out: share at 0.5 or more": 0.02,
    "neighbourhood, held-out: tagged under the threshold": 0,
    "mix: precision at 0.5": 0.90,
    "mix: recall at 0.5": 0.85,
    "search, held-out, hybrid: hit@5": 0.90,
    "search, held-out, hybrid: MRR@10": 0.75,
}


@dataclass
class Figure:
    """One measured figure, beside its target (None where it has none) and a note."""

    name: str
    value: float | None  # None: not measured (what it needs is not there; the note says what)
    target: float | None  # None: reported, no target of its own
    note: str = ""
    at_most: bool = False  # the target is a ceiling (tags per page), not a floor

    @property
    def met(self) -> bool:
        """The figure meets its target (always, without one)."""
        if self.target is None or self.value is None:
            return True
        return self.value <= self.target if self.at_most else self.value >= self.target


def hits_per(groups: dict[str, list[bool]]) -> str:
    """"article 39/40, book 1/1": the hits in each group, in the groups' order by name."""
    return ", ".join(f"{kind} {sum(hits)}/{len(hits)}" for kind, hits in sorted(groups.items()))
