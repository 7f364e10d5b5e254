"""Datasette plugin of ProdOps Curator (loaded by `prodops serve` with --plugins-dir):

- /-/feeds/latest.atom — the 50 latest documents as Atom;
- /-/feeds/lists/<slug>.atom — a curated list as Atom (items as resolved at serve time);
- /-/chart — documents per concept per month, as a table of inline SVG bars (no script,
  nothing loaded from elsewhere, so it works offline and under a strict CSP);
- every CSV that Datasette serves has its formula-like cells (starting with = + - @)
  neutralized, as `prodops export --format csv` does, so a spreadsheet never runs a cell
  written by a stranger.
Everything is read-only and escaped.
"""

from __future__ import annotations

import csv
import io
from html import escape

from datasette import hookimpl
from datasette.utils.asgi import Response

from pipeline.export import neutralize, to_atom

DOCUMENT_COLUMNS = "d.id, d.url, d.title, d.sitename, d.source_id, d.published, d.content_type, " \
                   "d.tags, d.tag_scores, d.relevance, d.description"


async def latest_atom(datasette, request):
    db = datasette.get_database()
    result = await db.execute(
        f"SELECT {DOCUMENT_COLUMNS} FROM documents d "
        "ORDER BY coalesce(d.published, d.first_seen) DESC LIMIT 50"
    )
    return Response(to_atom("ProdOps Curator: latest", "urn:prodops-curator:latest",
                            [dict(row) for row in result.rows]),
                    content_type="application/atom+xml; charset=utf-8")


async def list_atom(datasette, request):
    slug = request.url_vars["slug"]
    db = datasette.get_database()
    found = await db.execute("SELECT title FROM lists WHERE slug = ?", [slug])
    if not found.rows:
        return Response.text(f"No curated list {slug!r}", status=404)
    result = await db.execute(
        f"SELECT {DOCUMENT_COLUMNS}, i.note FROM list_items i JOIN documents d ON d.id = i.document_id "
        "WHERE i.list_slug = ? ORDER BY i.position", [slug])
    return Response(to_atom(found.rows[0]["title"], f"urn:prodops-curator:list:{slug}",
                            [dict(row) for row in result.rows]),
                    content_type="application/atom+xml; charset=utf-8")


async def chart(datasette, request):
    db = datasette.get_database()
    result = await db.execute(
        "SELECT t.value AS concept, substr(coalesce(d.published, d.first_seen), 1, 7) AS month, "
        "count(*) AS n FROM documents d, json_each(d.tags) t GROUP BY concept, month ORDER BY month"
    )
    months = sorted({row["month"] for row in result.rows if row["month"]})[-24:]
    counts: dict[str, dict[str, int]] = {}
    for row in result.rows:
        counts.setdefault(row["concept"], {})[row["month"]] = row["n"]
    peak = max([n for per in counts.values() for n in per.values()] or [1])
    head = "".join(f"<th>{escape(m)}</th>" for m in months)
    body = []
    for concept in sorted(counts, key=lambda c: -sum(counts[c].values())):
        cells = []
        for month in months:
            n = counts[concept].get(month, 0)
            height = round(28 * n / peak)
            cells.append(f'<td title="{escape(concept)} {escape(month)}: {n}"><svg width="14" height="28">'
                         f'<rect x="1" y="{28 - height}" width="12" height="{height}" fill="#3b6ea5"/></svg>'
                         f"<br>{n or ''}</td>")
        total = sum(counts[concept].values())
        body.append(f'<tr><th><a href="{datasette.urls.path("/")}{escape(db.name)}/by_concept?concept='
                    f'{escape(concept)}">{escape(concept)}</a> ({total})</th>{"".join(cells)}</tr>')
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Documents per concept per month</title><style>
body{{font-family:system-ui,sans-serif;margin:1.5rem}}table{{border-collapse:collapse}}
td,th{{padding:2px 4px;text-align:center;font-size:.8rem}}tbody th{{text-align:right;white-space:nowrap}}
</style></head><body><h1>Documents per concept per month</h1>
<p>Each bar is the number of documents tagged with a concept and published that month
(the last 24 months with documents). <a href="{datasette.urls.path('/')}">Back to the data</a></p>
<table><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>"""
    return Response.html(html)


@hookimpl
def register_routes():
    return [
        (r"^/-/feeds/latest\.atom$", latest_atom),
        (r"^/-/feeds/lists/(?P<slug>[a-z0-9-]+)\.atom$", list_atom),
        (r"^/-/chart$", chart),
    ]


def neutralize_csv(body: bytes) -> bytes:
    """Rewrite a CSV body with every cell neutralized (see pipeline.export.neutralize)."""
    rows = csv.reader(io.StringIO(body.decode("utf-8", errors="replace"), newline=""))
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([neutralize(cell) for cell in row])
    return out.getvalue().encode("utf-8")


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def csv_guard(scope, receive, send):
            if scope["type"] != "http" or not scope.get("path", "").endswith(".csv"):
                await app(scope, receive, send)
                return
            start, chunks = None, []

            async def capture(message):
                nonlocal start
                if message["type"] == "http.response.start":
                    start = message
                    return
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = neutralize_csv(b"".join(chunks))
                headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})

            await app(scope, receive, capture)

        return csv_guard

    return wrap
