"""Bodies that are gzip files (a sitemap.xml.gz, a feed.xml.gz) rather than gzip-encoded
responses: inflated by their magic bytes, up to a limit, so a bomb cannot fill memory."""

from __future__ import annotations

import gzip
import io
import zlib


class InflateError(ValueError):
    """The gzip data is broken or inflates past the limit."""


def inflate(body: bytes, limit: int) -> bytes:
    """Gunzip a body that is gzip (by its magic bytes), refusing more than `limit` bytes;
    any other body is returned as it is."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            while chunk := stream.read(65536):
                out.write(chunk)
                if out.tell() > limit:
                    raise InflateError(f"gzip file inflates past {limit // 2**20} MiB")
    except (OSError, EOFError, zlib.error) as error:
        raise InflateError(f"broken gzip: {error}") from None
    return out.getvalue()
