"""Tables of contents in plain text: found, matched to the headings they point at, and turned into
`TocEntry`s that index the cleaned text.

A TOC is a run of list-like lines whose entries fuzzy-match (rapidfuzz) lines that open a section
elsewhere in the text, which is what tells it from a content list.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from storyline.clean.lineshape import is_list_item, is_sentence_like, last_char, strip_list_mark, words
from storyline.model import TocEntry

__all__ = ["SAME_TEXT_SCORE", "TocBlock", "find_tocs", "is_toc_header", "toc_entries"]

_TOC_HEADER = re.compile(
    r"(?:table of contents?|contents|in this (?:article|story|post|piece|guide|report)|on this page"
    r"|jump to(?: section)?|article (?:contents|sections|outline)|what(?:'|’)?s (?:inside|in this article)"
    r"|sections|toc)",
    re.IGNORECASE,
)
SAME_TEXT_SCORE = 88.0  # rapidfuzz ratio: tolerates case, quote style and a typo or two, not a rewording


@dataclass(frozen=True)
class TocBlock:
    """A table of contents: its header line (if any), entry lines, entry titles and matched lines."""

    header: int | None
    entries: tuple[int, ...]
    titles: tuple[str, ...]
    targets: tuple[int | None, ...]

    @property
    def lines(self) -> tuple[int, ...]:
        return ((self.header,) if self.header is not None else ()) + self.entries


def is_toc_header(line: str) -> bool:
    key = re.sub(r"^[\W_]+|[\W_]+$", "", line.strip())
    return _TOC_HEADER.fullmatch(key) is not None


def find_tocs(lines: Sequence[str], skip: Collection[int] = ()) -> list[TocBlock]:
    """Tables of contents: after a header, a run of entries half of which repeat other lines;
    without a header, a run of three or more list items that nearly all do."""
    # What an entry may point at: short lines that open a section (computed once per text).
    sections = [
        (j, _normal(line)) for j, line in enumerate(lines) if j not in skip and _opens_section(lines, j, skip)
    ]
    blocks: list[TocBlock] = []
    i = 0
    while i < len(lines):
        header = i if i not in skip and is_toc_header(lines[i]) else None
        start = i + 1 if header is not None else i
        entries = _entry_run(lines, start, skip, need_mark=header is None)
        block = _verify(lines, header, entries, sections) if entries else None
        if block is not None:
            blocks.append(block)
            i = block.lines[-1] + 1
        elif header is None and entries:
            i = entries[-1] + 1  # a list that is not a TOC; its tail is not one either
        else:
            i += 1
    return blocks


def _entry_run(lines: Sequence[str], start: int, skip: Collection[int], need_mark: bool) -> list[int]:
    """Short lines after `start`; once the first entry has a list mark, every entry needs one."""
    run: list[int] = []
    j = start
    while j < len(lines):
        s = lines[j].strip()
        if not s:
            if need_mark and not run:
                break
            j += 1
            continue
        marked = is_list_item(s)
        if j in skip or not 1 <= len(words(s)) <= 30 or (need_mark and not marked):
            break
        if not marked and last_char(s) in ".,;:":
            break
        run.append(j)
        need_mark = need_mark or (len(run) == 1 and marked)
        j += 1
    # An unmarked TOC runs straight into the first heading, which repeats its first entry.
    while len(run) > 1 and any(_normal(lines[run[-1]]) == _normal(lines[e]) for e in run[:-1]):
        run.pop()
    return run


def _normal(text: str) -> str:
    return " ".join(strip_list_mark(text).replace("’", "'").casefold().split())


def _verify(
    lines: Sequence[str], header: int | None, entries: list[int], sections: Sequence[tuple[int, str]]
) -> TocBlock | None:
    """Match entries in order to later section lines (falling back to any), then count matches."""
    if header is None and len(entries) < 3:
        return None
    own = set(entries) | {header}
    pool = [p for p in sections if p[0] not in own]
    cursor = entries[-1] + 1
    targets: list[int | None] = []
    for e in entries:
        entry = _normal(lines[e])
        target = _best_match(entry, [p for p in pool if p[0] >= cursor])
        if target is None:
            target = _best_match(entry, pool)
        else:
            cursor = target + 1
        targets.append(target)
    matched = sum(t is not None for t in targets) / len(entries)
    if matched < (0.5 if header is not None else 0.8):
        return None
    titles = tuple(strip_list_mark(lines[e]) for e in entries)
    return TocBlock(header, tuple(entries), titles, tuple(targets))


def _opens_section(lines: Sequence[str], j: int, skip: Collection[int]) -> bool:
    """A short line with prose (or a list) under it: what a TOC entry points at, unlike a menu item."""
    line = lines[j]
    if not line.strip() or len(words(line)) > 25 or is_list_item(line):
        return False
    nxt = next((k for k in range(j + 1, len(lines)) if lines[k].strip() and k not in skip), None)
    return nxt is not None and (is_sentence_like(lines[nxt]) or is_list_item(lines[nxt]))


def _best_match(entry: str, pool: Sequence[tuple[int, str]]) -> int | None:
    best, best_score = None, SAME_TEXT_SCORE
    for j, text in pool:
        score = fuzz.ratio(entry, text)
        if score > best_score or (score == best_score and best is None):
            best, best_score = j, score
    return best


def toc_entries(
    tocs: Sequence[TocBlock], body: Sequence[int], offsets: Mapping[int, int], end: int
) -> tuple[TocEntry, ...]:
    """Each entry starts at its heading in the cleaned text, or where the TOC stood if none matched."""
    entries: list[TocEntry] = []
    for block in tocs:
        after = next((offsets[i] for i in body if i > block.lines[-1]), end)
        for title, target in zip(block.titles, block.targets, strict=True):
            start = offsets.get(target, after) if target is not None else after
            entries.append(TocEntry(title, start))
    return tuple(entries)
