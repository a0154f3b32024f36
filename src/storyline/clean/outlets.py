"""Outlets and wire agencies named on a line of their own: an outlet's name line beside a byline,
and the sign-off that closes wire copy ("Reuter", "-- AP", "-30-").

An outlet's name is told by the words outlets put in their names ("Daily", "Herald", "Radio");
the agencies are a closed list, because their sign-off convention is one.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from storyline.clean.lineshape import has_quote, last_char, words

__all__ = ["AGENCY", "MEDIA_WORDS", "is_outlet_name", "is_signoff"]

AGENCY = re.compile(
    r"Reuters|AFP|AP|Associated Press|Agence France-Presse|Bloomberg|Xinhua|TASS|dpa|ANSA|EFE|UPI"
    r"|Kyodo|Yonhap|PTI|IANS|Anadolu Agency"
)
# Words outlets put in their names; they tell "By Jane Doe, Coastal Herald" (an outlet) from
# "By Jane Doe, John Roe" (two writers) and an outlet's name line from a section label.
MEDIA_WORDS = frozenset(
    (
        "daily times news post review herald journal gazette tribune press weekly magazine chronicle "
        "observer ledger radio tv television wire agency telegraph courier dispatch bulletin monitor "
        "examiner register standard mail express star sun insider online media network broadcasting "
        "channel report reporter today newswire"
    ).split()
)


def is_outlet_name(line: str) -> bool:
    """A short capitalised name with a word outlets use ("Daily", "Herald", "Radio") or a wire agency."""
    tokens = words(line)
    if not 1 <= len(tokens) <= 6 or last_char(line) in ".!?:;," or has_quote(line):
        return False
    if not all(t[0].isupper() or t[0].isdigit() or t.casefold() in ("the", "of", "and") for t in tokens):
        return False
    return AGENCY.fullmatch(line.strip()) is not None or any(
        t.strip(".").casefold() in MEDIA_WORDS for t in tokens
    )


# How wire copy and press releases end: the agency's name alone ("Reuter" was the Reuters sign-off
# for decades; 994 of the first 1,000 Reuters-21578 stories end so) or an end mark ("-30-", "###",
# "ENDS"). A closed list because the convention is one: a looser test would take a story's last
# short line (a name, a place) for a trailer. Outlets are known by `is_outlet_name`.
_WIRE_NAMES = frozenset(name.casefold() for name in [*AGENCY.pattern.split("|"), "Reuter"])
_END_MARK = re.compile(r"#{3,}|-+\s?30\s?-+|\(?ends?\)?|-+\s?ends?\s?-+", re.IGNORECASE)
# The words a closing credit may open with: "Source: The Daily Example", "(With the Associated Press)".
_CREDIT_LEAD = re.compile(r"^(?:sources?|via|h/t|hat tip|with|courtesy(?: of)?|copyright)\b\s*:?\s*", re.I)


def is_signoff(line: str, outlets: Collection[str] = ()) -> bool:
    """A closing line that only names wires or outlets ("Reuter", "-- AP", "Source: The Daily
    Example", or one of `outlets`: those the article's bylines name) or marks the end of the copy."""
    s = line.strip()
    if not s or has_quote(s):
        return False
    if _END_MARK.fullmatch(s):
        return True
    key = _CREDIT_LEAD.sub("", re.sub(r"^[\W_]+|[\W_]+$", "", s))
    names = [name for name in re.split(r"\s*,\s*|\s+(?:and|&)\s+", key) if name]
    known = {o.casefold() for o in outlets}
    return bool(names) and all(
        n.casefold() in _WIRE_NAMES or n.casefold() in known or is_outlet_name(n) for n in names
    )
