"""Figure and date conflicts: near-identical sentences in two sources, about one named thing, that
give an amount or a day in the same role (unit, and the words before or after it) different values
beyond rounding and hedging. Wording alone is no evidence: the subject, the role and the value must
differ in one respect only (see `_same_subject`, `same_role`, `agree`, `_differing`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

import numpy as np

from storyline.model import Annotation, Article, Cite, Conflict, ConflictSide, Entity
from storyline.story.claims import source_key
from storyline.story.conflicts import conflict, is_clause, outlet
from storyline.story.figures import ROLE_WORD, Figure, agree, amounts, figure, numbers_in, same_role

__all__ = ["find"]

_SAME_SENTENCE = 0.8  # cosine above which two sentences of different sources report one fact
_ROWS = 256  # lines compared with the rest at a time: 1 KB per line of the story
_PLACES = {"GPE", "LOC", "FAC"}
_PLACE = "place"
_CITING = re.compile(r"\baccording to(?: the)?\s*$", re.I)


class _Line(NamedTuple):
    """A sentence giving figures or days, what it is about (entity id, kind), and whom its article
    names in its opening (its first sentence naming anyone) and at all."""

    cite: Cite
    text: str
    figures: tuple[Figure, ...]
    about: frozenset[tuple[str, str]]
    opening: frozenset[str]
    article_names: frozenset[str]


def find(
    story: str,
    articles: Sequence[Article],
    annotations: Mapping[str, Annotation],
    by_id: Mapping[str, Article],
    entities: Sequence[Entity],
    encode: object | None,
) -> list[Conflict]:
    """Near-identical sentences in two sources, about one thing, giving one figure or day two values."""
    names = _names_by_article(entities)
    lines = [
        line
        for article in articles
        if article.id in annotations and article.duplicate_of is None
        for line in _lines(article, annotations[article.id], names.get(article.id, ()))
    ]
    if len(lines) < 2:
        return []
    if encode is None:
        from storyline.annotate.embed import load_embedder

        encode = load_embedder().encode
    vectors = np.asarray(encode([line.text for line in lines]))  # type: ignore[operator]
    whole = dict(by_id)
    source = {a.id: source_key(a, whole) for a in articles}
    out = []
    for i, j in _close_pairs(vectors, _SAME_SENTENCE):
        a, b = lines[i], lines[j]
        if source[a.cite.article] == source[b.cite.article]:
            continue
        if not _same_subject(a, b):
            continue
        pair = _differing(a, b)
        if pair is None or _overtaken(pair, (by_id[a.cite.article], by_id[b.cite.article])):
            continue
        (x, oa), (y, ob) = zip(pair, (outlet(by_id[line.cite.article]) for line in (a, b)), strict=True)
        sides = (ConflictSide("claim", "", (a.cite,)), ConflictSide("claim", "", (b.cite,)))
        if x.unit == "day":
            said = f"{oa} {x.value} (“{x.words}”), {ob} {y.value} (“{y.words}”)"
            summary = f"Sources give different dates: {said}."
            out.append(conflict(story, "date", summary, sides))
        else:
            summary = f"Sources give different figures: {oa} says {x.words}, {ob} says {y.words}."
            out.append(conflict(story, "number", summary, sides))
    return out


def _close_pairs(vectors: np.ndarray, threshold: float, rows: int = _ROWS) -> Iterator[tuple[int, int]]:
    """The pairs (i, j), i < j, of unit vectors whose cosine reaches `threshold`, by i then j.

    A block of rows meets the later columns at a time: the whole matrix of a story's lines is n²
    floats (4,000 lines, 64 MB; a story grows with the store), and few pairs in it reach the
    threshold."""
    n = len(vectors)
    for start in range(0, n, rows):
        stop = min(n, start + rows)
        block = vectors[start:stop] @ vectors[start:].T
        i, j = np.nonzero(block >= threshold)
        i, j = i + start, j + start
        later = j > i
        yield from zip(i[later].tolist(), j[later].tolist(), strict=True)


def _overtaken(pair: tuple[Figure, Figure], articles: tuple[Article, Article]) -> bool:
    """Two days for a plan, one of which had passed when the other source wrote: the later report
    tells what came next ("talks are due to resume on Thursday", then, two days after that Thursday,
    "talks to resume on Monday"), not another day for one event. A day a source gives for what had
    already happened when it wrote (a quake "on Monday") stays comparable."""
    if pair[0].unit != "day":
        return False
    first, second = articles
    for day, own, other in ((pair[0], first, second), (pair[1], second, first)):
        written, read = (own.published or "")[:10], (other.published or "")[:10]
        if written and read and written < day.value[:10] < read:
            return True
    return False


def _names_by_article(entities: Sequence[Entity]) -> dict[str, list[tuple[int, int, str, str]]]:
    """Each article's named mentions as (start, end, entity id, kind); places are one kind however tagged."""
    out: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for ent in entities:
        kind = _PLACE if ent.type in _PLACES else ent.type
        for m in ent.mentions:
            out[m.article].append((m.start, m.end, ent.id, kind))
    return out


def _lines(article: Article, ann: Annotation, names: Sequence[tuple[int, int, str, str]]) -> list[_Line]:
    """The article's sentences of a clause or more that give an amount with a unit or a day.

    A sentence that names no one is taken to be about what the article's opening names: "Talks are
    due to resume on Thursday" is about the strike its lede names. Whom it cites ("according to the
    U.S. Geological Survey") is not what it is about.
    """
    named = [
        frozenset((e, k) for s, t, e, k in names if start <= s and t <= end) for start, end in ann.sentences
    ]
    lede = next((n for n in named if n), frozenset())
    cited = {(e, k) for s, _, e, k in names if _CITING.search(article.text[max(0, s - 20) : s])}
    opening, everyone = frozenset(e for e, _ in lede), frozenset(e for _, _, e, _ in names)
    out = []
    for (start, end), about in zip(ann.sentences, named, strict=True):
        text = article.text[start:end]
        if not is_clause(text):
            continue
        given = amounts(text)
        units = {w.lower() for f in given for w in f.words.split()[1:]}
        days = [
            figure(d.value, "day", d.expression, text[: d.start - start], text[d.end - start :], units)
            for d in ann.dates
            if start <= d.start < end and d.precision == "day" and d.value
        ]
        figures = (*given, *days)
        if figures:
            about = about - cited or about  # whom it cites, unless it names no one else
            out.append(_Line(Cite(article.id, start, end), text, figures, about or lede, opening, everyone))
    return out


def _same_subject(a: _Line, b: _Line) -> bool:
    """Both sentences name one thing (a sentence naming none stands for its article's opening), no
    kind of name both give differs wholly (two companies, two countries), and their articles do not
    each open on names, besides that thing, that the other never gives.

    Near-identical wording alone is no evidence: on 300 Reuters stories most figure conflicts so found
    paired two companies' "Qtly div ... vs ... prior" lines, or U.S. and New Zealand "M-1" (each article
    opening on a country the other never names). Names each sentence gives that the other's article
    gives too are one thing told at two levels ("Aceh" and "Indonesia"), or with a source or detail
    one sentence adds (an agency it cites): they neither differ nor, places apart, make one thing.
    """
    shared = a.about & b.about or _told_apart(a, b, _PLACE)
    if not shared:
        return False
    ids = {e for e, _ in shared}
    if all((x.opening - ids) and not (x.opening - ids) & y.article_names for x, y in ((a, b), (b, a))):
        return False
    for kind in {k for _, k in a.about | b.about}:
        if not _told_apart(a, b, kind) and not {e for e, k in a.about & b.about if k == kind}:
            ids_a, ids_b = ({e for e, k in line.about if k == kind} for line in (a, b))
            if ids_a and ids_b:
                return False
    return True


def _told_apart(a: _Line, b: _Line, kind: str) -> frozenset[tuple[str, str]]:
    """The names of `kind` of each sentence when each names one the other's article gives too."""
    of_a, of_b = (frozenset((e, k) for e, k in line.about if k == kind) for line in (a, b))
    if {e for e, _ in of_a} & b.article_names and {e for e, _ in of_b} & a.article_names:
        return of_a | of_b
    return frozenset()


def _values_by_unit(line: _Line) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for f in line.figures:
        if f.unit != "day":
            out[f.unit].add(f.value)
    return out


def _given(line: _Line) -> set[str]:
    """Every number a sentence gives in digits, with or without a unit, and its figures and days."""
    return {*numbers_in(line.text), *(f.value for f in line.figures)}


def _differing(a: _Line, b: _Line) -> tuple[Figure, Figure] | None:
    """The first amount, else day, in one role whose values the two sentences give differently.

    Sentences that differ on both are of two occasions ("averaged 6.02 pct on Friday", "averaged
    6.18 pct on Thursday"), as are amounts of sentences naming different days, and sentences each
    giving several amounts in one unit, none the other's (a day's "four mln stg in band one and 33
    mln in band two", another's "two mln ... and 22 mln"): on Reuters, two days' reports of a market.
    A value both sentences give ("the 36-year-old champion ... the 40-year-old American") is no dispute.
    """
    words_a, words_b = ({w.lower() for w in ROLE_WORD.findall(line.text)} for line in (a, b))
    given_a, given_b = (_given(line) for line in (a, b))
    values_a, values_b = (_values_by_unit(line) for line in (a, b))
    tables = {
        u
        for u, vs in values_a.items()
        if len(vs) > 1 and len(values_b.get(u, ())) > 1 and not vs & values_b[u]
    }

    def disputed(x: Figure, y: Figure) -> bool:
        return x.unit == y.unit and not agree(x, y) and x.value not in given_b and y.value not in given_a

    pairs = [
        (x, y)
        for x in a.figures
        for y in b.figures
        if disputed(x, y) and same_role(x, y, words_a, words_b) and x.unit not in tables
    ]
    sums = [(x, y) for x, y in pairs if x.unit != "day"]
    days_a, days_b = ({f.value for f in line.figures if f.unit == "day"} for line in (a, b))
    if sums:
        return None if days_a and days_b and not days_a & days_b else sums[0]
    if any(disputed(x, y) for x in a.figures for y in b.figures if x.unit != "day"):
        return None
    return pairs[0] if pairs else None
