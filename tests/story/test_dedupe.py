from __future__ import annotations

import numpy as np

from storyline.model import Article
from storyline.story.dedupe import find_duplicates

WIRE = (
    "The harbour board voted on Tuesday to reopen the northern quay after six weeks of repairs, "
    "ending a closure that had diverted ferries to the southern terminal. Board chair Lena Ortiz said "
    "the repairs cost less than expected and that traffic would return to normal within days. "
    "Ferry operators welcomed the decision but warned that timetables would take a week to settle."
)


def test_syndicated_copy_points_at_the_earlier_original() -> None:
    original = Article(id="a", source="a.txt", text=WIRE, published="2031-03-04")
    copy = Article(
        id="b",
        source="b.txt",
        text="Ferries are coming back north. " + WIRE + " Share this article",
        published="2031-03-05",
    )
    other = Article(
        id="c",
        source="c.txt",
        text="A different story about a football match that ended in a draw "
        "after a late penalty was saved by the visiting goalkeeper in heavy rain.",
    )
    assert find_duplicates([copy, other, original]) == {"b": "a"}


def test_unrelated_articles_are_not_duplicates() -> None:
    a = Article(id="a", source="a", text="one two three four five six seven eight nine ten")
    b = Article(id="b", source="b", text="eleven twelve thirteen fourteen fifteen sixteen seventeen")
    assert find_duplicates([a, b]) == {}


def test_same_day_copy_with_added_lines_is_the_copy_whatever_the_input_order() -> None:
    original = Article(id="wire", source="w.txt", text=WIRE, published="2031-03-04")
    copy = Article(
        id="copy",
        source="c.txt",
        text="Ferries are coming back north, officials said today. "
        + WIRE
        + " Share this article. Follow us for more news from the harbour.",
        published="2031-03-04",
    )
    assert find_duplicates([copy, original]) == {"copy": "wire"}
    assert find_duplicates([original, copy]) == {"copy": "wire"}


def test_a_copy_that_credits_the_wire_agency_makes_the_wire_the_original() -> None:
    from storyline.model import Removed

    wire = Article(
        id="wire",
        source="w.txt",
        text=WIRE + " More wire text follows here.",
        published="2031-03-04",
        site="HPA",
    )
    copy = Article(
        id="copy",
        source="c.txt",
        text=WIRE,
        published="2031-03-04",
        author="Harbour Press Agency",
        removed=(Removed("By Harbour Press Agency", "byline", 2),),
    )
    assert find_duplicates([copy, wire]) == {"copy": "wire"}


def test_groups_are_those_of_datasketch_lsh_on_the_same_signatures() -> None:
    import random

    from datasketch import MinHashLSH

    from storyline.story import dedupe

    rng = random.Random(3)
    words = [f"w{i}" for i in range(400)]
    texts = []
    for _ in range(40):  # 40 base texts, each with 0-3 edited copies (some past the threshold)
        base = rng.choices(words, k=60)
        texts.append(" ".join(base))
        for _ in range(rng.randrange(4)):
            edited = [w if rng.random() > rng.choice([0.02, 0.1, 0.3]) else rng.choice(words) for w in base]
            texts.append(" ".join(edited))
    ids = [f"a{i}" for i in range(len(texts))]
    signatures = [dedupe.signature(t) for t in texts]
    lsh = MinHashLSH(threshold=dedupe.THRESHOLD, num_perm=128)
    for key, sig in zip(ids, signatures, strict=True):
        lsh.insert(key, sig)
    parent = {k: k for k in ids}

    def root(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    for key, sig in zip(ids, signatures, strict=True):
        for other in lsh.query(sig):
            if other != key and sig.jaccard(signatures[ids.index(other)]) >= dedupe.THRESHOLD:
                parent[root(other)] = root(key)
    expected: dict[str, list[str]] = {}
    for key in ids:
        expected.setdefault(root(key), []).append(key)
    hashes = np.stack([s.hashvalues for s in signatures])
    got = _groups_of(ids, hashes)
    assert got == [g for g in expected.values() if len(g) > 1]
    assert got and any(len(g) == 1 for g in expected.values())


def _groups_of(ids: list[str], hashes: np.ndarray, batch: int = 7) -> list[list[str]]:
    """`dedupe._groups` on signatures written to their files `batch` rows at a time."""
    from storyline.story import dedupe
    from storyline.story.spill import SpillFolder

    bands = dedupe._bands(dedupe.THRESHOLD)
    with SpillFolder() as folder, dedupe._Signatures(folder, len(hashes) + 3, bands) as stored:
        for start in range(0, len(hashes), batch):
            stored.add(hashes[start : start + batch])
        return dedupe._groups(ids, stored, dedupe.THRESHOLD)
