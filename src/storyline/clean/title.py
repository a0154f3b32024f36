"""The title a plain text's first line gives: a headline, not the head of the first sentence, a
table's first row, a standfirst (the summary sentence under a headline) or the input's own title
written differently.

A line taken for the title leaves the text without a trace in `removed`, so a doubtful one stays
in the text: every test here can only decline the first line.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from rapidfuzz import fuzz

from storyline.clean.lineshape import (
    QUOTE_MARKS,
    SMALL_WORDS,
    breaks_sentence,
    dangles,
    has_url,
    is_list_item,
    is_title_case,
    last_char,
    words,
)
from storyline.clean.toc import SAME_TEXT_SCORE
from storyline.clean.wrapping import goes_on, is_table_row

__all__ = ["looks_like_title", "reads_as_standfirst", "repeats_title", "title_line"]

# Headlinese leaves out articles, the auxiliaries "be" and "have", and subject pronouns ("Ferry runs
# aground off island"); a standfirst is a sentence that keeps them ("The ferry had left the harbour
# an hour late when it ran aground"). Points for each, and for length and a clause after a comma;
# a kicker ("Ferry crash: what went wrong?") and a short question are headline forms. See
# `reads_as_standfirst` for the figures that set the weights.
_ARTICLES = frozenset({"the", "a", "an"})
_PAST_AUXILIARIES = frozenset({"was", "were", "had"})
_AUXILIARIES = frozenset({"is", "are", "has", "have", "been"})
_SENTENCE_OPENING = re.compile(
    r"(?:The|A|An|This|These|Those|That)\s|(?:He|She|It|They|We|I|There|You)(?:['’][a-z]+)?\s"
)
_CLAUSE = re.compile(r",\s+[a-z]")
_KICKER = re.compile(r"[^:]{1,40}:\s")
# Quoted words are someone else's sentence: "Captain 'had no idea the tide was out'" is headlinese.
_QUOTED = re.compile(r"[\"“„«][^\"“”„«»]*[\"”»]|(?<!\w)['‘][^'‘’]*['’](?!\w)")
_STANDFIRST_POINTS = 3


def title_line(
    lines: Sequence[str], kept: Sequence[int], reasons: Collection[int], given: str | None, wrapped: bool
) -> int | None:
    """The first kept line when it is the article's headline: shaped like one, the input's title
    again when the input gives one (else not a standfirst), neither the head of the first sentence
    (a line the one under it goes on) nor the first row of a table, and not the text's only line.

    On Reuters-21578, whose wire copy is wrapped at ~65 characters, 430 of the first 1,000 stories
    lost the first half of their first sentence ("Standard Oil Co and BP North America" / "Inc said
    they plan ...") or the first row of their earnings table when these were not checked.
    """
    if len(kept) < 2:
        return None  # a text of one line is all text: taking it for the title would leave nothing
    first = kept[0]
    if not looks_like_title(lines[first], lines[kept[1]]):
        return None
    # A line that repeats the input's title is the headline whatever its shape.
    if given and not repeats_title(lines[first], given):
        return None
    if not given and reads_as_standfirst(lines[first]):
        return None
    # Removed lines count as gaps: a headline over a byline is not the head of a sentence.
    visible = [line if i not in reasons else "" for i, line in enumerate(lines)]
    if goes_on(visible, first, wrapped) or is_table_row(visible, first):
        return None
    return first


def looks_like_title(line: str, next_line: str = "") -> bool:
    """A headline: short, starts with a capital, is not a finished sentence, a list item, or the
    first part of a sentence that goes on in the next line."""
    s = line.strip()
    n = len(words(s))
    # A line ending in a dash goes on: "FORT DEVENS, Massachusetts -" is a dateline's first half.
    if not 1 <= n <= 25 or is_list_item(s) or last_char(s) in ".,;:…-–—":
        return False
    if breaks_sentence(s) or has_url(s) or dangles(words(s)):
        return False
    if next_line.strip()[:1].islower() and not is_title_case(s):
        return False
    return s[0].isupper() or s[0].isdigit() or s[0] in QUOTE_MARKS or is_title_case(s)


def repeats_title(line: str, title: str) -> bool:
    """Whether `line` is the given title again: the same words up to case, quote marks, punctuation
    and a typo, or the title's headline part ("Headline" of "Headline | The Outlet")."""
    key, given = _title_key(line), _title_key(title)
    if not key or not given:
        return False
    return key == given or fuzz.ratio(key, given) >= SAME_TEXT_SCORE or (len(key) > 15 and key in given)


def _title_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def reads_as_standfirst(line: str) -> bool:
    """Whether a line shaped like a headline reads as a sentence: the standfirst that news sites
    put under the headline, which a text without its headline opens with.

    Only sentence-case lines are judged (two lower-case content words or more); the part before a
    ";" is the headline of a "headline; standfirst" line. On the 1,683 FNC-1 bodies, whose
    headlines are stored apart, 142 first lines were taken for titles; read by hand, 102 were
    standfirsts or lead sentences, 24 credits or other boilerplate, 16 headlines or short
    questions. These points decline 68 of the 102 and 1 of the 16; they decline 7 of the 927
    headlines over PolNeAr and ECB+ stories, and 63 of the 1,483 FNC-1 headlines, which are often
    whole sentences ("A ferry has run aground off the island's north coast").
    """
    main = _QUOTED.sub(" ", line.split(";")[0]).strip()
    tokens = words(main)
    if sum(1 for w in tokens if w[0].islower() and w.casefold() not in SMALL_WORDS) < 2:
        return False
    folded = [w.casefold() for w in tokens]
    points = 2 if _SENTENCE_OPENING.match(main) else 0
    if _PAST_AUXILIARIES.intersection(folded):
        points += 2
    elif _AUXILIARIES.intersection(folded):
        points += 1
    points += min(2, sum(1 for w in folded[1:] if w in _ARTICLES))
    points += bool(_CLAUSE.search(main)) + (len(tokens) >= 16) + (len(tokens) >= 20)
    points -= 2 * bool(_KICKER.match(main)) + (main.endswith("?") and len(tokens) < 14)
    return points >= _STANDFIRST_POINTS
