"""Reliability signals read from one article's own text: debris, repeats, padding, typing slips.

Each function looks at one `Article` and returns a `Signal` when its measure passes the threshold
named beside it (see `storyline.story.signals` for the list), with the spans that show it. Pattern
rules over the cleaned text; the spelling check is in `signals_spelling`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from itertools import combinations

from storyline.model import Article, Cite, Signal

# Lines the cleaner dropped as debris. Bylines, datelines and tables of contents are ordinary parts
# of a page and have their own signals (or none), so they do not count here.
DEBRIS_REASONS = (
    "navigation",
    "teaser",
    "share",
    "advertisement",
    "legal",
    "caption",
    "comments",
    "author_bio",
)
DEBRIS_LINES = 3  # an author bio and a comments link close many good pages: it takes more than two
REPEAT_WORDS = 3  # a line repeated word for word counts from three words ("Read more" does not)
NEAR_REPEAT_WORDS = 8  # a rewritten paragraph counts from eight words, when its shingles overlap
NEAR_REPEAT_JACCARD = 0.6  # one changed word in a 16-word paragraph leaves 0.7
# Contents entries per 1,000 words: a long read with a real outline has one section per few hundred
# words (2-3 per 1,000); a page padded with SEO sections has one per hundred or so.
TOC_MIN_ENTRIES = 6
TOC_PER_1000 = 5.0
MISSING_SPACE_MIN = 2  # one slip is a typo; two or more, and at this rate, are a careless page
MISSING_SPACE_PER_1000 = 1.0
LOWERCASE_MIN = 2

WORD = re.compile(r"\w+(?:['’-]\w+)*")
_LINE = re.compile(r"[^\n]+")
# A sentence mark glued to the next word: "said.The", "U.S.President", "Dr.Smith", "says.”Though",
# "peace,while". After a full stop the next word must be capitalised prose (a capital, then a small
# letter), so "U.S", "Ph.D" and ".NET" never match; after a comma or colon it must be two letters,
# so "1,000" and "10:30" never match.
_GLUED_STOP = re.compile(r"(?<=[^\W\d_])[.!?][”\"’)]?(?=[A-Z][a-z])")
_GLUED_COMMA = re.compile(r"(?<=[^\W_])[,;:][“”\"‘’]?(?=[^\W\d_]{2})")
# "W.Va", "N.Y.": an initial, then a capital and at most one small letter, is an abbreviation.
_ABBREVIATION = re.compile(r"[A-Z]\.[A-Z][a-z]?\b")
URLISH = re.compile(r"://|www\.|@|\.(?:com|org|net|gov|edu)\b", re.IGNORECASE)
_OPENERS = "\"'“‘«([-–—•*· \t"
_CLOSERS = "\"'”’»)]"


def words(text: str) -> int:
    return len(WORD.findall(text))


def per_1000(count: int, total: int) -> float:
    return round(1000 * count / max(total, 1), 1)


def debris(article: Article) -> Signal | None:
    """Lines the cleaner removed as navigation, teasers, widgets, ads, legal notes or bios."""
    lines = [r for r in article.removed if r.reason in DEBRIS_REASONS]
    if len(lines) < DEBRIS_LINES:
        return None
    evidence = tuple(
        f"line {r.line} ({r.reason}): {r.text}" if r.line else f"({r.reason}) {r.text}" for r in lines
    )
    return Signal(article.id, "boilerplate", len(lines), evidence)


def repeated_headings(article: Article) -> Signal | None:
    """Section headings that occur more than once: the same section twice in one article."""
    seen: dict[str, list[Cite]] = defaultdict(list)
    for h in article.headings:
        seen[_key(article.text[h.start : h.end])].append(Cite(article.id, h.start, h.end))
    repeats = [cites for key, cites in seen.items() if key and len(cites) > 1]
    if not repeats:
        return None
    extra = sum(len(c) - 1 for c in repeats)
    return Signal(article.id, "repeated_heading", extra, tuple(c for cites in repeats for c in cites))


def repeated_paragraphs(article: Article) -> Signal | None:
    """Paragraphs (lines) that repeat an earlier one word for word, or nearly (shingle Jaccard)."""
    heads = {(h.start, h.end) for h in article.headings}
    paras = [(m.start(), m.end()) for m in _LINE.finditer(article.text) if (m.start(), m.end()) not in heads]
    keys = {span: _key(article.text[span[0] : span[1]]) for span in paras}
    shingles = {span: _shingles(keys[span]) for span in paras if len(keys[span].split()) >= NEAR_REPEAT_WORDS}
    repeats: list[tuple[tuple[int, int], tuple[int, int]]] = []
    first_seen: dict[str, tuple[int, int]] = {}
    for span in paras:
        if len(keys[span].split()) >= REPEAT_WORDS and keys[span] in first_seen:
            repeats.append((first_seen[keys[span]], span))
        first_seen.setdefault(keys[span], span)
    verbatim = {later for _, later in repeats}
    for first, later in combinations(list(shingles), 2):
        if later not in verbatim and _near(shingles[first], shingles[later]):
            repeats.append((first, later))
            verbatim.add(later)
    repeats.sort(key=lambda pair: pair[1])
    if not repeats:
        return None
    evidence = tuple(Cite(article.id, s, e) for pair in repeats for s, e in pair)
    return Signal(article.id, "repeated_paragraph", len(repeats), evidence)


def oversized_toc(article: Article, word_count: int) -> Signal | None:
    """A table of contents with many more entries than the text has substance for."""
    entries = len(article.toc)
    rate = per_1000(entries, word_count)
    if entries < TOC_MIN_ENTRIES or rate < TOC_PER_1000:
        return None
    note = (
        f"{entries} contents entries for {word_count:,} words: one section per {word_count // entries} words"
    )
    return Signal(article.id, "toc_oversized", rate, (note,))


def missing_spaces(article: Article, word_count: int) -> Signal | None:
    """Punctuation glued to the next word ("said.The", "peace,while"), per 1,000 words."""
    cites = [Cite(article.id, *span) for span in glued_punctuation(article.text)]
    rate = per_1000(len(cites), word_count)
    if len(cites) < MISSING_SPACE_MIN or rate < MISSING_SPACE_PER_1000:
        return None
    return Signal(article.id, "missing_space", rate, tuple(cites))


def glued_punctuation(text: str) -> list[tuple[int, int]]:
    """Spans "word.Word" / "word,word" (the two words around the mark), outside URLs and e-mails."""
    out = []
    for match in sorted([*_GLUED_STOP.finditer(text), *_GLUED_COMMA.finditer(text)], key=lambda m: m.start()):
        start, end = token_around(text, match.start(), match.end())
        if URLISH.search(text[start:end]) or (match.group()[0] == ":" and "/" in text[start:end]):
            continue
        if _ABBREVIATION.match(text, _word_start(text, match.start())):
            continue
        out.append((_initials_start(text, _word_start(text, match.start())), _word_end(text, match.end())))
    return out


def _initials_start(text: str, i: int) -> int:
    """Back over dotted initials before a word, so "U.S.President" is cited whole."""
    while i >= 2 and text[i - 1] == "." and text[i - 2].isalpha() and (i < 3 or not text[i - 3].isalnum()):
        i -= 2
    return i


def lowercase_starts(article: Article) -> Signal | None:
    """Sentences whose first word is in lower case after a full stop or at a line's start."""
    heading_ends = {h.end for h in article.headings}
    cites = [c for c in (_lowercase_start(article, s, e, heading_ends) for s, e in article.sentences) if c]
    if len(cites) < LOWERCASE_MIN:
        return None
    return Signal(article.id, "lowercase_start", len(cites), tuple(cites))


def _lowercase_start(article: Article, start: int, end: int, heading_ends: set[int]) -> Cite | None:
    text = article.text
    i = start
    while i < end and text[i] in _OPENERS:
        i += 1
    word_end = _word_end(text, i)
    word = text[i:word_end]
    # "iPhone", "eBay": a capital inside the word marks a name written that way on purpose.
    if not word or not word[0].islower() or not word[:1].isalpha() or word != word.lower():
        return None
    if not _starts_sentence(text, start, heading_ends):
        return None
    stop = _word_end(text, _next_word(text, _next_word(text, word_end)))
    return Cite(article.id, start, min(end, stop))


def _starts_sentence(text: str, start: int, heading_ends: set[int]) -> bool:
    """Whether a new sentence may begin here: after a full stop, a heading or a blank line.

    After a comma or colon the "sentence" is a splitter's cut inside one sentence; after a line that
    ends in a word it is a hard-wrapped line going on (the cleaner keeps input lines as they are).
    """
    before = text[:start].rstrip(" \t")
    previous = before.rstrip()
    if not previous or (
        before.endswith("\n") and ("\n\n" in before[len(previous) :] or len(previous) in heading_ends)
    ):
        return True
    return previous.rstrip(_CLOSERS).endswith((".", "!", "?"))


def _next_word(text: str, i: int) -> int:
    while i < len(text) and not text[i].isalnum() and text[i] != "\n":
        i += 1
    return i


def _word_start(text: str, i: int) -> int:
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] in "'’-"):
        i -= 1
    return i


def _word_end(text: str, i: int) -> int:
    while i < len(text) and (text[i].isalnum() or text[i] in "'’-"):
        i += 1
    return i


def token_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The whitespace-delimited token holding text[start:end]."""
    left = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    right = min((p for p in (text.find(" ", end), text.find("\n", end)) if p >= 0), default=len(text))
    return left, right


def _key(text: str) -> str:
    """Text compared for sameness: case, accents, quotes and punctuation set aside."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(WORD.findall(folded.replace("’", "'")))


def _shingles(key: str, size: int = 3) -> set[tuple[str, ...]]:
    tokens = key.split()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def _near(a: set[tuple[str, ...]] | None, b: set[tuple[str, ...]] | None) -> bool:
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= NEAR_REPEAT_JACCARD
