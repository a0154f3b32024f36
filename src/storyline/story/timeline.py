"""The timeline of one story: one entry per thing that happened, with every sentence that reports it.

Each sentence holding a time expression is a candidate. Candidates with the same normalised date
(or the same unresolved expression) whose sentences are alike (TF-IDF cosine >= 0.3) are one event,
cited by every source that reports it. Entries sort by date (unresolved last), then by when reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storyline.model import Cite, DateMention, TimelineEntry

__all__ = ["SIMILAR", "TIMELINE_VERSION", "build", "named_events"]

TIMELINE_VERSION = "timeline.v2"

# Chosen by reading same-day sentence pairs from different articles of two T17 topics (bench/timeline)
# in cosine bands: from 0.3 up nearly every pair retells one event in other words; between 0.2 and 0.3
# about half are different events of that day sharing the story's vocabulary; below 0.2 most are.
SIMILAR = 0.3

# A line that holds nothing but a time stamp ("Published: 5 Jan 2010 10:32 GMT") or a wire dateline
# ("CITY, Jan 5 (Agency) -") dates the article, not an event.
_STAMP_WORDS = re.compile(
    r"\b(?:published|updated|posted|last|modified|first|on|at|am|pm|a\.m|p\.m|gmt|utc|bst|cet|est|edt|et)\b"
    r"|\d{1,2}[:.]\d{2}|[^\w]+|\d+",
    re.IGNORECASE,
)
_DATELINE_HEAD = re.compile(
    r"(?:[A-Z][A-Z .'-]*(?:,\s*[A-Za-z .'-]+)?\s*[,|]\s*)+(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s*)?"
)
_DATELINE_TAIL = re.compile(
    r"\s*(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}\b)?)?\s*(?:[A-Z][A-Z .'-]+)?"
    r"\s*(?:\([^)]{1,40}\)\s*)?[-–—]"
)

Item = tuple[str, str, str | None, Sequence[DateMention]]

# A named occasion with no date in its sentence ("the Alaska summit", "the Minsk agreements") is
# still a point on the story's timeline: it enters as an unresolved entry under its name.
_EVENT_NOUNS = (
    "summit|summits|conference|talks|meeting|inauguration|election|elections|referendum|invasion|coup|"
    "agreement|agreements|accord|accords|treaty|deal|ceasefire|truce|visit|speech|vote|war|crisis"
)
_NAMED_EVENT = re.compile(rf"\b((?:[A-Z][\w’'.-]*\s+){{1,3}})({_EVENT_NOUNS})\b")
_NOT_NAMES = frozenset("the a an this that these those his her their its our last next new first".split())


def named_events(
    text: str, sentences: Sequence[tuple[int, int]], dates: Sequence[DateMention]
) -> list[DateMention]:
    """Unresolved time points for named occasions in sentences that carry no date of their own."""
    dated = {(d.sentence_start, d.sentence_end) for d in dates}
    out = []
    for start, end in sentences:
        if any(s <= start < e or start <= s < end for s, e in dated):
            continue
        for m in _NAMED_EVENT.finditer(text, start, end):
            words = m.group(1).split()
            while words and words[0].lower() in _NOT_NAMES:
                words = words[1:]
            if not words:
                continue
            first = m.start(1) + m.group(1).index(words[0])
            name = text[first : m.end()]
            out.append(DateMention(first, m.end(), name, None, "unresolved", start, end))
    return out


@dataclass(frozen=True)
class _Candidate:
    order: tuple[int, int]  # (item index, offset): document order, for stable ties
    article: str
    reported: str | None
    mention: DateMention
    start: int
    end: int
    text: str

    @property
    def key(self) -> tuple[str | None, str]:
        m = self.mention
        return (m.value, m.precision) if m.value else (None, m.expression.lower())


def build(items: Sequence[Item]) -> tuple[TimelineEntry, ...]:
    """Timeline entries for the articles of one story, events merged across sources."""
    candidates = _candidates(items)
    similar = _Similarity(candidates)
    groups: dict[tuple[str | None, str], list[int]] = {}
    for i in sorted(range(len(candidates)), key=lambda i: _first_reported(candidates[i])):
        groups.setdefault(candidates[i].key, []).append(i)
    entries: list[TimelineEntry] = []
    for members in groups.values():
        # Each candidate joins the event whose first sentence is most like its own (the first such
        # event), when alike enough; else it starts one.
        clusters: list[list[int]] = []
        for i in members:
            scores = similar.against(i, [c[0] for c in clusters])
            best = scores.index(max(scores)) if scores else -1  # of two as alike, the first
            if best >= 0 and scores[best] >= SIMILAR:
                clusters[best].append(i)
            else:
                clusters.append([i])
        entries.extend(_entry([candidates[i] for i in cluster]) for cluster in clusters)
    return tuple(sorted(entries, key=_entry_order))


def _candidates(items: Sequence[Item]) -> list[_Candidate]:
    """One candidate per (sentence, date) pair; stamps and datelines left out."""
    found: list[_Candidate] = []
    seen: set[tuple[str, int, tuple[str | None, str]]] = set()
    for index, (article, text, published, dates) in enumerate(items):
        for m in dates:
            if m.precision == "day" and _is_stamp(text, m):
                continue
            start, end = _strip(text, m.sentence_start, m.sentence_end)
            candidate = _Candidate((index, m.start), article, published, m, start, end, text[start:end])
            if (article, start, candidate.key) in seen or start >= end:
                continue
            seen.add((article, start, candidate.key))
            found.append(candidate)
    return found


def _is_stamp(text: str, m: DateMention) -> bool:
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    line_end = len(text) if line_end < 0 else line_end
    rest = text[line_start : m.start] + " " + text[m.end : line_end]
    if not _STAMP_WORDS.sub("", rest).strip():
        return True
    head = text[line_start : m.start]
    return (
        bool(head.strip())
        and bool(_DATELINE_HEAD.fullmatch(head))
        and bool(_DATELINE_TAIL.match(text, m.end))
    )


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    return start + lead, max(start + lead, start + len(chunk.rstrip()))


class _Similarity:
    """Cosines of the candidates' sentences (TF-IDF over this story's dated sentences)."""

    def __init__(self, candidates: list[_Candidate]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._texts = [" ".join(_without_date(c).lower().split()) for c in candidates]
        try:
            self._matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(self._texts)
        except ValueError:  # no content words at all: only identical sentences are alike
            self._matrix = None
        self._rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def against(self, i: int, others: Sequence[int]) -> list[float]:
        """The cosine of candidate `i`'s sentence with each of `others`' (1 for the same words).

        A sparse product per pair (`matrix[j].multiply(matrix[i]).sum()`) cost ~1 ms of scipy's
        overhead: 70 s of a 1,600-article story. Here each pair multiplies the weights of the words
        the two share and sums them with numpy in the order of the words' columns, as that
        product's `sum` did: the cosines are the same to the last bit (a test checks it). The rows
        are L2-normalised, so the dot product is the cosine.
        """
        if self._matrix is None:
            return [1.0 if self._texts[j] == self._texts[i] else 0.0 for j in others]
        words, weights = self._row(i)
        scores = []
        for j in others:
            if self._texts[j] == self._texts[i]:
                scores.append(1.0)
                continue
            other_words, other_weights = self._row(j)
            at = np.searchsorted(words, other_words)
            shared = at < len(words)
            shared[shared] = words[at[shared]] == other_words[shared]
            scores.append(float(np.sum(other_weights[shared] * weights[at[shared]])))
        return scores

    def _row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """The columns of candidate `i`'s words, in order, and their weights."""
        row = self._rows.get(i)
        if row is None:
            assert self._matrix is not None
            start, end = self._matrix.indptr[i], self._matrix.indptr[i + 1]
            order = np.argsort(self._matrix.indices[start:end])
            row = self._rows[i] = (
                self._matrix.indices[start:end][order],
                self._matrix.data[start:end][order],
            )
        return row


def _without_date(c: _Candidate) -> str:
    """The sentence minus its time expression: the date is matched already, and a shared "on Tuesday"
    would otherwise make two different events of that day look alike."""
    m = c.mention
    if not c.start <= m.start < m.end <= c.end:
        return c.text
    return c.text[: m.start - c.start] + " " + c.text[m.end - c.start :]


def _first_reported(c: _Candidate) -> tuple[bool, str, tuple[int, int]]:
    return (c.reported is None, c.reported or "", c.order)


def _entry(cluster: list[_Candidate]) -> TimelineEntry:
    """The earliest report speaks for the event; every report is cited."""
    head = cluster[0]
    cites = tuple(dict.fromkeys(Cite(c.article, c.start, c.end) for c in cluster))
    return TimelineEntry(
        date=head.mention.value,
        precision=head.mention.precision,
        expression=head.mention.expression,
        text=head.text,
        cite=cites[0],
        reported=head.reported,
        cites=cites,
    )


def _entry_order(e: TimelineEntry) -> tuple[bool, str, bool, str, str, int]:
    return (e.date is None, e.date or "", e.reported is None, e.reported or "", e.cite.article, e.cite.start)
