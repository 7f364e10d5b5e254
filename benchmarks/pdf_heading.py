"""The cost of reading a PDF's first-page heading (pipeline.understand.pdf.SizedText) beside its
text: pypdf's extract_text of every page of the pypdf corpus's PDFs (../shared/corpora/pdf),
the first page with the heading's visitor and without, in alternating rounds, in one run. It
prints each round's seconds and the median of each, and the ratio.

    .venv/bin/python benchmarks/pdf_heading.py
"""

from __future__ import annotations

import gc
import io
import logging
import statistics
import sys
import time
from pathlib import Path

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.understand.pdf import MAX_PAGES, SizedText

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "pdf"
ROUNDS = 4


def extract_all(bodies: list[bytes], heading: bool) -> float:
    """Seconds to read every page's text of every PDF, the first page with the visitor or not."""
    gc.collect()
    started = time.perf_counter()
    for body in bodies:
        try:
            reader = PdfReader(io.BytesIO(body), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                continue
            sized = SizedText()
            for number, page in enumerate(reader.pages[:MAX_PAGES]):
                page.extract_text(visitor_text=sized.visit if heading and number == 0 else None)
            sized.heading()
        except Exception:  # noqa: BLE001 - the corpus holds broken PDFs on purpose
            continue
    return time.perf_counter() - started


def main() -> None:
    logging.disable(logging.CRITICAL)  # pypdf's warnings on the corpus's broken files
    bodies = [path.read_bytes() for path in sorted(CORPUS.rglob("*.pdf"))]
    if not bodies:
        sys.exit(f"no PDFs in {CORPUS}")
    times: dict[bool, list[float]] = {False: [], True: []}
    for round_number in range(ROUNDS):
        for heading in (False, True) if round_number % 2 == 0 else (True, False):
            times[heading].append(extract_all(bodies, heading))
    without, with_heading = statistics.median(times[False]), statistics.median(times[True])
    print(f"{len(bodies)} PDFs, {ROUNDS} alternating rounds each")
    print(f"text alone:        {', '.join(f'{t:.2f}' for t in times[False])} s (median {without:.2f})")
    print(f"text and heading:  {', '.join(f'{t:.2f}' for t in times[True])} s (median {with_heading:.2f})")
    print(f"ratio: {with_heading / without:.3f}")


if __name__ == "__main__":
    main()
