"""Stage 1: give each page its canonical URL and the document id derived from it."""

from __future__ import annotations

from pipeline.items import Page
from pipeline.understand.canonical import canonicalize_url, document_id


class CanonicalizeStage:
    """Set `canonical_url` and `doc_id` from the URL the page was found at.

    A redirect that was followed to a successful answer counts (feed links often go
    through a redirector); the page's own rel=canonical is taken later, when it is known. A
    part of a page (Page.part) keeps its URL's fragment.
    """

    def process_item(self, item):
        if not isinstance(item, Page):
            return item
        fetched = item.final_url and 200 <= item.status < 300
        item.canonical_url = canonicalize_url(item.final_url if fetched else item.url, keep_fragment=item.part)
        item.doc_id = document_id(item.canonical_url)
        return item
