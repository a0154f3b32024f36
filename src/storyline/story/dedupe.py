"""Near-duplicate articles (syndicated copies, light rewrites): MinHash over word 5-shingles + LSH.

An article whose shingle set overlaps an earlier one's by estimated Jaccard >= 0.5 is a copy of it
(`duplicate_of` points at the earliest: first published, then first read). Copies still count as
coverage but not as independent sources.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from datasketch import MinHash, MinHashLSH

from storyline.model import Article

DEDUPE_VERSION = "dedupe.v1"
THRESHOLD = 0.5
_PERM = 128
_SHINGLE = 5


def shingles(text: str, size: int = _SHINGLE) -> set[str]:
    words = re.findall(r"\w+", text.casefold())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    mh = MinHash(num_perm=_PERM, seed=1)
    mh.update_batch([s.encode() for s in shingles(text)])
    return mh


def find_duplicates(articles: Sequence[Article], threshold: float = THRESHOLD) -> dict[str, str]:
    """Map article id -> id of the earlier article it copies (only copies appear as keys)."""
    order = sorted(range(len(articles)), key=lambda i: (articles[i].published or "9999", i))
    lsh = MinHashLSH(threshold=threshold, num_perm=_PERM)
    sigs: dict[str, MinHash] = {}
    copies: dict[str, str] = {}
    for i in order:
        art = articles[i]
        if art.id in sigs:
            continue
        sig = signature(art.text)
        matches = [m for m in lsh.query(sig) if sig.jaccard(sigs[m]) >= threshold]
        if matches:
            original = min(matches, key=lambda m: order.index(next(j for j in order if articles[j].id == m)))
            copies[art.id] = copies.get(original, original)
        else:
            lsh.insert(art.id, sig)
        sigs[art.id] = sig
    return copies
