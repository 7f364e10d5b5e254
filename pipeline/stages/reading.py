"""One worker task a page: an HTML page's extraction, with the later stages' work read ahead.

Classification, tagging and the signature each need a worker, and a page that asks for
them one after the other pays four round trips between the crawler and a worker, each a
pickled text, a pool hand-off through the crawler's threads, and a wait while the reactor
is busy elsewhere (measured: the workers idle a sixth of the crawl). So the extraction's
task, `read_html`, goes on to run those stages' worker calls too, on the same inputs the
stages will give them (built by the same functions, `classify_call`, `tag_call`,
`signature_call`), in the order of pipeline.STAGES, and hands their results back with the
extraction, each under its `StageCall`. Each stage still builds its call and asks
`PooledStage.compute` for it: the result read ahead is used only when it was computed from
exactly those arguments (the text, title, URL, taxonomy...), else the call runs in a worker
as before. Reading ahead can make a page faster, never different.

Imported by the workers: no Scrapy here (a worker imports the understand layer and this).
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable
from urllib.parse import urlsplit

from feeds.entries import EntryHints
from pipeline import STAGES
from pipeline.items import Extraction, Page
from pipeline.store.bodies import pack
from pipeline.store.documents import document_row
from pipeline.understand.canonical import canonicalize_url, document_id, same_site
from pipeline.understand.classify import classify_text, declares_a_type
from pipeline.understand.encoding import decode_html
from pipeline.understand.extraction import extract_html
from pipeline.understand.pdf import is_pdf_document
from pipeline.understand.signatures import signature
from pipeline.understand.tagging import describe

logger = logging.getLogger(__name__)


class StageCall(Enum):
    """A later stage's worker call, which the extraction's task may run ahead; its value is
    the stage that makes it, as pipeline.STAGES names it (and orders it)."""

    CLASSIFY = "pipeline.stages.classify.ClassifyStage"
    TAG = "pipeline.stages.tag.TagStage"
    SIGNATURE = "pipeline.stages.dedup.DedupStage"


@dataclass(frozen=True)
class Call:
    """A stage's worker call: which one it is, the function and its arguments."""

    stage: StageCall
    function: Callable
    args: tuple


@dataclass(frozen=True)
class ReadAhead:
    """What the later stages' calls need beyond the page (config files as the workers name
    them: pipeline.stages.tasks.Pool.ship)."""

    taxonomy_path: str
    entities_path: str
    semantic: bool

    @classmethod
    def of(cls, settings, ship: Callable[[str], str] | None = None) -> ReadAhead:
        """From the crawl's settings (PRODOPS_TAXONOMY, PRODOPS_ENTITIES, PRODOPS_SEMANTIC);
        `ship` names a file as the workers will read it (a local pool: its path)."""
        ship = ship or (lambda path: path)
        return cls(ship(settings.get("PRODOPS_TAXONOMY")), ship(settings.get("PRODOPS_ENTITIES")),
                   settings.getbool("PRODOPS_SEMANTIC"))


@dataclass
class Reading:
    """What a worker made of an HTML page: its extraction (None: no main text), its
    canonical URL and document id once a declared canonical is adopted, its documents row
    as `document_row` builds it from the page so read (the text's words counted, hashed and
    made XML-safe here, not in the crawler's one process), and the later stages' calls
    computed ahead: StageCall -> (arguments, result)."""

    extraction: Extraction | None
    canonical_url: str
    doc_id: str
    ahead: dict[StageCall, tuple[tuple, Any]] = field(default_factory=dict)
    packed_body: bytes | None = None  # the body as the store keeps it (pipeline.store.bodies.pack)
    row: dict[str, Any] | None = None  # the page's documents row, before the later stages' columns


def classify_call(row: dict, taxonomy_path: str) -> Call:
    """The classification stage's worker call for a documents row."""
    return Call(StageCall.CLASSIFY, classify_text, (taxonomy_path, row["url"], row["title"], row["text"],
                                                    is_pdf_document(row), row["language"], row.get("markup_types")))


def tag_call(row: dict, taxonomy_path: str, entities_path: str, semantic: bool) -> Call:
    """The tag stage's worker call for a (classified) documents row."""
    return Call(StageCall.TAG, describe, (taxonomy_path, entities_path, row["title"], row["description"],
                                          row["text"], semantic, row.get("why")))


def signature_call(row: dict) -> Call | None:
    """The dedup stage's worker call for a documents row; None for a row without text."""
    return Call(StageCall.SIGNATURE, signature, (row["text"],)) if row["text"] else None


# Each call as its stage builds it, from the row and the crawl's settings.
_BUILDERS: dict[StageCall, Callable[[dict, ReadAhead], Call | None]] = {
    StageCall.CLASSIFY: lambda row, ahead: classify_call(row, ahead.taxonomy_path),
    StageCall.TAG: lambda row, ahead: tag_call(row, ahead.taxonomy_path, ahead.entities_path, ahead.semantic),
    StageCall.SIGNATURE: lambda row, ahead: signature_call(row),
}
# The order the stages make them in: pipeline.STAGES's (a StageCall it does not list fails here,
# when the crawl starts, rather than in every page's task).
READ_AHEAD_ORDER = tuple(sorted(StageCall, key=lambda call: STAGES.index(call.value)))


def read_html(page: Page, favour: str, ahead: ReadAhead | None = None) -> Reading:
    """Extract an HTML page (runs in a worker) and build its documents row; with `ahead`,
    also run the classification, tag and signature calls the later stages will make for it,
    in their order."""
    url = page.final_url or page.url
    keep_short = declares_a_type(ahead.taxonomy_path) if ahead is not None else None
    extraction = extract_html(decode_html(page.body, page.encoding), url, favour, known_from_feed(page.hints),
                              keep_short)
    reading = Reading(extraction, page.canonical_url, page.doc_id, packed_body=pack(page.body) if page.body else None)
    if extraction is None:
        return reading
    page = copy.copy(page)  # the worker's copy; the crawler's item takes what is returned
    page.extraction = extraction
    adopt_declared_canonical(page, extraction)
    reading.canonical_url, reading.doc_id = page.canonical_url, page.doc_id
    reading.row = document_row(page)
    if ahead is not None and reading.row is not None:
        reading.ahead = _read_ahead(dict(reading.row), ahead, page.url)
    return reading


def _read_ahead(row: dict, ahead: ReadAhead, url: str) -> dict[StageCall, tuple[tuple, Any]]:
    """The later stages' calls for a page's row, in their order (`row` gains their columns)."""
    done: dict[StageCall, tuple[tuple, Any]] = {}
    for kind in READ_AHEAD_ORDER:
        call = _BUILDERS[kind](row, ahead)
        if call is None:
            continue
        try:
            result = call.function(*call.args)
        except Exception:
            logger.debug("%s read ahead failed for %s", kind.name, url, exc_info=True)
            break  # the later calls' inputs depend on this one's result
        done[kind] = (call.args, result)
        if isinstance(result, dict):
            row.update(result)  # as the stages do: the next call sees the columns this one added
    return done


def known_from_feed(hints: EntryHints | None) -> frozenset[str]:
    """Which of the title, author and date the page's feed entry gave (they win over the
    page's, so extract_html does not search the page for them)."""
    if hints is None:
        return frozenset()
    given = {"title": hints.title, "author": hints.author, "date": hints.published}
    return frozenset(name for name, value in given.items() if value)


def adopt_declared_canonical(item: Page, extraction: Extraction) -> None:
    """Use the page's rel=canonical / og:url when it points elsewhere on the same site.

    A canonical that points at the site's home page from a deeper page is a common template
    mistake; following it would merge every article into one, so it is ignored.
    """
    declared = extraction.canonical_url
    if not declared or not same_site(declared, item.canonical_url):
        return
    try:
        canonical = canonicalize_url(declared)
    except ValueError:
        return
    if urlsplit(canonical).path == "/" and urlsplit(item.canonical_url).path != "/":
        return
    item.canonical_url = canonical
    item.doc_id = document_id(canonical)
