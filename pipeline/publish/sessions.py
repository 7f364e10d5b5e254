"""Sign-in sessions the server can end. A sign-in (pipeline/publish/signin.py) starts a
session: a random id (secrets.token_urlsafe, 256 bits) that goes into the curator's actor,
`{"id": NAME, "session": ID}`, in Datasette's signed `ds_actor` cookie, and a record kept
here. The cookie alone no longer signs anyone in: every request's actor from a cookie counts
only while its session is live (`live`, checked by the plugin's actor_from_request and again
by pipeline.publish.acts.is_curator) —

- it is recorded (signing out, `/-/logout`, removes it: `end`);
- it has not expired (SESSION_SECONDS after the sign-in, by the server's clock, whatever
  the cookie says; the cookie carries the same expiry for the browser and for Datasette);
- its curator is still there, with the password record it was started from: the session
  keeps a fingerprint of the curator's password hash (which argon2 salts anew at every
  `prodops curators add`), so a changed password, or a curator removed and added again,
  ends every older session without writing anything.

Where: `<database>.sessions.json`, mode 0600, beside the curators file
(pipeline/publish/curators.py), not a table of the database. The database is what Datasette
publishes (and `datasette publish` ships, and `prodops serve --sql` lets a visitor read
whole): session records are kept out of it as the password hashes are. And a crawl holds the
database's write lock for long stretches, which would make signing in or out answer "busy";
the file has a lock of its own, held for a read and a rename. With several server workers
(processes) the file is their shared state: a write re-reads it under the lock
(pipeline.config.files.locked, fcntl) and replaces it atomically, and a reader sees the
old file or the new one, never half of either. Sessions are few (a sign-in is a person
typing a password), and each write drops the expired ones, so the file stays small; it is
read on each request that carries a cookie, as the curators file already is.

The file holds SHA-256 of each session id, never the id itself (as API tokens are kept): a
copy of the file signs no one in, even with the cookie-signing secret. An unreadable file
counts as no session at all (everyone signs in again; the next sign-in writes a new one).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from pathlib import Path

from pipeline.config.files import locked, replace_file
from pipeline.publish.curators import curators

logger = logging.getLogger(__name__)

SESSION_SECONDS = 30 * 24 * 3600  # a curator stays signed in for a month on one browser


def sessions_file(db_path: str | Path) -> Path:
    """Where the open sessions of the site of `db_path` are kept."""
    return Path(f"{db_path}.sessions.json")


def fingerprint(curator: dict) -> str:
    """What a session keeps of its curator's password record: a hash of the password hash,
    which changes whenever the password is set (a new salt every time)."""
    return hashlib.sha256(str(curator.get("password_hash") or "").encode("utf-8")).hexdigest()


def start(db_path: str | Path, name: str, curator: dict) -> tuple[str, int]:
    """Record a new session of `name`, whose password was checked against `curator` (its
    record); (the session id for the actor, when it expires in seconds since the epoch)."""
    session = secrets.token_urlsafe(32)
    now = int(time.time())
    expires = now + SESSION_SECONDS
    with locked(sessions_file(db_path)):
        kept = _pruned(db_path, _read(db_path), now)
        kept[_key(session)] = {"curator": name, "created": now, "expires": expires,
                               "fingerprint": fingerprint(curator)}
        _write(db_path, kept)
    return session, expires


def end(db_path: str | Path, session: str) -> bool:
    """End a session (signing out); False when it was not open."""
    with locked(sessions_file(db_path)):
        known = _read(db_path)
        if known.pop(_key(session), None) is None:
            return False
        _write(db_path, _pruned(db_path, known, int(time.time())))
    return True


def live(db_path: str | Path, actor) -> bool:
    """Whether the actor of a `ds_actor` cookie carries a live session: recorded, not expired,
    of a curator still there with the same password record."""
    if not isinstance(actor, dict):
        return False
    name, session = actor.get("id"), actor.get("session")
    if not isinstance(name, str) or not isinstance(session, str):
        return False  # a cookie signed before sessions existed (the name alone): sign in again
    record = _read(db_path).get(_key(session))
    if not isinstance(record, dict) or record.get("curator") != name:
        return False
    curator = curators(db_path).get(name)
    return (curator is not None and isinstance(record.get("expires"), int) and time.time() < record["expires"]
            and hmac.compare_digest(str(record.get("fingerprint") or ""), fingerprint(curator)))


def _pruned(db_path: str | Path, known: dict, now: int) -> dict:
    """The sessions that may still be live: expired ones, and those of a curator removed or
    whose password changed, are dropped when the file is written."""
    found = curators(db_path)
    return {key: record for key, record in known.items()
            if isinstance(record, dict) and isinstance(record.get("expires"), int) and record["expires"] > now
            and record.get("curator") in found
            and record.get("fingerprint") == fingerprint(found[record["curator"]])}


def _key(session: str) -> str:
    return hashlib.sha256(session.encode("utf-8")).hexdigest()


def _read(db_path: str | Path) -> dict:
    path = sessions_file(db_path)
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        # Failing closed: no session counts; the next sign-in replaces the file.
        logger.warning("%s cannot be read (%s): every curator must sign in again", path, error)
        return {}
    return found if isinstance(found, dict) else {}


def _write(db_path: str | Path, known: dict) -> None:
    replace_file(sessions_file(db_path), json.dumps(known, indent=1, sort_keys=True), private=True)
