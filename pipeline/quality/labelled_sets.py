"""The labelled sets `prodops eval` reads page by page, and the reference types their hands
settle. LABELLED_SETS: data/eval/labelled.yaml, written with the taxonomy, and the situations
and look-alikes sets, written from situations, per split. Where several hands typed a set,
blind to each other, a page's reference type is the one most of them give
(`adjudicated_types`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.config.files import PROJECT_DATA, parse_yaml

LABELLED = PROJECT_DATA / "eval" / "labelled.yaml"
SITUATIONS = PROJECT_DATA / "eval" / "situations.yaml"
LOOKALIKES = PROJECT_DATA / "eval" / "lookalikes.yaml"
SITUATIONS_SECOND_LABELS = PROJECT_DATA / "eval" / "situations-second-labels.yaml"
SITUATIONS_THIRD_LABELS = PROJECT_DATA / "eval" / "situations-third-labels.yaml"
# The hands that typed the situations set after its author, each blind to the others.
SITUATIONS_OTHER_LABELS = (SITUATIONS_SECOND_LABELS, SITUATIONS_THIRD_LABELS)
# Two more, later (session 28), not part of its reference: checking hands, whose agreement
# with the reference says how far a fresh hand reads its pages as the reference does.
SITUATIONS_CHECKING_LABELS = tuple(PROJECT_DATA / "eval" / f"situations-{hand}-labels.yaml"
                                   for hand in ("fourth", "fifth"))
# A second held-out set in the situations set's style (session 27; 80 pages by two more blind
# writers from its tune pages, typed by two more blind hands with its second labeller's
# instructions, adjudicated as it is): written once the first's held-out half had been read
# a score of times as rules were added and a few of its pages' addresses and other hands'
# types had been seen by mistake. Never looked at item by item; content types and relevance.
SITUATIONS_HELD_OUT_2 = PROJECT_DATA / "eval" / "situations-held-out-2.yaml"
SITUATIONS_HELD_OUT_2_OTHER_LABELS = tuple(PROJECT_DATA / "eval" / f"situations-held-out-2-{hand}-labels.yaml"
                                           for hand in ("second", "third"))
# A second situations set, all tune, by another hand (44 pages: pairs of a team's process
# page and the post about how it went, a template and the post announcing it).
SITUATIONS_2 = PROJECT_DATA / "eval" / "situations-2.yaml"
# A third, all tune, by yet another hand: most of its guides and templates are a team's
# pages written the way teams write them (processes in prose, runbooks, blank briefs).
SITUATIONS_3 = PROJECT_DATA / "eval" / "situations-3.yaml"
# A fourth, all tune, by a fourth hand: 14 guides, most of them a team's process pages in
# prose; its tags are left empty, so it is scored for content types only.
SITUATIONS_4 = PROJECT_DATA / "eval" / "situations-4.yaml"
# A fifth, all tune, by a fifth hand: short pages (50 to 140 words) on ordinary sites, as a
# feed or a quick crawl captures them; content types only.
SITUATIONS_5 = PROJECT_DATA / "eval" / "situations-5.yaml"
# A sixth, all tune, by a sixth hand: very short pages (30 to 90 words), as a feed's summary
# or a teaser captures them; content types only.
SITUATIONS_6 = PROJECT_DATA / "eval" / "situations-6.yaml"
# A seventh, all tune, by a seventh hand, written after the rules of session 21 and measured
# on arrival (41 of 44 by the classifiers before and after them); content types only.
SITUATIONS_7 = PROJECT_DATA / "eval" / "situations-7.yaml"
SITUATIONS_8 = PROJECT_DATA / "eval" / "situations-8.yaml"
SITUATIONS_9 = PROJECT_DATA / "eval" / "situations-9.yaml"
SITUATIONS_10 = PROJECT_DATA / "eval" / "situations-10.yaml"
SITUATIONS_11 = PROJECT_DATA / "eval" / "situations-11.yaml"
# A twelfth to a twenty-first, all tune, by ten more hands in the first set's style, on the
# line between a team's process page and the story, the opinion or the news beside it, and
# (-18, -19) a template described in prose (session 25: -12 and -13 before its rule of a
# process laid down, -14 and -15 after its first form, -16 and -17 after its last, -18 and
# -19 after its rule of a document offered, -20 and -21 after its last rule, each measured on
# arrival; -22 to -24 in session 26, each typed again by a blind hand with the adjudicating
# labellers' definitions; -25 in session 27, pages on rules and rights written untyped and
# typed by that hand alone; -26 in session 35, written blind and typed by another hand with
# session 28's words, measured on arrival; -27 to -35 in session 36, nine more so written and
# typed, for the wider web, for what a feed reader stores and for blogs' tutorials; -36 to -50
# in session 37, fifteen more, blogs' posts on three briefs and one in the first set's style,
# in four rounds measured on arrival; -51 to -65 in session 38, fifteen more in the first set's
# manner on fifteen briefs, in five rounds measured on arrival, the last tuned on by no rule);
# content types only.
SITUATIONS_LATER = tuple(PROJECT_DATA / "eval" / f"situations-{number}.yaml" for number in range(12, 66))
# A second to an eighth look-alikes set, all tune, by more blind hands: the neighbourhood's
# present-tense pages full of times and rules that are no process (release notes, notices,
# newsletters, opinions, explainers) beside a team's process pages (session 25: -2 and -3
# written after its process rule, -4 and -5 after its news markers, each measured on
# arrival; session 26: -6 blog pages typed again by a blind hand with the adjudicating
# labellers' definitions, -7 a team's practice told on its blog, written untyped and typed by
# that hand alone; session 36: -8 written blind in its manner and typed by another blind hand
# with session 28's words, measured on arrival); content types only.
LOOKALIKES_LATER = tuple(PROJECT_DATA / "eval" / f"lookalikes-{number}.yaml" for number in range(2, 9))
LOOKALIKES_7 = PROJECT_DATA / "eval" / "lookalikes-7.yaml"
# Two later hands' types for lookalikes-7 (session 28), reported beside its first's, never
# adjudicating it: two helpers given the same words, who typed alike, are one reading twice.
LOOKALIKES_7_OTHER_LABELS = tuple(PROJECT_DATA / "eval" / f"lookalikes-7-{hand}-labels.yaml"
                                  for hand in ("second", "third"))


@dataclass(frozen=True)
class LabelledSet:
    """A labelled file (or one split of it) and the targets its figures must meet."""

    name: str
    path: Path
    split: str | None = None  # only the items of this split; None: all
    targets: bool = True
    concepts: bool = True  # False: its tags are partial (a set written for content types)
    # Other hands' types for the same pages: then an item's `type` is the adjudicated one,
    # and `first_type` its author's.
    other_labels: tuple[Path, ...] = ()

    def items(self) -> list[dict]:
        items = parse_yaml(self.path.read_text(encoding="utf-8"))["items"]
        if self.other_labels:
            reference = adjudicated_types(items, [labels_of(path) for path in self.other_labels])
            items = [item | {"type": reference[item["url"]], "first_type": item["type"]} for item in items]
        return [item for item in items if self.split is None or item.get("split") == self.split]


def labels_of(path: Path) -> dict[str, str]:
    """A labeller's content types by page URL, from a file of `url` and `type` items."""
    return {item["url"]: item["type"] for item in parse_yaml(path.read_text(encoding="utf-8"))["items"]}


def adjudicated_types(items: list[dict], others: list[dict[str, str]]) -> dict[str, str]:
    """Each page's reference type among its labellers', by URL: the type most of them give
    (the first's, in `items`, and each of `others`'), the first's where no type has a
    majority (a hand that did not type a page has no vote on it). Pooled judgement, as a test
    collection's disagreements are settled: one hand's habits (a team's process page an
    article, or a guide) are not the reference."""
    reference = {}
    for item in items:
        given = [item["type"], *(labels[item["url"]] for labels in others if item["url"] in labels)]
        kind, votes = Counter(given).most_common(1)[0]
        reference[item["url"]] = kind if votes > len(given) / 2 else item["type"]
    return reference


LABELLED_SETS = (
    LabelledSet("project set", LABELLED),
    LabelledSet("situations, tune", SITUATIONS, "tune", targets=False, other_labels=SITUATIONS_OTHER_LABELS),
    LabelledSet("situations, held-out", SITUATIONS, "held-out", other_labels=SITUATIONS_OTHER_LABELS),
    LabelledSet("situations, second held-out", SITUATIONS_HELD_OUT_2, "held-out", concepts=False,
                other_labels=SITUATIONS_HELD_OUT_2_OTHER_LABELS),
    LabelledSet("situations 2, tune", SITUATIONS_2, "tune", targets=False),
    LabelledSet("situations 3, tune", SITUATIONS_3, "tune", targets=False, concepts=False),
    LabelledSet("situations 4, tune", SITUATIONS_4, "tune", targets=False, concepts=False),
    LabelledSet("situations 5, tune", SITUATIONS_5, "tune", targets=False, concepts=False),
    LabelledSet("situations 6, tune", SITUATIONS_6, "tune", targets=False, concepts=False),
    LabelledSet("situations 7, tune", SITUATIONS_7, "tune", targets=False, concepts=False),
    LabelledSet("situations 8, tune", SITUATIONS_8, "tune", targets=False, concepts=False),
    LabelledSet("situations 9, tune", SITUATIONS_9, "tune", targets=False, concepts=False),
    LabelledSet("situations 10, tune", SITUATIONS_10, "tune", targets=False, concepts=False),
    LabelledSet("situations 11, tune", SITUATIONS_11, "tune", targets=False, concepts=False),
    *(LabelledSet(f"situations {number}, tune", path, "tune", targets=False, concepts=False)
      for number, path in enumerate(SITUATIONS_LATER, start=12)),
    LabelledSet("look-alikes, tune", LOOKALIKES, "tune", targets=False),
    LabelledSet("look-alikes, held-out", LOOKALIKES, "held-out"),
    *(LabelledSet(f"look-alikes {number}, tune", path, "tune", targets=False, concepts=False)
      for number, path in enumerate(LOOKALIKES_LATER, start=2)),
)
