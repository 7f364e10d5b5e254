"""Choosing the charset a feed is read in, before feedparser reads it.

feedparser follows RFC 3023: the HTTP charset first, then the byte-order mark or the XML
declaration, and when nothing is declared it falls back to UTF-8, then windows-1252 — so a
feed in an undeclared legacy encoding (Big5, KOI8-R, windows-1255...) comes out garbled
unless chardet happens to be installed. Two corrections are made here, and the result is
handed to feedparser as the charset of the Content-Type, which it trusts above all else:

- bytes that are valid, non-ASCII UTF-8 are read as UTF-8 whatever the HTTP header or the
  XML declaration says (servers label UTF-8 feeds ISO-8859-1, a common default; text in a
  legacy 8-bit encoding is practically never valid UTF-8) — as pages are read, see
  pipeline/understand/encoding.py;
- bytes that are not UTF-8 and declare no encoding anywhere are detected with
  charset-normalizer, and the guess is reported, since the feed is malformed all the same.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["'](?P<name>[^"']+)["']""", re.I)
CHARSET_PARAMETER = re.compile(r";\s*charset\s*=[^;]*", re.I)
BYTE_ORDER_MARKS = (codecs.BOM_UTF8, codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE)  # UTF-32's start with UTF-16's
UTF8_NAMES = ("utf-8", "utf8")


@dataclass
class FeedCharset:
    """How feedparser is to read a feed: the bytes and Content-Type to give it, and the
    encoding that was guessed because the feed declared none (None when none was)."""

    body: bytes
    content_type: str | None
    guessed: str | None = None


def choose_charset(body: bytes, content_type: str | None) -> FeedCharset:
    """Settle the charset of a feed's bytes, given the whole Content-Type it was served with
    (charset parameter included)."""
    if _is_non_ascii_utf8(body):
        declared = XML_ENCODING.match(body)
        if declared and declared.group("name").lower() not in (b"utf-8", b"utf8"):
            # lxml (under feedparser) reads the declaration too: it must agree with the header.
            body = body[: declared.start("name")] + b"utf-8" + body[declared.end("name"):]
        if http_charset(content_type) not in UTF8_NAMES:
            content_type = with_charset(content_type, "utf-8")
        return FeedCharset(body, content_type)
    if http_charset(content_type) or _declares_its_encoding(body) or _is_utf8(body):
        return FeedCharset(body, content_type)
    guessed = detect_encoding(body)
    if guessed is None:
        return FeedCharset(body, content_type)  # feedparser's own fallbacks, and its bozo flag
    return FeedCharset(body, with_charset(content_type, guessed), guessed=guessed)


def detect_encoding(body: bytes) -> str | None:
    """The codec charset-normalizer finds most likely for bytes that declare none; among
    those that read them as cleanly (the same chaos), windows-1252, the web's legacy default:
    French text fits windows-1250 as well as windows-1252, and only one of them writes è.
    Coherence (the letters' frequencies in some language) does not break that tie: on a
    whole French page it preferred windows-1250's "troisičme" to "troisième"."""
    matches = charset_normalizer.from_bytes(body)
    best = matches.best()
    if best is None:
        return None
    tied = {match.encoding for match in matches if match.chaos == best.chaos}
    return "cp1252" if "cp1252" in tied else best.encoding


def http_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type, lower-case and unquoted, or None."""
    match = CHARSET_PARAMETER.search(content_type or "")
    if not match:
        return None
    value = match.group(0).split("=", 1)[1].strip().strip("'\"").strip().lower()
    return value or None


def with_charset(content_type: str | None, charset: str) -> str:
    """The Content-Type with its charset parameter set to `charset` (a feed served with no
    type is given application/xml, whose charset feedparser follows)."""
    media = CHARSET_PARAMETER.sub("", content_type or "").strip().rstrip(";").strip()
    return f"{media or 'application/xml'}; charset={charset}"


def _is_non_ascii_utf8(body: bytes) -> bool:
    # A NUL byte means UTF-16 or UTF-32, whose ASCII-range text can also pass as UTF-8.
    return not body.isascii() and b"\x00" not in body[:1024] and _is_utf8(body)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _declares_its_encoding(body: bytes) -> bool:
    """True when the bytes say how to read them: a byte-order mark, an XML declaration's
    encoding, or a start that is not ASCII-compatible (UTF-16/32 or EBCDIC, which
    feedparser recognises from their first bytes)."""
    if body.startswith(BYTE_ORDER_MARKS) or XML_ENCODING.match(body) or b"\x00" in body[:4]:
        return True
    return not body.lstrip(b" \t\r\n").startswith(b"<")
