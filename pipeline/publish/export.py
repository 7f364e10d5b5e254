"""Exports of documents (a curated list, or a filtered selection): Markdown in the style of
an awesome list, CSV safe to open in a spreadsheet, JSON, Atom, a standalone HTML page; and
OPML of the sources. Functions return text; the CLI writes it.

JSON schema: {"title": str, "generated": ISO 8601 UTC, "items": [{"title", "url",
"source", "published", "content_type", "tags": [str], "relevance": float, "description",
"note", "link_check": null or {"verdict", "detail", "checked_at", "final_url"}}]}; an item
whose link's last check (`prodops lists check`) was not `ok` is marked in Markdown and HTML too.
"""

from __future__ import annotations

import csv
import io
import json
from collections import OrderedDict
from html import escape
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from feeds.urls import is_web_address
from pipeline import clock
from pipeline.publish.labels import labels
from pipeline.store.link_checks import describe as describe_check
from pipeline.xmlchars import xml_safe

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ["title", "url", "source", "published", "content_type", "tags", "relevance", "description", "note"]


def tags_of(value) -> list[str]:
    """A document's `tags` column (a JSON array) as a list; [] when empty or malformed."""
    try:
        parsed = json.loads(value or "[]")
    except (TypeError, ValueError):
        return []
    return [str(tag) for tag in parsed] if isinstance(parsed, list) else []


def _main_concept(row: dict) -> str:
    """The document's best-scoring tag ('' when it has none)."""
    tags = tags_of(row.get("tags"))
    scores = json.loads(row.get("tag_scores") or "{}")
    return max(tags, key=lambda tag: (scores.get(tag, 0), tag)) if tags else ""


def _item(row: dict) -> dict:
    return {
        "title": row.get("title") or row.get("url"),
        "url": row["url"],
        "source": (row.get("sitename") or row.get("source_name") or row.get("source_id")
                   or urlsplit(row["url"]).hostname),
        "published": row.get("published"),
        "content_type": row.get("content_type"),
        "tags": tags_of(row.get("tags")),
        "relevance": row.get("relevance"),
        "description": " ".join((row.get("description") or "").split())[:300] or None,
        "note": row.get("note") or None,
        "link_check": _check(row.get("link_check")),
        "concept": _main_concept(row),
    }


def _check(check: dict | None) -> dict | None:
    if not check:
        return None
    return {key: check.get(key) for key in ("verdict", "detail", "checked_at", "final_url")}


def is_web_link(url: str | None) -> bool:
    """Whether `url` may be published as a link: http(s) only, never javascript:, data:, file:."""
    return is_web_address(url)


def items_of(rows: list[dict]) -> list[dict]:
    """Export items from document rows; only http(s) links are ever published."""
    return [_item(row) for row in rows if is_web_link(row.get("url"))]


def to_json(title: str, rows: list[dict]) -> str:
    items = [{k: v for k, v in item.items() if k != "concept"} for item in items_of(rows)]
    return json.dumps({"title": title, "generated": clock.now_iso(), "items": items},
                      ensure_ascii=False, indent=2) + "\n"


def neutralize(cell) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for item in items_of(rows):
        item["tags"] = ", ".join(item["tags"])
        writer.writerow([neutralize(item[column]) for column in COLUMNS])
    return out.getvalue()


def _md(text: str | None) -> str:
    """Text as it reads in one Markdown line: its whitespace (line breaks included, which would
    start a line of the text's own making, a link among them) one space, its markup escaped."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#|!" else ch for ch in " ".join((text or "").split()))


def _md_url(url: str) -> str:
    """A link's address as Markdown reads it whole: whitespace, control characters and the
    brackets that would end it percent-encoded."""
    return "".join(f"%{ord(ch):02X}" if ch <= " " or ch in "()<>\x7f" else ch for ch in url)


def to_markdown(title: str, description: str, rows: list[dict], concept_labels: dict[str, str]) -> str:
    """An awesome-list page: grouped by each resource's main concept, a line per resource."""
    groups: OrderedDict[str, list[dict]] = OrderedDict()
    for item in items_of(rows):
        groups.setdefault(item["concept"], []).append(item)
    lines = [f"# {_md(title)}", ""]
    if description:
        lines += [_md(description), ""]
    for key, members in groups.items():
        lines += [f"## {_md(concept_labels.get(key, key) if key else 'Other')}", ""]
        for item in members:
            parts = [f"[{_md(item['title'])}]({_md_url(item['url'])})"]
            meta = ", ".join(p for p in (item["source"], (item["published"] or "")[:10]) if p)
            line = f"- {parts[0]}" + (f" — {_md(meta)}" if meta else "")
            if item["description"]:
                line += f". {_md(item['description'])}"
            if item["note"]:
                line += f" *Editor's note: {_md(item['note'])}*"
            if rot := describe_check(item["link_check"]):
                line += f" **⚠ {_md(rot)}**"
            lines.append(line)
        lines.append("")
    return "\n".join(lines)


def _xml(value) -> str:
    """A value as XML character data or attribute text: the characters XML 1.0 forbids
    dropped, markup and both quotes escaped."""
    return xml_escape(xml_safe(str(value)), {'"': "&quot;", "'": "&apos;"})


def to_atom(title: str, feed_id: str, rows: list[dict]) -> str:
    """An Atom 1.0 feed of the items (feedparser reads it without a bozo flag). Every value
    goes through _xml, the stored ones and ours alike: a feed is unreadable after one bad
    character."""
    now = clock.now_iso()
    entries = []
    for item in items_of(rows):
        updated = item["published"] if item["published"] and "T" in item["published"] else now
        categories = "".join(f'<category term="{_xml(tag)}"/>' for tag in item["tags"])
        summary = item["description"] or ""
        if item["note"]:
            summary = f"{summary} Editor's note: {item['note']}".strip()
        entries.append(
            f"<entry><title>{_xml(item['title'])}</title>"
            f"<link rel=\"alternate\" href=\"{_xml(item['url'])}\"/>"
            f"<id>{_xml(item['url'])}</id><updated>{_xml(updated)}</updated>"
            f"<author><name>{_xml(item['source'] or 'unknown')}</name></author>"
            f"{categories}<summary>{_xml(summary)}</summary></entry>"
        )
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{_xml(title)}</title><id>{_xml(feed_id)}</id><updated>{_xml(now)}</updated>"
            f"<generator>ProdOps Curator</generator>{''.join(entries)}</feed>\n")


def to_html(title: str, description: str, rows: list[dict]) -> str:
    """A standalone HTML page of the items; everything from the web is escaped."""
    items = []
    for item in items_of(rows):
        kind = labels().type(item["content_type"]) if item["content_type"] else ""
        meta = " · ".join(escape(p) for p in (item["source"] or "", (item["published"] or "")[:10], kind) if p)
        note = f'<p class="note">{escape(item["note"])}</p>' if item["note"] else ""
        text = f"<p>{escape(item['description'])}</p>" if item["description"] else ""
        if rot := describe_check(item["link_check"]):
            note += f'<p class="rot"><strong>⚠ {escape(rot)}</strong></p>'
        items.append(f'<li><a href="{escape(item["url"], quote=True)}" rel="noopener nofollow">'
                     f'{escape(item["title"])}</a><div class="meta">{meta}</div>{text}{note}</li>')
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
li{{margin:0 0 1.2rem}}.meta{{color:#666;font-size:.9rem}}.note{{font-style:italic}}</style></head>
<body><h1>{escape(title)}</h1><p>{escape(description)}</p><ol>{''.join(items)}</ol>
<footer><small>Generated by ProdOps Curator on {clock.now_iso()[:10]}.</small></footer></body></html>
"""
