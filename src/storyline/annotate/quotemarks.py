"""Pairing the double quote marks of a text into quotations, paragraph by paragraph.

Method: each mark's role is read from the characters around it — after a space or at a line start
it opens, before a space or punctuation it closes — and only a tie is broken by the glyph, so a ”
typed as an opener (`stating,”The plan …”`) still pairs. Marks are paired left to right within a
paragraph; an unclosed quotation runs to the paragraph end. Written by hand because the quote
finders we tried (textacy's `direct_quotations`) refuse texts with an odd number of marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QuoteSpan", "quote_spans"]

# Double quotes as typed in news text: curly, straight, low-9, guillemets, and the two-apostrophe
# and two-backtick forms of older newswire (''like this'').
_MARK = re.compile(r"''|``|[\"“”„‟«»]")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_OPEN_GLYPHS = frozenset("“„‟«`")
_CLOSE_GLYPHS = frozenset("”»")
DASHES = "—–-―"


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation in a text: `start:end` is the quoted words, `open:close` includes the marks."""

    open: int
    start: int
    end: int
    close: int


def quote_spans(text: str) -> list[QuoteSpan]:
    """The quotations of `text` in order; an unclosed quote runs to the end of its paragraph."""
    found: list[QuoteSpan] = []
    pos = 0
    for para in text.split("\n"):
        found.extend(_pair(text, pos, pos + len(para)))
        pos += len(para) + 1
    return found


def _pair(text: str, start: int, end: int) -> list[QuoteSpan]:
    found: list[QuoteSpan] = []
    opened: re.Match[str] | None = None
    # Marks inside left-over markup (<tweet author="x">) delimit attribute values, not quotations.
    tags = [(m.start(), m.end()) for m in _TAG.finditer(text, start, end)]
    for mark in _MARK.finditer(text, start, end):
        if any(a < mark.start() < b for a, b in tags):
            continue
        role = _role(text, mark.start(), mark.end())
        if opened is None:
            if role != "close":  # a stray closer opens nothing
                opened = mark
        elif role != "open":
            found.extend(_span(text, opened, mark.start(), mark.end()))
            opened = None
        else:  # an opener while open: the earlier quote was never closed, so it ends here
            found.extend(_span(text, opened, mark.start(), mark.start()))
            opened = mark
    if opened is not None:
        found.extend(_span(text, opened, end, end))
    return found


def _role(text: str, start: int, end: int) -> str:
    """'open', 'close' or 'either', read from the characters around the mark, then its glyph."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    space_before = before.isspace() or before in "([{/" + DASHES
    space_after = after.isspace() or after in ".,;:!?)]}…" + DASHES
    if space_before != space_after:
        return "open" if space_before else "close"
    glyph = text[start]
    if space_before or (before.isalnum() and after.isalnum()):
        if glyph in _OPEN_GLYPHS:
            return "open"
        if glyph in _CLOSE_GLYPHS:
            return "close"
    return "either"  # e.g. `stating,”The`: punctuation before, a word after


def _span(text: str, opened: re.Match[str], end: int, close: int) -> list[QuoteSpan]:
    start = opened.end()
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1  # the comma of `“…,” he said` belongs to the framing sentence, not to the words
    if not any(ch.isalnum() for ch in text[start:end]):
        return []
    return [QuoteSpan(opened.start(), start, end, close)]
