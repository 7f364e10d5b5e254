"""Changing a sources file: proposing ids, appending sources, exporting them.

New sources are appended as text after the existing ones, so the comments and layout of a
hand-written file survive; the result is validated and the original restored if it fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from feeds.opml import OpmlFeed, write_opml
from pipeline.config.files import config_yaml, parse_yaml, replace_file
from pipeline.config.sources import Source, sources_in
from pipeline.xmlchars import xml_safe


def slugify(text: str) -> str:
    """A source id from a title or URL: lower-case words joined by '-'."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or "source"


def propose_id(title: str | None, url: str, taken: set[str]) -> str:
    """A new, unused id for a source, from its title or else its URL's host and path."""
    parts = urlsplit(url)
    base = slugify(title or f"{parts.hostname or ''}{parts.path}".removeprefix("www."))
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    taken.add(candidate)
    return candidate


def guess_kind(url: str) -> str:
    """The kind a URL most likely is, from its shape alone (no fetching)."""
    path = urlsplit(url).path.lower()
    if "sitemap" in path or path.endswith("robots.txt"):
        return "sitemap"
    if re.search(r"(^|/)(feed|rss|atom)(/|\.xml|\.json)?$|\.(rss|atom)$|/index\.xml$|[?&]format=rss", url.lower()):
        return "feed"
    if path.endswith(".xml") or re.search(r"/feeds/posts/default/?$", path):
        return "feed"  # an XML file other than a sitemap is a feed ("/blog.xml"), as is Blogger's address
    return "url"


def new_sources(existing: list[Source], candidates: Iterable[tuple[str, str | None, str]]) -> list[Source]:
    """Sources for the (url, title, kind) candidates that are not configured yet (by URL), each
    with a fresh id — what `sources add`, `import` and `discover --add` append."""
    known_urls = {source.url for source in existing}
    taken = {source.id for source in existing}
    new = []
    for url, title, kind in candidates:
        if url in known_urls:
            continue
        known_urls.add(url)
        source_id = propose_id(title, url, taken)
        new.append(Source(id=source_id, name=title or url, kind=kind, url=url))
    return new


def append_sources(path: str | Path, new: list[Source], comments: dict[str, str] | None = None) -> None:
    """Append sources to a sources file (created if missing), its text checked before it is
    written and written at once (ConfigError, nothing written, for what the file could not
    hold). `comments` (source id → text) are written as a comment line above each one's entry."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)  # a new file in a new folder, as `prodops label` makes one
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    if parse_yaml(text) is None:  # a new, empty or comments-only file
        text += "sources:\n"
    # "sources: []" (the list written empty) becomes a block to append to; [ \t], not \s,
    # which would take the line break with it and put the first entry on the key's line.
    text = re.sub(r"^sources:[ \t]*\[[ \t]*\][ \t]*$", "sources:", text, flags=re.MULTILINE)
    # New entries take the indentation of the file's own ("- id:" or "  - id:").
    existing = re.search(r"^( *)- ", text.split("sources:", 1)[-1], re.MULTILINE)
    indent = existing.group(1) if existing else "  "
    for source in new:
        comment = " ".join((comments or {}).get(source.id, "").split())
        if comment:
            text += f"{indent}# {comment}\n"
        block = yaml.safe_dump([_entry(source)], sort_keys=False, allow_unicode=True, width=100)
        text += "".join(f"{indent}{line}\n" for line in block.splitlines())
    sources_in(path, config_yaml(path, text))
    replace_file(path, text)


def export_yaml(sources: list[Source]) -> str:
    """The sources as a sources.yaml document."""
    return yaml.safe_dump({"sources": [_entry(s) for s in sources]}, sort_keys=False,
                          allow_unicode=True, width=100)


def export_opml(sources: list[Source], title: str = "ProdOps Curator sources") -> str:
    """The feed sources as OPML (other kinds have no place in a feed reader's list). A name
    can come from a feed's own title (`sources discover --add`): what XML forbids is dropped."""
    feeds = [OpmlFeed(url=xml_safe(s.url), title=xml_safe(s.name)) for s in sources if s.kind == "feed"]
    return write_opml(xml_safe(title), feeds)


def _entry(source: Source) -> dict:
    entry: dict[str, Any] = {"id": source.id, "name": source.name, "kind": source.kind, "url": source.url}
    if not source.enabled:
        entry["enabled"] = False
    if source.settings:
        entry["settings"] = dict(source.settings)
    return entry
