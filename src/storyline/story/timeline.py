"""The timeline of one story: one entry per thing that happened, with every sentence that reports it.

Each sentence holding a time expression is a candidate. Candidates with the same normalised date
(or the same unresolved expression) whose sentences are alike (TF-IDF cosine >= 0.3) are one event,
cited by every source that reports it. Entries sort by date (unresolved last), then by when reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
    similar = _similarity(candidates)
    groups: dict[tuple[str | None, str], list[int]] = {}
    for i in sorted(range(len(candidates)), key=lambda i: _first_reported(candidates[i])):
        groups.setdefault(candidates[i].key, []).append(i)
    entries: list[TimelineEntry] = []
    for members in groups.values():
        clusters: list[list[int]] = []
        for i in members:
            home = max(clusters, key=lambda c: similar(c[0], i), default=None)
            if home is not None and similar(home[0], i) >= SIMILAR:
                home.append(i)
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


def _similarity(candidates: list[_Candidate]) -> Callable[[int, int], float]:
    """cosine(i, j) of the candidates' sentences (TF-IDF over this story's dated sentences)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [" ".join(_without_date(c).lower().split()) for c in candidates]
    try:
        matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    except ValueError:  # no content words at all: only identical sentences are alike
        return lambda i, j: 1.0 if texts[i] == texts[j] else 0.0

    def cosine(i: int, j: int) -> float:
        if texts[i] == texts[j]:
            return 1.0
        return float(matrix[i].multiply(matrix[j]).sum())  # rows are L2-normalised

    return cosine


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
