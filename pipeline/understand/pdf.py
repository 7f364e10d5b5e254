"""Text and metadata from PDF whitepapers and reports, with pypdf (pure Python).

Runs in the extraction worker like extract_html. An encrypted PDF that opens with the
empty password (common for "no copying" flags) is read; any other encrypted or broken PDF
raises PdfError with a message that says so. Besides the text: the metadata's title, author
and date, the fields to fill in (a form: FORM), and the first page's heading, the text it
sets largest (a title where nothing else names the PDF).
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from importlib.metadata import version
from typing import Any

from pypdf import DocumentInformation, PdfReader

from feeds.dates import dated, iso
from pipeline.items import Extraction

logger = logging.getLogger(__name__)

PYPDF = f"pypdf {version('pypdf')}"
MAX_PAGES = 300  # pages read for text; the page count is still the whole document's
# What the software that made a PDF wrote as its title, not its author: the application's name
# before the file's ("Microsoft Word - Q3 plan.docx", dropped to keep what follows it), a
# file's name ("Binder1.pdf", "report_final_v2.indd") or a placeholder ("Untitled document",
# "Title", "PowerPoint Presentation", "Document1"). Such a PDF has no title: the words of the
# link to it (or its feed's title) name it instead, else its first page's heading
# (`SizedText`; pipeline.store.documents.document_row).
MADE_BY = re.compile(r"^(microsoft (office )?(word|powerpoint|excel)|acrobat pdfmaker[\w. ]*)\s+-\s+", re.IGNORECASE)
FILE_NAME = re.compile(r"\.(docx?|pptx?|xlsx?|pdf|indd|qxd|odt|odp|rtf|pages|key)$", re.IGNORECASE)  # not "llms.txt"
PLACEHOLDER_TITLE = re.compile(r"^(untitled|title|(untitled |new )?(document|presentation|workbook)|powerpoint "
                               r"presentation|binder|slide|book)\s*\d*$", re.IGNORECASE)
# What the software wrote as the author when it knew none: a library's default ("anonymous",
# ReportLab's), the computer's account ("Windows User", "Microsoft Office User", "微软用户" of a
# Chinese Windows, "Admin", "Owner") or an account's number ("1671251"). Such a PDF has no author.
PLACEHOLDER_AUTHOR = re.compile(r"^(anonymous|unknown|author|admin(istrator)?|owner|microsoft"
                                r"|(microsoft )?(office |windows )?user|微软用户|微軟使用者|microsoft 用户|[\d\W_]+)$",
                                re.IGNORECASE)
# A PDF with fields to fill in (a form, a fillable worksheet or canvas) says what it is in its
# own structure, as a page's markup does: the declaration FORM, in `markup_types` beside a
# page's ("pdf:form"; data/taxonomy.yaml lists it under template-toolkit). FORM_FIELDS at
# least, as a report may carry a field or two of its own (a feedback box, a signature).
FORM = "pdf:form"
FORM_FIELDS = 3
# Fields a reader fills in: text, choices, check boxes and radio buttons (a /Btn unless it is a
# push button, bit 17 of its flags: a "Print" or "Submit" button is no field to fill).
FILLED_IN = frozenset({"/Tx", "/Ch", "/Btn"})
PUSH_BUTTON = 1 << 16
# Annotations looked at for them, in all: each is an object to parse (45 µs), and a file may
# hold hundreds of thousands (100,000 links added 7 s to a 10 MB PDF's 1 s); a form's fields
# come long before.
MAX_ANNOTATIONS = 1_000


# A PDF's heading, where its metadata names nothing (and no link or feed did): the first
# page's text set largest, HEADING_SCALE times its body's size or more (a cover's title: "The
# Crazy Ones" at 14.3 pt over 9 pt), of HEADING_WORDS words, not a contents page's or a form's
# version line. The first HEADING_RUNS runs of text are read: a title comes early.
HEADING_SCALE = 1.2
HEADING_WORDS = (2, 20)
HEADING_RUNS = 2_000
NOT_A_HEADING = re.compile(r"^\W*((table of )?contents|version\s+\S+|page\s+\d+)\W*$", re.IGNORECASE)


class PdfError(Exception):
    """The PDF cannot be read (encrypted, broken, not a PDF)."""


def is_pdf(content_type: str, body: bytes) -> bool:
    """A PDF by its declared type or by its magic bytes."""
    return content_type == "application/pdf" or body[:1024].lstrip().startswith(b"%PDF-")


def is_pdf_document(document: Mapping[str, Any]) -> bool:
    """Whether a documents row is a PDF: served as one, read by pypdf, or with pages counted.
    The one test, for the crawl's classification and for `prodops retag` alike."""
    return (document.get("media_type") == "application/pdf" or bool(document.get("page_count"))
            or (document.get("extracted_by") or "").startswith("pypdf"))


def extract_pdf(body: bytes, url: str) -> Extraction | None:
    """Extract a PDF's text and metadata; None when it has no text (a scan); PdfError if unreadable."""
    try:
        reader = PdfReader(io.BytesIO(body), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfError("encrypted PDF: it needs a password, so its text cannot be read")
        pages = reader.pages
        page_count = len(pages)
        sized = SizedText()  # the first page's text by the size it is set in: its heading
        texts = [(pages[i].extract_text(visitor_text=sized.visit if i == 0 else None) or "")
                 for i in range(min(page_count, MAX_PAGES))]
        info: DocumentInformation | dict[str, Any] = reader.metadata or {}
        fields = form_fields(reader)
    except (PdfError, MemoryError):
        raise  # MemoryError: past the worker's cap (a decompression bomb); the pool says so
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on broken files
        raise PdfError(f"unreadable PDF ({type(error).__name__}: {error})") from None
    text = "\n\n".join(part.strip() for part in texts if part.strip())
    if not text:
        logger.info("No text in PDF %s (a scanned document?)", url)
        return None
    return Extraction(
        text=text,
        title=pdf_title(_text(info, "/Title")),
        author=pdf_author(_text(info, "/Author")),
        published=_date(info, "creation_date"),
        extractor=PYPDF,
        page_count=page_count,
        markup=[FORM] if fields >= FORM_FIELDS else [],
        heading=sized.heading(),
    )


def form_fields(reader: PdfReader) -> int:
    """How many fields a reader can fill in the PDF's first MAX_PAGES pages (FILLED_IN): its
    pages' widget annotations, counted there rather than in the document's AcroForm, which
    some makers leave empty or out (a government form's 20 fields, none listed). A field
    counts once however many widgets show it: a radio group's buttons (a report's "Was this
    useful? Yes / No / Somewhat" is one field), a name repeated on each page; a widget
    without a name of its own (/T) is one of its /Parent's. Its first MAX_ANNOTATIONS
    annotations only. 0 for a broken annotation list: the fields are a hint, never a reason
    to fail the PDF."""
    fields: set[int] = set()
    looked = 0
    try:
        for page in reader.pages[:MAX_PAGES]:
            for annotation in page.get("/Annots") or []:
                looked += 1
                if looked > MAX_ANNOTATIONS:
                    return len(fields)
                widget = annotation.get_object()
                if widget.get("/Subtype") != "/Widget":
                    continue
                parent = widget.get("/Parent")
                field = parent.get_object() if parent is not None and "/T" not in widget else widget
                kind = widget.get("/FT", field.get("/FT"))
                flags = int(widget.get("/Ff", field.get("/Ff", 0)) or 0)
                if kind in FILLED_IN and not (kind == "/Btn" and flags & PUSH_BUTTON):
                    reference = field.indirect_reference
                    fields.add(id(field) if reference is None else reference.idnum)
    except MemoryError:
        raise  # past the worker's cap: the pool says so (extract_pdf)
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on broken objects
        return 0
    return len(fields)


class SizedText:
    """The text of a page as pypdf reads it (`visit`, its visitor_text), by the size each run
    of it is set in on the page, for its heading: the run set largest, where it stands out of
    the body's size (HEADING_SCALE) and reads as a title (`heading`)."""

    def __init__(self) -> None:
        self.runs: list[tuple[float, str]] = []

    def visit(self, text: str, user_matrix, text_matrix, font, font_size) -> None:
        """pypdf's visitor_text: note a run of text and the size it is drawn at on the page."""
        if text.strip() and len(self.runs) < HEADING_RUNS:
            scale = math.hypot(text_matrix[2], text_matrix[3]) * math.hypot(user_matrix[2], user_matrix[3])
            self.runs.append((round(float(font_size) * scale, 1), text))

    def heading(self) -> str | None:
        """The runs set in the largest size, joined, where that size is HEADING_SCALE times the
        body's (the size most of the text is set in) or more and they read as a title
        (HEADING_WORDS, a word of letters, not a table of contents' or a version's line); None
        else: a page set in one size has no heading to tell."""
        if not self.runs:
            return None
        chars: Counter = Counter()
        for size, text in self.runs:
            chars[size] += len(text.strip())
        body, largest = chars.most_common(1)[0][0], max(chars)
        if largest < HEADING_SCALE * body:
            return None
        heading = " ".join(" ".join(text for size, text in self.runs if size == largest).split())
        words = heading.split()
        if not (HEADING_WORDS[0] <= len(words) <= HEADING_WORDS[1]) or not re.search(r"[^\W\d_]{3}", heading) or (
                NOT_A_HEADING.match(heading)):
            return None
        return heading


def pdf_title(title: str | None) -> str | None:
    """A PDF's title as its metadata gives it, less what its software wrote there (MADE_BY,
    FILE_NAME, PLACEHOLDER_TITLE): None when nothing of its author's is left."""
    title = MADE_BY.sub("", title or "").strip()
    if not title or FILE_NAME.search(title) or PLACEHOLDER_TITLE.match(title):
        return None
    return title


def pdf_author(author: str | None) -> str | None:
    """A PDF's author as its metadata gives it, unless its software wrote it there
    (PLACEHOLDER_AUTHOR): None then."""
    return None if author is None or PLACEHOLDER_AUTHOR.match(author) else author


def _text(info, key: str) -> str | None:
    try:
        value = info.get(key)
    except Exception:  # noqa: BLE001 - a broken indirect object in the info dictionary
        return None
    value = " ".join(str(value).split()) if value else ""
    return value or None


def _date(info, attribute: str) -> str | None:
    try:
        moment = getattr(info, attribute, None)
    except Exception:  # noqa: BLE001 - malformed PDF date strings raise
        return None
    moment = dated(moment) if isinstance(moment, datetime) else None
    return iso(moment) if moment is not None else None
