"""Curators and sign-in (pipeline/publish/curators.py, signin.py, `prodops curators`): kept
beside the database as argon2 hashes, signed in through Datasette's actor cookie under its
CSRF protection, wrong passwords slowed; a site without curators has no sign-in at all."""

from __future__ import annotations

import asyncio
import json
import os
import re
import stat
import subprocess
import sys
import time

import pytest
from conftest import ROOT, free_port, run_prodops

from pipeline.publish import signin
from pipeline.publish.curators import curators_file, secret_file
from pipeline.publish.datasette import build_datasette
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


async def login_form(datasette):
    page = await datasette.client.get("/-/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
    return page, token.group(1) if token else None, page.cookies.get("ds_csrftoken")


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
    assert actor.json() == {"actor": {"id": "maya"}}


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


def test_sign_in_never_redirects_to_another_site(db_path):
    add(db_path)

    async def redirects(datasette):
        return [(await sign_in(datasette, next_path=target)).headers["location"]
                for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "/lists")]
    [locations] = site(db_path, redirects)
    assert locations == ["/", "/", "/", "/lists"]


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
    files = [str(curators_file(ROOT / "data" / "prodops.db")), str(secret_file(ROOT / "data" / "prodops.db"))]
    ignored = subprocess.run(["git", "check-ignore", *files], cwd=ROOT, capture_output=True, text=True)
    if ignored.returncode == 128:
        pytest.skip("not a git checkout")
    assert ignored.stdout.split() == files
