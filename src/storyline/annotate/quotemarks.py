"""Pairing the double quote marks of a text into quotations, paragraph by paragraph.

Method: each mark's role is read from the characters around it — after a space or at a line start
it opens, before a space or punctuation it closes — and only a tie is broken by the glyph, so a ”
typed as an opener (`stating,”The plan …”`) still pairs. Marks are paired left to right within a
paragraph (in hard-wrapped text a paragraph runs over several lines); an unclosed quotation runs to
the paragraph end. Written by hand because the quote finders we tried (textacy's
`direct_quotations`) refuse texts with an odd number of marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.annotate import runs_on
from storyline.annotate.nlp import hard_wrapped

__all__ = ["QuoteSpan", "paragraphs", "quote_spans"]

# Double quotes as typed in news text: curly, straight, low-9, guillemets, and the two-apostrophe
# and two-backtick forms of older newswire (''like this'').
_MARK = re.compile(r"''|``|[\"“”„‟«»]")
# A straight double quote typed for an apostrophe, as older wire copy does ("Britain"s", "don"t"):
# between a letter and a contraction's or a possessive's ending, it opens and closes nothing.
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])[\"”](?=(?:s|t|d|m|ll|re|ve)\b)")
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


def quote_spans(text: str, spans: list[tuple[int, int]] | None = None) -> list[QuoteSpan]:
    """The quotations of `text` in order; an unclosed quote runs to the end of its paragraph.
    `spans` are the paragraphs (`paragraphs(text)`); by default each line is one."""
    if spans is None:
        spans = _lines(text)
    return [q for start, end in spans for q in _pair(text, start, end)]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each paragraph of `text`, without its line break: each line, but in
    hard-wrapped text (wire copy at ~65 characters a line) the lines a sentence runs over are one,
    so that a quotation there is not cut at the end of its first line (`nlp.hard_wrapped`)."""
    lines = _lines(text)
    if not hard_wrapped(text):
        return lines
    joined = [lines[0]]
    for start, end in lines[1:]:
        last_start, last_end = joined[-1]
        if runs_on(text[last_start:last_end].rsplit("\n", 1)[-1], text[start:end]):
            joined[-1] = (last_start, end)
        else:
            joined.append((start, end))
    return joined


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _pair(text: str, start: int, end: int) -> list[QuoteSpan]:
    found: list[QuoteSpan] = []
    opened: re.Match[str] | None = None
    # Marks inside left-over markup (<tweet author="x">) delimit attribute values, not quotations.
    tags = [(m.start(), m.end()) for m in _TAG.finditer(text, start, end)]
    apostrophes = {m.start() for m in _APOSTROPHE.finditer(text, start, end)}
    for mark in _MARK.finditer(text, start, end):
        if mark.start() in apostrophes or any(a < mark.start() < b for a, b in tags):
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
