"""The review queue, `/-/review`: one document at a time for a signed-in curator to judge,
the one the models are least sure of first (pipeline.understand.learning.least_sure_first
over the stored relevance: the tagger's before the first fit, the models' after), the
documents that arrived since the curator's last visit pulled up among them.

- The queue is every document nobody has judged yet (a judgement by any curator takes a
  document out), one copy of each near-duplicate cluster (its canonical, as search shows
  it: a curator judged the same text twice); "skip" puts one aside for this visit.
- A visit: opening the queue after VISIT_GAP without it starts a new one; what arrived after
  the previous visit began counts as new (table `review_visits`).
- After every REFIT_EVERY judgements made on the site, the models are refitted and the
  corpus re-scored in a background thread from the stored tagger scores and vectors
  (pipeline/store/rescore.py; a few seconds at 10^5 documents, benchmarks/rescore.py);
  the queue's page says when the new scores are live. `prodops retag` stays the full pass.
"""

from __future__ import annotations

import datetime
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass

import numpy as np

from pipeline.config.taxonomy import load_taxonomy
from pipeline.publish.indexes import CANONICAL
from pipeline.store.database import open_database
from pipeline.store.rescore import RescoreSummary, rescore_corpus
from pipeline.understand.learning import MIN_LABELS, least_sure_first

logger = logging.getLogger(__name__)

REFIT_EVERY = 5  # judgements on the site between two refits
VISIT_GAP = datetime.timedelta(minutes=30)
SKIPPED_KEPT = 50  # ids a visit's "skip" remembers (in the page's URL)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _iso(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def visit(conn: sqlite3.Connection, curator: str, now: datetime.datetime | None = None) -> str | None:
    """Record that `curator` opened the queue now; the moment the previous visit began (None
    on the first), which says what is new. Runs on the write connection."""
    now = now or _now()
    row = conn.execute("SELECT previous, latest FROM review_visits WHERE curator = ?", [curator]).fetchone()
    previous, latest = row if row else (None, None)
    if latest is None or _iso(now - VISIT_GAP) > latest:
        previous = latest  # a new visit: the last one's start is the line for "new"
    conn.execute("INSERT OR REPLACE INTO review_visits (curator, previous, latest) VALUES (?, ?, ?)",
                 [curator, previous, _iso(now)])
    conn.commit()
    return previous


@dataclass
class Queue:
    """The queue as it stands: the next document's id (None when nothing is left), how many
    are left, how many of them are new since the previous visit."""

    next_id: str | None
    left: int
    new: int


# The queue's documents: the canonical copy of each cluster (or a document alone), not judged.
QUEUED = f"FROM documents d WHERE {CANONICAL} AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.document_id = d.id)"


def queue(conn: sqlite3.Connection, since: str | None, skipped: tuple[str, ...] = ()) -> Queue:
    """The next document to judge (see the module docstring)."""
    # On a first visit nothing counts as new: no ISO timestamp is after "9999".
    rows = conn.execute(f"SELECT d.id, coalesce(d.relevance, 0), d.first_seen > ? {QUEUED} ORDER BY d.rowid",
                        [since or "9999"]).fetchall()
    if not rows:
        return Queue(None, 0, 0)
    ids = [row[0] for row in rows]
    new = np.array([bool(row[2]) for row in rows])
    aside = set(skipped)
    order = least_sure_first([row[1] for row in rows], new)
    next_id = next((ids[i] for i in order if ids[i] not in aside), None)
    return Queue(next_id, len(rows), int(new.sum()))


def queue_length(conn: sqlite3.Connection) -> int:
    """Documents nobody has judged yet (the home page shows it to a signed-in curator)."""
    return conn.execute(f"SELECT count(*) {QUEUED}").fetchone()[0]


def skipped_ids(value: str | None) -> tuple[str, ...]:
    """The `skip` argument of the queue's URL: document ids, comma-separated."""
    return tuple(part for part in (value or "").split(",") if part.isalnum())[-SKIPPED_KEPT:]


class Refitter:
    """Refits and re-scores in a background thread after every REFIT_EVERY judgements; one
    run at a time (judgements made during a run start another when it ends)."""

    def __init__(self, db_path: str, taxonomy_path: str):
        self.db_path, self.taxonomy_path = db_path, taxonomy_path
        self.pending = 0  # judgements since the last refit began
        self.running = False
        self.finished_at: datetime.datetime | None = None
        self.seconds = 0.0
        self.summary: RescoreSummary | None = None
        self.error: str | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def judged(self) -> None:
        """A judgement was recorded: refit when enough have come in."""
        with self._lock:
            self.pending += 1
            if self.pending >= REFIT_EVERY and not self.running:
                self._start()

    def _start(self) -> None:
        self.pending, self.running = 0, True
        self._thread = threading.Thread(target=self._run, name="prodops-refit", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            db = open_database(self.db_path)
            try:
                summary = rescore_corpus(db, load_taxonomy(self.taxonomy_path))
            finally:
                db.close()
            error = None
        except Exception as exc:  # a refit that fails leaves the scores as they were; say why
            logger.exception("refit failed")
            summary, error = None, f"{type(exc).__name__}: {exc}"
        with self._lock:
            self.summary, self.error = summary or self.summary, error
            self.seconds, self.finished_at, self.running = time.perf_counter() - started, _now(), False
            if self.pending >= REFIT_EVERY:
                self._start()

    def wait(self, timeout: float = 60) -> None:
        """Until the current run ends (for tests and benchmarks)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def status(self, labels: int) -> str:
        """What the page says about the scores, in words."""
        if self.running:
            return "Re-scoring the corpus in the background from the latest judgements…"
        if self.error:
            return f"The last refit failed ({self.error}); the scores are as before."
        if self.summary is not None and self.finished_at is not None:
            learned = (f"refitted on {self.summary.labels} labels" if self.summary.learned
                       else f"the models learn from {MIN_LABELS} labels ({self.summary.labels} so far)")
            return (f"Scores live since {self.finished_at:%H:%M:%S} UTC: {learned}; "
                    f"{self.summary.changed:,} documents re-scored in {self.seconds:.1f} s.")
        if labels < MIN_LABELS:
            return (f"The models learn from {MIN_LABELS} labels ({labels} so far); until then the queue "
                    "follows the tagger's scores.")
        return f"The scores are refitted after every {REFIT_EVERY} judgements made here."


def refitter_of(datasette) -> Refitter:
    """The site's one Refitter (made on first use)."""
    refitter = getattr(datasette, "_prodops_refitter", None)
    if refitter is None:
        refitter = Refitter(datasette.get_database().path, datasette.prodops.taxonomy_path)
        datasette._prodops_refitter = refitter
    return refitter
