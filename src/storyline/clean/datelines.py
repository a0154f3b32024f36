"""Days and datelines in plain text: "Published 5 March 2031" lines, wire datelines ("CITY, March 4,
2031 (AGENCY) - ..."), and where the prose of a sentence opened by one begins.

Days are parsed by dateparser with strict settings, so a date without a year, or one relative to
today ("2 hours ago"), is never taken for a publication day.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from storyline.clean.lineshape import alnum_runs
from storyline.clean.outlets import AGENCY
from storyline.model import Removed

__all__ = [
    "CALENDAR",
    "DATE_WORDS",
    "DAY_SPAN",
    "date_words_only",
    "dateline_day",
    "find_day",
    "is_dateline",
    "is_wire_dateline",
    "parse_day",
    "prose_start",
    "wire_dateline",
]


def _vocab(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MONTHS = _vocab(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_WEEKDAYS = _vocab(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun"
)
CALENDAR = _MONTHS | _WEEKDAYS
_DATE_MARKS = _vocab("published updated posted last first originally modified released release read ago")
DATE_WORDS = (
    CALENDAR
    | _DATE_MARKS
    | _vocab(
        "am pm a p m gmt utc bst cet cest est edt cst cdt pst pdt et pt ct ist msk jst aest aedt hkt sgt "
        "kst sast eat wat cat nzst nzdt at on the of "
        "date hour hours hr hrs minute minutes min mins second seconds day days week weeks month months "
        "year years yesterday today reading time listen just now st nd rd th"
    )
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# A calendar day with its year; dateparser then checks it and reads month names and numeric order.
DAY_SPAN = re.compile(
    rf"(?<![\w/])(?:{_MONTH}\s+{_DAY},?\s+\d{{4}}|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))(?![\d/])",
    re.IGNORECASE,
)
_STRICT = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["absolute-time"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}
# "VARNHAVN, Calvora, March 4, 2031 (LPA) -": a place in capitals, maybe a region and a day,
# maybe an agency in brackets, then a dash (which a dateline on a line of its own may leave out).
_WIRE = (
    r"(?P<place>[A-Z][A-Z.'’-]+(?:\s[A-Z][A-Z.'’-]+){0,3})"
    r"(?P<middle>(?:,\s*\w[\w.'’ ]{0,30}?){0,4})"
    r"\s*(?:\((?P<agency>[A-Z][\w&.'’ -]{0,40}?)\))?"
)
_WIRE_LEAD = re.compile(_WIRE + r"\s*(?:-{1,2}|–|—)\s")
_WIRE_LINE = re.compile(_WIRE + r"\s*(?:-{1,2}|–|—)?")


def date_words_only(text: str) -> bool:
    return all(t.isdigit() or t.casefold() in DATE_WORDS for t in alnum_runs(text))


def is_dateline(line: str, marked_only: bool = False) -> bool:
    """A line of date, time and publishing words only; unmarked ones must name one calendar day."""
    tokens = re.findall(r"[a-z]+|\d+", line.casefold())
    if not tokens or len(tokens) > 20 or not all(t.isdigit() or t in DATE_WORDS for t in tokens):
        return False
    if any(t in _DATE_MARKS for t in tokens):
        return any(t.isdigit() or t in CALENDAR or t in {"ago", "yesterday", "today"} for t in tokens)
    if marked_only:
        return False
    months = sum(t in _MONTHS for t in tokens)
    weekdays = sum(t in _WEEKDAYS for t in tokens)
    # "5 March 2031" is a dateline; "5 March | 9 May" is a date range, "02-751-1500" a phone number.
    if months + weekdays:
        return months <= 1 and weekdays <= 1
    return len(DAY_SPAN.findall(line)) == 1  # "11/10/31 02:39 PM ET", "2031-03-05"


def is_wire_dateline(line: str) -> bool:
    """A wire dateline on a line of its own: "WASHINGTON, April 28, 2031" or "CITY (AGENCY) -"."""
    match = _WIRE_LINE.fullmatch(line.strip())
    return match is not None and (match.group("agency") is not None or _has_day(match.group("middle")))


def _has_day(text: str) -> bool:
    span = DAY_SPAN.search(text)
    return span is not None and date_words_only(text[span.end() :])


@lru_cache(maxsize=1024)
def parse_day(span: str) -> str | None:
    """The YYYY-MM-DD of a calendar day with its year, or None (strict: no guessing, no "today")."""
    import dateparser  # imported on first use: it loads its language data (~0.2 s)

    parsed = dateparser.parse(span, languages=["en"], settings=_STRICT)
    return parsed.date().isoformat() if parsed is not None else None


def find_day(text: str) -> str | None:
    """The YYYY-MM-DD of the first calendar day with its year in `text`, or None."""
    span = DAY_SPAN.search(text)
    return parse_day(span.group()) if span is not None else None


# A wire dateline's end inside a sentence: "(AGENCY) -" or "PLACE -" / "PLACE, ST. --" in capitals.
_LEAD_END = re.compile(
    rf"(?:\((?:{AGENCY.pattern})\)|\b(?P<place>[A-Z][A-Z.'’-]{{1,}}(?:\s[A-Z][A-Z.'’-]+){{0,3}}"
    r"(?:,\s*[A-Z][\w.]{1,20})?))\s*(?:-{1,2}|–|—)\s+(?=[\"“‘'A-Z0-9])"
)
# Words that may stand before a wire dateline in the same sentence: a stamp or a byline.
_STAMP = re.compile(r"\d|\|")
_PROSE_MIN = 40  # characters: a cut leaves at least a clause, never a stub


def prose_start(sentence: str) -> int:
    """Where the prose of a sentence begins once a wire dateline opening it is skipped, 0 if none.

    Extracted text often glues the dateline to the first sentence: "GENEVA | Wed Apr 29, 2031
    7:31 pm EDT GENEVA (Reuters) - The agency said ...". A summary or a takeaway should cite the
    sentence from "The agency", so it reads as prose. A dash after "(Agency)" ends a dateline
    anywhere in the first 200 characters; a dash after a place in capitals only at the start of the
    sentence or after a time stamp or "|" (elsewhere "the FBI - which" is prose).
    """
    for match in _LEAD_END.finditer(sentence, 0, 200):
        before = sentence[: match.start()]
        if match.group("place") is not None and before.strip() and not _STAMP.search(before):
            continue
        if len(sentence) - match.end() >= _PROSE_MIN:
            return match.end()
    return 0


def wire_dateline(text: str) -> tuple[str | None, str | None]:
    """The day and agency of a wire dateline opening the text; the prose after it stays in the text."""
    match = _WIRE_LEAD.match(text)
    if match is None:
        return None, None
    return find_day(match.group("middle")), match.group("agency")


def dateline_day(lines_removed: Sequence[Removed]) -> str | None:
    """The day of the first dateline line, preferring "Published" over plain dates over "Updated"."""
    ranked: list[tuple[int, str]] = []
    for removed in lines_removed:
        if removed.reason != "dateline":
            continue
        span = DAY_SPAN.search(removed.text)
        day = parse_day(span.group()) if span is not None else None
        if span is None or day is None:
            continue
        # The word before the day says which it is: "Posted: 3/4/31 | Updated: 3/5/31".
        before = removed.text[: span.start()].casefold()
        if re.search(r"\b(?:updated|modified|edited|last)\b", before):
            rank = 2
        elif re.search(r"\b(?:published|posted|released|first)\b", before):
            rank = 0
        else:
            rank = 1
        ranked.append((rank, day))
    return min(ranked, key=lambda item: item[0])[1] if ranked else None
