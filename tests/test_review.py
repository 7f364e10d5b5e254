"""The review queue's learning loop: the curator's labels refit the models and re-score the
corpus from the stored tagger scores and vectors (pipeline/store/rescore.py) — the same
scores a full `prodops retag` gives, without tagging again — and the queue asks first for
the documents the models are least sure of (pipeline.understand.learning.least_sure_first).
The corpus is test_learning's: the situations set's pages and agile pages a curator counts in."""

from __future__ import annotations

import shutil

import pytest
import sqlite_utils

from pipeline.config.files import PROJECT_DATA
from pipeline.config.taxonomy import load_taxonomy
from pipeline.store.database import open_database
from pipeline.store.labels import record_label
from pipeline.store.rescore import rescore_corpus
from pipeline.understand.learning import least_sure_first
from tests.conftest import run_prodops
from tests.test_learning import build_corpus, relevance_of


def test_least_sure_first_puts_the_documents_nearest_the_line_first_and_pulls_new_ones_up():
    relevances = [0.05, 0.45, 0.9, 0.7, 0.52]
    assert list(least_sure_first(relevances)) == [4, 1, 3, 2, 0]
    # a new arrival 0.2 from the line counts as 0.1 from it: ahead of an old one 0.3 from it
    assert list(least_sure_first([0.45, 0.8, 0.3], new=[False, False, True])) == [0, 2, 1]


@pytest.fixture(scope="module")
def labelled_corpus(tmp_path_factory):
    """A retagged corpus (tagger scores and vectors stored) and 36 judgements recorded as the
    site records them; (database path, labels path, the agile look-alike's URL)."""
    tmp = tmp_path_factory.mktemp("review")
    db_path, labels = tmp / "c.db", tmp / "labels.yaml"
    product, others, agile, look_alike = build_corpus(db_path)
    assert run_prodops("retag", "--db", str(db_path), "--labels", str(labels), "--lists", "").returncode == 0
    concept_ids = set(load_taxonomy(PROJECT_DATA / "taxonomy.yaml").ids())
    db = open_database(db_path)
    for item in agile:
        record_label(db, labels, concept_ids, item["url"], True, ["process-rituals"], by="ana")
    for item in product[:10]:
        record_label(db, labels, concept_ids, item["url"], True, [item["tags"][-1]], by="ana")
    for item in others[:12]:
        record_label(db, labels, concept_ids, item["url"], False, by="ana")
    db.close()
    return db_path, labels, look_alike["url"]


def scores(path) -> dict[str, tuple]:
    return {row["id"]: (row["relevance"], row["tags"])
            for row in sqlite_utils.Database(path).execute_returning_dicts("SELECT id, relevance, tags FROM documents")}


def test_a_rescore_from_stored_scores_agrees_with_a_full_retag(labelled_corpus, tmp_path):
    db_path, labels, look_alike = labelled_corpus
    copy = tmp_path / "retagged.db"
    shutil.copy(db_path, copy)
    before = relevance_of(db_path, look_alike)
    assert before < 0.5

    taxonomy = load_taxonomy(PROJECT_DATA / "taxonomy.yaml")
    db = open_database(db_path)
    summary = rescore_corpus(db, taxonomy)
    assert summary.learned and summary.labels == 36 and summary.without_scores == 0
    assert summary.changed > 36  # the labelled documents and the look-alikes they moved
    assert relevance_of(db_path, look_alike) > 0.5
    assert rescore_corpus(db, taxonomy).changed == 0  # the same labels give the same scores
    db.close()

    assert run_prodops("retag", "--db", str(copy), "--labels", str(labels), "--lists", "").returncode == 0
    rescored, retagged = scores(db_path), scores(copy)
    # The stored vectors are float16; a retag reads float32: the scores agree to a hair, and
    # every document lands on the same side of the line.
    assert max(abs(rescored[i][0] - retagged[i][0]) for i in rescored) <= 0.02
    assert all((rescored[i][0] >= 0.5) == (retagged[i][0] >= 0.5) for i in rescored)
    assert sum(rescored[i][1] == retagged[i][1] for i in rescored) >= 0.95 * len(rescored)


def test_a_rescore_before_the_models_can_learn_keeps_the_taggers_concepts(labelled_corpus, tmp_path):
    """Five judgements, fewer than the models learn from: the corpus follows the tagger. The
    first refit of a new site (after five judgements) wrote every unjudged document's tags as
    none: the home page's concepts, the concept facets and the lists picked by concept emptied."""
    import json

    from pipeline.understand.tagging import tags_from_scores

    db_path, _, _ = labelled_corpus
    copy = tmp_path / "five.db"
    shutil.copy(db_path, copy)
    taxonomy = load_taxonomy(PROJECT_DATA / "taxonomy.yaml")
    db = open_database(copy)
    kept = [row[0] for row in db.execute("SELECT url FROM labels ORDER BY url LIMIT 5")]
    db.execute(f"DELETE FROM labels WHERE url NOT IN ({', '.join('?' * len(kept))})", kept)
    db.conn.commit()
    summary = rescore_corpus(db, taxonomy)
    assert not summary.learned and summary.labels == 5
    unjudged = db.execute("SELECT tagger_relevance, tagger_scores, tags FROM documents WHERE id NOT IN "
                          "(SELECT document_id FROM labels WHERE document_id IS NOT NULL)").fetchall()
    db.close()
    tagged = [json.loads(tags) for _, _, tags in unjudged]
    assert sum(map(bool, tagged)) >= 10  # the tagger's concepts, there to keep
    assert tagged == [tags_from_scores(taxonomy, json.loads(scores), relevance) for relevance, scores, _ in unjudged]
