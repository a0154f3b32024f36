"""Author, publication day and site of a plain-text article, read from its byline and dateline lines.

Bylines ("By Jane Doe | The Outlet | March 7, 2031", "Jane Doe, Staff Writer", "Reporting by ...")
are split into names, an outlet and a day; a wire dateline opening the text ("CITY, March 4, 2031
(AGENCY) - ...") gives a day and an agency. Days are parsed by dateparser with strict settings, so a
date without a year, or one relative to today ("2 hours ago"), is never taken for a publication day.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from storyline.clean import headings as shape
from storyline.model import Removed

__all__ = [
    "Byline",
    "TextMeta",
    "find_day",
    "is_dateline",
    "is_outlet_name",
    "is_signoff",
    "is_wire_dateline",
    "parse_byline",
    "prose_start",
    "read_meta",
]


@dataclass(frozen=True)
class TextMeta:
    """What a text says about itself; None where it does not say it."""

    author: str | None = None
    published: str | None = None  # YYYY-MM-DD
    site: str | None = None


@dataclass(frozen=True)
class Byline:
    """One byline line: the writers' names, the outlet and the day, where the line gives them."""

    authors: tuple[str, ...] = ()
    outlet: str | None = None
    published: str | None = None
    credit: bool = False  # a closing credit ("Reporting by ..."), weaker than a byline at the top


def _vocab(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MONTHS = _vocab(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_WEEKDAYS = _vocab(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun"
)
_CALENDAR = _MONTHS | _WEEKDAYS
_DATE_MARKS = _vocab("published updated posted last first originally modified released release read ago")
_DATE_WORDS = (
    _CALENDAR
    | _DATE_MARKS
    | _vocab(
        "am pm a p m gmt utc bst cet cest est edt cst cdt pst pdt et pt ct ist msk jst aest aedt hkt sgt "
        "kst sast eat wat cat nzst nzdt at on the of "
        "date hour hours hr hrs minute minutes min mins second seconds day days week weeks month months "
        "year years yesterday today reading time listen just now st nd rd th"
    )
)
_NAME_PARTICLES = _vocab("and & de van von der da di al bin")
_BYLINE_WORDS = _vocab(
    "and in at for the of staff writer reporter correspondent editor contributor columnist news agency "
    "senior chief political foreign special desk team our to"
)
_META_WORDS = _BYLINE_WORDS | _DATE_WORDS
_ROLE_NOUNS = _vocab(
    "writer writers reporter reporters correspondent correspondents editor editors columnist "
    "columnists contributor contributors journalist journalists staff"
)
# Words outlets put in their names; they tell "By Jane Doe, Coastal Herald" (an outlet) from
# "By Jane Doe, John Roe" (two writers) and an outlet's name line from a section label.
_MEDIA_WORDS = _vocab(
    "daily times news post review herald journal gazette tribune press weekly magazine chronicle "
    "observer ledger radio tv television wire agency telegraph courier dispatch bulletin monitor "
    "examiner register standard mail express star sun insider online media network broadcasting "
    "channel report reporter today newswire"
)
_AGENCY = re.compile(
    r"Reuters|AFP|AP|Associated Press|Agence France-Presse|Bloomberg|Xinhua|TASS|dpa|ANSA|EFE|UPI"
    r"|Kyodo|Yonhap|PTI|IANS|Anadolu Agency"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# A calendar day with its year; dateparser then checks it and reads month names and numeric order.
_DAY_SPAN = re.compile(
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
_BY = re.compile(r"^(?:(?:written |words |reported |story |posted )?by|authors?\s*:|author)\s+", re.I)
_CREDITS = re.compile(
    r"^\(?(?:additional |further )?(?:reporting|writing|editing|compiled|contributing|contributors?|research)"
    r"(?: by\s+|\s*:\s*)[A-Z]",
    re.I,
)
_WRITERS = re.compile(r"(?:reporting|reported|writing|written|compiled)(?: by\s+|\s*:\s*)(?P<names>.+)", re.I)
_STRONG_SEP = re.compile(r"\s*[|•·/;–—]\s*|\s+-\s+")
_TRAILING_LINK = re.compile(
    r"(?:[\s,|•·/;:–—-]|\b(?:on|at|published|updated|posted"
    r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b\.?|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)+$",
    re.I,
)
_BIO_NAME = re.compile(
    r"^(?:(?i:about the (?:author|writer)s?)\W*)?"
    r"(?P<name>[A-Z][\w'’.-]+(?:\s(?:[A-Z][\w'’.-]+|de|van|von|da|di|al)){1,3})"
    r"\s(?:is|was|has|covers|writes|reports|joined)\b"
)


def read_meta(lines_removed: Sequence[Removed], text: str) -> TextMeta:
    """The author, publication day and site that an article's removed lines and its text give."""
    read = [(r.text, parse_byline(r.text)) for r in lines_removed if r.reason == "byline"]
    bylines = sorted((b for _, b in read if b is not None), key=lambda b: b.credit)  # credits last
    outlet_lines = (line for line, b in read if b is None and is_outlet_name(line))
    wire_day, agency = _wire_dateline(text)
    authors = next((b.authors for b in bylines if b.authors), ())
    return TextMeta(
        author="; ".join(authors) or _bio_author(lines_removed),
        published=next((b.published for b in bylines if b.published), None)
        or _dateline_day(lines_removed)
        or wire_day,
        # An agency's abbreviation is the site of a wire story only when the page names no outlet.
        site=next((b.outlet for b in bylines if b.outlet), None) or next(outlet_lines, None) or agency,
    )


def parse_byline(line: str) -> Byline | None:
    """What a byline line says, or None when the line is not a byline."""
    n = len(shape.words(line))
    if n == 0 or n > 40 or shape.last_char(line) in "!?" or shape.has_quote(line):
        return None
    if _CREDITS.match(line):
        return _parse_credits(line)
    lead = _BY.match(line)
    if lead is None:
        return _parse_role_line(line) if n <= 12 else None
    # "By Monday, the talks had ..." is a sentence; a byline with a period is short ("By J. Doe.").
    if n > 16 or (shape.last_char(line) == "." and n > 6):
        return None
    return _parse_by(line[lead.end() :])


def _parse_credits(line: str) -> Byline | None:
    """ "(Reporting by A and B in City; Editing by C)": the reporters and writers, not the editors."""
    if shape.last_char(line) == "." and ";" not in line and "editing by" not in line.casefold():
        return None  # a sentence that starts like a credit
    authors: list[str] = []
    parts = re.split(
        r"\s*;\s*|,\s*(?=(?:additional |further )?(?:reporting|writing|editing|compiled)\b)",
        line.strip().strip("()[] "),
        flags=re.I,
    )
    for part in parts:
        match = _WRITERS.match(part)
        if match:
            authors += _names(re.split(r"\s+(?:in|at|from)\s+", match.group("names"))[0]) or []
    return Byline(tuple(authors), credit=True)


def _parse_by(rest: str) -> Byline | None:
    """The part of a byline after "By": names, then outlet, role, place and date parts."""
    day = None
    span = _DAY_SPAN.search(rest)
    if span is not None:
        if not _date_words_only(rest[span.end() :]):
            return None  # "By March 5, 2031, the port had reopened"
        day = parse_day(span.group())
        rest = rest[: span.start()]
    first, *parts = _STRONG_SEP.split(_TRAILING_LINK.sub("", rest.strip()))
    names, *comma_parts = [p.strip() for p in first.split(",")]
    # "Jane Doe for The Outlet", "Jane Doe in City"
    via = re.fullmatch(r"(.+?)\s+(in|at|for)\s+((?:the\s+)?[A-Z].*)", names)
    if via is not None:
        names = via.group(1)
        comma_parts.insert(0, f"{via.group(2)} {via.group(3)}")
    if _is_role(names) and _is_meta_part(names):
        authors: list[str] | None = []  # "By Staff Writer", "By the News Wire Staff"
    else:
        authors = _names(names)
    if authors is None or not all(_is_meta_part(p) for p in comma_parts + parts):
        return None
    read = [_read_part(p) for p in comma_parts]
    authors += [name for kind, value in read if kind == "writer" for name in _names(value) or []]
    outlet = next((p for p in parts if _is_outlet_part(p)), None)
    outlet = outlet or next((value for kind, value in read if kind == "outlet"), None)
    return Byline(tuple(authors), outlet, day)


def _read_part(part: str) -> tuple[str, str]:
    """What a part of a byline after a comma is: an outlet, a role, another writer or a place."""
    via = re.fullmatch(r"(?i:special |writing )?(?:to|for|at) (?:the )?(?P<outlet>[A-Z].*)", part)
    if via is not None:
        return "outlet", via.group("outlet")  # "Special to The Outlet", "for The Outlet"
    if part.startswith("in ") or not part:
        return "place", part
    if _is_role(part):
        return "role", part
    if is_outlet_name(part) or re.fullmatch(r"[A-Z]{2,5}", part):
        return "outlet", part
    names = _names(part)
    # A full name is another writer ("By Jane Doe, John Roe"); a single capitalised word a place.
    if names and all(len(n.split()) >= 2 for n in names):
        return "writer", part
    return "place", part


def _parse_role_line(line: str) -> Byline | None:
    """ "Jane Doe, Staff Writer" and "Jane Doe - Political Correspondent | The Outlet"."""
    if shape.last_char(line) in ".,;:":
        return None
    first, *parts = re.split(r"\s*,\s*|" + _STRONG_SEP.pattern, line.strip())
    authors = _names(first)
    if not authors or not parts or not _is_role(parts[0]) or not all(_is_meta_part(p) for p in parts):
        return None
    if any(not 2 <= len(a.split()) <= 4 for a in authors):
        return None
    return Byline(tuple(authors), next((p for p in parts[1:] if _is_outlet_part(p)), None))


def _names(text: str) -> list[str] | None:
    """Names joined by commas or "and", each of capitalised words; None when one is not a name."""
    names = [n.strip(" .") for n in re.split(r"\s*,\s*|\s+(?:and|&)\s+", text.strip()) if n.strip(" .")]
    for name in names:
        tokens = name.split()
        if not 1 <= len(tokens) <= 5 or not all(
            t[0].isupper() or t.casefold() in _NAME_PARTICLES for t in tokens
        ):
            return None
    if not names or names[0].split()[0].strip(".").casefold() in _CALENDAR:
        return None
    return names


def _tokens(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+|\d+", text)


def _date_words_only(text: str) -> bool:
    return all(t.isdigit() or t.casefold() in _DATE_WORDS for t in _tokens(text))


def _is_meta_part(part: str) -> bool:
    """A part of a byline after the names: capitalised words, role words or date words."""
    return all(t[0].isupper() or t.isdigit() or t.casefold() in _META_WORDS for t in _tokens(part))


def _is_role(part: str) -> bool:
    return any(t.casefold() in _ROLE_NOUNS for t in _tokens(part))


def _is_outlet_part(part: str) -> bool:
    """A part between "|" separators that names no role and no date: the outlet."""
    tokens = _tokens(part)
    return bool(tokens) and tokens[0][0].isupper() and not _is_role(part) and not _date_words_only(part)


def is_outlet_name(line: str) -> bool:
    """A short capitalised name with a word outlets use ("Daily", "Herald", "Radio") or a wire agency."""
    tokens = shape.words(line)
    if not 1 <= len(tokens) <= 6 or shape.last_char(line) in ".!?:;," or shape.has_quote(line):
        return False
    if not all(t[0].isupper() or t[0].isdigit() or t.casefold() in ("the", "of", "and") for t in tokens):
        return False
    return _AGENCY.fullmatch(line.strip()) is not None or any(
        t.strip(".").casefold() in _MEDIA_WORDS for t in tokens
    )


# How wire copy and press releases end: the agency's name alone ("Reuter" was the Reuters sign-off
# for decades; 994 of the first 1,000 Reuters-21578 stories end so) or an end mark ("-30-", "###",
# "ENDS"). A closed list because the convention is one: a looser test would take a story's last
# short line (a name, a place) for a trailer. Outlets are known by `is_outlet_name`.
_WIRE_NAMES = frozenset(name.casefold() for name in [*_AGENCY.pattern.split("|"), "Reuter"])
_END_MARK = re.compile(r"#{3,}|-+\s?30\s?-+|\(?ends?\)?|-+\s?ends?\s?-+", re.IGNORECASE)
# The words a closing credit may open with: "Source: The Daily Example", "(With the Associated Press)".
_CREDIT_LEAD = re.compile(r"^(?:sources?|via|h/t|hat tip|with|courtesy(?: of)?|copyright)\b\s*:?\s*", re.I)


def is_signoff(line: str, outlets: Collection[str] = ()) -> bool:
    """A closing line that only names wires or outlets ("Reuter", "-- AP", "Source: The Daily
    Example", or one of `outlets`: those the article's bylines name) or marks the end of the copy."""
    s = line.strip()
    if not s or shape.has_quote(s):
        return False
    if _END_MARK.fullmatch(s):
        return True
    key = _CREDIT_LEAD.sub("", re.sub(r"^[\W_]+|[\W_]+$", "", s))
    names = [name for name in re.split(r"\s*,\s*|\s+(?:and|&)\s+", key) if name]
    known = {o.casefold() for o in outlets}
    return bool(names) and all(
        n.casefold() in _WIRE_NAMES or n.casefold() in known or is_outlet_name(n) for n in names
    )


def is_dateline(line: str, marked_only: bool = False) -> bool:
    """A line of date, time and publishing words only; unmarked ones must name one calendar day."""
    tokens = re.findall(r"[a-z]+|\d+", line.casefold())
    if not tokens or len(tokens) > 20 or not all(t.isdigit() or t in _DATE_WORDS for t in tokens):
        return False
    if any(t in _DATE_MARKS for t in tokens):
        return any(t.isdigit() or t in _CALENDAR or t in {"ago", "yesterday", "today"} for t in tokens)
    if marked_only:
        return False
    months = sum(t in _MONTHS for t in tokens)
    weekdays = sum(t in _WEEKDAYS for t in tokens)
    # "5 March 2031" is a dateline; "5 March | 9 May" is a date range, "02-751-1500" a phone number.
    if months + weekdays:
        return months <= 1 and weekdays <= 1
    return len(_DAY_SPAN.findall(line)) == 1  # "11/10/31 02:39 PM ET", "2031-03-05"


def is_wire_dateline(line: str) -> bool:
    """A wire dateline on a line of its own: "WASHINGTON, April 28, 2031" or "CITY (AGENCY) -"."""
    match = _WIRE_LINE.fullmatch(line.strip())
    return match is not None and (match.group("agency") is not None or _has_day(match.group("middle")))


def _has_day(text: str) -> bool:
    span = _DAY_SPAN.search(text)
    return span is not None and _date_words_only(text[span.end() :])


@lru_cache(maxsize=1024)
def parse_day(span: str) -> str | None:
    """The YYYY-MM-DD of a calendar day with its year, or None (strict: no guessing, no "today")."""
    import dateparser  # imported on first use: it loads its language data (~0.2 s)

    parsed = dateparser.parse(span, languages=["en"], settings=_STRICT)
    return parsed.date().isoformat() if parsed is not None else None


def find_day(text: str) -> str | None:
    """The YYYY-MM-DD of the first calendar day with its year in `text`, or None."""
    span = _DAY_SPAN.search(text)
    return parse_day(span.group()) if span is not None else None


# A wire dateline's end inside a sentence: "(AGENCY) -" or "PLACE -" / "PLACE, ST. --" in capitals.
_LEAD_END = re.compile(
    rf"(?:\((?:{_AGENCY.pattern})\)|\b(?P<place>[A-Z][A-Z.'’-]{{1,}}(?:\s[A-Z][A-Z.'’-]+){{0,3}}"
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


def _wire_dateline(text: str) -> tuple[str | None, str | None]:
    """The day and agency of a wire dateline opening the text; the prose after it stays in the text."""
    match = _WIRE_LEAD.match(text)
    if match is None:
        return None, None
    return find_day(match.group("middle")), match.group("agency")


def _dateline_day(lines_removed: Sequence[Removed]) -> str | None:
    """The day of the first dateline line, preferring "Published" over plain dates over "Updated"."""
    ranked: list[tuple[int, str]] = []
    for removed in lines_removed:
        if removed.reason != "dateline":
            continue
        span = _DAY_SPAN.search(removed.text)
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


def _bio_author(lines_removed: Sequence[Removed]) -> str | None:
    """The writer named at the head of a closing author bio, when no byline names one."""
    for removed in lines_removed:
        if removed.reason == "author_bio" and (match := _BIO_NAME.match(removed.text)):
            return match.group("name")
    return None
