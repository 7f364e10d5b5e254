"""What a page says it is in its markup: the schema.org types of its JSON-LD and microdata,
and its Open Graph `og:type`. Plain functions over the lxml tree extraction has parsed.

Each declaration is kept as a "where:what" string, in the order found, the documents
column `markup_types` (a JSON array): "json-ld:JobPosting", "microdata:Book",
"og:video.other", and, from a feed entry (pipeline.store.documents), "enclosure:audio/mpeg".
What a declaration means for the content type is the taxonomy's to say (`markup:` of each
content type in data/taxonomy.yaml; pipeline.understand.classify decides).

A scholarly paper's Highwire Press meta tags (`citation_title` beside its journal,
conference, institution, DOI or PDF, as Google Scholar asks publishers for them) are read as
"citation:paper"; its authors and date alone are not (every post of a Quarto site may carry them).

JSON-LD: each node's `@type` (a string or a list, "schema:Book" and "https://schema.org/Book"
read as "Book"), through `@graph` and a node's `mainEntity`, not deeper: the types nested
in a page's other properties (an article's author, a review's itemReviewed book, a video
embedded in a post) say what the page mentions, not what it is. Nor is a top-level node that
names another thing (`describes_another_thing`): its `url` or `@id` is another address (the
site's home page for its Organization or Book, a video's own page), or, with no address, its
name shares at most half its words with the page's title (an essay that recounts a
conference and carries that conference's Event node, a post with the trailer it embeds).
A node without an address or a name is the page's. Microdata likewise: the
top-level items (`itemscope` without `itemprop`) and `mainEntity`. A script that is not
valid JSON is skipped (logged), never an error.

Why a small reader here and not extruct (JSON-LD, microdata, RDFa, Open Graph in one pass):
extruct parses the HTML again and brings rdflib, mf2py and html5lib, for the three syntaxes
we read off the tree extraction parses anyway; it was several times slower and found no more
(benchmarks/markup_cost.py; the figures, dated, in docs/benchmarks.md, "Measurements behind
choices in the code").
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

logger = logging.getLogger(__name__)

JSON_LD = "json-ld"
MICRODATA = "microdata"
OPEN_GRAPH = "og"
ENCLOSURE = "enclosure"
# A scholarly paper's Highwire Press tags, which Google Scholar asks publishers for (journals,
# repositories, arXiv, SSRN): a `citation_title` beside what only a publication has (its
# journal or conference, institution, PDF, DOI). Declared as CITATION_PAPER. Not its authors
# and date alone: a Quarto site's `google-scholar: true` writes those on every post.
CITATION = "citation"
CITATION_PAPER = f"{CITATION}:paper"
CITATION_META = "//meta[starts-with(@name, 'citation_')]/@name"
CITED_WITH = frozenset({"citation_journal_title", "citation_conference_title",
                        "citation_technical_report_institution", "citation_dissertation_institution",
                        "citation_pdf_url", "citation_doi", "citation_arxiv_id"})
MAX_TYPES = 20  # a page declaring more is listing things, and the first ones are its own
MAX_NODES = 200  # JSON-LD nodes looked at per page: bounded work on a hostile page
JSON_LD_SCRIPTS = "//script[translate(normalize-space(@type), 'LDJSON', 'ldjson')='application/ld+json']"
TOP_ITEMS = "//*[@itemscope and @itemtype and (not(@itemprop) or @itemprop='mainEntity')]"
OG_TYPE = "//meta[@property='og:type' or @name='og:type']/@content"
TITLE = "//head/title/text() | //meta[@property='og:title' or @name='og:title']/@content"
# Words that say little of what a thing is: left out when a node's name and the title are compared.
COMMON_WORDS = frozenset("a an and at by for from in of on or the to with".split())
WRAPPING = re.compile(r"^\s*(<!--|<!\[CDATA\[|//\s*<!\[CDATA\[)|(-->|\]\]>|//\s*\]\]>)\s*$")


def schema_name(value) -> str | None:
    """A schema.org type's bare name: "Book" of "Book", "schema:Book", "http://schema.org/Book"."""
    if not isinstance(value, str):
        return None
    name = re.split(r"[/#:]", value.strip())[-1].strip()
    return name if name and name.replace("_", "").isalnum() else None


def _address(value: object, page_url: str) -> str | None:
    """A URL (or an `{"@id": ...}` reference) as an address to compare: absolute, without
    scheme, "www.", fragment, query or trailing slash; None for anything else (a blank node,
    `"mainEntityOfPage": true`)."""
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    if not isinstance(value, str) or not value.strip().startswith(("http://", "https://", "/")):
        return None
    parts = urlsplit(urljoin(page_url, value.strip()))
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" if host else None


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"\w+", text.lower()) if word not in COMMON_WORDS}


def describes_another_thing(node: dict, page_url: str | None, titles: list[str]) -> bool:
    """True for a JSON-LD node about something the page mentions rather than the page: it
    gives addresses (`url`, `@id`, `mainEntityOfPage`) and none is the page's; or it gives
    none (or `page_url` is None) and its name (`name`, `headline` or `title`) shares at most
    half its words with each of the page's titles (<title>, og:title), and no part of a
    title between separators (`_title_parts`) has more than half its words in the name (a
    book's full name, "Operating Rhythm: Building Product Operations That Scale", on its page
    "Operating Rhythm | Harbourline Press"). An address of the
    page's decides alone (an editor's headline may differ from the title); a node with
    neither an address nor a name is the page's."""
    if page_url:
        addresses = {address for key in ("url", "@id", "mainEntityOfPage")
                     if (address := _address(node.get(key), page_url))}
        if addresses:
            return _address(page_url, page_url) not in addresses
    names = [value for key in ("name", "headline", "title") if isinstance(value := node.get(key), str)]
    name_words = _words(names[0]) if names else set()
    if not name_words or not titles:
        return False
    if any(len(name_words & words) * 2 > len(words) for words in _title_parts(titles)):
        return False  # a title names the node ("Operating Rhythm | Harbourline Press", its Book's full name)
    return all(len(name_words & _words(title)) * 2 <= len(name_words) for title in titles)


TITLE_SEPARATOR = re.compile(r"\s+[|–—·:-]\s+|:\s+")
LEAST_PART_WORDS = 2  # a part of a title that may name a node: not a lone "Home" or "Blog"


def _title_parts(titles: list[str]) -> list[set[str]]:
    """The words of each part of the titles between separators ("Operating Rhythm" of
    "Operating Rhythm | Harbourline Press"), of LEAST_PART_WORDS words or more."""
    return [words for title in titles for part in TITLE_SEPARATOR.split(title)
            if len(words := _words(part)) >= LEAST_PART_WORDS]


def json_ld_types(scripts: list[str], page_url: str | None = None, titles: list[str] | None = None) -> list[str]:
    """The types of JSON-LD documents: of each node about the page (`page_nodes`), in order."""
    return [name for node in page_nodes(scripts, page_url, titles)
            for value in (node["@type"] if isinstance(node.get("@type"), list) else [node.get("@type")])
            if (name := schema_name(value)) is not None]


def json_ld_published(scripts: list[str], page_url: str | None = None, titles: list[str] | None = None
                      ) -> str | None:
    """The publication date the page's JSON-LD gives itself: the first `datePublished` (as
    written) of a node about the page (`page_nodes`), or None."""
    return next((value.strip() for node in page_nodes(scripts, page_url, titles)
                 if isinstance(value := node.get("datePublished"), str) and value.strip()), None)


def page_nodes(scripts: list[str], page_url: str | None = None, titles: list[str] | None = None) -> Iterator[dict]:
    """The nodes of JSON-LD documents about the page: each top-level node, each `@graph`
    member and each `mainEntity`, in order, less the nodes that describe another thing than
    the page (given its URL and titles: `describes_another_thing`); a page node's
    `mainEntity` is the page's by its declaration, whatever its name."""
    for script in scripts:
        try:
            data = json.loads(WRAPPING.sub("", script), strict=False)
        except ValueError:
            logger.debug("JSON-LD that is not JSON skipped: %.80r", script)
            continue
        pending: list[tuple[object, bool]] = [(node, False) for node in (data if isinstance(data, list) else [data])]
        seen = 0
        while pending and seen < MAX_NODES:
            node, main_entity = pending.pop(0)
            seen += 1
            if isinstance(node, list):
                pending[:0] = [(inner, main_entity) for inner in node]
                continue
            if not isinstance(node, dict):
                continue
            if not main_entity and (page_url or titles) and describes_another_thing(node, page_url, titles or []):
                continue
            yield node
            for key in ("@graph", "mainEntity"):
                inner = node.get(key)
                if isinstance(inner, (dict, list)):
                    pending[:0] = [(inner, key == "mainEntity")]


def read_markup(tree, url: str | None = None) -> list[str]:
    """What the page at `url` declares it is, as "where:what" strings (see the module
    docstring); [] for a page that says nothing, or for no tree."""
    if tree is None:
        return []
    try:
        titles = [str(title).strip() for title in tree.xpath(TITLE) if str(title).strip()]
        scripts = [script.text or "" for script in tree.xpath(JSON_LD_SCRIPTS)]
        items = [item.get("itemtype") or "" for item in tree.xpath(TOP_ITEMS)]
        og_types = [str(value) for value in tree.xpath(OG_TYPE)]
        cited = {str(name).strip().lower() for name in tree.xpath(CITATION_META)}
    except ValueError:  # lxml on a tree it cannot search (a document without a root)
        logger.debug("markup could not be read", exc_info=True)
        return []
    declared = [f"{JSON_LD}:{name}" for name in json_ld_types(scripts, url, titles)]
    declared += [f"{MICRODATA}:{name}" for itemtype in items for value in itemtype.split()
                 if (name := schema_name(value)) is not None]
    declared += [f"{OPEN_GRAPH}:{value.strip().lower()}" for value in og_types[:1] if value.strip()]
    if "citation_title" in cited and cited & CITED_WITH:
        declared.append(CITATION_PAPER)
    return list(dict.fromkeys(declared))[:MAX_TYPES]


def declared_published(tree, url: str | None = None) -> str | None:
    """The publication date the page's JSON-LD declares for itself (`json_ld_published`), as
    written; None for a page that declares none, or for no tree."""
    if tree is None:
        return None
    try:
        titles = [str(title).strip() for title in tree.xpath(TITLE) if str(title).strip()]
        scripts = [script.text or "" for script in tree.xpath(JSON_LD_SCRIPTS)]
    except ValueError:  # lxml on a tree it cannot search (a document without a root)
        return None
    return json_ld_published(scripts, url, titles) if scripts else None


def unwrap_json_ld(tree) -> None:
    """Take the page's JSON-LD scripts out of a CDATA or comment wrapping (WRAPPING), in place,
    before trafilatura reads them: it strips what looks like a tag from a script first, and
    an XHTML page's `<![CDATA[ ... ]]>` went whole, with the headline, author and date in it
    (an article's title was then a heading of the site's chrome)."""
    for script in tree.xpath(JSON_LD_SCRIPTS):
        if script.text and WRAPPING.search(script.text):
            script.text = WRAPPING.sub("", script.text)


def enclosure_type(media_type: str | None) -> str | None:
    """A feed entry's enclosure as a declaration ("enclosure:audio/mpeg"), for audio and
    video only (an image or a PDF enclosure says nothing of what the entry is)."""
    media_type = (media_type or "").split(";")[0].strip().lower()
    return f"{ENCLOSURE}:{media_type}" if media_type.startswith(("audio/", "video/")) else None


def enclosure_types(media_types: list[str]) -> list[str]:
    """A feed entry's enclosures as declarations (`enclosure_type`), each once, in order."""
    return list(dict.fromkeys(found for media_type in media_types if (found := enclosure_type(media_type))))


def decode(markup_json: str | None) -> list[str]:
    """The `markup_types` column read back; [] for anything not a JSON array of strings."""
    try:
        value = json.loads(markup_json or "[]")
    except (TypeError, ValueError):
        return []
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
