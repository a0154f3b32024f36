"""The shape of a plain-text article: which lines are prose, headings, a title or a table of contents.

Lines are judged by features (word count, final punctuation, share of capitalised words, list
marks) and by their neighbours; a TOC is a run of list-like lines whose entries fuzzy-match
(rapidfuzz) heading-like lines elsewhere in the text, which is what tells it from a content list.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from storyline.model import TocEntry

QUOTE_MARKS = frozenset('"“”„«»‹›')
_QUOTE = re.compile(r"[\"“”„]|[«‹](?=\S)|(?<=\S)[»›]")
_CLOSERS = "\"'”’»›)]*"
_TERMINAL = ".!?…"
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*\.?")
_LIST_MARK = re.compile(r"^(?:[-–—•*·▪►◦]\s+|(?:\d{1,3}(?:\.\d{1,3})*[.)]|\(\d{1,3}\)|[ivx]{1,4}[.)])\s+)+")
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
_SMALL_WORDS = frozenset(_SMALL.split())
# Words a heading or headline never ends on: the line goes on in the next one.
_DANGLING = _SMALL_WORDS | frozenset(
    (
        _SMALL + " will would can could should may might must has have had been were said says who which "
        "whose where when while if because"
    ).split()
)
_TOC_HEADER = re.compile(
    r"(?:table of contents?|contents|in this (?:article|story|post|piece|guide|report)|on this page"
    r"|jump to(?: section)?|article (?:contents|sections|outline)|what(?:'|’)?s (?:inside|in this article)"
    r"|sections|toc)",
    re.IGNORECASE,
)
_TOC_MIN_SCORE = 88.0  # rapidfuzz ratio: tolerates case, quote style and a typo or two, not a rewording


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


def last_char(line: str) -> str:
    core = line.strip().rstrip(_CLOSERS)
    return core[-1] if core else ""


def is_sentence_like(line: str) -> bool:
    """Prose, or a list item: ends a sentence, or is too long to be a heading."""
    return last_char(line) in _TERMINAL + ":" or len(words(line)) >= 15


def is_prose(line: str) -> bool:
    """A real sentence of article text: long enough and finished, or quoting someone."""
    n = len(words(line))
    return (n >= 8 and last_char(line) in _TERMINAL) or n >= 25 or (has_quote(line) and n >= 4)


def title_case_ratio(tokens: Sequence[str]) -> float:
    """Share of capitalised words after the first (sentence case capitalises the first); numbers
    and function words do not count."""
    content = [w for w in tokens[1:] if w.casefold() not in _SMALL_WORDS and not w[0].isdigit()]
    if not content:
        content = list(tokens[:1])
    if not content:
        return 0.0
    return sum(1 for w in content if w[0].isupper() or w[0].isdigit()) / len(content)


def heading_level(line: str) -> int | None:
    """Level a line would have as a heading (2, or 3 for a sentence-case question), by shape alone."""
    s = line.strip()
    tokens = words(s)
    if not tokens or len(tokens) > 20 or len(s) > 200 or is_list_item(s):
        return None
    if last_char(s) in ".,;:…-–—!" or _dangles(tokens) or _unbalanced(s):
        return None
    if _SENTENCE_BREAK.search(s):
        return None
    title_case = title_case_ratio(tokens) >= 0.5
    if s.endswith("?"):
        return 2 if title_case and len(tokens) > 1 else 3
    # A longer line in sentence case, unfinished, is more often a wrapped sentence than a heading.
    if title_case or (len(tokens) <= 8 and (s[0].isupper() or s[0].isdigit())):
        return 2
    return None


def _dangles(tokens: Sequence[str]) -> bool:
    """Whether the line stops on a word that needs more after it; in a title-case line a final
    capitalised "About" or "For" ends the headline ("What the Strike Is Really About")."""
    last = tokens[-1]
    if last.casefold() not in _DANGLING:
        return False
    return not (len(tokens) > 2 and last[0].isupper() and title_case_ratio(tokens) >= 0.5)


def _unbalanced(s: str) -> bool:
    return s.count("(") != s.count(")") or s.count("[") != s.count("]")


def is_title_case(line: str) -> bool:
    return title_case_ratio(words(line)) >= 0.5


def looks_like_title(line: str, next_line: str = "") -> bool:
    """A headline: short, starts with a capital, is not a finished sentence, a list item, or the
    first part of a sentence that goes on in the next line."""
    s = line.strip()
    n = len(words(s))
    # A line ending in a dash goes on: "FORT DEVENS, Massachusetts -" is a dateline's first half.
    if not 1 <= n <= 25 or is_list_item(s) or last_char(s) in ".,;:…-–—":
        return False
    if _SENTENCE_BREAK.search(s) or _URL.search(s) or _dangles(words(s)):
        return False
    if next_line.strip()[:1].islower() and not is_title_case(s):
        return False
    return s[0].isupper() or s[0].isdigit() or s[0] in QUOTE_MARKS or is_title_case(s)


def goes_on(lines: Sequence[str], i: int, wrapped: bool) -> bool:
    """Whether the unfinished line `i` is the head of a sentence that the line right under it goes on
    with: in hard-wrapped text any line does, whatever its case (the first line of wire copy often
    stops inside a name: "Standard Oil Co and BP North America" / "Inc said ..."); elsewhere a
    line that starts with a lower-case word, or one that itself runs on into a third line."""
    line = lines[i].strip()
    below = lines[i + 1].strip() if i + 1 < len(lines) else ""
    if not below or last_char(line) in _TERMINAL:
        return False
    if wrapped or _runs_on(line, below):
        return True
    return i + 2 < len(lines) and _runs_on(below, lines[i + 2].strip())


def ends_open(line: str) -> bool:
    """Whether the line stops where a sentence cannot: on a comma, colon, dash or a word that needs
    more after it ("... according to")."""
    if last_char(line) in ",;:-–—":
        return True
    tokens = words(line)
    return bool(tokens) and last_char(line) not in _TERMINAL and _dangles(tokens)


def _runs_on(line: str, below: str) -> bool:
    """Whether `below` visibly continues the unfinished `line`: it opens with a lower-case word (not
    a name like "iPhone" under a headline in title case), or `line` stops on a comma or on a word
    that needs more after it."""
    if not below or last_char(line) in _TERMINAL:
        return False
    first = below.split()[0]
    if first[:1].islower():
        return first.islower() or not is_title_case(line)
    tokens = words(line)
    return line.rstrip().endswith(",") or bool(tokens and _dangles(tokens))


def is_table_row(lines: Sequence[str], i: int) -> bool:
    """Whether line `i` opens a run of three short unfinished lines, one right under another: the
    first row of a table ("Shr 34 cts vs 1.19 dlrs" / "Net 807,000 vs 2,858,000" / ...) or of a
    list, which a headline is not (in `find_headings` too, such runs are lists, not headings)."""
    run = lines[i : i + 3]
    return len(run) == 3 and all(line.strip() and not is_sentence_like(line) for line in run)


def repeats_title(line: str, title: str) -> bool:
    """Whether `line` is the given title again: the same words up to case, quote marks, punctuation
    and a typo, or the title's headline part ("Headline" of "Headline | The Outlet")."""
    key, given = _title_key(line), _title_key(title)
    if not key or not given:
        return False
    return key == given or fuzz.ratio(key, given) >= _TOC_MIN_SCORE or (len(key) > 15 and key in given)


def _title_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _is_closed(line: str) -> bool:
    return last_char(line) in _TERMINAL or is_list_item(line)


def is_hard_wrapped(lines: Sequence[str], body: Sequence[int]) -> bool:
    """Text wrapped at a fixed width: many lines stop mid-sentence and the next goes on in lowercase."""
    pairs = list(zip(body, body[1:], strict=False))
    broken = sum(
        1
        for a, b in pairs
        if b == a + 1 and last_char(lines[a]) not in _TERMINAL and lines[b].strip()[:1].islower()
    )
    return len(pairs) >= 4 and broken >= 0.3 * len(pairs)


def continues_sentence(lines: Sequence[str], i: int) -> bool:
    """Whether line `i` is the tail of a sentence broken by a fixed-width wrap ("...per\\nshare.")."""
    above = lines[i - 1] if i > 0 else ""
    line = lines[i]
    if not above or last_char(above) in _TERMINAL + ":" or len(words(above)) < 6:
        return False
    return line[:1].islower() or last_char(line) in _TERMINAL


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
    best, best_score = None, _TOC_MIN_SCORE
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
