"""Figures in a sentence: amounts with their unit ("12.2 mln dlrs", "$4 billion", "40 ships"), the
role the words around them give them, the bound a hedge puts on them, and when two of them agree
(rounding, hedging) or answer one question (`same_role`). What `figure_conflicts` compares.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storyline.story.conflicts import ARTICLES, WORD

__all__ = ["ROLE_WORD", "Figure", "agree", "amounts", "figure", "numbers_in", "same_role"]

_NUMBER_WORDS = {
    w: str(n) for n, w in enumerate("one two three four five six seven eight nine ten".split(), 1)
}
# An amount: a currency sign, the number (not part of "1987/88", "M-1" or a word, no leading zero as
# in "0241 GMT"; or a number word), a scale, the counted word ("40 ships", "6.1-magnitude").
_AMOUNT = re.compile(
    r"(?<![\w.,/:-])(?P<currency>[$€£¥])?(?P<value>(?!0\d)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w/]|[.,]\d)"
    rf"|\b(?:{'|'.join(_NUMBER_WORDS)})\b(?!-))"
    r"(?:\s*(?P<scale>%|per\s+cent\b|(?:pct|percent|mln|million|bln|bn|billion|trillion)\b))?(?P<word>(?:\s+|-)[a-z]+\b)?",
    re.I,
)
# A number a detokeniser split ("6. 1-magnitude", "230, 000 people"): within one sentence a digit, a
# point or comma and a space, then digits (three after a comma) is one number, not two.
_SPLIT_NUMBER = re.compile(r"(?<=\d)(?:(\.) (?=\d)|(,) (?=\d{3}(?!\d)))")
# Words that bound or hedge a figure rather than place it ("at least 43 people", "some 30 people"):
# not part of its role; a bound agrees with any value on its side ("more than 40" and 43), a round
# figure hedged with any value that rounds to it ("around 500" and 450).
_HEDGE = re.compile(
    r"(?:\b(?P<min>at least|more than|over|in excess of|upwards of)"
    r"|\b(?P<max>up to|less than|fewer than|under|nearly|almost)"
    r"|\b(?:about|around|some|roughly|approximately|an estimated|just))\W*$",
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
# question. The words after it place it as well ("20 miles north of Santa Rosa", "a 6.1-magnitude
# quake struck"): alone they paired look-alikes on ECB+ ("in the first half"), so they count only
# where neither role has a content word the other sentence lacks ("sales rose", "orders rose").
_ROLE_WORDS = 3
_FUNCTION_WORDS = ENGLISH_STOP_WORDS - {*_NUMBER_WORDS, "first", "third"}  # "in band one", "band two"
ROLE_WORD = re.compile(r"\w[\w'’.,]*\w|\w")


class Figure(NamedTuple):
    """An amount or a day in a sentence: its value, unit, wording, role and the words after it (see
    `_role`), and the bound put on it ("min" for "at least", "max" for "up to", else "")."""

    value: str
    unit: str
    words: str
    role: tuple[str, ...]
    after: tuple[str, ...] = ()
    bound: str = ""
    beside: str = ""  # the word before it, hedge or not


def amounts(text: str) -> list[Figure]:
    """Amounts with a unit ("12.2 mln dlrs", "$4 billion", "9%", "40 ships"); a bare number has none.

    The word after a percentage is what it is of ("9 percent wage rise"), not its unit; another
    amount's unit says nothing of this one's role ("sales rose 16 pct to 174.6 mln dlrs").
    """
    text = _SPLIT_NUMBER.sub(lambda m: m[1] or m[2], text)
    found = []
    for m in _AMOUNT.finditer(text):
        scale, word = _unit_word(m["scale"] or ""), (m["word"] or "").strip(" -\t\n")
        counted = "" if scale == "percent" or word.lower() in ENGLISH_STOP_WORDS else _unit_word(word)
        unit = " ".join(u for u in (scale, _unit_word(m["currency"] or "") or counted) if u)
        end = m.end() if counted and not m["currency"] else m.end("scale") if m["scale"] else m.end("value")
        if unit:
            value = m["value"].replace(",", "")
            found.append((_NUMBER_WORDS.get(value.lower(), value), unit, m.start(), end))
    units = {w.lower() for _, _, start, end in found for w in text[start:end].split()[1:]}
    return [
        figure(value, unit, " ".join(text[start:end].split()), text[:start], text[end:], units)
        for value, unit, start, end in found
    ]


def figure(value: str, unit: str, words: str, before: str, after: str, units: set[str]) -> Figure:
    """A figure with its role, the words after it and the bound its hedge puts on it."""
    hedge = _HEDGE.search(before)
    bound = "" if hedge is None else "min" if hedge["min"] else "max" if hedge["max"] else "about"
    role = _role(before[: hedge.start()] if hedge else before, units)
    # The words after it up to a comma or stop, past the rest of a compound ("36-year-old champion").
    phrase = re.split(r"[,.;:()\[\]\"“”]", re.sub(r"^(?:-\w+)+", "", after), maxsplit=1)[0]
    follows = [w.lower() for w in ROLE_WORD.findall(phrase) if w.lower() not in ARTICLES][:_ROLE_WORDS]
    beside = _role(before, units)[:1]
    return Figure(value, unit, words, role, tuple(follows), bound, beside[0] if beside else "")


def _unit_word(word: str) -> str:
    """A unit as one name whatever its spelling: "dlrs", "$" and "dollars" are "dollar"."""
    word = re.sub(r"\s+", " ", word.lower())
    word = _UNIT_NAMES.get(word, word)
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _role(before: str, units: set[str]) -> tuple[str, ...]:
    """The word next to a figure, then the nearest few words that are not other amounts (articles
    dropped, numbers and units as #): "on resume to" for "Talks to resume on Monday", "in killed that"
    for "that killed 230,000 people in 14 countries", "to up were" for "were up 16 pct to 174.6 mln"."""
    words = (w.lower() for w in ROLE_WORD.findall(before))
    marked = [
        "#" if w[0].isdigit() or w in units or w in _UNIT_NAMES else w for w in words if w not in ARTICLES
    ]
    return (marked[-1], *[w for w in reversed(marked[:-1]) if w != "#"][: _ROLE_WORDS - 1]) if marked else ()


def same_role(x: Figure, y: Figure, words_x: set[str], words_y: set[str]) -> bool:
    """The same unit, and the same word next to it and a content word in common among the few before
    it, or the same word after it and a content word in common among the few after; and neither
    role has a content word the other's sentence (`words_x`, `words_y`) lacks: "sales rose" and
    "orders rose" are two questions, "centered in Geyserville, about 20 miles north of Santa Rosa"
    and "struck about 26 miles north of Santa Rosa" one."""
    if x.unit != y.unit:
        return False
    content_x, content_y = ({w for w in f.role if w != "#" and w not in ENGLISH_STOP_WORDS} for f in (x, y))
    if content_x - words_y and content_y - words_x:
        return False
    after_x, after_y = ({w for w in f.after if w not in _FUNCTION_WORDS} for f in (x, y))
    if after_x - after_y and after_y - after_x:
        return False  # "assistance in the morning session", "assistance in the afternoon session"
    after = bool(x.after and y.after and x.after[0] == y.after[0] and after_x & after_y)
    if x.after and y.after and not after and (after_x or after_y or x.after[0] != y.after[0]):
        return False  # what it counts differs: "people in the province", "people across Asia"
    if after and (not x.beside or not y.beside or x.beside == y.beside):
        return True  # "The 5.9-magnitude quake struck", "about 20 miles north of Santa Rosa"
    return bool(x.role and y.role and x.role[0] == y.role[0] and content_x & content_y)


def agree(x: Figure, y: Figure) -> bool:
    """Equal values, amounts one source rounded (1.075 and 1.08 mln, not 0.5 and 1 pct), or a day
    both word alike: sources saying "today" or "Saturday (morning)" agree, whatever day each wrote on."""
    if x.unit == "day":
        words_x, words_y = (set(WORD.findall(f.words.lower())) for f in (x, y))
        return x.value == y.value or words_x <= words_y or words_y <= words_x
    low, high = sorted((x, y), key=lambda f: Decimal(f.value))
    if low.bound == "min" or high.bound == "max" or (x.bound and x.bound == y.bound != "about"):
        return True  # "more than 40" and 43, "up to 120" and 100, "more than 22,000" and "over 24,000"
    for rough, other in ((x, y), (y, x)):
        if rough.bound == "about" and _rounded(Decimal(other.value), Decimal(rough.value)):
            return True  # "around 500" and 450: a round figure given as such
    fine, coarse = sorted((Decimal(x.value), Decimal(y.value)), key=lambda d: int(d.as_tuple().exponent))
    if len(coarse.as_tuple().digits) < 2:
        return coarse == fine
    return fine.quantize(coarse, rounding=ROUND_HALF_UP) == coarse


def _rounded(value: Decimal, rough: Decimal) -> bool:
    """`value` rounds to `rough` at its significant digits (500 and 450, 20,000 and 24,000)."""
    step = Decimal(1).scaleb(rough.adjusted() - len(rough.normalize().as_tuple().digits) + 1)
    return value.quantize(step, rounding=ROUND_HALF_UP) == rough


def numbers_in(text: str) -> set[str]:
    """Every number `text` gives in digits, with or without a unit (split numbers joined)."""
    text = _SPLIT_NUMBER.sub(lambda m: m[1] or m[2], text)
    return {m["value"].replace(",", "") for m in _AMOUNT.finditer(text) if m["value"][0].isdigit()}
