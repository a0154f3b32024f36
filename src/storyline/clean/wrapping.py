"""Sentences that run across lines: text hard-wrapped at a fixed width, a line the next one goes on
with, the tail of a broken sentence, and the rows of a table.

Judged from the lines' shapes (final punctuation, the case of the next line's first word), which
is what tells the head of a wire story's first sentence from a headline above it.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.clean.lineshape import TERMINAL, dangles, is_sentence_like, is_title_case, last_char, words

__all__ = ["continues_sentence", "goes_on", "is_hard_wrapped", "is_table_row"]


def is_hard_wrapped(lines: Sequence[str], body: Sequence[int]) -> bool:
    """Text wrapped at a fixed width: many lines stop mid-sentence and the next goes on in lowercase."""
    pairs = list(zip(body, body[1:], strict=False))
    broken = sum(
        1
        for a, b in pairs
        if b == a + 1 and last_char(lines[a]) not in TERMINAL and lines[b].strip()[:1].islower()
    )
    return len(pairs) >= 4 and broken >= 0.3 * len(pairs)


def continues_sentence(lines: Sequence[str], i: int) -> bool:
    """Whether line `i` is the tail of a sentence broken by a fixed-width wrap ("...per\\nshare.")."""
    above = lines[i - 1] if i > 0 else ""
    line = lines[i]
    if not above or last_char(above) in TERMINAL + ":" or len(words(above)) < 6:
        return False
    return line[:1].islower() or last_char(line) in TERMINAL


def goes_on(lines: Sequence[str], i: int, wrapped: bool) -> bool:
    """Whether the unfinished line `i` is the head of a sentence that the line right under it goes on
    with: in hard-wrapped text any line does, whatever its case (the first line of wire copy often
    stops inside a name: "Standard Oil Co and BP North America" / "Inc said ..."); elsewhere a
    line that starts with a lower-case word, or one that itself runs on into a third line."""
    line = lines[i].strip()
    below = lines[i + 1].strip() if i + 1 < len(lines) else ""
    if not below or last_char(line) in TERMINAL:
        return False
    if wrapped or _runs_on(line, below):
        return True
    return i + 2 < len(lines) and _runs_on(below, lines[i + 2].strip())


def _runs_on(line: str, below: str) -> bool:
    """Whether `below` visibly continues the unfinished `line`: it opens with a lower-case word (not
    a name like "iPhone" under a headline in title case), or `line` stops on a comma or on a word
    that needs more after it."""
    if not below or last_char(line) in TERMINAL:
        return False
    first = below.split()[0]
    if first[:1].islower():
        return first.islower() or not is_title_case(line)
    tokens = words(line)
    return line.rstrip().endswith(",") or bool(tokens and dangles(tokens))


def is_table_row(lines: Sequence[str], i: int) -> bool:
    """Whether line `i` opens a run of three short unfinished lines, one right under another: the
    first row of a table ("Shr 34 cts vs 1.19 dlrs" / "Net 807,000 vs 2,858,000" / ...) or of a
    list, which a headline is not (in `headings.find_headings` too, such runs are lists, not headings)."""
    run = lines[i : i + 3]
    return len(run) == 3 and all(line.strip() and not is_sentence_like(line) for line in run)
