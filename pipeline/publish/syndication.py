"""What the site serves for feed readers and other programs beside its pages: the Atom feed
of the latest documents, each curated list as Atom and as Markdown (pipeline.publish.export
writes them), and the feeds each page declares (<link rel="alternate">).
"""

from __future__ import annotations

from datasette.utils.asgi import Response

from pipeline.publish.export import to_atom, to_markdown
from pipeline.publish.indexes import SHOWN
from pipeline.publish.labels import labels

DOCUMENT_COLUMNS = "d.id, d.url, d.title, d.sitename, d.source_id, d.published, d.content_type, " \
                   "d.tags, d.tag_scores, d.relevance, d.description"


async def latest_atom(datasette, request):
    """/-/feeds/latest.atom: the 50 latest documents about product ops (SHOWN: on topic, one
    copy of each near-duplicate cluster)."""
    db = datasette.get_database()
    result = await db.execute(
        f"SELECT {DOCUMENT_COLUMNS} FROM documents d WHERE {SHOWN} "
        "ORDER BY coalesce(d.published, d.first_seen) DESC LIMIT 50"
    )
    return Response(to_atom("ProdOps Curator: latest", "urn:prodops-curator:latest",
                            [dict(row) for row in result.rows]),
                    content_type="application/atom+xml; charset=utf-8")


async def list_atom(datasette, request):
    """/-/feeds/lists/<slug>.atom: a curated list's items, as resolved at serve time."""
    return await _list_export(datasette, request, lambda slug, head, items: Response(
        to_atom(head["title"], f"urn:prodops-curator:list:{slug}", items),
        content_type="application/atom+xml; charset=utf-8"))


async def list_markdown(datasette, request):
    """/-/exports/lists/<slug>.md: a curated list as Markdown, concepts by their labels."""
    # Response's content_type, not a header: Datasette writes content_type over any header.
    return await _list_export(datasette, request, lambda slug, head, items: Response(
        to_markdown(head["title"], head["description"] or "", items, labels().concepts),
        content_type="text/markdown; charset=utf-8"))


async def _list_export(datasette, request, render):
    """A curated list as a file: `render(slug, its row, its items)` with the items (documents
    with the editor's note) in order; 404 when there is no such list."""
    slug = request.url_vars["slug"]
    db = datasette.get_database()
    found = await db.execute("SELECT title, description FROM lists WHERE slug = ?", [slug])
    if not found.rows:
        return Response.text(f"No curated list {slug!r}", status=404)
    result = await db.execute(
        f"SELECT {DOCUMENT_COLUMNS}, i.note FROM list_items i JOIN documents d ON d.id = i.document_id "
        "WHERE i.list_slug = ? ORDER BY i.position", [slug])
    return render(slug, dict(found.rows[0]), [dict(row) for row in result.rows])


async def feed_links(datasette, request) -> list[dict]:
    """The Atom feeds a page offers: the latest documents on the home page and the `latest`
    query; a list's feed on its page and its query."""
    if request is None:
        return []
    path = request.path
    latest = {"title": "ProdOps Curator: latest documents", "href": datasette.urls.path("/-/feeds/latest.atom")}
    if path in ("/", "/-/search") or path.endswith("/latest"):
        return [latest]
    slug = None
    if path.startswith("/-/lists/"):
        slug = path.removeprefix("/-/lists/")
    elif path.rsplit("/", 1)[-1].startswith("list_"):
        name = path.rsplit("/", 1)[-1].removeprefix("list_")
        found = await datasette.get_database().execute(
            "SELECT slug FROM lists WHERE replace(slug, '-', '_') = ?", [name])
        slug = found.rows[0]["slug"] if found.rows else None
    if not slug:
        return []
    found = await datasette.get_database().execute("SELECT title FROM lists WHERE slug = ?", [slug])
    if not found.rows:
        return []
    return [{"title": f"{found.rows[0]['title']} (curated list)",
             "href": datasette.urls.path(f"/-/feeds/lists/{slug}.atom")}]
