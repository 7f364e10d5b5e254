"""Fast phrase matching over word tokens: the text is split into words once and every
phrase is a dictionary lookup of a word n-gram, so the cost grows with the text, not with
the number of phrases. Matching ignores case, punctuation and the difference between a
space and a hyphen; short all-capitals phrases (OKR, VoC, QBR) keep their case."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable

WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of a text, in order, as written."""
    return WORD.findall(text)


@functools.lru_cache(maxsize=8)
def tokens_of(text: str) -> tuple[list[str], list[str]]:
    """The words of a text as written, and folded to lower case: computed once per text (the
    taxonomy's and the entities' indexes read the same title, description and text)."""
    tokens = WORD.findall(text)
    folded = WORD.findall(text.lower())  # one C call, not a lower() per word...
    if len(folded) != len(tokens) or " ".join(folded) != " ".join(tokens).lower():
        folded = [token.lower() for token in tokens]  # ...unless lower-casing moved a word's bounds
    return tokens, folded


def is_acronym(phrase: str) -> bool:
    """Short phrases with two or more capitals keep their case (OKR, VoC, QBR, PRD)."""
    return len(phrase) <= 6 and sum(ch.isupper() for ch in phrase) >= 2 and " " not in phrase


class PhraseIndex:
    """Find which of many phrases occur in a text, each with its owner (a concept, a type)."""

    def __init__(self, phrases: Iterable[tuple[str, str]], exact_owners: frozenset[str] = frozenset()):
        """`phrases`: (owner, phrase) pairs; the phrases of `exact_owners` keep their case."""
        self._folded: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        self._exact: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        self.longest = 1
        self._starts: set[str] = set()  # first words, folded: most positions start no phrase
        # Every phrase's leading words, folded ("customer", "customer feedback", ...): a
        # position's n-grams are tried only while they still begin some phrase.
        self._prefixes: set[tuple[str, ...]] = set()
        for owner, phrase in phrases:
            key = tuple(words(phrase))
            if not key:
                continue
            folded = tuple(w.lower() for w in key)
            if is_acronym(phrase) or owner in exact_owners:
                self._exact.setdefault(key, []).append((owner, phrase))
            else:
                self._folded.setdefault(folded, []).append((owner, phrase.lower()))
            self.longest = max(self.longest, len(key))
            self._starts.add(folded[0])
            self._prefixes.update(folded[:length] for length in range(1, len(folded) + 1))

    def find(self, text: str) -> Counter:
        """Counter of (owner, phrase) -> occurrences in `text`."""
        found: Counter = Counter()
        tokens, folded = tokens_of(text)
        starts = self._starts
        prefixes = self._prefixes
        # Only positions where some phrase begins are tried (a small share of the words), and
        # at each only as many words as still begin a phrase.
        for start in [i for i, word in enumerate(folded) if word in starts]:
            for length in range(1, min(self.longest, len(tokens) - start) + 1):
                key = tuple(folded[start:start + length])
                if key not in prefixes:
                    break
                for owner_phrase in self._folded.get(key, ()):
                    found[owner_phrase] += 1
                if self._exact:
                    for owner_phrase in self._exact.get(tuple(tokens[start:start + length]), ()):
                        found[owner_phrase] += 1
        return found
