"""Chapters: a story past a size is cut, in order of publication, into consecutive stories.

Clustering has no size limit, and on a news archive a running topic (a war, a season of one
league, a wire service's daily market report) can gather tens of thousands of articles. The
per-story stages (summary, stances, claims, conflicts, timeline) read all of a story's articles
at once, and their working memory grows faster than the story (`benchmarks/story_size.py`: 86 MB
of Python memory at 2,000 articles, 230 MB at 4,000), so one topic of tens of thousands of articles
would need more than the whole run's memory budget, and its briefing would be unreadable anyway.
Cutting such a story by time keeps each part an account of a stretch of the topic and bounds what
one story holds, whatever the corpus.

A copy (a syndicated article) stays with its original, so a claim's independent sources are counted
within one chapter as within the whole story. Stories at or under the size are left as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["CHAPTERS_VERSION", "MOST_ARTICLES", "chapters", "chapters_of"]

CHAPTERS_VERSION = "chapters.v1"
# A story of 2,000 articles is worked out in 86 MB of Python memory at its peak and ~2 CPU minutes
# (4,000 at once took 230 MB); the largest Reuters story among 18,775 articles has 113, the largest
# ECB+ topic 21, so no story of the bench data is cut.
MOST_ARTICLES = 2_000


def chapters(
    labels: Sequence[int],
    published: Sequence[str | None],
    most: int = MOST_ARTICLES,
    original_of: Mapping[int, int] | None = None,
) -> list[int]:
    """Story labels where no story holds more than `most` articles, numbered by first appearance.

    A story of n > `most` articles becomes ceil(n / most) chapters of near-equal size: its articles
    in order of `published` (ISO dates or datetimes; undated ones last, then input order), cut
    between groups of an original and its copies (`original_of`: position of a copy -> position of
    its original). A group is cut only when it alone holds more than `most` articles.
    """
    if most < 1:
        raise ValueError(f"a story must be allowed at least one article, not {most}")
    if len(published) != len(labels):
        raise ValueError(f"{len(labels)} labels but {len(published)} publication dates")
    members: dict[int, list[int]] = {}
    for n, label in enumerate(labels):
        members.setdefault(label, []).append(n)
    cut = list(labels)
    fresh = max(labels, default=-1) + 1
    for positions in members.values():
        if len(positions) <= most:
            continue
        for part in _parts(positions, published, most, original_of or {})[1:]:
            for n in part:
                cut[n] = fresh
            fresh += 1
    first: dict[int, int] = {}
    return [first.setdefault(label, len(first)) for label in cut]


def chapters_of(
    ids: Sequence[str],
    labels: Sequence[int],
    published: Sequence[str | None],
    duplicates: Mapping[str, str],
    most: int = MOST_ARTICLES,
) -> list[int]:
    """`chapters` of the articles `ids`, their copies given by id (`dedupe.find_duplicates`: copy ->
    original); a copy or original not among `ids` is left out."""
    named = {*duplicates, *duplicates.values()}
    position = {article: n for n, article in enumerate(ids) if article in named}
    original_of = {
        position[copy]: position[original]
        for copy, original in duplicates.items()
        if copy in position and original in position
    }
    return chapters(labels, published, most, original_of)


def _parts(
    positions: Sequence[int], published: Sequence[str | None], most: int, original_of: Mapping[int, int]
) -> list[list[int]]:
    """The chapters of one story's `positions`, earliest first."""
    inside = set(positions)
    groups: dict[int, list[int]] = {}
    for n in positions:
        head = original_of.get(n, n)
        groups.setdefault(head if head in inside else n, []).append(n)

    def when(head: int) -> tuple[bool, str, int]:
        day = published[head]
        return day is None, day or "", head

    # Each chapter aims at an equal share of what is left; a group that does not fit starts the next.
    left, count = len(positions), -(-len(positions) // most)
    size = -(-left // count)
    parts: list[list[int]] = [[]]
    for head in sorted(groups, key=when):
        group = groups[head]
        for start in range(0, len(group), most):
            piece = group[start : start + most]
            if parts[-1] and len(parts[-1]) + len(piece) > size:
                left, count = left - len(parts[-1]), max(count - 1, 1)
                size = min(most, -(-left // count))
                parts.append([])
            parts[-1].extend(piece)
    return parts
