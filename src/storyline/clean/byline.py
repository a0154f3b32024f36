"""Byline lines of a plain-text article, split into the writers' names, the outlet and the day.

Reads "By Jane Doe | The Outlet | March 7, 2031", "Jane Doe, Staff Writer" and closing credits
("Reporting by A and B; Editing by C"); a line is a byline only when every part after the names is
a role, an outlet, a place or a date, so a sentence that opens with "By" is never taken for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.clean.datelines import CALENDAR, DATE_WORDS, DAY_SPAN, date_words_only, parse_day
from storyline.clean.lineshape import alnum_runs, has_quote, last_char, words
from storyline.clean.outlets import is_outlet_name

__all__ = ["Byline", "parse_byline"]


@dataclass(frozen=True)
class Byline:
    """One byline line: the writers' names, the outlet and the day, where the line gives them."""

    authors: tuple[str, ...] = ()
    outlet: str | None = None
    published: str | None = None
    credit: bool = False  # a closing credit ("Reporting by ..."), weaker than a byline at the top


def _vocab(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NAME_PARTICLES = _vocab("and & de van von der da di al bin")
_BYLINE_WORDS = _vocab(
    "and in at for the of staff writer reporter correspondent editor contributor columnist news agency "
    "senior chief political foreign special desk team our to"
)
_META_WORDS = _BYLINE_WORDS | DATE_WORDS
_ROLE_NOUNS = _vocab(
    "writer writers reporter reporters correspondent correspondents editor editors columnist "
    "columnists contributor contributors journalist journalists staff"
)
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


def parse_byline(line: str) -> Byline | None:
    """What a byline line says, or None when the line is not a byline."""
    n = len(words(line))
    if n == 0 or n > 40 or last_char(line) in "!?" or has_quote(line):
        return None
    if _CREDITS.match(line):
        return _parse_credits(line)
    lead = _BY.match(line)
    if lead is None:
        return _parse_role_line(line) if n <= 12 else None
    # "By Monday, the talks had ..." is a sentence; a byline with a period is short ("By J. Doe.").
    if n > 16 or (last_char(line) == "." and n > 6):
        return None
    return _parse_by(line[lead.end() :])


def _parse_credits(line: str) -> Byline | None:
    """ "(Reporting by A and B in City; Editing by C)": the reporters and writers, not the editors."""
    if last_char(line) == "." and ";" not in line and "editing by" not in line.casefold():
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
    span = DAY_SPAN.search(rest)
    if span is not None:
        if not date_words_only(rest[span.end() :]):
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
    if last_char(line) in ".,;:":
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
    if not names or names[0].split()[0].strip(".").casefold() in CALENDAR:
        return None
    return names


def _is_meta_part(part: str) -> bool:
    """A part of a byline after the names: capitalised words, role words or date words."""
    return all(t[0].isupper() or t.isdigit() or t.casefold() in _META_WORDS for t in alnum_runs(part))


def _is_role(part: str) -> bool:
    return any(t.casefold() in _ROLE_NOUNS for t in alnum_runs(part))


def _is_outlet_part(part: str) -> bool:
    """A part between "|" separators that names no role and no date: the outlet."""
    tokens = alnum_runs(part)
    return bool(tokens) and tokens[0][0].isupper() and not _is_role(part) and not date_words_only(part)
