"""`prodops eval`: the corpus-quality figures, measured on fixtures written for this project,
each beside its target. This is the harness: `evaluate` runs the groups of figures
(pipeline.quality.GROUPS) in order, each measured by its own module, and the report is
printed from here.

- extraction: extraction F1, ours against bare trafilatura (pipeline.quality.extraction);
- dedup: pair precision and recall on the sample articles' copies (pipeline.quality.dedup);
- labelled: tagging, relevance AUC and content types on each labelled set
  (pipeline.quality.labelled_sets names them), and how far their labellers agree
  (pipeline.quality.labelled);
- markup: content types on whole pages, typed by their markup and text, and on real pages
  (pipeline.quality.content_types);
- relevance: relevance in the wild on the neighbourhood's feeds (pipeline.quality.relevance),
  and content types on their real posts (pipeline.quality.content_types);
- search: search quality on the labelled pages (pipeline.quality.search).

Figure and TARGETS, which every group shares, are in pipeline.quality.figures.
"""

from __future__ import annotations

from pipeline.config.taxonomy import Taxonomy, load_taxonomy
from pipeline.quality import GROUPS
from pipeline.quality.content_types import (MARKUP_2, MARKUP_3, MORE_PDF_SETS, REAL_POSTS_2, markup_figures,
                                            pdf_figures, real_pages_figures, real_posts_figures)
from pipeline.quality.dedup import dedup_figures
from pipeline.quality.extraction import extraction_figures
from pipeline.quality.figures import Figure
from pipeline.quality.labelled import agreement_figures, labelled_figures
from pipeline.quality.labelled_sets import LABELLED_SETS
from pipeline.quality.relevance import relevance_figures
from pipeline.quality.search import search_figures


def evaluate(taxonomy: Taxonomy | None = None, semantic: bool = True, mapper=map,
             groups: tuple[str, ...] = GROUPS) -> list[Figure]:
    """The figures of `groups` (all by default), measured now (the labelled items read by
    `mapper`, see pipeline.quality.labelled.labelled_figures)."""
    taxonomy = taxonomy or load_taxonomy()
    measure = {
        "extraction": extraction_figures,
        "dedup": dedup_figures,
        "labelled": lambda: [figure for labelled in LABELLED_SETS
                             for figure in labelled_figures(taxonomy, labelled, semantic, mapper)]
        + agreement_figures(),
        "markup": lambda: markup_figures(taxonomy, mapper=mapper)
        + markup_figures(taxonomy, MARKUP_2, mapper, label="markup 2")
        + markup_figures(taxonomy, MARKUP_3, mapper, label="markup 3")
        + real_pages_figures(taxonomy, mapper=mapper) + pdf_figures(taxonomy, mapper=mapper)
        + [figure for number, path in enumerate(MORE_PDF_SETS, start=2)
           for figure in pdf_figures(taxonomy, path, mapper, label=f"pdfs {number}")],
        "relevance": lambda: relevance_figures(taxonomy, semantic, mapper) + real_posts_figures(taxonomy)
        + real_posts_figures(taxonomy, REAL_POSTS_2, label="real posts filed as articles"),
        "search": lambda: search_figures(taxonomy),
    }
    return [figure for group in GROUPS if group in groups for figure in measure[group]()]


def format_figures(figures: list[Figure]) -> str:
    """The figures as a table, its name column as wide as the longest name (52 at least)."""
    width = max([52, *(len(figure.name) for figure in figures)])
    lines = [f"{'figure':<{width}} {'value':>7} {'target':>8}  {'':4} note"]
    for figure in figures:
        target = "" if figure.target is None else f"{'<=' if figure.at_most else '>='} {figure.target:.2f}"
        verdict = "" if figure.target is None else ("ok" if figure.met else "LOW")
        value = "-" if figure.value is None else f"{figure.value:.3f}"
        lines.append(f"{figure.name:<{width}} {value:>7} {target:>8}  {verdict:<4} {figure.note}")
    return "\n".join(lines)


def format_cross_validation(result) -> str:
    """The `prodops eval --labels` report: figures before and after learning from the labels."""
    def value(number) -> str:
        return "n/a" if number is None else f"{number:.3f}"

    return "\n".join([
        f"cross-validation on {result.labels} labelled document(s), {result.folds}-fold, seeded",
        f"{'figure':<28} {'before':>7} {'after':>7}",
        f"{'relevance AUC':<28} {value(result.relevance_auc_before):>7} {value(result.relevance_auc_after):>7}",
        f"{'concept recall':<28} {value(result.concept_recall_before):>7} {value(result.concept_recall_after):>7}"
        f"  ({result.concept_pairs} document-concept labels)",
    ])
