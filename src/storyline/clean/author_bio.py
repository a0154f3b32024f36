"""The paragraph about the writer that closes an article ("Jane Doe is a reporter who covers ..."),
and the writer it names when no byline does.

A closing paragraph is a bio when it opens on a name or a pronoun with a verb like "is" or
"covers" and scores enough cues: a writer's role, a beat, a career, a hobby, the byline's name.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from storyline.clean.boilerplate_lines import line_key
from storyline.clean.byline import parse_byline
from storyline.clean.lineshape import has_quote, last_char
from storyline.model import Removed

__all__ = ["bio_author", "mark_author_bio"]

_BIO_SUBJECT = re.compile(
    r"^(?:(?i:about the (?:author|writer))\W*)?(?:(?:[A-Z][\w'’.-]*\s+){1,4}|(?:He|She|They)\s+)"
    r"(?:is|was|has|had|joined|covers|writes|reports|lives|holds|graduated|works|worked|began|started)\b"
)
_BIO_ROLE = re.compile(
    r"\b(?:is|was|has been|works as|worked as)\s+(?:a|an|the)\s+(?:[\w,'’-]+\s+){0,5}?"
    r"(?:writer|journalist|reporter|editor|correspondent|columnist|contributor|author|blogger"
    r"|freelancer|producer|photographer|critic|content creator)s?\b",
    re.I,
)
_BIO_CUES = re.compile(
    r"\bcovers\b|has (?:written|reported) for|has (?:covered|reported on)\b"
    r"|previously (?:worked|wrote|reported)\b|(?:work|writing) has appeared|self-proclaimed|time away from"
    r"|(?:spare|free) time|when (?:he|she|they)(?:'s|’s| is| are|'re|’re)? not (?:writing|working|reporting)"
    r"|follow (?:him|her|them) on|can be reached at|reach (?:him|her|them) at"
    r"|holds a (?:degree|master|bachelor)"
    r"|graduated from|graduate of|is based in|lives in|passionate about|aficionado|enthusiast|revels in"
    r"|\bavid\b|strives to|focuses on|speciali[sz]es in|years of experience",
    re.I,
)
_ABOUT_AUTHOR = re.compile(r"about the (?:author|writer)s?", re.I)
_BIO_NAME = re.compile(
    r"^(?:(?i:about the (?:author|writer)s?)\W*)?"
    r"(?P<name>[A-Z][\w'’.-]+(?:\s(?:[A-Z][\w'’.-]+|de|van|von|da|di|al)){1,3})"
    r"\s(?:is|was|has|covers|writes|reports|joined)\b"
)


def mark_author_bio(lines: Sequence[str], reasons: dict[int, str]) -> None:
    """Up to two closing paragraphs about the writer (a line ending a sentence closes a paragraph)."""
    writers = _writers(lines, reasons)
    i = len(lines) - 1
    for _ in range(3):
        while i >= 0 and (not lines[i] or i in reasons):
            i -= 1
        if i < 0:
            return
        start = i
        while (
            start > 0
            and lines[start - 1]
            and start - 1 not in reasons
            and last_char(lines[start - 1]) not in ".!?…"
        ):
            start -= 1
        paragraph = " ".join(lines[start : i + 1])
        if _ABOUT_AUTHOR.fullmatch(line_key(paragraph)) or _is_author_bio(paragraph, writers):
            reasons.update(dict.fromkeys(range(start, i + 1), "author_bio"))
            i = start - 1
        else:
            return


def _writers(lines: Sequence[str], reasons: dict[int, str]) -> frozenset[str]:
    """The names the byline lines give."""
    bylines = (parse_byline(lines[i]) for i, r in reasons.items() if r == "byline")
    return frozenset(name for b in bylines if b is not None for name in b.authors)


def _is_author_bio(text: str, writers: Collection[str] = ()) -> bool:
    if has_quote(text) or not _BIO_SUBJECT.match(text):
        return False
    # A closing paragraph that opens with the byline's name is about the writer.
    by_writer = any(text.startswith(f"{name} ") for name in writers)
    score = 2 * bool(_BIO_ROLE.search(text)) + len(_BIO_CUES.findall(text)) + 2 * by_writer
    return score >= 3


def bio_author(lines_removed: Sequence[Removed]) -> str | None:
    """The writer named at the head of a closing author bio, when no byline names one."""
    for removed in lines_removed:
        if removed.reason == "author_bio" and (match := _BIO_NAME.match(removed.text)):
            return match.group("name")
    return None
