"""Sites the corpus cites but does not follow: `prodops sources suggest` and the canned query
`cited_not_followed` (the same SQL, written once here).

A host is suggested when relevant documents (relevance >= RELEVANT) link to it from their
main text (table `links`), and no source is on it. Its score is the sum of the relevance of
the distinct documents that cite it: ten relevant documents citing a site count for more
than one document citing it ten times.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

import sqlite_utils

from pipeline.understand.relevance import RELEVANT  # the product's one threshold (also the scorecard's)

CITED_NOT_FOLLOWED_SQL = f"""
select c.host, count(*) as citations, round(sum(c.relevance), 3) as score,
       (select group_concat(title, ' | ') from (
            select d2.title from links l2 join documents d2 on d2.id = l2.document_id
            where l2.host = c.host and d2.relevance >= {RELEVANT}
            group by d2.id order by d2.relevance desc, d2.title limit 3)) as examples
from (select distinct l.host, l.document_id, d.relevance
      from links l join documents d on d.id = l.document_id
      where d.relevance >= {RELEVANT} and l.host != ''
        and l.host not in (select host from sources where host is not null)) c
group by c.host
having count(*) >= cast(coalesce(nullif(:min_citations, ''), 3) as integer)
order by score desc, citations desc, c.host
limit cast(coalesce(nullif(:limit, ''), 50) as integer)
""".strip()


@dataclass
class Suggestion:
    """A cited host that is not a source yet."""

    host: str
    citations: int  # distinct relevant documents citing it
    score: float  # their relevance summed
    examples: list[str]  # up to three citing titles, most relevant first
    scheme: str = "https"  # the scheme its citations use
    feed: str | None = None  # the feed or sitemap found there, when checked
    kind: str | None = None  # feed | sitemap

    def as_json(self) -> dict:
        return {"host": self.host, "citations": self.citations, "score": self.score,
                "examples": self.examples, "feed": self.feed}


def suggest_hosts(db: sqlite_utils.Database, exclude: Set[str] = frozenset(), limit: int = 20,
                  min_citations: int = 3) -> list[Suggestion]:
    """The most cited hosts that no source is on (nor any host in `exclude`), best first."""
    rows = db.execute(CITED_NOT_FOLLOWED_SQL,
                      {"min_citations": min_citations, "limit": limit + len(exclude)}).fetchall()
    found = []
    for host, citations, score, _ in rows:  # (the examples column is for Datasette)
        if host in exclude:
            continue
        scheme = db.execute("SELECT url FROM links WHERE host = ? LIMIT 1", [host]).fetchone()[0].split(":", 1)[0]
        titles = [row[0] or row[1] for row in db.execute(
            "SELECT d.title, d.url FROM links l JOIN documents d ON d.id = l.document_id "
            "WHERE l.host = ? AND d.relevance >= ? GROUP BY d.id ORDER BY d.relevance DESC, d.title LIMIT 3",
            [host, RELEVANT])]
        found.append(Suggestion(host, citations, score, titles, scheme=scheme))
    return found[:limit]
