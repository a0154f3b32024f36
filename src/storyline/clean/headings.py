"""Section headings of a plain-text article: which short lines open a section of prose.

Lines are judged by their shape (word count, final punctuation, share of capitalised words, list
marks; see `lineshape`) and by their neighbours: a heading stands over prose, alone or with one
sub-heading, while three short lines in a row are a list.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from storyline.clean.lineshape import (
    TERMINAL,
    breaks_sentence,
    dangles,
    is_list_item,
    is_sentence_like,
    is_title_case,
    last_char,
    title_case_ratio,
    words,
)
from storyline.clean.wrapping import goes_on, is_hard_wrapped, is_table_row

__all__ = ["find_headings", "heading_level"]


def heading_level(line: str) -> int | None:
    """Level a line would have as a heading (2, or 3 for a sentence-case question), by shape alone."""
    s = line.strip()
    tokens = words(s)
    if not tokens or len(tokens) > 20 or len(s) > 200 or is_list_item(s):
        return None
    if last_char(s) in ".,;:…-–—!" or dangles(tokens) or _unbalanced(s):
        return None
    if breaks_sentence(s):
        return None
    title_case = title_case_ratio(tokens) >= 0.5
    if s.endswith("?"):
        return 2 if title_case and len(tokens) > 1 else 3
    # A longer line in sentence case, unfinished, is more often a wrapped sentence than a heading.
    if title_case or (len(tokens) <= 8 and (s[0].isupper() or s[0].isdigit())):
        return 2
    return None


def _unbalanced(s: str) -> bool:
    return s.count("(") != s.count(")") or s.count("[") != s.count("]")


def _is_closed(line: str) -> bool:
    return last_char(line) in TERMINAL or is_list_item(line)


def find_headings(
    lines: Sequence[str], body: Sequence[int], forced: Collection[int] = (), wrapped: bool = False
) -> dict[int, int]:
    """Heading levels of body lines (indices into `lines`, in order) that open a section of prose.

    A candidate heading must be followed by prose or a list, directly or after one more candidate
    (a section and a sub-section); three or more candidates in a row are a list of short lines.
    `wrapped` says the text is known to be hard-wrapped; otherwise `is_hard_wrapped` judges.
    """
    shapes = [heading_level(lines[i]) for i in body]
    wrapped = wrapped or is_hard_wrapped(lines, body)
    levels: dict[int, int] = {}
    pos = 0
    while pos < len(body):
        if shapes[pos] is None:
            pos += 1
            continue
        end = pos
        while end < len(body) and shapes[end] is not None:
            end += 1
        run = range(pos, end)
        opens = end < len(body) and is_sentence_like(lines[body[end]])
        after_close = pos == 0 or _is_closed(lines[body[pos - 1]])
        if len(run) <= 2 and opens and after_close:
            for k in run:
                if _fits_context(lines, body, k, wrapped):
                    levels[body[k]] = shapes[k] or 2
        pos = end
    for i in forced:
        levels.setdefault(i, heading_level(lines[i]) or (3 if lines[i].rstrip().endswith("?") else 2))
    return levels


def _fits_context(lines: Sequence[str], body: Sequence[int], k: int, wrapped: bool) -> bool:
    line = lines[body[k]]
    nxt = lines[body[k + 1]].strip() if k + 1 < len(body) else ""
    if nxt[:1].islower() and not is_title_case(line) and not line.rstrip().endswith("?"):
        return False  # the line is the start of a sentence that goes on below
    i = body[k]
    if i == body[0] and _opens_sentence(lines, body, wrapped):
        return False  # as for a title (see `goes_on`): the text's first line is no heading either
    if wrapped:
        return (i == 0 or not lines[i - 1].strip()) or (i + 1 < len(lines) and not lines[i + 1].strip())
    return True


def _opens_sentence(lines: Sequence[str], body: Sequence[int], wrapped: bool) -> bool:
    """Whether the first body line is the head of a sentence that the next body lines go on with."""
    shown = set(body)
    visible = [line if j in shown else "" for j, line in enumerate(lines)]
    return goes_on(visible, body[0], wrapped) or is_table_row(visible, body[0])
