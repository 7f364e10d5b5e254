"""Decoding HTML whose declared charset may be wrong, unknown or missing.

The web lies about encodings: servers label UTF-8 pages ISO-8859-1 (a common default of
web servers), legacy pages claim UTF-8, and some name charsets nobody knows. The order here:
a byte-order mark wins; then bytes that are valid UTF-8 are read as UTF-8 whatever the label
says (text in a legacy 8-bit encoding is practically never valid UTF-8 once it has a
non-ASCII byte); then the charset declared by the HTTP header or the page's <meta>, when it
is a known one other than UTF-8; then, for bytes labelled UTF-8 (or nothing) that are not,
UTF-8 when most non-ASCII text did decode as UTF-8 (a UTF-8 page with a few bad bytes keeps
its other characters); else the encoding charset-normalizer finds, windows-1252 (the web's
legacy default) among equally likely ones, as for feeds (feeds.charsets.detect_encoding): a
page in GBK, Big5 or windows-1250 that declares nothing is read in it, not as windows-1252.
"""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

from feeds.charsets import detect_encoding


def decode_html(body: bytes, declared: str | None = None) -> str:
    """The text of an HTML body; `declared` is the charset its response announced."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        return body[len(bom):].decode(bom_encoding, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for label in (declared, html_body_declared_encoding(body[:4096])):
        name = _known(label)
        if name and name != "utf-8":
            return body.decode(name, errors="replace")
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char > "\x7f") - bad
    if good > bad:
        return text
    return body.decode(_known(detect_encoding(body)) or "cp1252", errors="replace")


def _known(label: str | None) -> str | None:
    """The codec name of a charset label, or None for a label Python does not know."""
    if not label:
        return None
    name = resolve_encoding(label)
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None
