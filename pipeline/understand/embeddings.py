"""Static word embeddings, the ground of the semantic signal: text in, unit vectors out,
for comparing a page's passages with each concept's description.

The model is WordLlama's `l2_supercat` at 256 dimensions (package `wordllama`, MIT licence,
weights and tokenizer inside its wheel, about 16 MB; CPU only, numpy). It is loaded from the
installed files only, once per process and lazily, so worker processes pay for it when they
first embed, and the crawler process never does. Nothing is ever downloaded: loading passes
`disable_download=True`, and a missing file is an error, not a fetch.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path

import numpy as np

CONFIG = "l2_supercat"
DIMENSIONS = 256
MODEL_NAME = f"wordllama {CONFIG} {DIMENSIONS}"  # recorded with every stored vector


@functools.cache
def model():
    """The WordLlama model, from the files the wheel installed (loaded on first use)."""
    # The tokenizer (Hugging Face tokenizers) spreads each batch over a thread per core. Our
    # batches are a page's few passages, and the crawl's workers already keep every core busy:
    # the threads cost more than they give (measured: docs/benchmarks.md, "Measurements
    # behind choices in the code"). A user's own setting wins.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    import wordllama  # noqa: PLC0415 - loaded where embeddings are needed, not at import
    from wordllama import WordLlama  # noqa: PLC0415

    # wordllama calls logging.basicConfig(level=INFO) when imported: in a worker process that
    # would print every library's log lines (trafilatura's among them) on the crawl's stderr.
    # Logging is the application's to configure: undo it.
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)

    # wordllama 0.4.0 looks for its tokenizer under wordllama/tokenizer/, but the wheel puts
    # it under wordllama/tokenizers/; with cache_dir at the package it is found there (and the
    # weights under wordllama/weights/). The one place that knows this.
    package = Path(wordllama.__file__).resolve().parent
    return WordLlama.load(config=CONFIG, dim=DIMENSIONS, cache_dir=package, disable_download=True)


def embed(texts: list[str]) -> np.ndarray:
    """One unit-length float32 vector per text (an empty text gives a zero vector)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    # Batches of 16: the tokenizer pads a batch to its longest text, so smaller batches hold
    # less memory at once, for the same speed.
    vectors = np.asarray(model().embed(texts, norm=False, batch_size=16), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def to_blob(vector: np.ndarray) -> bytes:
    """A unit vector as stored in SQLite: float16 (half the bytes; cosines move by ~1e-3)."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_blobs(blobs: list[bytes]) -> np.ndarray:
    """Stored vectors back as one float32 matrix, a row each."""
    if not blobs:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float16).reshape(len(blobs), -1).astype(np.float32)
