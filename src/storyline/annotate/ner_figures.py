"""Names that are figures: the small NER model reads the capitalised words of wire copy's amounts,
tables of results, months and tickers as names ("7.15 billion N.Z. Dlrs" a PERSON, "Aug/Sept" an
ORG). Method: closed classes of units, table labels and months, read at a name's edges.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["PROPER_LABELS", "figures", "in_capitals"]

# Labels that are names of people, bodies and places (not of products, events, laws).
PROPER_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
_INITIAL = re.compile(r"[A-Z]\.(?:[A-Z]\.)*")
# The words an amount ends in, as wire copy writes them ("7.15 billion N.Z. Dlrs", "12 mln stg"),
# and the label of the amount. The small model reads the capitalised ones as names ("U.S. Dlrs" as
# a PERSON), but a name never ends in one, except the few in `_NAME_TOO` ("Ayn Rand", "Marks"):
# those count only after a number. Units are a closed class, so a closed list is the usual way.
_AMOUNT_WORDS = {
    **dict.fromkeys(
        """dlr dlrs dollar dollars stg sterling cts cents yen yuan mark marks franc francs lira lire
        guilder guilders peso pesos rupee rupees ringgit baht rand pound pounds crowns kronor kroner
        schillings pesetas riyals dinars rupiah""".split(),
        "MONEY",
    ),
    **dict.fromkeys("pct percent".split(), "PERCENT"),
    **dict.fromkeys(
        "tonnes tonne tons barrels bpd bushels ounces oz lbs kilos gallons acres hectares".split(), "QUANTITY"
    ),
    **dict.fromkeys("mln bln million billion".split(), "CARDINAL"),
}
_NAME_TOO = frozenset("dollar sterling yen mark marks rand pound pounds crowns".split())
_SCALE_WORDS = frozenset("mln bln thousand million billion trillion".split())
# Labels of figures in wire tables of results ("Avg shrs 51.7 mln", "Revs 337.3 mln", "Shr 4.10
# dlrs", "Oper net 13.5 mln"), which the model reads as names when they open a line.
_FIGURE_WORDS = frozenset("avg shr shrs revs qtr mths oper".split())
# Months: abbreviated, they end no name; in full, some do ("Bob May", "Fredric March"), so those
# are read as months only as a name of one word ("May 20.0").
_MONTH_ABBREVIATIONS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
_MONTHS = _MONTH_ABBREVIATIONS | set(
    "january february march april may june july august september october november december".split()
)
# What joins the months of a range of delivery months ("Aug/Sept", "March-May").
_RANGE_MARKS = frozenset({"/", "-", "–"})


def figures(doc: Doc, spans: list[Span], words: list[str], capitals: str = "") -> list[Span]:
    """`spans` with the names that are figures read as such: a name ending in a currency or unit
    ("7.15 billion N.Z. Dlrs") becomes that amount, from its number on; a month before a number
    ("Mar 6.8"), with its day ("Feb 9") or a range of months ("Aug/Sept") a date; a table's label
    ("Avg", "Revs") and a currency with no amount are no names. A PERSON in capitals where the
    document writes in lower case (a ticker, "CKGH.HK") takes the label `capitals` ("" drops it).
    An amount takes only number tokens that no span holds, so sorted spans stay sorted.

    `words` are the doc's words in the casing to read them in (`ner_fixes.truecased_words`)."""
    taken = {i for s in spans for i in range(s.start, s.end)}
    found = []
    for span in spans:
        figure = _figure(doc, span, words, taken) if span.label_ in PROPER_LABELS else span
        if figure is not None and figure.label_ == "PERSON" and in_capitals(words[span.start : span.end]):
            figure = Span(doc, span.start, span.end, label=capitals) if capitals else None
        if figure is not None:
            found.append(figure)
            taken.update(range(figure.start, span.start))
    return found


def _figure(doc: Doc, span: Span, words: list[str], taken: set[int]) -> Span | None:
    """The span read again as a figure, itself when it is a name, None when it is neither."""
    first, last = (words[i].lower().rstrip(".") for i in (span.start, span.end - 1))
    if last in _FIGURE_WORDS:
        return None
    months_from = _month_range_start(words, span)
    if months_from is not None:
        return Span(doc, months_from, span.end, label="DATE")  # "Aug/Sept", "Cocoa Aug/Sept"
    if first in _MONTHS and len(span) > 1 and all(t.like_num for t in span[1:]):
        return Span(doc, span.start, span.end, label="DATE")  # "Feb 9"
    months = _MONTHS if len(span) == 1 else _MONTH_ABBREVIATIONS
    after = doc[span.end] if span.end < len(doc) else None
    if last in months and after is not None and (after.like_num or after.lower_ == "nil"):  # zero: "nil"
        return Span(doc, span.end - 1, span.end, label="DATE")  # "Mar 6.8"
    label = _AMOUNT_WORDS.get(last)
    if label is None:
        return span
    start = _number_before(doc, span.start, taken)
    if start is None:
        return span if last in _NAME_TOO else None
    return Span(doc, start, span.end, label=label)


def _month_range_start(words: list[str], span: Span) -> int | None:
    """Where the range of months that ends the span starts, None when it ends in none."""
    return next((i for i in range(span.start, span.end) if _month_range(words[i : span.end])), None)


def _month_range(words: list[str]) -> bool:
    """Whether the words are months joined by slashes or dashes ("Aug/Sept", "Jan-March"), in one
    token or three: no name is made of two months."""
    parts = [p for w in words for p in re.split(r"([/\-–])", w) if p]
    months = parts[0::2]
    return (
        len(months) >= 2
        and all(p in _RANGE_MARKS for p in parts[1::2])
        and all(m.lower().rstrip(".") in _MONTHS for m in months)
    )


def in_capitals(words: list[str]) -> bool:
    """Whether a name's words (truecased) are all in capitals, initials aside: people's names in a
    text in lower case are not ("CKGH.HK" is a ticker, "SWAZILAND" a table's row)."""
    long = [w for w in words if sum(c.isalpha() for c in w) >= 2 and not _INITIAL.fullmatch(w)]
    return bool(long) and all(w.isupper() for w in long)


def _number_before(doc: Doc, i: int, taken: set[int]) -> int | None:
    """Where the number right before token `i` starts ("7.15 billion"), None when there is none."""
    i -= 1
    while i >= 0 and i not in taken and (doc[i].is_space or doc[i].lower_ in _SCALE_WORDS):
        i -= 1
    if i < 0 or i in taken or not doc[i].like_num:
        return None
    return i
