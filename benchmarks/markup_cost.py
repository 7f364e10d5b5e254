"""The cost per page of reading a page's markup (JSON-LD, microdata, og:type): extruct 0.18
against pipeline.understand.markup's lxml reader, over the real pages of
../shared/corpora/html/mozilla-readability (130 pages of real sites).

The reader is timed on an already parsed tree, as extraction gives it one; extruct parses the
HTML itself, as it must. It prints the mean and median milliseconds a page of each and on
how many pages each found a type. extruct is not a dependency of the project: run it with an
interpreter that has extruct installed (the project's own for the reader alone):

    .venv/bin/python benchmarks/markup_cost.py
    /path/to/venv-with-extruct/bin/python benchmarks/markup_cost.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.understand.markup import read_markup

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "html" / "mozilla-readability"


def timed(function, pages) -> tuple[list[float], int]:
    """Milliseconds per page, and the pages where `function` found a type."""
    costs, found = [], 0
    for page in pages:
        start = time.perf_counter()
        result = function(page)
        costs.append((time.perf_counter() - start) * 1000)
        found += bool(result)
    return costs, found


def extruct_types(html: str) -> list:
    import extruct

    data = extruct.extract(html, syntaxes=["json-ld", "microdata", "opengraph"], uniform=True, errors="ignore")
    return [node.get("@type") for syntax in data.values() for node in syntax if node.get("@type")]


def report(name: str, costs: list[float], found: int) -> None:
    print(f"{name:<24} mean {statistics.mean(costs):7.2f} ms  median {statistics.median(costs):7.2f} ms  "
          f"a type found on {found}/{len(costs)} pages")


def main() -> None:
    htmls = [path.read_text(encoding="utf-8", errors="replace") for path in sorted(CORPUS.glob("*/source.html"))]
    trees = [lxml.html.fromstring(html.encode("utf-8")) for html in htmls]
    report("lxml reader (on a tree)", *timed(read_markup, trees))
    try:
        import extruct  # noqa: F401
    except ImportError:
        print("extruct is not installed here: its figure needs an interpreter that has it")
        return
    report("extruct 0.18", *timed(extruct_types, htmls))


if __name__ == "__main__":
    main()
