"""Figure and date conflicts: near-identical sentences in two sources, about one named thing, that
give an amount or a day in the same role (unit, the word next to it, a content word before it)
different values. Wording alone is no evidence: the subject, the role and the value must differ in
one respect only (see `_same_subject`, `_same_role`, `_agree`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storyline.model import Annotation, Article, Cite, Conflict, ConflictSide, Entity
from storyline.story.claims import source_key
from storyline.story.conflicts import ARTICLES, WORD, conflict, is_clause, outlet

__all__ = ["find"]

_SAME_SENTENCE = 0.8  # cosine above which two sentences of different sources report one fact
# An amount: a currency sign, the number (not part of "1987/88", "M-1" or a word, no leading zero as
# in "0241 GMT"), a scale, the counted word.
_AMOUNT = re.compile(
    r"(?<![\w.,/:-])(?P<currency>[$€£¥])?(?P<value>(?!0\d)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?![\w/]|[.,]\d)"
    r"(?:\s*(?P<scale>%|per\s+cent\b|(?:pct|percent|mln|million|bln|bn|billion|trillion)\b))?(?P<word>\s+[a-z]+\b)?",
    re.I,
)
# Wire abbreviations and signs by the unit they stand for (by hand: a unit parser such as pint knows
# "dollar" but not "dlrs" or "mln").
_UNIT_NAMES = {
    **dict.fromkeys(("%", "pct", "per cent"), "percent"),
    **dict.fromkeys(("$", "dlr", "dlrs"), "dollar"),
    **dict.fromkeys(("tonnes", "tons", "ton"), "tonne"),
    **{
        "mln": "million",
        "bln": "billion",
        "bn": "billion",
        "cts": "cent",
        "€": "euro",
        "£": "pound",
        "¥": "yen",
    },
}
# A figure's role is the few words before it: the same word next to it ("on" Monday, "to" 12 mln)
# and a content word shared among these few ("resume on", "rose to") say two figures answer one
# question. Words after it were tried too: on ECB+ they paired more look-alikes than they found.
_ROLE_WORDS = 3
_ROLE_WORD = re.compile(r"\w[\w'’.,]*\w|\w")
_PLACES = {"GPE", "LOC", "FAC"}


class _Figure(NamedTuple):
    """An amount or a day in a sentence: its value, unit, wording and role (see `_role`)."""

    value: str
    unit: str
    words: str
    role: tuple[str, ...]


class _Line(NamedTuple):
    """A sentence giving figures or days, what it is about (entity id, kind), and whom its article
    names in its opening (its first sentence naming anyone) and at all."""

    cite: Cite
    text: str
    figures: tuple[_Figure, ...]
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
    sims = vectors @ vectors.T
    source = {a.id: source_key(a, dict(by_id)) for a in articles}
    out = []
    for i, a in enumerate(lines):
        for j in range(i + 1, len(lines)):
            b = lines[j]
            if sims[i, j] < _SAME_SENTENCE or source[a.cite.article] == source[b.cite.article]:
                continue
            if not _same_subject(a, b):
                continue
            pair = _differing(a, b)
            if pair is None:
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


def _names_by_article(entities: Sequence[Entity]) -> dict[str, list[tuple[int, int, str, str]]]:
    """Each article's named mentions as (start, end, entity id, kind); places are one kind however tagged."""
    out: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for ent in entities:
        kind = "place" if ent.type in _PLACES else ent.type
        for m in ent.mentions:
            out[m.article].append((m.start, m.end, ent.id, kind))
    return out


def _lines(article: Article, ann: Annotation, names: Sequence[tuple[int, int, str, str]]) -> list[_Line]:
    """The article's sentences of a clause or more that give an amount with a unit or a day.

    A sentence that names no one is taken to be about what the article's opening names: "Talks are
    due to resume on Thursday" is about the strike its lede names.
    """
    named = [
        frozenset((e, k) for s, t, e, k in names if start <= s and t <= end) for start, end in ann.sentences
    ]
    lede = next((n for n in named if n), frozenset())
    opening, everyone = frozenset(e for e, _ in lede), frozenset(e for _, _, e, _ in names)
    out = []
    for (start, end), about in zip(ann.sentences, named, strict=True):
        text = article.text[start:end]
        if not is_clause(text):
            continue
        amounts = _amounts(text)
        units = {w.lower() for f in amounts for w in f.words.split()[1:]}
        days = [
            _Figure(d.value, "day", d.expression, _role(text[: d.start - start], units))
            for d in ann.dates
            if start <= d.start < end and d.precision == "day" and d.value
        ]
        figures = (*amounts, *days)
        if figures:
            out.append(_Line(Cite(article.id, start, end), text, figures, about or lede, opening, everyone))
    return out


def _amounts(text: str) -> list[_Figure]:
    """Amounts with a unit ("12.2 mln dlrs", "$4 billion", "9%", "40 ships"); a bare number has none.

    The word after a percentage is what it is of ("9 percent wage rise"), not its unit; another
    amount's unit says nothing of this one's role ("sales rose 16 pct to 174.6 mln dlrs").
    """
    found = []
    for m in _AMOUNT.finditer(text):
        scale, word = _unit_word(m["scale"] or ""), (m["word"] or "").strip()
        counted = "" if scale == "percent" or word.lower() in ENGLISH_STOP_WORDS else _unit_word(word)
        unit = " ".join(u for u in (scale, _unit_word(m["currency"] or "") or counted) if u)
        end = m.end() if counted and not m["currency"] else m.end("scale") if m["scale"] else m.end("value")
        if unit:
            found.append((m["value"].replace(",", ""), unit, m.start(), end))
    units = {w.lower() for _, _, start, end in found for w in text[start:end].split()[1:]}
    return [
        _Figure(value, unit, " ".join(text[start:end].split()), _role(text[:start], units))
        for value, unit, start, end in found
    ]


def _unit_word(word: str) -> str:
    """A unit as one name whatever its spelling: "dlrs", "$" and "dollars" are "dollar"."""
    word = re.sub(r"\s+", " ", word.lower())
    word = _UNIT_NAMES.get(word, word)
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _role(before: str, units: set[str]) -> tuple[str, ...]:
    """The word next to a figure, then the nearest few words that are not other amounts (articles
    dropped, numbers and units as #): "on resume to" for "Talks to resume on Monday", "in killed that"
    for "that killed 230,000 people in 14 countries", "to up were" for "were up 16 pct to 174.6 mln"."""
    words = (w.lower() for w in _ROLE_WORD.findall(before))
    marked = [
        "#" if w[0].isdigit() or w in units or w in _UNIT_NAMES else w for w in words if w not in ARTICLES
    ]
    return (marked[-1], *[w for w in reversed(marked[:-1]) if w != "#"][: _ROLE_WORDS - 1]) if marked else ()


def _same_role(x: _Figure, y: _Figure) -> bool:
    """The same unit and word next to it, a content word in common among the few before it, and not
    one apiece the other lacks: "sales rose" and "orders rose" are two questions."""
    if x.unit != y.unit or not x.role or not y.role or x.role[0] != y.role[0]:
        return False
    content_x, content_y = ({w for w in f.role if w != "#" and w not in ENGLISH_STOP_WORDS} for f in (x, y))
    return bool(content_x & content_y) and not (content_x - content_y and content_y - content_x)


def _agree(x: _Figure, y: _Figure) -> bool:
    """Equal values, amounts one source rounded (1.075 and 1.08 mln, not 0.5 and 1 pct), or a day
    both word alike: sources saying "today" or "Saturday (morning)" agree, whatever day each wrote on."""
    if x.unit == "day":
        words_x, words_y = (set(WORD.findall(f.words.lower())) for f in (x, y))
        return x.value == y.value or words_x <= words_y or words_y <= words_x
    fine, coarse = sorted((Decimal(x.value), Decimal(y.value)), key=lambda d: int(d.as_tuple().exponent))
    if len(coarse.as_tuple().digits) < 2:
        return coarse == fine
    return fine.quantize(coarse, rounding=ROUND_HALF_UP) == coarse


def _same_subject(a: _Line, b: _Line) -> bool:
    """Both sentences name one thing (a sentence naming none stands for its article's opening), no
    kind of name both give differs wholly (two companies, two countries), and their articles do not
    each open on names, besides that thing, that the other never gives.

    Near-identical wording alone is no evidence: on 300 Reuters stories most figure conflicts so found
    paired two companies' "Qtly div ... vs ... prior" lines, or U.S. and New Zealand "M-1" (each article
    opening on a country the other never names).
    """
    shared = a.about & b.about
    if not shared:
        return False
    ids = {e for e, _ in shared}
    if all((x.opening - ids) and not (x.opening - ids) & y.article_names for x, y in ((a, b), (b, a))):
        return False
    for kind in {k for _, k in a.about | b.about}:
        ids_a, ids_b = ({e for e, k in line.about if k == kind} for line in (a, b))
        if ids_a and ids_b and not ids_a & ids_b:
            return False
    return True


def _differing(a: _Line, b: _Line) -> tuple[_Figure, _Figure] | None:
    """The first amount, else day, in one role whose values the two sentences give differently.

    Sentences that differ on both are of two occasions ("averaged 6.02 pct on Friday", "averaged
    6.18 pct on Thursday"), as are amounts of sentences naming different days.
    """
    pairs = [(x, y) for x in a.figures for y in b.figures if _same_role(x, y) and not _agree(x, y)]
    amounts = [(x, y) for x, y in pairs if x.unit != "day"]
    days_a, days_b = ({f.value for f in line.figures if f.unit == "day"} for line in (a, b))
    if amounts:
        return None if days_a and days_b and not days_a & days_b else amounts[0]
    return pairs[0] if pairs else None
