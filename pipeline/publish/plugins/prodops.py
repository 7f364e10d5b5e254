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

The hooks and the table of routes stay here; what each route does is in plain modules
beside it: the pages in pipeline/publish/pages.py, the feeds and exports in
pipeline/publish/syndication.py, Datasette's own pages cut down in
pipeline/publish/introspection.py, sign-in in pipeline/publish/signin.py and the curators'
acts in pipeline/publish/acts.py.
"""

from __future__ import annotations

import inspect
from html import escape

from datasette import hookimpl
from markupsafe import Markup

from pipeline.publish import review, site
from pipeline.publish.acts import (API_PREFIX, CURATE, api_label, api_list_items, is_curator, judge_document,
                                  list_items, token_actor)
from pipeline.publish.authorizer import hide_file_paths
from pipeline.publish.datasette import site_options
from pipeline.publish.export import tags_of
from pipeline.publish.guards import (reads_only, with_bad_sorts_answered_400, with_body_limit, with_neutralized_csv,
                                     with_reads_only_on_tables, with_same_origin_writes, with_security_headers,
                                     with_tokens_only_under, with_url_encoded_forms)
from pipeline.publish.introspection import databases, plugins, threads
from pipeline.publish.labels import labels
from pipeline.publish.limits import RESULT_MAX_BYTES, limit_connection
from pipeline.publish.pages import chart, document_page, list_page, review_page, search_page
from pipeline.publish.reasons import tag_reasons
from pipeline.publish.sessions import live
from pipeline.publish.signin import login_page, logout_page
from pipeline.publish.syndication import feed_links, latest_atom, list_atom, list_markdown


@hookimpl
def prepare_connection(conn, datasette):
    """Every connection Datasette opens bounds what one value may allocate, and when visitors
    may write SQL, what one query's rows may (pipeline.publish.limits); and no SQL on it reads
    the database's path (pipeline.publish.authorizer)."""
    limit_connection(conn, RESULT_MAX_BYTES if datasette.setting("default_allow_sql") else None)
    hide_file_paths(conn)


@hookimpl
def extra_template_vars(template, request, datasette):
    """What every template may use: the feeds its page declares, the labels of concepts and
    content types, the sign-in link; on the home page, its content and a curator's queue."""
    async def variables():
        names = labels()
        found = {"feed_links": await feed_links(datasette, request),
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


@hookimpl
def register_routes(datasette):
    """The site's own routes (pipeline/publish/pages.py, syndication.py, introspection.py);
    the curators' only on a site that has curators."""
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
    return curation + [(pattern, reads_only(view)) for pattern, view in (
        (r"^/-/feeds/latest\.atom$", latest_atom),
        (r"^/-/feeds/lists/(?P<slug>[a-z0-9-]+)\.atom$", list_atom),
        (r"^/-/chart$", chart),
        # any id, so that one not stored is the page's own 404 ("No document ..."), with .json too
        (r"^/-/documents/(?P<id>[^/.]{1,64})(\.(?P<format>json))?$", document_page),
        (r"^/-/lists/(?P<slug>[a-z0-9-]+)$", list_page),
        (r"^/-/exports/lists/(?P<slug>[a-z0-9-]+)\.md$", list_markdown),
        (r"^/-/search(\.(?P<format>json))?$", search_page),
        (r"^/-/databases(\.(?P<format>json))?$", databases),
        (r"^/-/plugins(\.(?P<format>json))?$", plugins),
        (r"^/-/threads(\.(?P<format>json))?$", threads),
    )]


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
    return lambda app: with_security_headers(with_body_limit(with_same_origin_writes(with_url_encoded_forms(
        with_reads_only_on_tables(with_tokens_only_under(with_bad_sorts_answered_400(with_neutralized_csv(app)),
                                                         API_PREFIX))))))
