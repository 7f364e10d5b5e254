"""Text that XML 1.0 can carry.

The web sends characters XML forbids: C0 controls in a feed's titles, U+FFFE, lone
surrogates from a JSON feed's \\u escapes. One of them in a stored title made the site's
Atom feed unreadable to every feed reader, and a lone surrogate could not even be stored.
Documents are stored without them (pipeline.store.documents) and every XML writer drops them
again (pipeline.publish.export, the sources' OPML), for databases written before.
"""

from __future__ import annotations

import re

# XML 1.0's Char: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF. The rest
# cannot appear in a document even as a character reference (&#1; is not well-formed).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Half of a surrogate pair: no UTF-8 text can hold one (`not_text`).
_SURROGATE = re.compile("[\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (everything else, markup included, kept)."""
    return _FORBIDDEN.sub("", text)


def not_text(text: str) -> str | None:
    """What in `text` no UTF-8 text can hold, in words ("U+DCE9, half of a surrogate pair"),
    or None. A note typed in a terminal that is not UTF-8 reaches Python with such halves
    (Latin-1's "é" as U+DCE9), and a YAML writer escaped one into a file no YAML reader took
    back. (A control character is written escaped and read back; XML writers drop it.)"""
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return f"U+{ord(found.group()):04X}, half of a surrogate pair (sent by a terminal or a client not writing UTF-8?)"

