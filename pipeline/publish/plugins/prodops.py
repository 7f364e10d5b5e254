"""Datasette plugin of ProdOps Curator (loaded by `prodops serve` with --plugins-dir), with
the templates of pipeline/publish/templates/:

- / — the home page: search first, curated lists, concepts, latest additions, source health;
- /-/documents/<id> — a document's page (linked from search, lists and the documents table);
- /-/lists/<slug> — a curated list's page; /-/exports/lists/<slug>.md — its Markdown;
- /-/feeds/latest.atom — the 50 latest documents about product ops (relevance at or above
  the threshold), one copy of each near-duplicate cluster (its canonical), as Atom;
- /-/feeds/lists/<slug>.atom — a curated list as Atom (items as resolved at serve time);
- /-/search (and /-/search.json) — ranked full-text search with facets that stays fast at
  10^5 documents (see pipeline.publish.search); the home page links to it;
- /-/chart — documents per concept and per source per month, as tables of inline SVG bars
  (no script, nothing loaded from elsewhere, so it works offline and under a strict CSP);
- every page that has a feed declares it (<link rel="alternate" type="application/atom+xml">);
  concepts and content types are shown by their labels, never their ids;
- the `why` column of documents is shown as one line of reasons per tag (labels, phrases,
  the closest passage, the curator's labels) instead of raw JSON, in HTML pages only;
- every connection bounds what a query may allocate (pipeline.publish.limits);
- every response carries the security headers (a strict CSP: no inline script anywhere),
  every CSV has its formula-like cells neutralized, and a table's or canned query's page
  answers a POST 405 (pipeline.publish.guards);
- /-/databases shows no file's path, no SQL reads it (pipeline.publish.authorizer), /-/plugins
  names our plugins and their versions only, and /-/threads (code paths of the server) is
  not served.
Everything is read-only and escaped.
"""

from __future__ import annotations

import inspect
import json
import sqlite3
from html import escape
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.plugins import DEFAULT_PLUGINS, get_plugins
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from pipeline.publish import review, site
from pipeline.publish.acts import (API_PREFIX, CURATE, api_label, api_list_items, is_curator, judge_document,
                                  list_items, token_actor)
from pipeline.publish.authorizer import hide_file_paths
from pipeline.publish.datasette import site_options
from pipeline.publish.export import is_web_link, tags_of, to_atom, to_markdown
from pipeline.publish.guards import (with_body_limit, with_neutralized_csv, with_reads_only_on_tables,
                                     with_security_headers, with_tokens_only_under)
from pipeline.publish.indexes import SHOWN
from pipeline.publish.labels import labels
from pipeline.publish.limits import RESULT_MAX_BYTES, limit_connection
from pipeline.publish.reasons import tag_reasons
from pipeline.publish.search import FACETS, MARK_END, MARK_START, search
from pipeline.publish.sessions import live
from pipeline.publish.signin import login_page, logout_page

FACET_LABELS = {"content_type": "Content type", "tags": "Concept", "entities": "Tool or method", "source_id": "Source",
                "language": "Language", "year": "Year"}

DOCUMENT_COLUMNS = "d.id, d.url, d.title, d.sitename, d.source_id, d.published, d.content_type, " \
                   "d.tags, d.tag_scores, d.relevance, d.description"


async def latest_atom(datasette, request):
    db = datasette.get_database()
    result = await db.execute(
        f"SELECT {DOCUMENT_COLUMNS} FROM documents d WHERE {SHOWN} "
        "ORDER BY coalesce(d.published, d.first_seen) DESC LIMIT 50"
    )
    return Response(to_atom("ProdOps Curator: latest", "urn:prodops-curator:latest",
                            [dict(row) for row in result.rows]),
                    content_type="application/atom+xml; charset=utf-8")


async def list_atom(datasette, request):
    return await _list_export(datasette, request, lambda slug, head, items: Response(
        to_atom(head["title"], f"urn:prodops-curator:list:{slug}", items),
        content_type="application/atom+xml; charset=utf-8"))


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


async def chart(datasette, request):
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


async def not_found(datasette, request, what: str) -> Response:
    """Datasette's error page, 404."""
    return Response.html(await datasette.render_template(
        "error.html", {"ok": False, "error": f"No {what}", "title": "Not found", "status": 404},
        request=request), status=404)


async def read_or_404(datasette, read, what: str):
    """(the database, what `read(conn)` found there); nothing found is Datasette's 404 page."""
    db = datasette.get_database()
    data = await db.execute_fn(read)
    if data is None:
        raise NotFound(f"No {what}")
    return db, data


async def document_page(datasette, request):
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
    slug = request.url_vars["slug"]
    db, data = await read_or_404(datasette, lambda conn: site.curated_list(conn, slug), f"curated list {slug}")
    data["items"] = [item for item in data["items"] if is_web_link(item["url"])]
    data.update(atom_url=datasette.urls.path(f"/-/feeds/lists/{slug}.atom"),
                markdown_url=datasette.urls.path(f"/-/exports/lists/{slug}.md"),
                query_url=datasette.urls.database(db.name) + f"/list_{slug.replace('-', '_')}")
    if await datasette.permission_allowed(request.actor, CURATE, default=False):
        data["items_url"] = datasette.urls.path(f"/-/lists/{slug}/items")
    return Response.html(await datasette.render_template("list.html", data, request=request))


async def list_markdown(datasette, request):
    # Response's content_type, not a header: Datasette writes content_type over any header.
    return await _list_export(datasette, request, lambda slug, head, items: Response(
        to_markdown(head["title"], head["description"] or "", items, labels().concepts),
        content_type="text/markdown; charset=utf-8"))


async def _feed_links(datasette, request) -> list[dict]:
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


@hookimpl
def prepare_connection(conn, datasette):
    """Every connection Datasette opens bounds what one value may allocate, and when visitors
    may write SQL, what one query's rows may (pipeline.publish.limits); and no SQL on it reads
    the database's path (pipeline.publish.authorizer)."""
    limit_connection(conn, RESULT_MAX_BYTES if datasette.setting("default_allow_sql") else None)
    hide_file_paths(conn)


@hookimpl
def extra_template_vars(template, request, datasette):
    async def variables():
        names = labels()
        found = {"feed_links": await _feed_links(datasette, request),
                 "concept_labels": names.concepts, "type_labels": names.types}
        if site_options(datasette).sign_in:
            found["sign_in_url"] = datasette.urls.path("/-/login")
        if template == "index.html":
            db = datasette.get_database()
            found["home"] = await db.execute_fn(lambda conn: site.home(conn, db.path))
            if request is not None and await datasette.permission_allowed(request.actor, CURATE, default=False):
                found["review"] = {"href": datasette.urls.path("/-/review"),
                                   "left": await db.execute_fn(review.queue_length)}
        return found
    return variables


async def search_page(datasette, request):
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
        args = {"q": query, **filters, **changes}
        return f"{target}?{urlencode({k: v for k, v in args.items() if v not in (None, '')})}"

    names = labels()
    shown = {"tags": names.concept, "content_type": names.type}
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
             "snippet_html": Markup(str(escape(row["snippet"], quote=False))
                                    .replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))}
            for row in result.rows]
    context = {
        "query": query, "filters": {name: shown.get(name, str)(value) for name, value in filters.items()},
        "hidden_filters": filters, "facet_labels": FACET_LABELS, "facets": facets,
        "rows": rows, "count": result.count, "total_matches": result.total_matches,
        "note": result.note, "excluded": result.excluded, "search_path": path,
        "concept_filter": {"label": names.concept(result.concept), "href": url(tags=result.concept, page=None)}
        if result.concept else None,
        "json_url": url(datasette.urls.path("/-/search.json"), page=result.page),
        "next_url": url(page=result.page + 1) if result.has_next else None,
        "clear_filters_url": url(**{name: None for name in filters}),
        "table_url": datasette.urls.table(db.name, "documents"),
        "chart_url": datasette.urls.path("/-/chart"),
        "curation": await curation_for(datasette, request), "here": url(page=result.page),
    }
    return Response.html(await datasette.render_template("search.html", context, request=request))


@hookimpl
def render_cell(row, value, column, table, datasette):
    """In the documents' HTML pages: the title links to the document's page; `why` is a list
    of reasons, one per tag; tags and content types show their labels (JSON and CSV keep
    the raw values)."""
    if table != "documents" or not value:
        return None
    if column == "title" and "id" in row.keys():
        return Markup(f'<a href="{escape(datasette.urls.path("/-/documents/" + str(row["id"])))}">'
                      f"{escape(str(value))}</a>")
    if column == "content_type":
        return labels().type(str(value))
    if column == "tags":
        return ", ".join(labels().concept(tag) for tag in tags_of(value)) or None
    if column != "why":
        return None
    reasons = tag_reasons(row["tags"] if "tags" in row.keys() else None, value)
    if not reasons:
        return None
    items = "".join(f"<li><strong>{escape(r.label)}</strong>: {escape(r.summary())}</li>" for r in reasons)
    return Markup(f'<ul class="tag-reasons">{items}</ul>')


async def databases(datasette, request):
    """Datasette's /-/databases without each database's path: it names the server's folders."""
    data = [{"name": db.name, "route": db.route, "size": db.size, "is_mutable": db.is_mutable,
             "is_memory": db.is_memory, "hash": db.hash}
            for name, db in datasette.databases.items() if name != "_internal"]
    if request.url_vars.get("format") == "json":
        return Response.json(data)
    return Response.html(await datasette.render_template(
        "show_json.html", {"filename": "databases.json", "data_json": json.dumps(data, indent=4)}, request=request))


async def plugins(datasette, request):
    """Datasette's /-/plugins with each plugin's name and version only: not which hooks our
    plugin implements (where it acts on who asks, or on CSRF), nor Datasette's own plugins."""
    data = sorted(({"name": plugin["name"], "version": plugin.get("version")} for plugin in get_plugins()
                   if plugin["name"] not in DEFAULT_PLUGINS), key=lambda plugin: plugin["name"])
    if request.url_vars.get("format") == "json":
        return Response.json(data)
    return Response.html(await datasette.render_template(
        "show_json.html", {"filename": "plugins.json", "data_json": json.dumps(data, indent=4)}, request=request))


async def threads(datasette, request):
    """Not served: Datasette's list of the server's threads and tasks names its code's paths."""
    return await not_found(datasette, request, "such page")


@hookimpl
def register_routes(datasette):
    curation = [  # only on a site with curators (pipeline/publish/signin.py, acts.py)
        (r"^/-/login$", login_page),
        (r"^/-/logout$", logout_page),  # before Datasette's own: ends the session, then the cookie
        (r"^/-/review$", review_page),
        (r"^/-/documents/(?P<id>[0-9a-f]{1,64})/judge$", judge_document),
        (r"^/-/api/label$", api_label),
        (r"^/-/lists/(?P<slug>[a-z0-9-]+)/items$", list_items),
        (r"^/-/documents/(?P<id>[0-9a-f]{1,64})/pin$", list_items),
        (r"^/-/api/lists/(?P<slug>[a-z0-9-]+)/items$", api_list_items),
    ] if site_options(datasette).sign_in else []
    return curation + [
        (r"^/-/feeds/latest\.atom$", latest_atom),
        (r"^/-/feeds/lists/(?P<slug>[a-z0-9-]+)\.atom$", list_atom),
        (r"^/-/chart$", chart),
        (r"^/-/documents/(?P<id>[0-9a-f]{1,64})(\.(?P<format>json))?$", document_page),
        (r"^/-/lists/(?P<slug>[a-z0-9-]+)$", list_page),
        (r"^/-/exports/lists/(?P<slug>[a-z0-9-]+)\.md$", list_markdown),
        (r"^/-/search(\.(?P<format>json))?$", search_page),
        (r"^/-/databases(\.(?P<format>json))?$", databases),
        (r"^/-/plugins(\.(?P<format>json))?$", plugins),
        (r"^/-/threads(\.(?P<format>json))?$", threads),
    ]


# Tables that say who curates: the site's own state, not the corpus (a visitor who saw them
# would learn the names curators sign in with).
CURATORS_ONLY_TABLES = frozenset({"review_visits"})


@hookimpl
def permission_allowed(datasette, actor, action, resource):
    """Curating (pipeline.publish.acts.CURATE), and viewing the tables that say who curates,
    are for the site's curators; other actions are Datasette's to decide."""
    if action == CURATE:
        return is_curator(datasette, actor)
    if action == "view-table" and isinstance(resource, tuple) and resource[1] in CURATORS_ONLY_TABLES:
        return is_curator(datasette, actor)
    return None


@hookimpl
def menu_links(datasette, actor):
    """A signed-in curator's menu leads to the review queue."""
    async def links():
        if await datasette.permission_allowed(actor, CURATE, default=False):
            return [{"href": datasette.urls.path("/-/review"), "label": "Review queue"}]
        return []
    return links


@hookimpl(wrapper=True)
def actor_from_request(datasette, request):
    """Who asks: a curator's API token on the API's routes (pipeline.publish.acts.token_actor);
    else what the other plugins found (Datasette's own reads the signed `ds_actor` cookie),
    each only with a live session (pipeline.publish.sessions.live): a signed-out, expired or
    outdated cookie is a visitor, on every page and in /-/actor.json.

    A wrapper, not a plain implementation: Datasette takes the first actor any plugin returns,
    so a plain one could add an actor but never veto the cookie's."""
    found = yield
    token = token_actor(datasette, request)
    if token:
        return [token]
    db_path = datasette.get_database().path
    return [_live_only(db_path, actor) if inspect.isawaitable(actor) else (actor if live(db_path, actor) else None)
            for actor in found]


async def _live_only(db_path, pending):
    """A plugin's actor found asynchronously, kept only with a live session."""
    actor = await pending
    return actor if live(db_path, actor) else None


@hookimpl
def skip_csrf(datasette, scope):
    # The API acts only for a Bearer token, never for a browser's cookie: no CSRF to fear.
    return scope.get("path", "").startswith(API_PREFIX)


@hookimpl
def asgi_wrapper(datasette):
    return lambda app: with_security_headers(with_body_limit(with_reads_only_on_tables(
        with_tokens_only_under(with_neutralized_csv(app), API_PREFIX))))
