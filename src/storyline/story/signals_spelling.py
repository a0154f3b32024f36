"""The misspelling signal: lower-case words missing from an English word list, one edit from a common word.

The list is pyspellchecker's English frequency list (about 160,000 word forms, MIT licence); names,
British spellings, inflections, contractions and words other sources of the story use are let through.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from storyline.errors import ModelMissingError
from storyline.model import Article, Cite, Signal
from storyline.story.signals_text import URLISH, per_1000, token_around

if TYPE_CHECKING:
    from spellchecker import SpellChecker

# A word counts as misspelt only when all of these hold: it is all lower case (capitalised words are
# names, acronyms or sentence starts, which a word list cannot judge), at least three letters, not
# glued to a digit ("20th"), not part of a URL, not inside or equal to a named-entity mention ("smith"
# typed in lower case is a casing slip, not a spelling one), not used by another source of the story
# (two outlets rarely make the same typo; they do share new coinages), not in pyspellchecker's English
# frequency list (about 160,000 word forms) even after the regular British-to-American rewrites
# below, and one edit (insert, delete, swap, replace) away from a listed word: slips like "recieve" and
# "goverment" are, while new coinages and foreign words mostly are not.
MISSPELLING_MIN = 2
MISSPELLING_PER_1000 = 0.5
# The word meant must be a common one (count in the list's corpus): unknown words one edit from a
# rare word were mostly new coinages on ECB+ news ("helmed", "botnets"), slips mostly miss a common one.
COMMON = 10_000
_SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ness")
_SPELL_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# The list is American-leaning ("color" but not "colour"): regular British endings are rewritten
# before the look-up, and the few irregular pairs are listed.
_BRITISH = (
    (re.compile(r"our(?=(?:s|ed|ing|ite|ites|able|ably|er|ers|ful|less|ly|hood)?$)"), "or"),
    (re.compile(r"is(?=(?:e|es|ed|ing|er|ers|ation|ations|ational)$)"), "iz"),
    (re.compile(r"ys(?=(?:e|es|ed|ing|er|ers)$)"), "yz"),
    (re.compile(r"(?<=[^aeiou])red$"), "ered"),
    (re.compile(r"(?<=[^aeiou])re(?=s?$)"), "er"),
    (re.compile(r"ence(?=s?$)"), "ense"),
    (re.compile(r"ll(?=(?:ed|ing|er|ers|or|ors|ery)$)"), "l"),
    (re.compile(r"ogue(?=s?$)"), "og"),
    (re.compile(r"mme(?=s?$)"), "m"),
    (re.compile(r"(?<=[dg])ement(?=s?$)"), "ment"),
    (re.compile(r"ae|oe"), "e"),
    (re.compile(r"^sc(?=ept)"), "sk"),
    (re.compile(r"ould(?=(?:s|ed|ing|er|ers|y)?$)"), "old"),
)
_IRREGULAR = {
    "cheque": "check",
    "aluminium": "aluminum",
    "kerb": "curb",
    "pyjamas": "pajamas",
    "draught": "draft",
    "gaol": "jail",
    "jewellery": "jewelry",
    "tyre": "tire",
}


def misspellings(
    article: Article, word_count: int, names: set[str], shared: set[str], mentions: list[tuple[int, int]]
) -> Signal | None:
    """Misspelt words per 1,000 words; `names` are entity name tokens, `shared` words other sources use."""
    if not article.language.startswith("en"):
        return None
    exempt = names | shared
    vocabulary = _dictionary().word_frequency
    cites = []
    for m in _SPELL_WORD.finditer(article.text):
        word = _plain(m.group())
        if word in vocabulary or word.lower() in exempt:  # the look-up settles most words at once
            continue
        if _checkable(article.text, m.start(), m.end(), mentions) and _misspelt(word):
            cites.append(Cite(article.id, m.start(), m.end()))
    rate = per_1000(len(cites), word_count)
    if len(cites) < MISSPELLING_MIN or rate < MISSPELLING_PER_1000:
        return None
    return Signal(article.id, "misspelling", rate, tuple(cites))


def spelling_words(text: str) -> set[str]:
    """The lower-case words of a text, as the spelling check compares them."""
    return {_plain(w) for w in _SPELL_WORD.findall(text) if w == w.lower()}


def plain_words(text: str) -> set[str]:
    """Every word of a text as `misspellings` looks it up among the names (lower-cased)."""
    return {_plain(w).lower() for w in _SPELL_WORD.findall(text)}


def _checkable(text: str, start: int, end: int, mentions: list[tuple[int, int]]) -> bool:
    word = text[start:end]
    if len(word) < 3 or word != word.lower():
        return False
    # Glued to a digit ("20th") or a piece of a hyphenated compound ("cyber-", "walkie-talkie").
    if (start > 0 and (text[start - 1].isdigit() or text[start - 1] == "-")) or (
        end < len(text) and (text[end].isdigit() or text[end] == "-")
    ):
        return False
    if any(s <= start and end <= e for s, e in mentions):
        return False
    left, right = token_around(text, start, end)
    return URLISH.search(text[left:right]) is None and not text[left:start].startswith(("#", "@"))


def _plain(word: str) -> str:
    word = word.replace("’", "'")
    return word[:-2] if word.endswith("'s") else word.rstrip("'")


def _misspelt(word: str) -> bool:
    if _known(word) or _inflected(word) or _contracted(word):
        return False
    checker = _dictionary()
    meant = [w for w in checker.known(checker.edit_distance_1(word)) if checker.word_frequency[w] >= COMMON]
    if len(word) <= 4:
        # Short unknown words are mostly abbreviations and slang ("mph", "bio", "exe"); among them
        # only two swapped letters of a common word ("teh", "adn") is reliably a slip.
        meant = [w for w in meant if sorted(w) == sorted(word)]
    return bool(meant)


def _inflected(word: str) -> bool:
    """A listed word with a regular ending the list lacks: "ramping", "mitigations", "tyres".

    A stem ending in "e" before a vowel ending ("takeing") is a slip, not an inflection.
    """
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        slip = stem.endswith("e") and suffix[0] in "aeiou"
        if word.endswith(suffix) and len(stem) >= 3 and not slip and _known(stem):
            return True
    return False


def _contracted(word: str) -> bool:
    """ "could've", or "couldn" from "couldn ’ t" split by a tokeniser."""
    head, _, tail = word.partition("'")
    if tail in ("ve", "ll", "d", "re", "s", "m", "t") and _known(head):
        return True
    return word.endswith("n") and _known(word + "'t")


def _known(word: str) -> bool:
    vocabulary = _dictionary().word_frequency
    if word in vocabulary or _IRREGULAR.get(word, "") in vocabulary:
        return True
    american = word
    for pattern, replacement in _BRITISH:
        american = pattern.sub(replacement, american)
        if american in vocabulary:
            return True
    return False


@functools.cache
def _dictionary() -> SpellChecker:
    try:
        from spellchecker import SpellChecker
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ModelMissingError("pyspellchecker", "the misspelling signal needs its word list") from exc
    return SpellChecker(language="en", distance=1)
