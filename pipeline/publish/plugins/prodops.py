"""Datasette plugin of ProdOps Curator (loaded by `prodops serve` with --plugins-dir):

- /-/feeds/latest.atom — the 50 latest documents as Atom;
- /-/feeds/lists/<slug>.atom — a curated list as Atom (items as resolved at serve time);
- /-/search (and /-/search.json) — ranked full-text search with facets that stays fast at
  10^5 documents (see pipeline.publish.search); the home page links to it;
- /-/chart — documents per concept per month, as a table of inline SVG bars (no script,
  nothing loaded from elsewhere, so it works offline and under a strict CSP);
- the `why` column of documents is shown as one line of reasons per tag (labels, phrases,
  the closest passage, the curator's labels) instead of raw JSON, in HTML pages only;
- every CSV that Datasette serves has its formula-like cells (starting with = + - @)
  neutralized, as `prodops export --format csv` does, so a spreadsheet never runs a cell
  written by a stranger.
Everything is read-only and escaped.
"""

from __future__ import annotations

import csv
import io
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from pipeline.publish.export import is_web_link, neutralize, to_atom
from pipeline.publish.reasons import tag_reasons
from pipeline.publish.search import FACETS, MARK_END, MARK_START, search

SEARCH_TEMPLATE = (Path(__file__).parent / "search.html").read_text(encoding="utf-8")
_compiled_templates: dict = {}
FACET_LABELS = {"content_type": "Content type", "tags": "Concept", "entities": "Tool or method", "source_id": "Source",
                "language": "Language", "year": "Year"}

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


async def search_page(datasette, request):
    query = request.args.get("q", "")[:500]
    filters = {name: request.args.get(name) for name in FACETS if request.args.get(name)}
    try:
        page = max(1, min(int(request.args.get("page") or 1), 1000))
    except ValueError:
        page = 1
    db = datasette.get_database()
    result = await db.execute_fn(lambda conn: search(conn, query, filters, page))
    if request.url_vars.get("format") == "json":
        return Response.json(result.as_json())
    path = datasette.urls.path("/-/search")

    def url(target=path, **changes):
        """This search's URL with some arguments changed (None removes one)."""
        args = {"q": query, **filters, **changes}
        return f"{target}?{urlencode({k: v for k, v in args.items() if v not in (None, '')})}"

    facets = [{"name": name, "label": FACET_LABELS[name], "items": [
        {"value": value, "count": count, "selected": filters.get(name) == str(value),
         "href": url(**{name: None if filters.get(name) == str(value) else value}, page=None)}
        for value, count in values]} for name, values in result.facets.items()]
    rows = [{**row, "link": row["url"] if is_web_link(row["url"]) else None,
             "detail": datasette.urls.row(db.name, "documents", row["id"]),
             "copies_url": (datasette.urls.database(db.name) + "/also_published_at?"
                            + urlencode({"id": row["id"]})) if row["copies"] else None,
             "snippet_html": Markup(str(escape(row["snippet"], quote=False))
                                    .replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))}
            for row in result.rows]
    context = {
        "query": query, "filters": filters, "facet_labels": FACET_LABELS, "facets": facets,
        "rows": rows, "count": result.count, "total_matches": result.total_matches,
        "considered": result.considered, "windowed": result.windowed, "search_path": path,
        "json_url": url(datasette.urls.path("/-/search.json"), page=result.page),
        "next_url": url(page=result.page + 1) if result.has_next else None,
        "clear_filters_url": url(**{name: None for name in filters}),
        "table_url": datasette.urls.table(db.name, "documents"),
        "chart_url": datasette.urls.path("/-/chart"),
    }
    template = _compiled_templates.get(id(datasette))
    if template is None:  # compiled once per Datasette instance (its environment has base.html)
        template = _compiled_templates[id(datasette)] = datasette.jinja_env.from_string(SEARCH_TEMPLATE)
    return Response.html(await datasette.render_template(template, context, request=request))


@hookimpl
def render_cell(row, value, column, table):
    """The documents' `why` as a list of reasons, one per tag (JSON and CSV keep the raw value)."""
    if table != "documents" or column != "why" or not value:
        return None
    reasons = tag_reasons(row["tags"] if "tags" in row.keys() else None, value)
    if not reasons:
        return None
    items = "".join(f"<li><strong>{escape(r.label)}</strong>: {escape(r.summary())}</li>" for r in reasons)
    return Markup(f'<ul class="tag-reasons">{items}</ul>')


@hookimpl
def register_routes():
    return [
        (r"^/-/feeds/latest\.atom$", latest_atom),
        (r"^/-/feeds/lists/(?P<slug>[a-z0-9-]+)\.atom$", list_atom),
        (r"^/-/chart$", chart),
        (r"^/-/search(\.(?P<format>json))?$", search_page),
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
