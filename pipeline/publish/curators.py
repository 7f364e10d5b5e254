"""The curators who may sign in to the published site, and the secret that signs their
session cookies. Both live in files beside the database, never in it (Datasette publishes
the database: a hash or a secret inside would be served to every visitor, and shipped by
`datasette publish`) and never in the repository (`data/*` beside the database is ignored
by git):

- `<database>.curators.json`, mode 0600: {name: {"password_hash", "added", "token_sha256"}}. The
  hash is argon2id with argon2-cffi's defaults (RFC 9106's second recommended profile: a
  salted, memory-hard, slow hash); the password itself is never written, nor an API token
  (only its SHA-256: a token is 256 random bits, which no dictionary guesses). Replaced
  atomically (a new file renamed over the old) under a lock that the CLI and the site share.
- `<database>.secret`, mode 0600: the cookie-signing secret, made on first use and kept
  across restarts, so signed-in curators stay signed in; `DATASETTE_SECRET`, when set, wins.
- `<database>.sessions.json`, mode 0600: the open sign-in sessions (pipeline/publish/sessions.py),
  written with the same atomic replace, under a lock of its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pipeline.clock import now_iso
from pipeline.config.files import ConfigError, locked, replace_file

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MIN_PASSWORD = 10  # characters (NIST SP 800-63B asks for 8 at least)
HASHER = PasswordHasher()
# Checked against when the name is unknown, so an unknown name costs what a wrong password does.
_UNKNOWN = HASHER.hash(secrets.token_urlsafe(16))


class CuratorError(ConfigError, ValueError):
    """A curator's name or password that cannot be used, or a curators file that cannot be
    read; the message says why (a ConfigError: every command says it in a line, exit 2)."""


def curators_file(db_path: str | Path) -> Path:
    """Where the curators of the database at `db_path` are kept."""
    return Path(f"{db_path}.curators.json")


def secret_file(db_path: str | Path) -> Path:
    """Where the cookie-signing secret of the site of `db_path` is kept."""
    return Path(f"{db_path}.secret")


def curators(db_path: str | Path) -> dict[str, dict]:
    """The curators: {name: {"password_hash", "added"}} ({} when none was ever added)."""
    path = curators_file(db_path)
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise CuratorError(f"{path} cannot be read ({error}); remove it and add the curators again") from None
    if not isinstance(found, dict) or not all(isinstance(entry, dict) for entry in found.values()):
        raise CuratorError(f"{path} is not a curators file (a mapping of names to their details); "
                           "remove it and add the curators again")
    return found


def add_curator(db_path: str | Path, name: str, password: str) -> bool:
    """Add a curator, or set the password of one already there; True when new."""
    if not NAME.fullmatch(name or ""):
        raise CuratorError(f"{name!r} cannot be a curator's name: use 1-64 letters, digits, '.', '_' or '-', "
                           "starting with a letter or digit")
    if len(password) < MIN_PASSWORD:
        raise CuratorError(f"the password is too short: use {MIN_PASSWORD} characters or more")
    with locked(curators_file(db_path)):
        known = curators(db_path)
        new = name not in known
        known[name] = {"password_hash": HASHER.hash(password), "added": known.get(name, {}).get("added") or now_iso()}
        replace_file(curators_file(db_path), json.dumps(known, indent=1, sort_keys=True), private=True)
    return new


def remove_curator(db_path: str | Path, name: str) -> bool:
    """Remove a curator; False when there was none of that name."""
    if name not in curators(db_path):  # (before the lock: nothing to remove leaves no file behind)
        return False
    with locked(curators_file(db_path)):
        known = curators(db_path)
        if known.pop(name, None) is None:
            return False
        replace_file(curators_file(db_path), json.dumps(known, indent=1, sort_keys=True), private=True)
    return True


def new_token(db_path: str | Path, name: str) -> str:
    """A new API token for a curator (replacing the one before), shown once: only its hash is kept."""
    token = secrets.token_urlsafe(32)
    if name not in curators(db_path):  # (before the lock: a wrong name leaves no file behind)
        raise CuratorError(f"no curator named {name!r}; `prodops curators add {name}` first")
    with locked(curators_file(db_path)):
        known = curators(db_path)
        if name not in known:
            raise CuratorError(f"no curator named {name!r}; `prodops curators add {name}` first")
        known[name]["token_sha256"] = _token_hash(token)
        replace_file(curators_file(db_path), json.dumps(known, indent=1, sort_keys=True), private=True)
    return token


def curator_of_token(db_path: str | Path, token: str) -> str | None:
    """The curator whose API token this is, or None."""
    wanted = _token_hash(token)
    for name, curator in curators(db_path).items():
        if hmac.compare_digest(curator.get("token_sha256") or "", wanted):
            return name
    return None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def password_record(db_path: str | Path, name: str, password: str) -> dict | None:
    """The curator's record when `password` is theirs, else None (an unknown name takes as
    long to refuse). The record is the one checked: a session started from it ends when it
    changes (pipeline.publish.sessions.fingerprint)."""
    found = curators(db_path).get(name)
    try:
        right = HASHER.verify(found["password_hash"] if found else _UNKNOWN, password)
    except (VerificationError, InvalidHashError):
        return None
    return found if right and found is not None else None


def site_secret(db_path: str | Path) -> str:
    """The secret that signs the site's cookies: DATASETTE_SECRET, else the one kept beside
    the database (made now, mode 0600, the first time)."""
    if os.environ.get("DATASETTE_SECRET"):
        return os.environ["DATASETTE_SECRET"]
    path = secret_file(db_path)
    with contextlib.suppress(FileExistsError):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip()


