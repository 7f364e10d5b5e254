"""Content types of whole pages (the markup sets, real pages) and of real posts, beyond the
labelled sets. Each whole page is read as a crawl reads it (extracted, its markup read,
typed), each post as a crawl stores a feed-only document.

- data/eval/markup.yaml with the markup-tune-N.yaml sets, and apart data/eval/markup-2.yaml
  and markup-3.yaml (later held-out sets), each page with its type and what its markup says
  (specific, generic, misleading or none): content-type accuracy per split, with the hits per
  type and per kind of markup (`markup_figures`);
- real posts of both halves of the neighbourhood's feeds typed by a blind hand
  (data/eval/real-posts.yaml, and real-posts-2.yaml of the tune half's articles:
  `real_posts_figures`, in the relevance group) and real whole pages, read with their markup
  (data/eval/real-pages.yaml: `real_pages_figures`, in the markup group)."""

from __future__ import annotations

import functools
from pathlib import Path

from pipeline.config.files import PROJECT_DATA, parse_yaml
from pipeline.config.taxonomy import Taxonomy
from pipeline.demo.pdfmaker import make_pdf
from pipeline.items import Extraction, Page
from pipeline.quality import neighbourhood
from pipeline.quality.figures import TARGETS, Figure, hits_per
from pipeline.store.documents import document_row
from pipeline.understand.canonical import document_id
from pipeline.understand.content_types.cues import DEFAULT_TYPE
from pipeline.understand.content_types.decision import decide_type
from pipeline.understand.content_types.index import TypeIndex
from pipeline.understand.extraction import extract_html
from pipeline.understand.markup import decode as decode_markup
from pipeline.understand.pdf import extract_pdf, is_pdf_document

# Whole pages typed by their markup and text: the first set (tune and held-out halves) and a
# second to a thirty-eighth tune batch of the hard cases (no markup, misleading markup; the
# fifth on the line between a guide, a template and an article; the sixth onwards kinds other
# than articles whose markup does not say them, the nineteenth and the twenty-fourth reports and
# courses above all, the twenty-fifth, twenty-seventh and twenty-ninth short pages with generic
# markup or none, the twenty-eighth books, recordings and terms, the thirty-first,
# thirty-fourth and thirty-fifth courses and the thirty-second and thirty-sixth reports among
# what they are mistaken for, the thirty-eighth courses, reports and kits), each
# written later by another hand; their items only ever tune.
MARKUP_SETS = tuple(PROJECT_DATA / "eval" / name
                    for name in ("markup.yaml", "markup-tune-2.yaml", "markup-tune-3.yaml", "markup-tune-4.yaml",
                                 "markup-tune-5.yaml", "markup-tune-6.yaml", "markup-tune-7.yaml",
                                 "markup-tune-8.yaml", "markup-tune-9.yaml", "markup-tune-10.yaml",
                                 "markup-tune-11.yaml", "markup-tune-12.yaml", "markup-tune-13.yaml",
                                 "markup-tune-14.yaml", "markup-tune-15.yaml", "markup-tune-16.yaml",
                                 "markup-tune-17.yaml", "markup-tune-18.yaml", "markup-tune-19.yaml",
                                 "markup-tune-20.yaml", "markup-tune-21.yaml", "markup-tune-22.yaml",
                                 "markup-tune-23.yaml", "markup-tune-24.yaml", "markup-tune-25.yaml",
                                 "markup-tune-26.yaml", "markup-tune-27.yaml", "markup-tune-28.yaml",
                                 "markup-tune-29.yaml", "markup-tune-30.yaml", "markup-tune-31.yaml",
                                 "markup-tune-32.yaml", "markup-tune-33.yaml", "markup-tune-34.yaml",
                                 "markup-tune-35.yaml", "markup-tune-36.yaml", "markup-tune-37.yaml",
                                 "markup-tune-38.yaml"))
# A second held-out set of whole pages, written after four of markup.yaml's held-out pages were
# seen by mistake: never looked at item by item.
MARKUP_2 = PROJECT_DATA / "eval" / "markup-2.yaml"
# A third, written before session 23's rules and measured once, at its end, as markup-2 had
# been measured as rules were added.
MARKUP_3 = PROJECT_DATA / "eval" / "markup-3.yaml"
# Real posts typed by a blind hand (session 27): entries of the neighbourhood's feeds (pipeline.
# quality.neighbourhood), each half sampled apart, most of them where the classifier of the
# day filed a post as something other than an article and the rest at random among those it
# filed as articles, typed from their address, title and text (cut at 2,500 characters) with
# the adjudicating labellers' definitions; the held-out half never looked at item by item.
REAL_POSTS = PROJECT_DATA / "eval" / "real-posts.yaml"
# More of the tune half's posts, among those the classifier filed as articles (session 28).
REAL_POSTS_2 = PROJECT_DATA / "eval" / "real-posts-2.yaml"
# Real whole pages typed by a blind hand (session 28), all tune: data/eval/real-pages.yaml says how.
REAL_PAGES = PROJECT_DATA / "eval" / "real-pages.yaml"
READABILITY_PAGES = PROJECT_DATA.parents[1] / "shared" / "corpora" / "html" / "mozilla-readability"


# PDFs a crawl meets (session 34): written blind by a helper who read none of the project,
# from situations (a vendor's playbook at a WordPress upload's address, a government's
# fillable application form, a report with a feedback box, a slide deck, a press release),
# each its address, its metadata's title and author, the lines a text extractor gives and its
# number of fields to fill in; half of each type tune, half held-out. The file says how.
PDF_SET = PROJECT_DATA / "eval" / "pdfs.yaml"
# A second to a fifth PDF set, all tune (session 36): 40 more each, written blind by a helper
# and typed by another, blind, with session 28's words. The files say how.
MORE_PDF_SETS = tuple(PROJECT_DATA / "eval" / f"pdfs-{number}.yaml" for number in range(2, 6))


def type_of_page(taxonomy: Taxonomy, item: dict) -> str | None:
    """The content type a crawl gives a whole page (a markup.yaml item): extracted, its
    markup read, its row built and typed as the classify stage does; None when it has no
    main text (a crawl would drop it)."""
    return _typed(taxonomy, item["url"], extract_html(item["html"], item["url"]))


def type_of_pdf(taxonomy: Taxonomy, item: dict) -> str | None:
    """The content type a crawl gives a PDF (a pdfs.yaml item): made with its metadata's title
    and author, its text's lines and its fields to fill in (pipeline.demo.pdfmaker), read by
    pypdf, its row built and typed as the classify stage does; None when it has no text."""
    body = make_pdf(item["lines"], title=item.get("title"), author=item.get("author"),
                    fields=[f"field {number}" for number in range(item.get("fields") or 0)])
    return _typed(taxonomy, item["url"], extract_pdf(body, item["url"]))


def _typed(taxonomy: Taxonomy, url: str, extraction: Extraction | None) -> str | None:
    """The content type of what was extracted at `url`, from the row a crawl would store."""
    if extraction is None:
        return None
    row = document_row(Page(url=url, source_id="eval", found_via="url", extraction=extraction,
                            canonical_url=url, doc_id=document_id(url)))
    assert row is not None  # an extraction has text
    return decide_type(TypeIndex(taxonomy), row["url"], row["title"], row["text"], is_pdf_document(row),
                       decode_markup(row["markup_types"])).content_type


def pdf_figures(taxonomy: Taxonomy, path: Path = PDF_SET, mapper=map, label: str = "pdfs") -> list[Figure]:
    """Content-type accuracy on PDFs (`path`: a file shaped as PDF_SET is), per split, with the
    hits per type, named `label`; [] when the file is not there."""
    if not path.exists():
        return []
    items = parse_yaml(path.read_text(encoding="utf-8"))["items"]
    figures = []
    for split in ("tune", "held-out"):
        chosen = [item for item in items if item.get("split") == split]
        by_type: dict[str, list[bool]] = {}
        for item, kind in zip(chosen, mapper(functools.partial(type_of_pdf, taxonomy), chosen)):
            by_type.setdefault(item["type"], []).append(kind == item["type"])
        if by_type:
            right = sum(sum(hits) for hits in by_type.values())
            name = f"{label}, {split}: content-type accuracy"
            figures.append(Figure(name, right / len(chosen), TARGETS.get(name), hits_per(by_type)))
    return figures


def markup_figures(taxonomy: Taxonomy, paths: Path | tuple[Path, ...] = MARKUP_SETS, mapper=map,
                   label: str = "markup") -> list[Figure]:
    """Content-type accuracy on pages that say (or do not say) what they are in their markup,
    per split, with the hits per type and per kind of markup, over the sets that exist ([]
    when none does), named `label`."""
    paths = (paths,) if isinstance(paths, Path) else paths
    items = [item for path in paths if path.exists()
             for item in parse_yaml(path.read_text(encoding="utf-8"))["items"]]
    if not items:
        return []
    figures = []
    for split in ("tune", "held-out"):
        chosen = [item for item in items if item.get("split") == split]
        if not chosen:
            continue
        kinds = list(mapper(functools.partial(type_of_page, taxonomy), chosen))
        by_type: dict[str, list[bool]] = {}
        by_markup: dict[str, list[bool]] = {}
        for item, kind in zip(chosen, kinds):
            by_type.setdefault(item["type"], []).append(kind == item["type"])
            by_markup.setdefault(item.get("markup", "none"), []).append(kind == item["type"])
        right = sum(sum(hits) for hits in by_type.values())
        name = f"{label}, {split}: content-type accuracy"
        figures.append(Figure(name, right / len(chosen), TARGETS.get(name), hits_per(by_type)))
        figures.append(Figure(f"{label}, {split}: by markup", right / len(chosen), None, hits_per(by_markup)))
    return figures


def real_posts_figures(taxonomy: Taxonomy, labels: Path = REAL_POSTS,
                       folder: Path = neighbourhood.NEIGHBOURHOOD, label: str = "real posts") -> list[Figure]:
    """Content types in the wild, per split of the neighbourhood's feeds: on the real posts a
    blind hand typed (`labels`), each read as a crawl stores a feed-only document (its link,
    title, text and enclosures), the share typed as the hand typed it with the hits per
    type, and how many of the hand's articles were filed as something else, named `label`.
    Nothing where the feeds are not beside the project."""
    if not neighbourhood.available(folder) or not labels.exists():
        return []
    labelled = parse_yaml(labels.read_text(encoding="utf-8"))["items"]
    index = TypeIndex(taxonomy)
    figures = []
    for split in ("tune", "held-out"):
        wanted = {(item["feed"], item["url"]): item["type"] for item in labelled if item["split"] == split}
        by_type: dict[str, list[bool]] = {}
        for entry in neighbourhood.entries(split, folder, feeds={feed for feed, _ in wanted}):
            kind = wanted.pop((entry.feed, entry.link), None)  # a post a feed repeats counts once
            if kind is not None:
                typed = decide_type(index, entry.link, entry.title, entry.text, entry.link.endswith(".pdf"),
                                    entry.declared).content_type
                by_type.setdefault(kind, []).append(typed == kind)
        if by_type:
            missing = f" ({len(wanted)} typed, not in the feeds)" if wanted else ""  # a feed's capture changed
            figures += typed_in_the_wild(f"{label}, {split}", "posts", by_type, missing)
    return figures


def typed_in_the_wild(name: str, things: str, by_type: dict[str, list[bool]], aside: str = "") -> list[Figure]:
    """The figures of real writing a blind hand typed, from the hits per type the hand gave:
    the share typed as the hand typed it, and how many of the hand's articles were filed as
    something else."""
    typed = sum(len(hits) for hits in by_type.values())
    articles = by_type.get(DEFAULT_TYPE, [])
    return [
        Figure(f"{name}: content-type accuracy", sum(map(sum, by_type.values())) / typed, None,
               f"{typed} {things} typed blind{aside}; {hits_per(by_type)}"),
        Figure(f"{name}: articles filed as another type", articles.count(False), None,
               f"of {len(articles)} the hand filed as articles"),
    ]


def real_pages_figures(taxonomy: Taxonomy, labels: Path = REAL_PAGES, folder: Path = READABILITY_PAGES,
                       mapper=map) -> list[Figure]:
    """Content types of real whole pages a blind hand typed (`labels`: each page's folder in
    `folder`, its address and type), each read as a crawl reads it (`type_of_page`): the
    share typed as the hand typed it with the hits per type, and the hand's articles filed as
    something else. Nothing where the pages are not beside the project."""
    if not folder.is_dir() or not labels.exists():
        return []
    labelled, missing = [], 0
    for item in parse_yaml(labels.read_text(encoding="utf-8"))["items"]:
        source = folder / str(item["page"]) / "source.html"
        if source.is_file():
            labelled.append(item | {"html": source.read_text(encoding="utf-8", errors="replace")})
        else:
            missing += 1  # the corpus changed
    by_type: dict[str, list[bool]] = {}
    for item, kind in zip(labelled, mapper(functools.partial(type_of_page, taxonomy), labelled)):
        by_type.setdefault(item["type"], []).append(kind == item["type"])  # no main text (None): a miss
    aside = f" ({missing} typed, not in the corpus)" if missing else ""
    return typed_in_the_wild("real pages, tune", "pages", by_type, aside) if by_type else []
