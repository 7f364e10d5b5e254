"""MinHash signatures of texts, for near-duplicate detection (the lookup and the clusters
are in pipeline.store.clusters).

Each text gets 96 permutations over 5-word shingles; the signature is cut into 24 bands of 4
whose keys are looked up in an indexed table, so candidates are found without comparing all
pairs. Two signatures agreeing on at least SIMILARITY of their positions estimate a Jaccard
similarity of the shingles that high: the texts are copies.

The MinHash is datasketch 2's (`MinHash(num_perm=96, seed=1)`, its default "affine32"
scheme: the first four bytes of each shingle's SHA-1, mixed by MurmurHash3's finalizer,
then a * h + b modulo 2^32 per permutation), computed here in a few numpy operations: the
same values, so the signatures stored by earlier versions still match, without importing
datasketch (its package pulls in scipy: half a second of start-up in the crawler and in
every worker). tests/test_stages.py pins values it gave; a database whose signatures were
made otherwise (datasketch 1's "legacy" scheme) has them remade, from a migration's note,
by the commands that compare them (pipeline/store/upkeep.py).
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

NUM_PERM = 96
BANDS = 24
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 5
SIMILARITY = 0.5
WORD = re.compile(r"\w+")
FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of each permutation, drawn as datasketch 2 draws them for `seed` (a odd)."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _mix(hashes: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (uint32 arithmetic wraps around, as it should)."""
    s1, m1, s2, m2, s3 = FMIX
    hashes = (hashes ^ (hashes >> s1)) * m1
    hashes = (hashes ^ (hashes >> s2)) * m2
    return hashes ^ (hashes >> s3)


PERMUTATIONS = _permutations(NUM_PERM, seed=1)


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text (uint32 array of NUM_PERM values)."""
    words = WORD.findall(text.lower())
    if len(words) >= SHINGLE_WORDS:
        shingles = {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    else:
        shingles = set(words) or {""}
    digests = b"".join(hashlib.sha1(shingle.encode("utf-8")).digest()[:4] for shingle in shingles)
    hashes = _mix(np.frombuffer(digests, dtype="<u4").astype(np.uint32).reshape(-1, 1))
    a, b = PERMUTATIONS
    return (hashes * a + b).min(axis=0)


def band_keys(sig: np.ndarray) -> list[int]:
    """One 63-bit key per band of the signature."""
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(sig[band * ROWS:(band + 1) * ROWS].tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big") >> 1)
    return keys
