"""Curators and sign-in (pipeline/publish/curators.py, signin.py, `prodops curators`): kept
beside the database as argon2 hashes, signed in through Datasette's actor cookie under its
CSRF protection, wrong passwords slowed; a site without curators has no sign-in at all."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import time

import httpx
import pytest
from conftest import ROOT, free_port, run_prodops

from pipeline.publish import signin
from pipeline.publish.curators import curators_file, secret_file
from pipeline.publish.datasette import build_datasette
from pipeline.publish.sessions import sessions_file
from pipeline.store.database import open_database

PASSWORD = "correct horse battery"


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "prodops.db"
    open_database(path).close()
    return path


def add(db_path, name="maya", password=PASSWORD):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "curators", "add", name, "--password-stdin",
                           "--db", str(db_path)], input=password + "\n", capture_output=True, text=True, cwd=ROOT)


def site(db_path, *steps):
    """Run `steps` (async functions of the Datasette app) against a fresh app, in order."""
    async def run():
        datasette = build_datasette(db_path)
        await datasette.invoke_startup()
        return [await step(datasette) for step in steps]
    return asyncio.run(run())


def form_token(html: str) -> str | None:
    """The CSRF token a page's form sends (None: no form with one)."""
    found = re.search(r'name="csrftoken" value="([^"]+)"', html)
    return found.group(1) if found else None


async def login_form(datasette):
    page = await datasette.client.get("/-/login")
    return page, form_token(page.text), page.cookies.get("ds_csrftoken")


async def sign_in(datasette, name="maya", password=PASSWORD, with_token=True, next_path="/"):
    _, token, cookie = await login_form(datasette)
    data = {"username": name, "password": password, "next": next_path}
    if with_token:
        data["csrftoken"] = token
    return await datasette.client.post("/-/login", data=data, cookies={"ds_csrftoken": cookie})


def test_curators_are_kept_as_argon2_hashes_beside_the_database_owner_only(db_path):
    added = add(db_path)
    assert added.returncode == 0 and "Added curator maya" in added.stdout and "Restart" in added.stdout
    stored = curators_file(db_path).read_text()
    assert PASSWORD not in stored and json.loads(stored)["maya"]["password_hash"].startswith("$argon2id$")
    assert stat.S_IMODE(os.stat(curators_file(db_path)).st_mode) == 0o600
    assert "maya\tadded " in run_prodops("curators", "list", "--db", str(db_path)).stdout
    short = add(db_path, "bob", "short")
    assert short.returncode == 2 and short.stderr.strip().endswith("use 10 characters or more")
    bad = add(db_path, "../etc", PASSWORD)
    assert bad.returncode == 2 and "cannot be a curator's name" in bad.stderr and "Traceback" not in bad.stderr
    assert run_prodops("curators", "remove", "maya", "--db", str(db_path)).returncode == 0
    missing = run_prodops("curators", "remove", "maya", "--db", str(db_path))
    assert missing.returncode == 2 and "no curator named 'maya'" in missing.stderr
    assert json.loads(curators_file(db_path).read_text()) == {}


def test_a_site_without_curators_has_no_sign_in(db_path):
    async def probe(datasette):
        return (await datasette.client.get("/-/login")).status_code, (await datasette.client.get("/")).text
    [(status, home)] = site(db_path, probe)
    assert status == 404 and "Sign in" not in home
    assert not secret_file(db_path).exists()


def test_a_curator_signs_in_with_the_csrf_token_and_stays_signed_in_across_a_restart(db_path):
    add(db_path)

    async def signs_in(datasette):
        refused = await sign_in(datasette, with_token=False)
        response = await sign_in(datasette, next_path="/-/search?q=roadmap")
        home = await datasette.client.get("/", cookies={"ds_actor": response.cookies.get("ds_actor", "")})
        return refused, response, home

    [(refused, response, home)] = site(db_path, signs_in)
    assert refused.status_code == 403 and "ds_actor" not in refused.cookies  # no CSRF token: refused
    assert response.status_code == 302 and response.headers["location"] == "/-/search?q=roadmap"
    header = response.headers["set-cookie"]
    assert "ds_actor=" in header and "HttpOnly" in header and "SameSite=lax" in header
    assert "maya" in home.text and "Log out" in home.text
    assert stat.S_IMODE(os.stat(secret_file(db_path)).st_mode) == 0o600

    async def still_signed_in(datasette):  # a new app (a restart) reads the same secret
        return await datasette.client.get("/-/actor.json", cookies={"ds_actor": response.cookies["ds_actor"]})
    [actor] = site(db_path, still_signed_in)
    assert actor.json()["actor"]["id"] == "maya"


def test_a_sign_in_sent_from_another_site_is_refused(db_path):
    """A cross-site form carries no cookie (SameSite=Lax), and asgi-csrf checks nothing then:
    the right name and password, without the form's cookie, do not sign the browser in."""
    add(db_path)

    async def forged(datasette):
        return await datasette.client.post("/-/login", data={"username": "maya", "password": PASSWORD})

    [response] = site(db_path, forged)
    assert response.status_code == 403 and "ds_actor" not in response.cookies
    assert "sign in from this page" in response.text and form_token(response.text)  # the form, to try again
    assert not sessions_file(db_path).exists()  # no session was ever started


def test_wrong_passwords_are_refused_then_slowed(db_path, monkeypatch):
    add(db_path)
    clock = [1000.0]
    monkeypatch.setattr(signin, "THROTTLE", signin.LoginThrottle(clock=lambda: clock[0]))

    async def attempts(datasette):
        wrong = [await sign_in(datasette, password="not the password") for _ in range(signin.FREE_FAILURES)]
        slowed = await sign_in(datasette)  # even the right password waits now
        clock[0] += 3  # past the wait
        right = await sign_in(datasette)
        unknown = await sign_in(datasette, name="nobody")
        return wrong, slowed, right, unknown

    [(wrong, slowed, right, unknown)] = site(db_path, attempts)
    assert {r.status_code for r in wrong} == {401} and all("Wrong name or password" in r.text for r in wrong)
    assert all("ds_actor" not in r.cookies for r in wrong)
    assert slowed.status_code == 429 and slowed.headers["retry-after"] == "2" and "ds_actor" not in slowed.cookies
    assert right.status_code == 302 and "ds_actor" in right.cookies
    assert unknown.status_code == 401


def test_a_stranger_failing_in_a_curators_name_does_not_keep_her_out_of_a_browser_she_signed_in_with(
        db_path, monkeypatch):
    """OWASP's device cookies: failures in maya's name lock out the browsers she has not
    signed in with, not hers; her browser's own failures slow it alone; the cookie is hers
    only (not another curator's, and not one forged)."""
    add(db_path)
    add(db_path, name="omar")
    clock = [1000.0]
    monkeypatch.setattr(signin, "THROTTLE", signin.LoginThrottle(clock=lambda: clock[0]))

    async def with_device(datasette, device, password=PASSWORD, name="maya"):
        _, token, csrf = await login_form(datasette)
        data = {"username": name, "password": password, "csrftoken": token}
        return await datasette.client.post("/-/login", data=data,
                                           cookies={"ds_csrftoken": csrf, signin.DEVICE_COOKIE: device})

    async def attempts(datasette):
        first = await sign_in(datasette)
        hers = first.cookies[signin.DEVICE_COOKIE]
        omars = (await sign_in(datasette, name="omar")).cookies[signin.DEVICE_COOKIE]
        for _ in range(signin.FREE_FAILURES + 3):  # a stranger, by name
            await sign_in(datasette, password="guess")
        stranger = await sign_in(datasette)
        forged = await with_device(datasette, hers[:-2] + ("AA" if not hers.endswith("AA") else "BB"))
        others = await with_device(datasette, omars)
        from_hers = await with_device(datasette, hers)
        for _ in range(signin.FREE_FAILURES):  # her browser's own failures
            await with_device(datasette, hers, password="typo")
        hers_slowed = await with_device(datasette, hers)
        return stranger, forged, others, from_hers, hers_slowed

    [(stranger, forged, others, from_hers, hers_slowed)] = site(db_path, attempts)
    assert stranger.status_code == forged.status_code == others.status_code == 429
    assert from_hers.status_code == 302 and "ds_actor" in from_hers.cookies
    assert hers_slowed.status_code == 429
    header = from_hers.headers.get_list("set-cookie")
    device = next(h for h in header if h.startswith(signin.DEVICE_COOKIE + "="))
    assert "HttpOnly" in device and "SameSite=lax" in device and "Max-Age=31536000" in device


def test_sign_in_never_redirects_to_another_site(db_path):
    add(db_path)

    async def redirects(datasette):
        return [(await sign_in(datasette, next_path=target)).headers["location"]
                for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "/lists")]
    [locations] = site(db_path, redirects)
    assert locations == ["/", "/", "/", "/lists"]


def test_sign_in_never_redirects_to_another_site_through_what_browsers_drop(db_path):
    """Browsers drop tabs and line breaks from an address before reading it: "/\t\\host" is
    "/\\host", another host. A NUL would break the header."""
    add(db_path)

    async def redirects(datasette):
        return [(await sign_in(datasette, next_path=target)).headers["location"]
                for target in ("/\t\\evil.example", "/\n/evil.example", "/ /evil.example", "/\x00//evil",
                               "/lists\\..", "/lists?page=2")]
    [locations] = site(db_path, redirects)
    assert locations == ["/", "/", "/", "/", "/", "/lists?page=2"]


def test_serving_curators_beyond_this_machine_warns_that_sign_in_needs_https(db_path):
    add(db_path)
    server = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--db", str(db_path), "--host",
                               "0.0.0.0", "--port", str(free_port())], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        lines = []
        while time.monotonic() < deadline and not any("Warning" in line for line in lines):
            lines.append(server.stderr.readline())
    finally:
        server.terminate()
        server.wait(timeout=30)
    warning = next(line for line in lines if "Warning" in line)
    assert "put HTTPS in front of the site" in warning and warning.count("\n") == 1


def test_the_curators_file_and_the_secret_are_never_committed():

    files = [str(where(ROOT / "data" / "prodops.db")) for where in (curators_file, secret_file, sessions_file)]
    ignored = subprocess.run(["git", "check-ignore", *files], cwd=ROOT, capture_output=True, text=True)
    if ignored.returncode == 128:
        pytest.skip("not a git checkout")
    assert ignored.stdout.split() == files


@pytest.fixture
def curated_site(sample_corpus, tmp_path):
    """The sample web crawled, one curator: (database, labels file, a document's id and URL)."""
    db_path = sample_corpus
    add(db_path)
    doc_id, url = sqlite3.connect(db_path).execute("SELECT id, url FROM documents ORDER BY rowid LIMIT 1").fetchone()
    return db_path, tmp_path / "labels.yaml", doc_id, url


def build(db_path, labels):
    from pipeline.publish.datasette import build_datasette
    return build_datasette(db_path, labels_path=labels)


def judged(db_path, labels):
    rows = sqlite3.connect(db_path).execute("SELECT url, relevant, concepts, not_concepts FROM labels").fetchall()
    return rows, (labels.read_text() if labels.exists() else "")


def test_a_signed_in_curator_judges_a_document_on_its_page_and_a_visitor_cannot(curated_site):
    db_path, labels, doc_id, url = curated_site

    async def acts(datasette):
        judge = f"/-/documents/{doc_id}/judge"
        _, token, csrf = await login_form(datasette)
        anonymous = await datasette.client.post(judge, data={"relevant": "no", "csrftoken": token},
                                                cookies={"ds_csrftoken": csrf})
        nothing = judged(db_path, labels)
        signed = (await sign_in(datasette)).cookies["ds_actor"]
        cookies = {"ds_actor": signed, "ds_csrftoken": csrf}
        page = await datasette.client.get(f"/-/documents/{doc_id}", cookies=cookies)
        forged = await datasette.client.post(judge, data={"relevant": "no", "csrftoken": "forged"}, cookies=cookies)
        unknown = await datasette.client.post(judge, data={"concept": "no-such-concept", "csrftoken": token},
                                              cookies=cookies)
        still_nothing = judged(db_path, labels)
        relevant = await datasette.client.post(judge, data={"relevant": "yes", "csrftoken": token}, cookies=cookies)
        about = await datasette.client.post(judge, data={"concept": "voice-of-customer", "csrftoken": token},
                                            cookies=cookies)
        return anonymous, nothing, page, forged, unknown, still_nothing, relevant, about

    async def run():
        datasette = build(db_path, labels)
        await datasette.invoke_startup()
        return await acts(datasette)

    anonymous, nothing, page, forged, unknown, still_nothing, relevant, about = asyncio.run(run())
    assert anonymous.status_code == 403 and nothing == ([], "")
    assert "Your judgement" in page.text and 'value="voice-of-customer"' in page.text
    assert forged.status_code == 403
    assert unknown.status_code == 400 and "no concept 'no-such-concept'" in unknown.text
    assert still_nothing == ([], "")
    assert relevant.status_code == about.status_code == 302
    rows, text = judged(db_path, labels)
    assert rows == [(url, None, '["voice-of-customer"]', "[]")]  # the latest judgement counts
    assert text.count("by: maya") == 2 and "relevant: true" in text  # the earlier one is kept in the file


def test_the_api_acts_for_a_token_and_never_for_a_cookie(curated_site):
    db_path, labels, _, url = curated_site
    token = run_prodops("curators", "token", "maya", "--db", str(db_path)).stdout.strip()
    assert len(token) >= 40 and token not in curators_file(db_path).read_text()

    async def calls(datasette):
        post = datasette.client.post
        signed = (await sign_in(datasette)).cookies["ds_actor"]
        return [
            await post("/-/api/label", json={"url": url, "relevant": True}),
            await post("/-/api/label", json={"url": url, "relevant": True}, cookies={"ds_actor": signed}),
            await post("/-/api/label", json={"url": url, "relevant": True}, headers={"Authorization": "Bearer nope"}),
            await post("/-/api/label", json={"url": url, "concepts": ["nope"]},
                       headers={"Authorization": f"Bearer {token}"}),
            await post("/-/api/label", json={"url": "https://never.example/x", "relevant": True},
                       headers={"Authorization": f"Bearer {token}"}),
            await post("/-/api/label", content=b"{not json", headers={"Authorization": f"Bearer {token}"}),
            await post("/-/api/label", json={"url": url, "concepts": "prodops-definition"},
                       headers={"Authorization": f"Bearer {token}"}),
            await post("/-/api/label", json={"url": url, "relevant": False, "not_concepts": ["voice-of-customer"]},
                       headers={"Authorization": f"Bearer {token}"}),
        ]

    async def run():
        datasette = build(db_path, labels)
        await datasette.invoke_startup()
        return await calls(datasette)

    *refused, ok = asyncio.run(run())
    assert [r.status_code for r in refused] == [401, 401, 401, 400, 400, 400, 400]
    assert all(r.json()["ok"] is False and r.json()["error"] for r in refused)
    assert "no concept 'nope'" in refused[3].json()["error"] and "no stored document" in refused[4].json()["error"]
    assert "lists of concept ids" in refused[6].json()["error"]  # a string, not read a letter at a time
    assert ok.status_code == 200 and ok.json()["label"]["by"] == "maya"
    rows, text = judged(db_path, labels)
    assert rows == [(url, 0, "[]", '["voice-of-customer"]')] and text.count("- url:") == 1


async def curator_session(db_path, labels, **options):
    """A started site and its curator signed in: (the app, a CSRF token, the session's cookies)."""
    from pipeline.publish.datasette import build_datasette
    datasette = build_datasette(db_path, labels_path=labels, **options)
    await datasette.invoke_startup()
    _, token, csrf = await login_form(datasette)
    return datasette, token, {"ds_actor": (await sign_in(datasette)).cookies["ds_actor"], "ds_csrftoken": csrf}


def test_signing_in_and_out_renews_the_csrf_token_and_one_known_before_is_refused(curated_site):
    """asgi-csrf's token lives as long as its cookie and is checked only against it: one
    known before the curator signed in (planted in a shared browser) stayed good for their
    forms after. Signing in and signing out each set a new one: the old token is refused and
    writes nothing, and the next page's forms carry the new one, which works."""
    db_path, labels, doc_id, url = curated_site
    judge = f"/-/documents/{doc_id}/judge"

    async def run():
        datasette = build(db_path, labels)
        await datasette.invoke_startup()
        # A browser: one cookie jar, each response's cookies kept for the next request.
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=datasette.app()),
                                     base_url="http://localhost") as browser:
            planted = form_token((await browser.get("/-/login")).text)  # whoever opened the page first knows it
            signed_in = await browser.post("/-/login", data={"username": "maya", "password": PASSWORD,
                                                             "csrftoken": planted})
            forged = await browser.post(judge, data={"relevant": "no", "csrftoken": planted})
            nothing = judged(db_path, labels)
            fresh = form_token((await browser.get(f"/-/documents/{doc_id}")).text)
            kept = await browser.post(judge, data={"relevant": "yes", "csrftoken": fresh})
            signed_out = await browser.post("/-/logout", data={"csrftoken": fresh})
            stale = await browser.post("/-/login", data={"username": "maya", "password": PASSWORD,
                                                         "csrftoken": fresh})
            renewed = form_token((await browser.get("/-/login")).text)
            again = await browser.post("/-/login", data={"username": "maya", "password": PASSWORD,
                                                         "csrftoken": renewed})
        return planted, signed_in, forged, nothing, fresh, kept, signed_out, stale, renewed, again

    planted, signed_in, forged, nothing, fresh, kept, signed_out, stale, renewed, again = asyncio.run(run())
    assert signed_in.status_code == 302
    assert forged.status_code == 403 and nothing == ([], "")  # the token from before signing in
    header = signed_in.headers.get_list("set-cookie")
    assert fresh != planted and any(cookie.startswith(f"ds_csrftoken={fresh};") and "Path=/" in cookie
                                    and "SameSite=lax" in cookie for cookie in header), header
    assert kept.status_code == 302 and judged(db_path, labels)[0] == [(url, 1, "[]", "[]")]
    assert signed_out.status_code == 302 and renewed != fresh
    assert stale.status_code == 403 and again.status_code == 302  # the token from before signing out


def test_a_removed_curator_can_no_longer_act(curated_site):
    db_path, labels, doc_id, _ = curated_site

    async def run():
        datasette, token, cookies = await curator_session(db_path, labels)
        run_prodops("curators", "remove", "maya", "--db", str(db_path))
        return await datasette.client.post(f"/-/documents/{doc_id}/judge", data={"relevant": "yes", "csrftoken": token},
                                           cookies=cookies)

    assert asyncio.run(run()).status_code == 403 and judged(db_path, labels) == ([], "")


LISTS = """# Our lists: the comment stays.
lists:
  - slug: onboarding   # the new PMs' reading
    title: Onboarding
    description: For new product managers.
    rules: {}
    pinned: []
    excluded: []
"""


def test_a_curator_pins_a_document_with_a_note_and_a_script_pins_another(curated_site, tmp_path):
    from pipeline.config.lists import load_lists

    db_path, labels, doc_id, url = curated_site
    lists_file = tmp_path / "lists.yaml"
    lists_file.write_text(LISTS, encoding="utf-8")
    token = run_prodops("curators", "token", "maya", "--db", str(db_path)).stdout.strip()
    other_url = sqlite3.connect(db_path).execute("SELECT url FROM documents WHERE id != ? LIMIT 1",
                                                 [doc_id]).fetchone()[0]
    note = "Read this first <script>alert(1)</script>"

    async def run():
        from pipeline.publish.datasette import build_datasette
        from pipeline.store.database import open_database
        from pipeline.store.lists import publish_lists

        db = open_database(db_path)
        publish_lists(db, load_lists(lists_file))
        db.close()
        datasette = build_datasette(db_path, labels_path=labels, lists_path=lists_file)
        await datasette.invoke_startup()
        _, csrf_token, csrf = await login_form(datasette)
        anonymous = await datasette.client.post(f"/-/documents/{doc_id}/pin", data={
            "slug": "onboarding", "note": "x", "csrftoken": csrf_token}, cookies={"ds_csrftoken": csrf})
        signed = (await sign_in(datasette)).cookies["ds_actor"]
        cookies = {"ds_actor": signed, "ds_csrftoken": csrf}
        page = await datasette.client.get(f"/-/documents/{doc_id}", cookies=cookies)
        unknown = await datasette.client.post(f"/-/documents/{doc_id}/pin", data={
            "slug": "nope", "note": "x", "csrftoken": csrf_token}, cookies=cookies)
        pinned = await datasette.client.post(f"/-/documents/{doc_id}/pin", data={
            "slug": "onboarding", "note": note, "csrftoken": csrf_token}, cookies=cookies)
        bearer = {"Authorization": f"Bearer {token}"}
        api_unknown_url = await datasette.client.post("/-/api/lists/onboarding/items", json={"url": "https://x.example/"},
                                                      headers=bearer)
        api = await datasette.client.post("/-/api/lists/onboarding/items", json={"url": other_url, "note": "Then this"},
                                          headers=bearer)
        # A note no text file can keep, "no" for remove, a move that is neither up nor down: refused,
        # the file as it was (the note was written, escaped, into a file no reader took back; "no"
        # removed the URL; "sideways" pinned it).
        written = lists_file.read_text(encoding="utf-8")
        refused = [await datasette.client.post("/-/api/lists/onboarding/items", content=json.dumps(body),
                                               headers={**bearer, "Content-Type": "application/json"})
                   for body in ({"url": other_url, "note": "x \ud800"}, {"url": other_url, "remove": "no"},
                                {"url": other_url, "note": "x" * 5000})]
        refused.append(await datasette.client.post("/-/lists/onboarding/items", data={
            "url": other_url, "move": "sideways", "csrftoken": csrf_token}, cookies=cookies))
        in_a_terminal = run_prodops("lists", "note", "onboarding", other_url, "caf\udce9", "--lists", str(lists_file))
        assert lists_file.read_text(encoding="utf-8") == written
        shown = await datasette.client.get("/-/lists/onboarding")
        atom = await datasette.client.get("/-/feeds/lists/onboarding.atom")
        return anonymous, page, unknown, pinned, api_unknown_url, api, shown, atom, refused, in_a_terminal

    anonymous, page, unknown, pinned, api_unknown_url, api, shown, atom, refused, in_a_terminal = asyncio.run(run())
    assert [answer.status_code for answer in refused] == [400] * 4, [answer.text for answer in refused]
    assert "U+D800, half of a surrogate pair" in refused[0].text and "'remove': true or false" in refused[1].text
    assert "the note has 5,000 characters; a note has at most 500" in refused[2].text  # (a browser stops at 500)
    assert in_a_terminal.returncode == 2 and "U+DCE9" in in_a_terminal.stderr, in_a_terminal.stderr
    assert anonymous.status_code == 403
    assert 'name="slug"' in page.text and "Onboarding" in page.text
    assert unknown.status_code == 400 and "no list 'nope'" in unknown.text
    assert pinned.status_code == 302 and api_unknown_url.status_code == 400 and api.json() == {"ok": True}
    text = lists_file.read_text(encoding="utf-8")
    assert text.startswith("# Our lists: the comment stays.") and "# the new PMs' reading" in text
    assert [item["url"] for item in load_lists(lists_file)[0].pinned] == [url, other_url]
    assert "Read this first &lt;script&gt;" in shown.text and "<script>alert(1)" not in shown.text
    assert "Then this" in shown.text and "&lt;script&gt;" in atom.text and "<script>" not in atom.text
    # ... and as text in every export of the list: markup escaped where a reader renders it,
    # the plain string where the format is data.
    exported = {fmt: run_prodops("export", "--list", "onboarding", "--format", fmt, "--lists", str(lists_file),
                                 "--db", str(db_path)).stdout for fmt in ("md", "html", "atom", "json", "csv")}
    assert "Read this first \\<script\\>" in exported["md"]
    assert "Read this first &lt;script&gt;" in exported["html"] and "<script>alert" not in exported["html"]
    assert "&lt;script&gt;" in exported["atom"] and "<script>" not in exported["atom"]
    assert json.loads(exported["json"])["items"][0]["note"] == note and note in exported["csv"]


def test_an_act_while_a_crawl_holds_the_write_lock_says_busy_and_writes_nothing(curated_site):
    db_path, labels, doc_id, _ = curated_site

    async def run():
        datasette, token, cookies = await curator_session(db_path, labels)
        crawl = sqlite3.connect(db_path, isolation_level=None)
        crawl.execute("BEGIN IMMEDIATE")  # as the crawl's store holds it while it writes
        try:
            during = await datasette.client.post(f"/-/documents/{doc_id}/judge",
                                                 data={"relevant": "yes", "csrftoken": token}, cookies=cookies)
            written = judged(db_path, labels)
        finally:
            crawl.execute("ROLLBACK")
        after = await datasette.client.post(f"/-/documents/{doc_id}/judge",
                                            data={"relevant": "yes", "csrftoken": token}, cookies=cookies)
        return during, written, after

    during, written, after = asyncio.run(run())
    assert during.status_code == 503 and during.text.startswith("busy:") and written == ([], "")
    assert after.status_code == 302 and len(judged(db_path, labels)[0]) == 1


def test_a_curator_edits_a_note_and_removes_an_item_on_the_list_page(curated_site, tmp_path):
    from pipeline.config.lists import load_lists
    from pipeline.store.database import open_database
    from pipeline.store.lists import publish_lists

    db_path, labels, _, url = curated_site
    lists_file = tmp_path / "lists.yaml"
    lists_file.write_text(LISTS.replace("pinned: []", f"pinned:\n      - url: {url}\n        note: first"),
                          encoding="utf-8")
    db = open_database(db_path)
    publish_lists(db, load_lists(lists_file))
    db.close()

    async def run():
        datasette, token, cookies = await curator_session(db_path, labels, lists_path=lists_file)
        anonymous_page = await datasette.client.get("/-/lists/onboarding")
        page = await datasette.client.get("/-/lists/onboarding", cookies=cookies)
        noted = await datasette.client.post("/-/lists/onboarding/items", cookies=cookies,
                                            data={"url": url, "note": "better", "csrftoken": token})
        after_note = load_lists(lists_file)[0].pinned
        removed = await datasette.client.post("/-/lists/onboarding/items", cookies=cookies,
                                              data={"url": url, "remove": "1", "csrftoken": token})
        shown = await datasette.client.get("/-/lists/onboarding")
        return anonymous_page, page, noted, after_note, removed, shown

    anonymous_page, page, noted, after_note, removed, shown = asyncio.run(run())
    assert "Remove from the list" not in anonymous_page.text and "Remove from the list" in page.text
    assert noted.status_code == 302 and after_note == [{"url": url, "note": "better"}]
    curated = load_lists(lists_file)[0]
    assert removed.status_code == 302 and curated.pinned == [] and curated.excluded == [url]
    assert "better" not in shown.text


def test_the_review_queue_asks_first_for_the_least_certain_document_and_learns_in_the_background(curated_site):
    from pipeline.publish.review import REFIT_EVERY, refitter_of

    db_path, labels, _, _ = curated_site
    conn = sqlite3.connect(db_path)
    # The crawl keeps the tagger's own scores, which the refit starts from.
    assert conn.execute("SELECT count(*) FROM documents WHERE tagger_relevance IS NULL").fetchone()[0] == 0
    # One copy of each near-duplicate cluster, its canonical: a copy's text was judged twice.
    copies = [row[0] for row in conn.execute("SELECT d.id FROM documents d JOIN clusters c ON c.id = d.cluster_id "
                                             "WHERE c.canonical_id != d.id")]
    assert copies  # the sample web's syndicated copy
    by_doubt = [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY abs(relevance - 0.5), rowid")
                if row[0] not in copies]
    total = len(by_doubt)

    async def run():
        anonymous = await (await site_app(db_path, labels)).client.get("/-/review")
        datasette, token, cookies = await curator_session(db_path, labels)
        home_visitor = await datasette.client.get("/")
        home = await datasette.client.get("/", cookies=cookies)
        pages, answers = [], []
        for _ in range(REFIT_EVERY):
            page = await datasette.client.get("/-/review", cookies=cookies)
            pages.append(page)
            shown = re.search(r'action="/-/documents/([0-9a-f]+)/judge"', page.text).group(1)
            answers.append(await datasette.client.post(
                f"/-/documents/{shown}/judge", cookies=cookies, headers={"Accept": "application/json"},
                data={"relevant": "yes", "csrftoken": token, "next": "/-/review"}))
        refitter_of(datasette).wait()
        after = await datasette.client.get("/-/review", cookies=cookies)
        skip = re.search(r'href="([^"]*skip=[^"]+)"', after.text).group(1).replace("&amp;", "&")
        skipped = await datasette.client.get(skip, cookies=cookies)
        elsewhere = await datasette.client.post(
            f"/-/documents/{by_doubt[-1]}/judge", cookies=cookies,
            data={"relevant": "no", "csrftoken": token, "next": "//evil.example/"})
        visits = [await datasette.client.get(path, cookies=jar) for path in ("/prodops/review_visits.json",
                  "/prodops/review_visits") for jar in ({}, cookies)]
        return anonymous, home_visitor, home, pages, answers, after, skipped, elsewhere, visits

    anonymous, home_visitor, home, pages, answers, after, skipped, elsewhere, visits = asyncio.run(run())
    # Who curates, and when, is for curators: a visitor is refused the table, a curator sees it.
    assert [page.status_code for page in visits] == [403, 200, 403, 200] and "maya" in visits[1].text
    assert anonymous.status_code == 302 and anonymous.headers["location"] == "/-/login?next=%2F-%2Freview"
    assert "Review queue" not in home_visitor.text and f"{total} documents to judge" in home.text
    assert '<li><a href="/-/review">Review queue</a></li>' in home.text  # the curator's menu
    shown = [re.search(r'action="/-/documents/([0-9a-f]+)/judge"', page.text).group(1) for page in pages]
    assert shown == by_doubt[:REFIT_EVERY]  # nearest the line first, one at a time, each once
    assert (f"{total} documents not judged yet" in pages[0].text
            and f"{total - 1} documents not judged yet" in pages[1].text)
    assert all(a.status_code == 200 and a.json() == {"ok": True, "message": a.json()["message"], "next": "/-/review"}
               for a in answers)
    assert "Scores live since" in after.text and "the models learn from 20 labels (5 so far)" in after.text
    # The refit wrote the curator's judgements into the scores without a retag.
    assert {row[0] for row in sqlite3.connect(db_path).execute(
        f"SELECT relevance FROM documents WHERE id IN ({','.join('?' * len(shown))})", shown)} == {1.0}
    assert (re.search(r'action="/-/documents/([0-9a-f]+)/judge"', skipped.text).group(1)
            not in after.text.split("skip=")[0])
    assert elsewhere.status_code == 302 and elsewhere.headers["location"] == f"/-/documents/{by_doubt[-1]}"


async def site_app(db_path, labels):
    datasette = build(db_path, labels)
    await datasette.invoke_startup()
    return datasette


def test_a_curator_reorders_the_pins_of_a_list_on_its_page(curated_site, tmp_path):
    from pipeline.config.lists import load_lists
    from pipeline.store.database import open_database
    from pipeline.store.lists import publish_lists

    db_path, labels, _, _ = curated_site
    first, second = [row[0] for row in sqlite3.connect(db_path).execute("SELECT url FROM documents LIMIT 2")]
    lists_file = tmp_path / "lists.yaml"
    lists_file.write_text(LISTS.replace("pinned: []", f"pinned:\n      - url: {first}\n        note: one\n"
                                                      f"      - url: {second}\n        note: two"), encoding="utf-8")
    db = open_database(db_path)
    publish_lists(db, load_lists(lists_file))
    db.close()

    async def run():
        datasette, token, cookies = await curator_session(db_path, labels, lists_path=lists_file)
        page = await datasette.client.get("/-/lists/onboarding", cookies=cookies)
        moved = await datasette.client.post("/-/lists/onboarding/items", cookies=cookies,
                                            data={"url": second, "move": "up", "csrftoken": token})
        anonymous = await datasette.client.post("/-/lists/onboarding/items", data={"url": first, "move": "up"})
        shown = await datasette.client.get("/-/lists/onboarding")
        return page, moved, anonymous, shown

    page, moved, anonymous, shown = asyncio.run(run())
    assert page.text.count(">Move up</button>") == 2
    assert moved.status_code == 302 and anonymous.status_code == 403
    assert [item["url"] for item in load_lists(lists_file)[0].pinned] == [second, first]
    assert lists_file.read_text().startswith("# Our lists: the comment stays.")
    assert shown.text.index('note: two<') < shown.text.index('note: one<')  # in the new order


def test_every_write_route_refuses_a_visitor_and_writes_nothing(curated_site, tmp_path):
    from pipeline.config.lists import load_lists
    from pipeline.store.database import open_database
    from pipeline.store.lists import publish_lists

    db_path, labels, doc_id, url = curated_site
    lists_file = tmp_path / "lists.yaml"
    lists_file.write_text(LISTS, encoding="utf-8")
    db = open_database(db_path)
    publish_lists(db, load_lists(lists_file))
    db.close()
    forms = {f"/-/documents/{doc_id}/judge": {"relevant": "yes"},
             f"/-/documents/{doc_id}/pin": {"slug": "onboarding", "note": "x"},
             "/-/lists/onboarding/items": {"url": url, "note": "x"}}
    apis = {"/-/api/label": {"url": url, "relevant": True}, "/-/api/lists/onboarding/items": {"url": url}}

    async def run():
        datasette = build_datasette(db_path, labels_path=labels, lists_path=lists_file)
        await datasette.invoke_startup()
        _, token, csrf = await login_form(datasette)  # a valid CSRF token: the refusal is for who asks
        answers = {}
        for path, data in forms.items():
            for accept in ("text/html", "application/json"):
                answers[(path, accept)] = await datasette.client.post(
                    path, data={**data, "csrftoken": token}, cookies={"ds_csrftoken": csrf},
                    headers={"Accept": accept})
        for path, body in apis.items():
            answers[(path, "api")] = await datasette.client.post(path, json=body)
        # A signed-in curator's form without its CSRF token, or with another one, is refused too.
        signed = (await sign_in(datasette)).cookies["ds_actor"]
        for path, data in forms.items():
            answers[(path, "no token")] = await datasette.client.post(
                path, data=data, cookies={"ds_actor": signed, "ds_csrftoken": csrf})
            answers[(path, "forged token")] = await datasette.client.post(
                path, data={**data, "csrftoken": "forged"}, cookies={"ds_actor": signed, "ds_csrftoken": csrf})
        return answers

    lists_before = lists_file.read_text()
    answers = asyncio.run(run())
    assert {key: a.status_code for key, a in answers.items()} == {
        **{(path, accept): 403 for path in forms for accept in ("text/html", "application/json")},
        **{(path, "api"): 401 for path in apis},
        **{(path, token): 403 for path in forms for token in ("no token", "forged token")}}
    assert all(a.json()["ok"] is False for (path, kind), a in answers.items() if kind in ("application/json", "api"))
    assert judged(db_path, labels) == ([], "") and lists_file.read_text() == lists_before
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM list_items").fetchone()[0] == 0


def test_a_body_too_large_is_refused_before_it_is_read_and_writes_nothing(curated_site):
    """A request body past MAX_BODY_BYTES is answered 413 before the CSRF check or the sign-in
    form reads it (a 150 MiB form took the server from 261 to 1,011 MiB before its 403),
    whether its Content-Length says so or it comes in chunks; a curator's form of the usual
    size still lands."""
    from pipeline.publish.guards import MAX_BODY_BYTES

    db_path, labels, doc_id, url = curated_site
    judge = f"/-/documents/{doc_id}/judge"
    padding = "x" * (MAX_BODY_BYTES + 1)

    async def run():
        datasette = build(db_path, labels)
        await datasette.invoke_startup()
        _, token, csrf = await login_form(datasette)
        signed = (await sign_in(datasette)).cookies["ds_actor"]
        cookies = {"ds_actor": signed, "ds_csrftoken": csrf}
        declared = await datasette.client.post(judge, data={"relevant": "yes", "csrftoken": token, "note": padding},
                                               cookies=cookies)

        async def chunks():
            yield f"relevant=yes&csrftoken={token}&note=".encode()
            for _ in range(MAX_BODY_BYTES // 65536 + 2):
                yield b"x" * 65536

        chunked = await datasette.client.post(judge, content=chunks(), cookies=cookies,
                                              headers={"content-type": "application/x-www-form-urlencoded"})
        login = await datasette.client.post("/-/login", data={"username": "maya", "password": padding})
        nothing = judged(db_path, labels)
        usual = await datasette.client.post(judge, data={"relevant": "yes", "csrftoken": token, "note": "x" * 4000},
                                            cookies=cookies)
        return declared, chunked, login, nothing, usual

    declared, chunked, login, nothing, usual = asyncio.run(run())
    assert declared.status_code == chunked.status_code == login.status_code == 413
    assert "too large" in declared.text and declared.headers["content-security-policy"]
    assert nothing == ([], "")
    assert usual.status_code == 302 and judged(db_path, labels)[0] == [(url, 1, "[]", "[]")]


def test_a_bearer_header_does_not_let_a_cookies_form_past_the_csrf_check(curated_site):
    """asgi-csrf skips any request with `Authorization: Bearer`; the forms act on the cookie,
    so a form sent with a made-up token, a curator's cookie and no CSRF token was written.
    Outside the API the header is dropped, and the check applies; the API still takes tokens."""
    db_path, labels, doc_id, url = curated_site

    async def run():
        datasette = build(db_path, labels)
        await datasette.invoke_startup()
        signed = (await sign_in(datasette)).cookies["ds_actor"]
        form = await datasette.client.post(f"/-/documents/{doc_id}/judge", data={"relevant": "no"},
                                           cookies={"ds_actor": signed}, headers={"Authorization": "Bearer junk"})
        api = await datasette.client.post("/-/api/label", json={"url": url, "relevant": True},
                                          headers={"Authorization": "Bearer junk"})
        return form, api

    form, api = asyncio.run(run())
    assert form.status_code == 403 and api.status_code == 401
    assert judged(db_path, labels) == ([], "")


def test_serve_refuses_a_malformed_labels_or_taxonomy_file_before_starting(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("labels: [\n", encoding="utf-8")
    db = tmp_path / "c.db"
    open_database(db).close()
    before = db.read_bytes()
    for option in ("--labels", "--taxonomy"):
        result = run_prodops("serve", "--db", str(db), option, str(bad))
        assert result.returncode == 2 and "bad.yaml" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == before  # nothing written


@pytest.mark.parametrize("content", ['{"curators": 5}', "[1, 2]", "not json"])
def test_a_curators_file_of_the_wrong_shape_is_one_line(db_path, content):
    from pipeline.publish.curators import curators_file

    curators_file(db_path).write_text(content)
    for args in (("curators", "list"), ("serve", "--port", str(free_port()))):
        result = run_prodops(*args, "--db", str(db_path))
        assert result.returncode == 2 and "curators" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


# Sessions (pipeline/publish/sessions.py): a cookie counts only while its session is live.

async def curator_can(datasette, cookies, doc_id):
    """What a cookie still opens: (its actor per /-/actor.json, /-/review's status, whether the
    document's page offers the acts, /prodops/review_visits.json's status)."""
    actor = (await datasette.client.get("/-/actor.json", cookies=cookies)).json()["actor"]
    review = (await datasette.client.get("/-/review", cookies=cookies)).status_code
    page = await datasette.client.get(f"/-/documents/{doc_id}", cookies=cookies)
    visits = (await datasette.client.get("/prodops/review_visits.json", cookies=cookies)).status_code
    return actor, review, "Your judgement" in page.text, visits


def site_state(db_path, labels):
    """Everything an act or a visit of the review queue writes: the labels (table and file), the visits."""
    conn = sqlite3.connect(db_path)
    return judged(db_path, labels), conn.execute("SELECT * FROM review_visits ORDER BY curator").fetchall()


def test_a_cookie_copied_before_signing_out_is_refused_after_it(curated_site):
    db_path, labels, doc_id, _ = curated_site

    async def run():
        datasette, token, cookies = await curator_session(db_path, labels)
        before = await curator_can(datasette, cookies, doc_id)
        copied = dict(cookies)  # as a thief would keep it
        form = await datasette.client.get("/-/logout", cookies=cookies)  # Datasette's page, ours to answer
        signed_out = await datasette.client.post("/-/logout", data={"csrftoken": token}, cookies=cookies)
        after = await curator_can(datasette, copied, doc_id)
        state = site_state(db_path, labels)
        judge = await datasette.client.post(f"/-/documents/{doc_id}/judge", cookies=copied,
                                            data={"relevant": "yes", "csrftoken": token})
        return before, form, signed_out, after, state, judge

    before, form, signed_out, after, state, judge = asyncio.run(run())
    assert before[0]["id"] == "maya" and before[1:] == (200, True, 200)
    assert form.status_code == 200 and 'value="Log out"' in form.text
    assert signed_out.status_code == 302 and 'ds_actor=""' in signed_out.headers["set-cookie"]
    assert after == (None, 302, False, 403)
    assert judge.status_code == 403 and site_state(db_path, labels) == state and state[0] == ([], "")


def test_a_cookie_from_before_a_password_change_is_refused(curated_site):
    db_path, labels, doc_id, _ = curated_site

    async def run():
        datasette, token, cookies = await curator_session(db_path, labels)
        before = await curator_can(datasette, cookies, doc_id)
        assert add(db_path, "maya", "a new and longer password").returncode == 0
        after = await curator_can(datasette, cookies, doc_id)
        state = site_state(db_path, labels)
        judge = await datasette.client.post(f"/-/documents/{doc_id}/judge", cookies=cookies,
                                            data={"relevant": "yes", "csrftoken": token})
        unchanged = site_state(db_path, labels) == state
        again = (await sign_in(datasette, password="a new and longer password")).cookies["ds_actor"]
        renewed = await curator_can(datasette, {**cookies, "ds_actor": again}, doc_id)
        return before, after, judge, unchanged, renewed

    before, after, judge, unchanged, renewed = asyncio.run(run())
    assert before[1:] == (200, True, 200) and after == (None, 302, False, 403)
    assert judge.status_code == 403 and unchanged and judged(db_path, labels) == ([], "")
    assert renewed[0]["id"] == "maya" and renewed[1:] == (200, True, 200)  # the new password signs in


def test_each_sign_in_is_a_session_of_its_own_and_signing_out_of_one_leaves_the_other(curated_site):
    db_path, labels, doc_id, url = curated_site

    async def run():
        datasette, token, laptop = await curator_session(db_path, labels)
        phone = {**laptop, "ds_actor": (await sign_in(datasette)).cookies["ds_actor"]}
        await datasette.client.post("/-/logout", data={"csrftoken": token}, cookies=laptop)
        judge = f"/-/documents/{doc_id}/judge"
        refused = await datasette.client.post(judge, cookies=laptop, data={"relevant": "no", "csrftoken": token})
        kept = await datasette.client.post(judge, cookies=phone, data={"relevant": "yes", "csrftoken": token})
        laptop_can, phone_can = [await curator_can(datasette, jar, doc_id) for jar in (laptop, phone)]
        return laptop, phone, laptop_can, phone_can, refused, kept

    laptop, phone, laptop_can, phone_can, refused, kept = asyncio.run(run())
    assert laptop["ds_actor"] != phone["ds_actor"]
    assert laptop_can == (None, 302, False, 403) and phone_can[0]["id"] == "maya" and phone_can[1:] == (200, True, 200)
    assert refused.status_code == 403 and kept.status_code == 302
    assert judged(db_path, labels)[0] == [(url, 1, "[]", "[]")]  # the phone's judgement alone


def test_an_expired_session_is_refused_whatever_its_cookie_says(curated_site, monkeypatch):
    db_path, labels, doc_id, _ = curated_site

    async def run():
        datasette, token, cookies = await curator_session(db_path, labels)
        actor = (await datasette.client.get("/-/actor.json", cookies=cookies)).json()["actor"]
        # The same actor in a cookie without Datasette's expiry ("e"): only the server's record can end it.
        lasting = {**cookies, "ds_actor": datasette.sign({"a": actor}, "actor")}
        before = await curator_can(datasette, lasting, doc_id)
        now = time.time()
        monkeypatch.setattr(time, "time", lambda: now + signin.SESSION_SECONDS + 60)
        after = [await curator_can(datasette, jar, doc_id) for jar in (cookies, lasting)]
        judge = await datasette.client.post(f"/-/documents/{doc_id}/judge", cookies=lasting,
                                            data={"relevant": "yes", "csrftoken": token})
        return before, after, judge

    before, after, judge = asyncio.run(run())
    assert before[0]["id"] == "maya" and before[1:] == (200, True, 200)
    assert after == [(None, 302, False, 403)] * 2
    assert judge.status_code == 403 and judged(db_path, labels) == ([], "")


@pytest.mark.parametrize("headers", [
    {"sec-fetch-site": "same-site"},  # a sibling host that set the shared domain's ds_csrftoken cookie
    {"sec-fetch-site": "cross-site"},
    {"origin": "http://evil.localhost"},  # a browser without Sec-Fetch-Site: its Origin
    {"origin": "null"},  # a sandboxed frame
])
def test_a_form_sent_from_another_origin_with_a_token_that_matches_its_cookie_writes_nothing(curated_site, headers):
    """asgi-csrf checks the form's token against the ds_csrftoken cookie only: a page on another
    host of the same site can set that cookie for the shared domain and send a form whose
    token matches it. The browser says where the form came from; a write from another
    origin is refused before the CSRF check, and the same form from the site's own page
    (or from a script, which sends neither header) still works."""
    db_path, labels, doc_id, _ = curated_site
    judge = f"/-/documents/{doc_id}/judge"

    async def run():
        datasette, token, cookies = await curator_session(db_path, labels)
        crossed = await datasette.client.post(judge, data={"relevant": "no", "csrftoken": token}, cookies=cookies,
                                              headers=headers)
        sign_in_crossed = await datasette.client.post("/-/login", data={"username": "maya", "password": PASSWORD,
                                                                        "csrftoken": token},
                                                      cookies={"ds_csrftoken": cookies["ds_csrftoken"]},
                                                      headers=headers)
        written = judged(db_path, labels)
        own = await datasette.client.post(judge, data={"relevant": "yes", "csrftoken": token}, cookies=cookies,
                                          headers={"sec-fetch-site": "same-origin", "origin": "http://localhost"})
        return crossed, sign_in_crossed, written, own

    crossed, sign_in_crossed, written, own = asyncio.run(run())
    assert crossed.status_code == 403 and crossed.text.startswith("Cross-origin request refused"), crossed.text
    assert sign_in_crossed.status_code == 403 and "ds_actor" not in sign_in_crossed.cookies
    assert written == ([], "")
    rows, _ = judged(db_path, labels)
    assert own.status_code == 302 and [row[1] for row in rows] == [1]
