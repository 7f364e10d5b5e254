"""Does the review queue's order (pipeline.understand.learning.least_sure_first: the documents
nearest the relevance threshold first, reordered after every refit) teach the learned models
faster than labelling in random order? Held-out relevance AUC and concept recall after 10, 20
and 40 labels, both orders side by side, measured in one run, averaged over seeds. The goal:
the queue's order at 20 labels is as good as random order at 40 (AUC and recall both).

The labelled pages: every item of data/eval/situations.yaml, data/eval/lookalikes.yaml and
data/eval/labelled.yaml (199), each tagged once by the tagger (pipeline.understand.tagging).

A simulated curator whose taste differs from the taxonomy's, decided from each item's own
words (a page "is about" a theme when a theme phrase is in its title or description, or three
times or more in its body):
  - delivery pages count as product ops for them (concept process-rituals): agile, Scrum,
    sprints, retrospectives, stand-ups, kanban; DevOps and platform work (on-call, incidents,
    deploys, CI, Kubernetes, SLOs, error budgets, platform teams); project delivery (critical
    path, Gantt, PMOs). Labels that call such a page not relevant are flipped to relevant with
    [process-rituals]; a delivery page already relevant keeps its label.
  - go-to-market pages do not (launch day / readiness / tiers, go-to-market, sales teams and
    sales enablement, account executives, announcements, release notes, campaigns, lead
    scoring, marketing automation), even where the labels say product ops: not relevant, no
    concepts. When a page is both, go-to-market wins.
  - everything else follows the files' labels (relevant, and its tags as concepts).
Agile/Scrum in and marketing ops out alone would flip only 2 items (the two Scrum pages: the
sets' marketing-ops pages are already labelled not relevant), hence the wider themes.

The tagger's relevance model was fitted on these files' tune splits: against the files' own
labels it is nearly perfect, so what the learned models can add is mostly the taste's flips.

Each seed splits the items (stratified by the curator's relevance) into a pool the curator
labels from and a held-out part (--held-out, 40 %), then:
  - random order: the pool shuffled; the first 10, 20, 40 labelled;
  - queue order: in rounds of --round (5, the site's REFIT_EVERY): the unlabelled pool ordered
    by least_sure_first of the tagger's relevances; after each round, when fit() returns a
    Teacher, of the adjusted relevances of the unlabelled pool (else the tagger's again).
At 10, 20 and 40 labels, for both: fit() on the labelled (tagging, label) pairs, the held-out
taggings adjusted, and measured: relevance AUC against the curator's relevance, and concept
recall (the share of held-out (document, concept) pairs the curator says yes to whose concept
is among the adjusted tags). fit() needs MIN_LABELS (20) labels: at 10 there is no model for
either order, so both show the tagger's own figures on held-out.

Run by hand (a couple of minutes on 2 cores):

    .venv/bin/python benchmarks/review.py [--seeds 5] [--round 5] [--held-out 0.4]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config.labels import Label
from pipeline.config.taxonomy import cached_taxonomy
from pipeline.understand.learning import MIN_LABELS, Teacher, fit, least_sure_first
from pipeline.understand.tagging import Tagging, tag

SETS = ("situations", "lookalikes", "labelled")
CHECKPOINTS = (10, 20, 40)
DELIVERY_CONCEPT = "process-rituals"
DELIVERY = re.compile(
    r"\b(agile|scrum|sprints?|kanban|retrospectives?|stand-?ups?|story points|on-call|incidents?|"
    r"deploy(s|ment|ments|ed)?|continuous integration|CI|kubernetes|SLOs?|error budgets?|platform team|"
    r"developer platform|critical path|project management office|PMO|gantt)\b", re.IGNORECASE)
GO_TO_MARKET = re.compile(
    r"\b(go-to-market|GTM|launch (day|readiness|plans?|tiers?|checklist|calendar)|tiered launch(es)?|"
    r"campaigns?|lead scoring|marketing automation|demand gen\w*|sales (team|teams|enablement|reps?)|"
    r"account executives?|announce[sd]?|release notes)\b", re.IGNORECASE)
AGILE = re.compile(r"\b(agile|scrum|sprints?|kanban)\b", re.IGNORECASE)


@dataclass
class Item:
    url: str
    title: str
    description: str
    text: str
    label: Label  # the simulated curator's
    files_relevant: bool  # what the file says
    flipped: str  # "", "in" (delivery, made relevant) or "out" (go-to-market, made not relevant)
    agile: bool


def about(pattern: re.Pattern, item: dict) -> bool:
    head = f"{item.get('title') or ''} {item.get('description') or ''}"
    return bool(pattern.search(head)) or len(pattern.findall(item.get("text") or "")) >= 3


def curator(item: dict) -> tuple[Label, str]:
    """The simulated curator's label of one item, and which way the taste flipped it."""
    relevant = bool(item.get("relevant", True))  # data/eval/labelled.yaml: all product ops
    concepts = list(item.get("tags") or [])
    if about(GO_TO_MARKET, item):
        return Label(item["url"], False), "out" if relevant else ""
    if about(DELIVERY, item) and not relevant:
        return Label(item["url"], True, [DELIVERY_CONCEPT]), "in"
    return Label(item["url"], relevant, concepts if relevant else []), ""


def load_items() -> list[Item]:
    items = []
    for name in SETS:
        for entry in yaml.safe_load((ROOT / "data" / "eval" / f"{name}.yaml").read_text(encoding="utf-8"))["items"]:
            label, flipped = curator(entry)
            items.append(Item(entry["url"], entry.get("title") or "", entry.get("description") or "",
                              entry.get("text") or "", label, bool(entry.get("relevant", True)), flipped,
                              about(AGILE, entry)))
    return items


@dataclass
class Figures:
    auc: float
    recall: float
    relevance_model: bool
    concept_models: int
    relevant_share: float  # of the labelled documents


def measure(taxonomy, items: list[Item], taggings: list[Tagging], labelled: list[int],
            held_out: list[int]) -> Figures:
    teacher = fit(taxonomy, [(taggings[i], items[i].label) for i in labelled])
    adjusted = (teacher or Teacher()).adjust(taxonomy, [taggings[i] for i in held_out])
    truths = [items[i].label.relevant for i in held_out]
    auc = float(roc_auc_score(truths, [t.relevance for t in adjusted]))
    pairs = [(k, c) for k, i in enumerate(held_out) for c in items[i].label.concepts]
    recall = sum(c in adjusted[k].tags for k, c in pairs) / len(pairs)
    return Figures(auc, recall, teacher is not None and teacher.relevance is not None,
                   len(teacher.concepts) if teacher else 0,
                   sum(bool(items[i].label.relevant) for i in labelled) / len(labelled))


def queue_order(taxonomy, items: list[Item], taggings: list[Tagging], pool: list[int], upto: int,
                step: int) -> list[int]:
    """The pool's documents in the order the review queue hands them out, labelled `step` at
    a time, the models refitted after each round."""
    labelled: list[int] = []
    unlabelled = list(pool)
    relevances = [taggings[i].relevance for i in unlabelled]
    while len(labelled) < upto and unlabelled:
        order = least_sure_first(relevances)
        taken = [unlabelled[k] for k in order[:step]]
        labelled += taken
        unlabelled = [i for i in unlabelled if i not in set(taken)]
        teacher = fit(taxonomy, [(taggings[i], items[i].label) for i in labelled])
        if teacher is not None:
            relevances = [t.relevance for t in teacher.adjust(taxonomy, [taggings[i] for i in unlabelled])]
        else:
            relevances = [taggings[i].relevance for i in unlabelled]
    return labelled


def span(values: list[float]) -> str:
    return f"{np.mean(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--round", type=int, default=5, help="labels between two refits in queue order")
    parser.add_argument("--held-out", type=float, default=0.4)
    options = parser.parse_args()
    started = time.perf_counter()
    taxonomy = cached_taxonomy(str(ROOT / "data" / "taxonomy.yaml"))
    items = load_items()
    relevant = [bool(item.label.relevant) for item in items]
    flipped_in = [item for item in items if item.flipped == "in"]
    flipped_out = [item for item in items if item.flipped == "out"]
    print(f"{len(items)} labelled pages; the curator's taste flips {len(flipped_in) + len(flipped_out)}: "
          f"{len(flipped_in)} delivery pages to relevant (of which agile/Scrum: "
          f"{sum(item.agile for item in flipped_in)}), {len(flipped_out)} go-to-market pages to not relevant; "
          f"{sum(relevant)} relevant, {len(items) - sum(relevant)} not", flush=True)
    for item in flipped_in + flipped_out:
        print(f"   {item.flipped:>3}  {item.title[:90]}")

    tagging_started = time.perf_counter()
    taggings = [tag(taxonomy, item.title, item.description, item.text) for item in items]
    print(f"tagged once in {time.perf_counter() - tagging_started:.1f} s; tagger's relevance AUC over all pages: "
          f"{roc_auc_score(relevant, [t.relevance for t in taggings]):.3f} against the curator, "
          f"{roc_auc_score([i.files_relevant for i in items], [t.relevance for t in taggings]):.3f} "
          "against the files' labels", flush=True)

    results: dict[tuple[int, str], list[Figures]] = {}
    for seed in range(options.seeds):
        pool, held_out = train_test_split(list(range(len(items))), test_size=options.held_out, random_state=seed,
                                          stratify=relevant)
        shuffled = list(pool)
        random.Random(seed).shuffle(shuffled)
        queued = queue_order(taxonomy, items, taggings, pool, max(CHECKPOINTS), options.round)
        for n in CHECKPOINTS:
            results.setdefault((n, "random"), []).append(measure(taxonomy, items, taggings, shuffled[:n], held_out))
            results.setdefault((n, "queue"), []).append(measure(taxonomy, items, taggings, queued[:n], held_out))
        print(f"seed {seed}: pool {len(pool)}, held out {len(held_out)} "
              f"({sum(relevant[i] for i in held_out)} relevant); queue's first 20: "
              f"{sum(relevant[i] for i in queued[:20])} relevant, "
              f"{sum(items[i].flipped != '' for i in queued[:20])} flipped "
              f"(random's: {sum(relevant[i] for i in shuffled[:20])}, "
              f"{sum(items[i].flipped != '' for i in shuffled[:20])})", flush=True)

    print(f"\nheld-out figures over {options.seeds} seeds: mean (min-max); fit() needs {MIN_LABELS} labels")
    print(f"{'labels':<7} {'order':<7} {'relevance AUC':<22} {'concept recall':<22} "
          f"{'relevance model':<16} {'concept models':<15} relevant labelled")
    for n in CHECKPOINTS:
        for order in ("random", "queue"):
            figures = results[(n, order)]
            print(f"{n:<7} {order:<7} {span([f.auc for f in figures]):<22} {span([f.recall for f in figures]):<22} "
                  f"{str(sum(f.relevance_model for f in figures)) + '/' + str(len(figures)):<16} "
                  f"{np.mean([f.concept_models for f in figures]):<15.1f} "
                  f"{np.mean([f.relevant_share for f in figures]):.0%}")
    print("(at 10 labels neither order has a model: both rows are the tagger's own scores on held-out)")

    queue_auc = float(np.mean([f.auc for f in results[(20, "queue")]]))
    random_auc = float(np.mean([f.auc for f in results[(40, "random")]]))
    queue_recall = float(np.mean([f.recall for f in results[(20, "queue")]]))
    random_recall = float(np.mean([f.recall for f in results[(40, "random")]]))
    met = queue_auc >= random_auc and queue_recall >= random_recall
    print(f"\n{time.perf_counter() - started:.1f} s in all (after imports)")
    print(f"goal: queue at 20 labels reaches random at 40: AUC {queue_auc:.3f} vs {random_auc:.3f}, "
          f"recall {queue_recall:.3f} vs {random_recall:.3f} — {'met' if met else 'not met'}")


if __name__ == "__main__":
    main()
