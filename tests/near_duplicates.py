"""Near-duplicate messages, for the leak checks: a held-out message that is
the same as a training example up to case, punctuation, emoji, æ/ae
spelling, a typo or a word or two is a leak, not only an exact copy.

Two messages are near-duplicates when the Jaccard similarity of their
character 4-gram sets (of the normalised text, words padded with spaces)
is at least THRESHOLD. An inverted index over the 4-grams keeps the
comparison to candidate pairs, so thousands of examples take a second.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

THRESHOLD = 0.75
_ASCII_SPELLING = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def normalise(text: str) -> str:
    """Case, punctuation, emoji and æ/ae spellings do not make two messages different."""
    return re.sub(r"[^\w@]+", " ", text.lower().translate(_ASCII_SPELLING)).strip()


def shingles(text: str, size: int = 4) -> frozenset[str]:
    padded = f" {normalise(text)} "
    if len(padded) <= size:
        return frozenset({padded})
    return frozenset(padded[i : i + size] for i in range(len(padded) - size + 1))


def similarity(a: str, b: str) -> float:
    first, second = shingles(a), shingles(b)
    return len(first & second) / len(first | second)


class NearDuplicateIndex:
    def __init__(self, texts: Iterable[str]) -> None:
        self._texts = list(texts)
        self._shingles = [shingles(text) for text in self._texts]
        self._index: dict[str, list[int]] = defaultdict(list)
        for position, grams in enumerate(self._shingles):
            for gram in grams:
                self._index[gram].append(position)

    def closest(self, text: str) -> tuple[float, str | None]:
        """The most similar indexed text and its similarity (0 and None if none shares a 4-gram)."""
        grams = shingles(text)
        shared: dict[int, int] = defaultdict(int)
        for gram in grams:
            for position in self._index.get(gram, ()):
                shared[position] += 1
        best, best_text = 0.0, None
        for position, count in shared.items():
            score = count / (len(grams) + len(self._shingles[position]) - count)
            if score > best:
                best, best_text = score, self._texts[position]
        return best, best_text

    def leaks(self, held_out: Iterable[str], threshold: float = THRESHOLD) -> list[tuple[str, str, float]]:
        """(held-out message, its training near-duplicate, similarity) for every leak."""
        found = []
        for text in held_out:
            score, match = self.closest(text)
            if match is not None and score >= threshold:
                found.append((text, match, round(score, 2)))
        return found
