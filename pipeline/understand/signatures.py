"""MinHash signatures of texts, for near-duplicate detection (the lookup and the clusters
are in pipeline.store.clusters).

Each text gets 96 permutations over 5-word shingles; the signature is cut into 24 bands of 4
whose keys are looked up in an indexed table, so candidates are found without comparing all
pairs. Two signatures agreeing on at least SIMILARITY of their positions estimate a Jaccard
similarity of the shingles that high: the texts are copies.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash

NUM_PERM = 96
BANDS = 24
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 5
SIMILARITY = 0.5
WORD = re.compile(r"\w+")


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text (uint32 array of NUM_PERM values)."""
    words = WORD.findall(text.lower())
    if len(words) >= SHINGLE_WORDS:
        shingles = {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    else:
        shingles = set(words) or {""}
    minhash = MinHash(num_perm=NUM_PERM, seed=1)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash.hashvalues.astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One 63-bit key per band of the signature."""
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(sig[band * ROWS:(band + 1) * ROWS].tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big") >> 1)
    return keys
