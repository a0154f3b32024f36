"""The shape of one line of plain text: its words, list mark, final punctuation, quotes and case.

Every judgement the cleaner makes about a line (prose, heading, title, list item, byline) starts
from these features; they read the characters only, never a model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = [
    "QUOTE_MARKS",
    "SMALL_WORDS",
    "TERMINAL",
    "alnum_runs",
    "breaks_sentence",
    "dangles",
    "ends_open",
    "has_quote",
    "has_url",
    "is_list_item",
    "is_prose",
    "is_sentence_like",
    "is_title_case",
    "last_char",
    "strip_list_mark",
    "title_case_ratio",
    "words",
]

QUOTE_MARKS = frozenset('"“”„«»‹›')
_QUOTE = re.compile(r"[\"“”„]|[«‹](?=\S)|(?<=\S)[»›]")
_CLOSERS = "\"'”’»›)]*"
TERMINAL = ".!?…"
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*\.?")
_LIST_MARK = re.compile(r"^(?:[-–—•*·▪►◦]\s+|(?:\d{1,3}(?:\.\d{1,3})*[.)]|\(\d{1,3}\)|[ivx]{1,4}[.)])\s+)+")
_ALNUM_RUN = re.compile(r"[^\W\d_]+|\d+")
_URL = re.compile(r"https?://|www\.|@\w+\.\w")
# A sentence ends before a capital, unless the period closes an initial or a title ("U.S. Envoy").
_SENTENCE_BREAK = re.compile(
    r"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Co|No|vs))(?<!\b(?:Mrs|Gen|Sen|Rep|Gov|Inc|Ltd|Col))"
    r"[.!?…][\"'”’)]*\s+[\"'“‘(]?[A-Z0-9]"
)
# Short function words: a heading never ends on one, and they do not count for title case.
_SMALL = (
    "a an the and or nor but of in on at to for with by from as vs into onto over under after "
    "about amid than that this its it is are was be"
)
SMALL_WORDS = frozenset(_SMALL.split())
# Words a heading or headline never ends on: the line goes on in the next one.
_DANGLING = SMALL_WORDS | frozenset(
    (
        _SMALL + " will would can could should may might must has have had been were said says who which "
        "whose where when while if because"
    ).split()
)


def words(line: str) -> list[str]:
    return _WORD.findall(line)


def is_list_item(line: str) -> bool:
    return _LIST_MARK.match(line.strip()) is not None


def strip_list_mark(line: str) -> str:
    stripped = line.strip()
    mark = _LIST_MARK.match(stripped)
    return stripped[mark.end() :] if mark else stripped


def has_quote(line: str) -> bool:
    """Whether the line quotes someone; a guillemet between spaces is a separator ("News » World")."""
    return _QUOTE.search(line) is not None


def has_url(line: str) -> bool:
    return _URL.search(line) is not None


def breaks_sentence(line: str) -> bool:
    """Whether a sentence ends inside the line and another begins after it."""
    return _SENTENCE_BREAK.search(line) is not None


def last_char(line: str) -> str:
    core = line.strip().rstrip(_CLOSERS)
    return core[-1] if core else ""


def is_sentence_like(line: str) -> bool:
    """Prose, or a list item: ends a sentence, or is too long to be a heading."""
    return last_char(line) in TERMINAL + ":" or len(words(line)) >= 15


def is_prose(line: str) -> bool:
    """A real sentence of article text: long enough and finished, or quoting someone."""
    n = len(words(line))
    return (n >= 8 and last_char(line) in TERMINAL) or n >= 25 or (has_quote(line) and n >= 4)


def title_case_ratio(tokens: Sequence[str]) -> float:
    """Share of capitalised words after the first (sentence case capitalises the first); numbers
    and function words do not count."""
    content = [w for w in tokens[1:] if w.casefold() not in SMALL_WORDS and not w[0].isdigit()]
    if not content:
        content = list(tokens[:1])
    if not content:
        return 0.0
    return sum(1 for w in content if w[0].isupper() or w[0].isdigit()) / len(content)


def is_title_case(line: str) -> bool:
    return title_case_ratio(words(line)) >= 0.5


def dangles(tokens: Sequence[str]) -> bool:
    """Whether the line stops on a word that needs more after it; in a title-case line a final
    capitalised "About" or "For" ends the headline ("What the Strike Is Really About")."""
    last = tokens[-1]
    if last.casefold() not in _DANGLING:
        return False
    return not (len(tokens) > 2 and last[0].isupper() and title_case_ratio(tokens) >= 0.5)


def ends_open(line: str) -> bool:
    """Whether the line stops where a sentence cannot: on a comma, colon, dash or a word that needs
    more after it ("... according to")."""
    if last_char(line) in ",;:-–—":
        return True
    tokens = words(line)
    return bool(tokens) and last_char(line) not in TERMINAL and dangles(tokens)


def alnum_runs(text: str) -> list[str]:
    """Runs of letters and runs of digits ("5th" gives "5" and "th"), as bylines and datelines are read."""
    return _ALNUM_RUN.findall(text)
