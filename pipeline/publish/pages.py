"""The site's own pages, as the plugin's routes serve them (pipeline/publish/plugins/prodops.py):
a document's page (and its JSON), a curated list's page, the search page (and
/-/search.json), the chart and the review queue. Each reads its request, takes what to show
from pipeline.publish.site, search or review, and renders its template of
pipeline/publish/templates/ inside Datasette's layout; a signed-in curator's pages offer
the acts of pipeline/publish/acts.py.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import urlencode

from datasette.utils.asgi import NotFound, Response

from pipeline.publish import review, site
from pipeline.publish.acts import CURATE
from pipeline.publish.export import is_web_link, tags_of
from pipeline.publish.indexes import FACETS
from pipeline.publish.labels import labels
from pipeline.publish.search import search
from pipeline.publish.snippets import snippet_html

FACET_LABELS = {"content_type": "Content type", "tags": "Concept", "entities": "Tool or method", "source_id": "Source",
                "language": "Language", "year": "Year"}


async def read_or_404(datasette, read, what: str):
    """(the database, what `read(conn)` found there); nothing found is Datasette's 404 page."""
    db = datasette.get_database()
    data = await db.execute_fn(read)
    if data is None:
        raise NotFound(f"No {what}")
    return db, data


async def document_page(datasette, request):
    """/-/documents/<id> (and .json): a document's facts, tags with their reasons, text,
    copies and related documents; 404 for an id that is not stored."""
    doc_id = request.url_vars["id"]
    db, data = await read_or_404(datasette, lambda conn: site.document(conn, doc_id), f"document {doc_id}")
    if request.url_vars.get("format") == "json":
        fields = ("id", "url", "title", "author", "published", "sitename", "content_type", "relevance", "description")
        return Response.json({"document": {name: data["doc"].get(name) for name in fields},
                              "tags": tags_of(data["doc"].get("tags")), "related": data["related"]})
    data["link"] = data["doc"]["url"] if is_web_link(data["doc"]["url"]) else None
    data["curation"], data["here"] = await curation_for(datasette, request), request.path
    data["row_url"] = datasette.urls.row(db.name, "documents", doc_id)
    return Response.html(await datasette.render_template("document.html", data, request=request))


async def curation_for(datasette, request) -> dict | None:
    """What a signed-in curator's acts offer (the concepts by label, the lists), or None for
    anyone else: the templates show the acts (_curate.html) only with it."""
    if not await datasette.permission_allowed(request.actor, CURATE, default=False):
        return None
    db = datasette.get_database()
    found = (await db.execute("SELECT slug, title FROM lists ORDER BY title")).rows \
        if await db.table_exists("lists") else []
    return {"concepts": sorted(labels().concepts.items(), key=lambda item: item[1]),
            "lists": [dict(row) for row in found]}


async def review_page(datasette, request):
    """The review queue (pipeline/publish/review.py): a signed-in curator's; anyone else is
    sent to sign in."""
    if not await datasette.permission_allowed(request.actor, CURATE, default=False):
        return Response.redirect(datasette.urls.path("/-/login") + "?" + urlencode({"next": request.path}))
    db = datasette.get_database()
    curator = request.actor["id"]
    skipped = review.skipped_ids(request.args.get("skip"))
    try:
        since = await db.execute_write_fn(lambda conn: review.visit(conn, curator), block=True)
    except sqlite3.OperationalError:  # a crawl holds the write lock: what is new is a guess
        since = None
    state = await db.execute_fn(lambda conn: review.queue(conn, since, skipped))
    labelled = (await db.execute("SELECT count(*) FROM labels")).rows[0][0]
    here = datasette.urls.path("/-/review")
    data = {"queue": state, "status": review.refitter_of(datasette).status(labelled), "labelled": labelled,
            "since": since, "doc": None,
            "here": here + ("?" + urlencode({"skip": ",".join(skipped)}) if skipped else "")}
    if state.next_id is not None:
        # (the queue shows no related documents: the vector search they cost is skipped)
        found = await db.execute_fn(lambda conn: site.document(conn, state.next_id, with_related=False))
        data.update(found)
        data["curation"] = await curation_for(datasette, request)
        data["skip_url"] = here + "?" + urlencode({"skip": ",".join((*skipped, state.next_id))})
    return Response.html(await datasette.render_template("review.html", data, request=request))


async def list_page(datasette, request):
    """/-/lists/<slug>: a curated list's items (web links only), with its feed, Markdown and
    canned query; a curator also gets the form that edits it."""
    slug = request.url_vars["slug"]
    db, data = await read_or_404(datasette, lambda conn: site.curated_list(conn, slug), f"curated list {slug}")
    data["items"] = [item for item in data["items"] if is_web_link(item["url"])]
    data.update(atom_url=datasette.urls.path(f"/-/feeds/lists/{slug}.atom"),
                markdown_url=datasette.urls.path(f"/-/exports/lists/{slug}.md"),
                query_url=datasette.urls.database(db.name) + f"/list_{slug.replace('-', '_')}")
    if await datasette.permission_allowed(request.actor, CURATE, default=False):
        data["items_url"] = datasette.urls.path(f"/-/lists/{slug}/items")
    return Response.html(await datasette.render_template("list.html", data, request=request))


async def chart(datasette, request):
    """/-/chart: documents per concept and per source per month, each series linked to its
    search."""
    db = datasette.get_database()
    data = await db.execute_fn(site.charts)
    search = datasette.urls.path("/-/search")
    charts = []
    for key, title, what, series, href in (
            ("by-concept", "Documents per concept", "Concept", data["concepts"], lambda s: f"{search}?tags={s['key']}"),
            ("by-source", "Documents per source", "Source", data["sources"],
             lambda s: f"{search}?source_id={s['key']}")):
        for item in series:
            item["href"] = href(item)
        top = series[0] if series else None
        summary = (f"{len(series)} {what.lower()}s; the most documents: {top['label']} ({top['total']})."
                   if top else "No documents yet.")
        charts.append({"id": key, "title": title, "what": what, "series": series, "summary": summary})
    return Response.html(await datasette.render_template(
        "chart.html", {"charts": charts, "months": data["months"]}, request=request))


async def search_page(datasette, request):
    """/-/search (and /-/search.json): a page of results of pipeline.publish.search.search,
    with its facets as links that add or remove a filter."""
    query = request.args.get("q", "")[:500]
    filters = {name: request.args.get(name) for name in FACETS if request.args.get(name)}
    try:
        page = max(1, min(int(request.args.get("page") or 1), 1000))
    except ValueError:
        page = 1
    db = datasette.get_database()
    mode = request.args.get("mode") or "hybrid"
    result = await db.execute_fn(lambda conn: search(conn, query, filters, page, mode))
    if request.url_vars.get("format") == "json":
        return Response.json(result.as_json())
    path = datasette.urls.path("/-/search")

    def url(target=path, **changes):
        """This search's URL with some arguments changed (None removes one)."""
        args = {"q": query, **filters, "mode": None if result.mode == "hybrid" else result.mode, **changes}
        return f"{target}?{urlencode({k: v for k, v in args.items() if v not in (None, '')})}"

    names = labels()
    shown = {"tags": names.concept, "content_type": names.type}
    pages = -(-result.count // result.page_size)  # (ceiling)
    previous = min(result.page - 1, pages)  # past the last page, the previous one is the last
    facets = [{"name": name, "label": FACET_LABELS[name], "items": [
        {"value": value, "label": shown.get(name, str)(value), "count": count,
         "selected": filters.get(name) == str(value),
         "href": url(**{name: None if filters.get(name) == str(value) else value}, page=None)}
        for value, count in values]} for name, values in result.facets.items()]
    rows = [{**row, "link": row["url"] if is_web_link(row["url"]) else None,
             "type_label": names.type(row["content_type"]),
             "tag_pairs": [(reason["concept"], reason["label"]) for reason in row["reasons"]],
             "detail": datasette.urls.path(f"/-/documents/{row['id']}"),
             "copies_url": (datasette.urls.database(db.name) + "/also_published_at?"
                            + urlencode({"id": row["id"]})) if row["copies"] else None,
             "snippet_html": snippet_html(row["snippet"])}
            for row in result.rows]
    context = {
        "query": query, "filters": {name: shown.get(name, str)(value) for name, value in filters.items()},
        "hidden_filters": filters, "facet_labels": FACET_LABELS, "facets": facets,
        "rows": rows, "count": result.count, "total_matches": result.total_matches,
        "note": result.note, "ranking": result.ranking, "excluded": result.excluded, "search_path": path,
        "concept_filter": {"label": names.concept(result.concept), "href": url(tags=result.concept, page=None)}
        if result.concept else None,
        "json_url": url(datasette.urls.path("/-/search.json"), page=result.page),
        "next_url": url(page=result.page + 1) if result.has_next else None,
        "previous_url": url(page=previous if previous > 1 else None) if previous >= 1 else None,
        "page": result.page, "pages": pages,
        "clear_filters_url": url(**{name: None for name in filters}),
        "table_url": datasette.urls.table(db.name, "documents"),
        "chart_url": datasette.urls.path("/-/chart"),
        "curation": await curation_for(datasette, request), "here": url(page=result.page),
    }
    return Response.html(await datasette.render_template("search.html", context, request=request))
