"""Time expressions in one article: find them, then place them on the calendar.

Candidates are our own patterns ("in 2014", "on Friday", "earlier this month", "two years ago") plus
spaCy DATE/TIME entities where the patterns find nothing; each is classified by form and normalised
with dateparser relative to the publication date, never today's date, in the direction its clause
points (`tense`: "will meet on Monday" ahead, "met on Monday" back). Durations, ages, frequencies,
decades and anaphoric offsets ("three days later") are not dates and are skipped.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from typing import TYPE_CHECKING

from storyline.annotate.nlp import hard_wrapped
from storyline.annotate.tense import Direction, cue_direction, is_heading, weekday_direction
from storyline.model import DateMention

if TYPE_CHECKING:
    from dateparser.date import DateDataParser
    from spacy.tokens import Doc

__all__ = ["DATES_VERSION", "extract"]

DATES_VERSION = "dates.v3"  # v3: a weekday follows the tense of its clause (tense.py)

# Month and weekday names are matched case-sensitively: news capitalises them, and it keeps the
# modal "may" and the verb "march" out.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?)"
)
_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_PART = r"(?:morning|afternoon|evening|night)"
_NUMBER = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
# A plural noun after "by 2000" makes it a count ("by 2000 votes"); these common "-s" words do not.
_NOT_VERB = r"(?!(?:was|is|has|as|its|his|this|does|says|remains|marks|sees|versus)\b)"
_EDGE = r"(?:early|late|mid-?)\s*"

# Each pattern's group "x" is the expression; words around it only decide whether it is a date.
_PATTERNS = tuple(
    re.compile(p)
    for p in (
        rf"\b(?P<x>(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?)\b(?!\s*%)",
        rf"\b(?P<x>(?:{_WEEKDAY},?\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?)(?![\w-])",
        rf"\b(?P<x>(?:{_EDGE})?{_MONTH},?\s+{_YEAR})\b",
        r"\b(?P<x>\d{4}-\d{2}-\d{2})\b",
        # A month alone only after a preposition, full name and not before a capitalised word:
        # "from Jan Smith" and "in May Lee's words" are people.
        rf"\b(?i:in|since|until|till|by|from|during|before|after|through|between|of)\s+"
        rf"(?P<x>(?:{_EDGE})?{_FULL_MONTH})(?![\w.-]|\s+[A-Z][a-z])",
        rf"\b(?P<x>(?i:last|next|this)\s+{_MONTH})(?![\w.-])",
        # A bare year only after a preposition: "2000 troops" is a number, "in 2000" a year.
        rf"\b(?i:in|since|until|till|by|from|during|before|after|through|between)\s+"
        rf"(?P<x>(?:{_EDGE})?{_YEAR})\b(?![-–%,.]\d|\s*%|\s+percent\b|\s+{_NOT_VERB}[a-z]+s\b)",
        rf"\b(?P<x>(?:(?i:last|next|this)\s+)?{_WEEKDAY}(?:\s+{_PART})?)\b",
        rf"\b(?P<x>(?i:today|tonight|yesterday|tomorrow)|(?i:this|last|yesterday|tomorrow)\s+{_PART})\b",
        r"\b(?P<x>(?i:(?:(?:earlier|later|early|late)\s+)?(?:this|last|next)\s+(?:week|month|year)))\b",
        rf"\b(?P<x>(?i:{_NUMBER}\s+(?:day|week|month|year)s?\s+ago))\b",
    )
)

# Leading words that narrow a date without moving it (precision is kept as parsed).
_MODIFIER = re.compile(
    r"^(?:(?:the\s+)?(?:end|beginning|start|middle|first\s+half|second\s+half|first\s+week|last\s+week)"
    r"\s+of\s+|(?:early|late|mid|earlier|later)[\s-]*)",
    re.IGNORECASE,
)
_TRIM_HEAD = re.compile(r"(?:the|its|their|on|in)\s+", re.IGNORECASE)
_TRIM_TAIL = re.compile(r"(?:['’]s|[\s,.;:!?)(\"'“”-])+$")

_BARE_YEAR = re.compile(r"\d{4}")
_PLURAL_AFTER = re.compile(rf"\s+{_NOT_VERB}[a-z]+s\b")
_YEAR_RE = re.compile(rf"(?<![\d'’]){_YEAR}(?!\d|['’]?s\b)")
_YEAR_RANGE = re.compile(rf"^({_YEAR})\s*[-–/]\s*(?:\d\d|{_YEAR})$")
_DECADE = re.compile(r"\b(?:\d{2}|\d{4}|['’]\d{2})['’]?s\b|\bcentur(?:y|ies)\b", re.IGNORECASE)
_MONTH_RE = re.compile(rf"\b{_MONTH}")
_WEEKDAY_RE = re.compile(rf"\b({_WEEKDAY})\b")
_DEICTIC = re.compile(r"\b(?:today|tonight|yesterday|tomorrow|this\s+morning|last\s+night)\b", re.I)
_DEICTIC_WORD = re.compile(r"(?:Today|Tonight|Yesterday|Tomorrow)\b")
_RELATIVE = re.compile(
    rf"^(?:(?:this|last|next)\s+(?:week|month|year)|{_NUMBER}\s+(?:day|week|month|year)s?\s+ago)$", re.I
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Fills only the fields that an expression with an explicit year leaves out and whose precision we
# then drop; it keeps undated articles from ever being read relative to the machine's clock.
_SENTINEL = dt.date(2000, 1, 1)


def extract(doc: Doc, published: str | None) -> list[DateMention]:
    """Time expressions of `doc`, each normalised against `published` ("YYYY-MM-DD" or None)."""
    base = dt.date.fromisoformat(published) if published else None
    text = doc.text
    sentences = _sentence_bounds(doc)
    wrapped = hard_wrapped(text)
    found: list[DateMention] = []
    for start, end in _candidates(doc):
        start, end = _trim(text, start, end)
        if start >= end or "\n" in text[start:end]:  # a date never runs across a paragraph break
            continue
        s_start, s_end = _sentence_of(sentences, start, end)
        if _is_count(text, start, end) or _is_name_or_heading(text, start, s_start):
            continue
        placed = _place(text[start:end], base, _direction(doc, wrapped, (s_start, s_end), start, end))
        if placed is None:
            continue
        value, precision = placed
        found.append(DateMention(start, end, text[start:end], value, precision, s_start, s_end))
    return found


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Character bounds of the sentences, whitespace trimmed; the whole text if none are set.

    A line break also ends a sentence: in cleaned text it ends a paragraph, a heading or a time
    stamp, which spaCy often glues to the next sentence."""
    text = doc.text
    spans = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else []
    bounds = []
    for start, end in spans or [(0, len(text))]:
        for line in re.finditer(r"[^\n]+", text[start:end]):
            chunk = line.group(0)
            lead = len(chunk) - len(chunk.lstrip())
            if chunk.strip():
                bounds.append((start + line.start() + lead, start + line.start() + len(chunk.rstrip())))
    return bounds or [(0, 0)]


def _sentence_of(sentences: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The sentence holding `start:end`; both sentences' extent when a span straddles a boundary."""
    starts = [s for s, _ in sentences]
    first = sentences[max(bisect.bisect_right(starts, start) - 1, 0)]
    last = sentences[max(bisect.bisect_right(starts, end - 1) - 1, 0)]
    return min(first[0], start), max(last[1], end)


def _candidates(doc: Doc) -> list[tuple[int, int]]:
    """Non-overlapping spans: pattern matches first (longest wins), then spaCy's where none hit."""
    spans = [m.span("x") for p in _PATTERNS for m in p.finditer(doc.text)]
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not chosen or start >= chosen[-1][1]:
            chosen.append((start, end))
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if not any(ent.start_char < e and s < ent.end_char for s, e in chosen):
            chosen.append((ent.start_char, ent.end_char))
    return sorted(chosen)


def _is_count(text: str, start: int, end: int) -> bool:
    """A bare "year" before a plural noun is a count ("by 2000 votes"), unless a determiner makes it a
    modifier ("the 2014 elections"); spaCy tags both as DATE."""
    if not _BARE_YEAR.fullmatch(text, start, end):
        return False
    if re.search(r"\b(?:the|a|its|their|his|her|our|this|that)\s+$", text[max(0, start - 8) : start], re.I):
        return False
    return bool(_PLURAL_AFTER.match(text, end))


def _is_name_or_heading(text: str, start: int, sentence_start: int) -> bool:
    """A capitalised "Today" inside a sentence is a title ("USA Today") or a heading word
    ("... and Its Relevance Today"), not the day of publication."""
    return start > sentence_start and text[start].isupper() and bool(_DEICTIC_WORD.match(text, start))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading "the"/"its"/"on" and trailing possessives and punctuation from a span."""
    while True:
        head = _TRIM_HEAD.match(text, start, end)
        if not head:
            break
        start = head.end()
    tail = _TRIM_TAIL.search(text[start:end])
    if tail:
        end = start + tail.start()
    return start, end


def _direction(doc: Doc, wrapped: bool, sentence: tuple[int, int], start: int, end: int) -> Direction | None:
    """A weekday's from the tense of its clause; a month's or a day of the month's from cue words."""
    expression = doc.text[start:end]
    if _WEEKDAY_RE.search(expression) and not _MONTH_RE.search(expression):
        heading = is_heading(doc.text, *sentence, wrapped)
        return weekday_direction(doc, sentence[0], start, end, heading=heading)
    return cue_direction(doc, sentence[0], start)


def _place(expression: str, base: dt.date | None, way: Direction | None) -> tuple[str | None, str] | None:
    """(value, precision) of an expression; (None, "unresolved") when it needs a publication date
    we lack; None when it is no point in time (duration, frequency, age, decade, vague)."""
    norm = " ".join(expression.replace("’", "'").split())
    core = _MODIFIER.sub("", norm).strip()
    if not core or _DECADE.search(core):
        return None
    year = _YEAR_RE.search(core)
    if year:
        return _place_dated(core, year.group(0), base)
    if _MONTH_RE.search(core):
        if way in ("ahead", "back") or core.lower().startswith(("last ", "next ")):
            return _place_relative(_strip_this(core), base, "future" if _is_future(core, way) else "past")
        return _place_nearest(_strip_this(core), base)
    weekday = _WEEKDAY_RE.search(core)
    if weekday:
        return _place_weekday(core, weekday.group(1).lower(), base, way)
    if _DEICTIC.search(core) and _DEICTIC.sub("", core).strip() in ("", "morning", "night", "evening"):
        if base is None and core.lower() in ("today", "tonight"):
            return None  # undated "today" mostly means "nowadays"
        return _place_relative(core, base, "past")
    if _RELATIVE.match(core):
        return _place_relative(core, base, "past")
    # "20 years", "annual", "recently": no point on the calendar. "Its third year" would be one only
    # if we knew when the span began, which the sentence almost never says: skipped, not guessed.
    return None


def _place_dated(core: str, year: str, base: dt.date | None) -> tuple[str, str]:
    """An expression with an explicit year: parse it; fall back to its year when dateparser can't."""
    if _YEAR_RANGE.match(core):
        return year, "year"
    parsed = _parse(core, (base or _SENTINEL).isoformat(), "past")
    if parsed is None or parsed[0][:4] != year:
        return year, "year"
    return _format(*parsed)


def _place_relative(core: str, base: dt.date | None, prefer: str) -> tuple[str | None, str] | None:
    if base is None:
        return None, "unresolved"
    parsed = _parse(core, base.isoformat(), prefer)
    return None if parsed is None else _format(*parsed)


def _place_nearest(core: str, base: dt.date | None) -> tuple[str | None, str] | None:
    """A month or day without a year is the one nearest the publication date, before or after
    (as HeidelTime does for news): "March 12" in an article of 8 March is four days ahead, not a
    year back, even when no "will" in the sentence says so."""
    if base is None:
        return None, "unresolved"
    options = [p for p in (_parse(core, base.isoformat(), d) for d in ("past", "future")) if p is not None]
    if not options:
        return None
    # News reports what happened more than what is coming: a later date must be over twice as near.
    nearest = min(options, key=lambda p: _distance(dt.date.fromisoformat(p[0]), base))
    return _format(*nearest)


def _distance(day: dt.date, base: dt.date) -> float:
    days = (day - base).days
    return days * 2.0 if days > 0 else float(-days)


def _place_weekday(
    core: str, weekday: str, base: dt.date | None, way: Direction | None
) -> tuple[str | None, str]:
    """By hand, because dateparser never resolves "Friday" to the publication day itself, while a
    report published on a Friday that says "on Friday" means that very day. A weekday nothing
    places lies on or before publication: news reports what happened more than what is coming."""
    if base is None:
        return None, "unresolved"
    target = _WEEKDAYS.index(weekday)
    lowered = core.lower()
    ahead = base + dt.timedelta(
        days=(target - base.weekday()) % 7 or (7 if lowered.startswith("next ") else 0)
    )
    back = base - dt.timedelta(
        days=(base.weekday() - target) % 7 or (7 if lowered.startswith("last ") else 0)
    )
    if way == "nearest" and not lowered.startswith(("last ", "next ")):
        day = min(back, ahead, key=lambda d: _distance(d, base))
    else:
        day = ahead if _is_future(core, way) else back
    return day.isoformat(), "day"


def _is_future(core: str, way: Direction | None) -> bool:
    lowered = core.lower()
    return lowered.startswith("next ") or (way == "ahead" and not lowered.startswith("last "))


def _strip_this(core: str) -> str:
    """dateparser reads "March" but not "last March"; the direction goes into PREFER_DATES_FROM."""
    return re.sub(r"^(?:last|next|this)\s+", "", core, flags=re.IGNORECASE)


def _format(iso_day: str, period: str) -> tuple[str, str]:
    if period == "year":
        return iso_day[:4], "year"
    if period == "month":
        return iso_day[:7], "month"
    if period == "week":
        # A week is placed in the month of its Thursday (the ISO-8601 rule for which year owns a week).
        day = dt.date.fromisoformat(iso_day)
        return (day + dt.timedelta(days=3 - day.weekday())).isoformat()[:7], "month"
    return iso_day, "day"


@functools.lru_cache(maxsize=8192)
def _parse(expression: str, base: str, prefer: str) -> tuple[str, str] | None:
    """dateparser's reading of an expression as (YYYY-MM-DD, period); cached because it is slowish
    (~1 ms a call) and the same expressions recur across an article and a story."""
    try:
        data = _parser(base, prefer).get_date_data(expression)
    except (ValueError, OverflowError):
        return None
    if data.date_obj is None:
        return None
    return data.date_obj.date().isoformat(), data.period or "day"


@functools.lru_cache(maxsize=64)
def _parser(base: str, prefer: str) -> DateDataParser:
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime.fromisoformat(base),
            "PREFER_DATES_FROM": prefer,
            # No timestamp or "no-spaces" readings: they turn plain numbers into dates.
            "PARSERS": ["relative-time", "custom-formats", "absolute-time"],
        },
    )
