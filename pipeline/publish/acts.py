"""What a signed-in curator does on the site, and what a script does with a curator's token:
judging a document (relevant or not, a concept it is or is not about), and pinning it to a
curated list with a note, or removing it. Each act goes through the same code as the CLI —
`prodops label`'s pipeline.store.labels.record_label (the labels file and the `labels`
table, recording who judged and when), `prodops lists add|remove|note`'s
pipeline.config.lists.edit_list (the lists file, comments kept, under a shared lock) — and
then the lists' tables are published again.

- `POST /-/documents/<id>/judge` (a form on the document's page): needs a curator signed in
  (Datasette's permission check for CURATE) and Datasette's CSRF token; answers by going
  back to the page it came from, with a message, so it works without JavaScript.
- `POST /-/lists/<slug>/items` (a form: url, note, and `remove` to take it off, or `move`
  up|down to reorder the pins): the same.
- `POST /-/api/label` (JSON: url, relevant, concepts, not_concepts) and
  `POST /-/api/lists/<slug>/items` (JSON: url, note, remove): need
  `Authorization: Bearer <token>` (`prodops curators token NAME`); answers JSON. A browser's
  cookie does not count here, so the route needs no CSRF token (skip_csrf) and a page on
  another site cannot act through it.

A refused act writes nothing: 403 for a visitor who is not a signed-in curator (or a form
without its CSRF token, refused by Datasette before it reaches us), 401 for the API without
a valid token, 400 for what cannot be recorded (an unknown concept or URL), 409 while the
site's labels or lists file is broken (its owner fixes it; the message names it), 503 "busy,
try again" when a crawl holds the database's write lock past publish.limits.WRITE_WAIT_MS.
A form sent by curate.js asks for JSON (`Accept: application/json`) and gets
{"ok", "message", "next"} or {"ok": false, "error"}; a plain form goes back to its `next`
(a path of this site only) with the message. Each judgement made here counts toward the
review queue's next refit (pipeline/publish/review.py).
"""

from __future__ import annotations

import json
import sqlite3

import sqlite_utils
from datasette.utils.asgi import Response

from pipeline.config.files import ConfigError
from pipeline.config.lists import ListError, edit_list, move_pin, pin, unpin
from pipeline.config.taxonomy import load_taxonomy
from pipeline.publish import sessions
from pipeline.publish.curators import curator_of_token, curators
from pipeline.publish.datasette import site_options
from pipeline.publish.review import refitter_of
from pipeline.publish.signin import local_path
from pipeline.store.labels import JudgementError, record_label, stored_document_id
from pipeline.store.lists import publish_lists

CURATE = "prodops-curate"  # the permission every act asks Datasette for
MOVES = {"up": -1, "down": 1}  # a list page's `move` field
API_PREFIX = "/-/api/"


def is_curator(datasette, actor) -> bool:
    """Whether an actor is a curator of this site now: a curator's API token (checked as the
    request came in, token_actor), or a cookie's actor whose session is live
    (pipeline.publish.sessions.live: not signed out, not expired, the same password, the
    curator still there). The plugin's actor_from_request already drops a stale session's
    actor; this checks again wherever curating is asked, so nothing rests on that alone."""
    if not isinstance(actor, dict):
        return False
    db_path = datasette.get_database().path
    if actor.get("via") == "token":
        return actor.get("id") in curators(db_path)
    return sessions.live(db_path, actor)


def token_actor(datasette, request):
    """The actor of an `Authorization: Bearer` token, for the API's routes only."""
    header = request.headers.get("authorization", "")
    if not request.path.startswith(API_PREFIX) or not header.lower().startswith("bearer "):
        return None
    name = curator_of_token(datasette.get_database().path, header[7:].strip())
    return {"id": name, "via": "token"} if name else None


async def judge_document(datasette, request):
    """The document page's acts: form fields `relevant` (yes|no), `concept` and `not_concept`
    (concept ids), `next` (where to go back)."""
    doc_id = request.url_vars["id"]
    if request.method != "POST":
        return Response.redirect(datasette.urls.path(f"/-/documents/{doc_id}"))
    if not await datasette.permission_allowed(request.actor, CURATE, default=False):
        return answer(request, "Sign in as a curator to judge documents.", status=403)
    form = await request.post_vars()
    back = local_path(form.get("next"), datasette.urls.path(f"/-/documents/{doc_id}"))
    relevant = {"yes": True, "no": False}.get(form.get("relevant") or "")
    concepts = [form["concept"]] if form.get("concept") else []
    not_concepts = [form["not_concept"]] if form.get("not_concept") else []
    url = await _document_url(datasette, doc_id)
    if url is None:
        return answer(request, f"No document {doc_id}", status=404)
    try:
        await _record(datasette, url, relevant, concepts, not_concepts, request.actor["id"])
    except JudgementError as error:
        return answer(request, str(error), status=400)
    except ConfigError as error:
        return answer(request, unreadable(error), status=409)
    except sqlite3.OperationalError as error:
        return busy(error, as_json=wants_json(request))
    refitter_of(datasette).judged()
    said = [] if relevant is None else ["relevant" if relevant else "not relevant"]
    said += [f"about {c}" for c in concepts] + [f"not about {c}" for c in not_concepts]
    return done(datasette, request, f"Judged {', '.join(said)}; the next refit learns from it.", back)


async def list_items(datasette, request):
    """The list acts: on a list's page (`/-/lists/<slug>/items`: form fields `url`, `note`,
    `remove` — any value takes it off) and on a document's page (`/-/documents/<id>/pin`:
    `slug`, `note`). Done, back to the page the act came from."""
    doc_id = request.url_vars.get("id")
    page = datasette.urls.path(f"/-/documents/{doc_id}" if doc_id else f"/-/lists/{request.url_vars['slug']}")
    if request.method != "POST":
        return Response.redirect(page)
    if not await datasette.permission_allowed(request.actor, CURATE, default=False):
        return answer(request, "Sign in as a curator to edit lists.", status=403)
    form = await request.post_vars()
    back = local_path(form.get("next"), page)
    slug, url = request.url_vars.get("slug") or form.get("slug") or "", form.get("url") or ""
    if doc_id:
        url = await _document_url(datasette, doc_id) or ""
    move = MOVES.get(form.get("move") or "")
    if form.get("move") and move is None:  # (it pinned the URL, and said so)
        return answer(request, f"move: up or down, not {form.get('move')!r}", status=400)
    try:
        if move is not None:
            await _change_list(datasette, slug, lambda c: move_pin(c, url, move))
        else:
            await _edit_list(datasette, slug, url, form.get("note"), bool(form.get("remove")))
    except (ListError, JudgementError) as error:
        return answer(request, str(error), status=400)
    except ConfigError as error:
        return answer(request, unreadable(error), status=409)
    except sqlite3.OperationalError as error:
        return busy(error, as_json=wants_json(request))
    said = "Moved in" if move is not None else "Removed from" if form.get("remove") else "Pinned to"
    return done(datasette, request, f"{said} the list {slug}.", back)


def unreadable(error: ConfigError) -> str:
    """The answer when the site's own labels, lists or taxonomy file is broken: the act is
    refused (nothing written) until its owner fixes the file."""
    return f"not recorded: {error}; fix the file (nothing was written)"


def wants_json(request) -> bool:
    """A form sent by curate.js (in place) asks for JSON; a plain form post does not."""
    return "application/json" in request.headers.get("accept", "")


def answer(request, message: str, status: int) -> Response:
    """A refusal or an error, as JSON for curate.js, as text for a plain form."""
    if wants_json(request):
        return Response.json({"ok": False, "error": message}, status=status)
    return Response.text(message, status=status)


def done(datasette, request, message: str, back: str) -> Response:
    """A finished act: JSON for curate.js (the message, where to go next); for a plain form,
    back to the page it came from, with the message."""
    if wants_json(request):
        return Response.json({"ok": True, "message": message, "next": back})
    datasette.add_message(request, message)
    return Response.redirect(back)


async def api_list_items(datasette, request):
    """POST /-/api/lists/<slug>/items: {"url", "note", "remove": true or false} → {"ok"}."""
    refused = _api_refusal(request)
    if refused:
        return refused
    try:
        body = await _json_with_url(request)
        if body.get("note") is not None and not isinstance(body["note"], str):
            raise ValueError("'note': text")
        if not isinstance(body.get("remove", False), bool):  # ("no" is truthy: it removed the URL)
            raise ValueError("'remove': true or false")
        await _edit_list(datasette, request.url_vars["slug"], body["url"], body.get("note"), body.get("remove", False))
    except (ValueError, ListError, JudgementError) as error:
        return Response.json({"ok": False, "error": str(error)}, status=400)
    except ConfigError as error:
        return Response.json({"ok": False, "error": unreadable(error)}, status=409)
    except sqlite3.OperationalError as error:
        return busy(error, as_json=True)
    return Response.json({"ok": True})


async def api_label(datasette, request):
    """POST /-/api/label: {"url", "relevant", "concepts", "not_concepts"} → {"ok", "label"}."""
    refused = _api_refusal(request)
    if refused:
        return refused
    actor = request.actor
    try:
        body = await _json_with_url(request)
        relevant = body.get("relevant")
        if relevant is not None and not isinstance(relevant, bool):
            raise ValueError("'relevant': true, false or absent")
        concepts, not_concepts = body.get("concepts") or [], body.get("not_concepts") or []
        if not isinstance(concepts, list) or not isinstance(not_concepts, list) or not all(
                isinstance(c, str) for c in [*concepts, *not_concepts]):  # (a string was read a letter at a time)
            raise ValueError("'concepts' and 'not_concepts': lists of concept ids")
        label = await _record(datasette, body["url"], relevant, concepts, not_concepts, actor["id"])
        refitter_of(datasette).judged()
    except (ValueError, JudgementError) as error:  # (json.JSONDecodeError is a ValueError)
        return Response.json({"ok": False, "error": str(error)}, status=400)
    except ConfigError as error:
        return Response.json({"ok": False, "error": unreadable(error)}, status=409)
    except sqlite3.OperationalError as error:
        return busy(error, as_json=True)
    return Response.json({"ok": True, "label": label.as_dict()})


def busy(error: sqlite3.OperationalError, as_json: bool = False) -> Response:
    """The answer when the database stayed locked (a crawl writing): try again; any other
    SQLite error is not ours to hide."""
    if "locked" not in str(error) and "busy" not in str(error):
        raise error
    message = "busy: a crawl is writing to the database; try again in a moment (nothing was written)"
    headers = {"Retry-After": "5"}
    return Response.json({"ok": False, "error": message}, status=503, headers=headers) if as_json else \
        Response.text(message, status=503, headers=headers)


async def _document_url(datasette, doc_id: str) -> str | None:
    """The URL of a stored document, or None."""
    found = await datasette.get_database().execute("SELECT url FROM documents WHERE id = ?", [doc_id])
    return found.rows[0]["url"] if found.rows else None


async def _json_with_url(request) -> dict:
    """An API call's JSON object, which names a `url` (ValueError, with the reason, else)."""
    body = json.loads((await request.post_body()) or b"{}")
    if not isinstance(body, dict) or not isinstance(body.get("url"), str):
        raise ValueError("expected a JSON object with a 'url'")
    return body


def _api_refusal(request) -> Response | None:
    """The answer to an API call that cannot act: no token (401), not a POST (405)."""
    if not request.actor or request.actor.get("via") != "token":
        return Response.json({"ok": False, "error": "send Authorization: Bearer TOKEN (prodops curators token NAME)"},
                             status=401)
    if request.method != "POST":
        return Response.json({"ok": False, "error": "POST a JSON object"}, status=405)
    return None


async def _edit_list(datasette, slug: str, url: str, note: str | None, remove: bool) -> None:
    """Pin a stored document's URL to a list (with its note) or remove it."""
    if remove:
        await _change_list(datasette, slug, lambda c: unpin(c, url))
    else:
        await _change_list(datasette, slug, lambda c: pin(c, url, note), stored=url)


async def _change_list(datasette, slug: str, change, stored: str | None = None) -> None:
    """Apply `change` to a list of the lists file (after checking that `stored`, when given,
    is a stored document's URL), then publish the lists' tables again, on Datasette's write
    connection."""
    options = site_options(datasette)

    def edit(conn):
        db = sqlite_utils.Database(conn)
        if stored is not None and stored_document_id(db, stored) is None:
            raise JudgementError(f"no stored document for {stored!r}; lists here hold documents of the corpus")
        publish_lists(db, edit_list(options.lists_path, slug, change))

    await datasette.get_database().execute_write_fn(edit, block=True)


async def _record(datasette, url, relevant, concepts, not_concepts, by: str):
    """record_label on Datasette's write connection (one writer; it waits for a crawl's lock)."""
    options = site_options(datasette)
    concept_ids = set(load_taxonomy(options.taxonomy_path).ids())
    return await datasette.get_database().execute_write_fn(
        lambda conn: record_label(sqlite_utils.Database(conn), options.labels_path, concept_ids, url, relevant,
                                  concepts, not_concepts, by=by), block=True)
