"""Quoted words that name something rather than report speech: a title, a programme, a product, an
operation, a nickname (NBC's “Meet the Press”, a coin called the “Britannia”, C.N. “Bud” Moore).

Method: the shape of the quoted words (title case, a few of them) and where they stand — after a
word that introduces a name ("so-called", "known as"), inside a noun phrase (after a determiner, a
possessive, an adjective or a preposition, or before the noun they modify), between the parts of a
name, or set off by commas after a noun. Such a quotation gets no speech cue, whatever verb governs
its sentence ("Bentsen told NBC's “Meet the Press” ..."). Someone's own naming stays speech ("what
he called the “Evil Empire”"), as do a chant ("Feel the Bern!") and a headline's quote. Shape and
context only: no list of names. (PolNeAR annotates many quoted titles as attributed content: on its
bench these rules cost some recall and buy more precision on direct quotes.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyline.annotate.reported import CHARACTERISING_VERBS, is_speech, lemma_of
from storyline.annotate.speakers import cue_subject, is_animate

if TYPE_CHECKING:
    from spacy.tokens import Token

    from storyline.annotate.quotemarks import QuoteSpan

__all__ = ["names_something", "title_case", "words_of"]

_WORD = re.compile(r"[^\W_][\w'’.-]*")
_SMALL_WORDS = frozenset("a an and the of to for in on at by with or from".split())
# A title or a name is a few words; a longer quotation in title case is a headline's speech.
_TITLE_WORDS = 10
# Words that introduce a name or a term, whatever its case ("the so-called “bridge” financing",
# "pests known as “wereng”"): what follows is what a thing is called, not what someone said.
_NAMING = re.compile(
    r"(?:so-called|\b(?:(?:re)?named|(?:en)?titled|nicknamed|(?:known|billed) as))\s*$", re.IGNORECASE
)
# Verbs that introduce a name for words in title case ("a fare called “On The Town”", "a report
# headed “Exchange Rate Targets Set”"); before lower case they characterise ("called it “reckless”").
_NAMING_TITLED = re.compile(
    r"\b(?:called|dubbed|branded|labell?ed|termed|headed|headlined)(?:\s+(?:the|a|an|it|its))?\s*$",
    re.IGNORECASE,
)
# Tags of a word that leaves a noun phrase open: a determiner, possessive, adjective, number or noun
# before the quotation makes the quoted words that phrase's head ("the “Britannia”", "NBC's “Today”").
_OPENS_PHRASE = frozenset({"DT", "PDT", "PRP$", "WP$", "POS", "JJ", "JJR", "JJS", "NN", "NNS", "CD", "TO"})
_NOUNS = frozenset({"NN", "NNS", "NNP", "NNPS"})
_ADDRESSEE = frozenset({"dobj", "dative", "nsubj", "nsubjpass"})


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def title_case(words: Sequence[str]) -> bool:
    """Are `words` in title case: each capitalised, a number or a small word?"""
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _SMALL_WORDS for w in words)


def names_something(
    text: str, q: QuoteSpan, before: Sequence[Token], inside: Sequence[Token], after: Sequence[Token]
) -> bool:
    """Do the words of quotation `q` name something rather than report speech? `before`, `inside`
    and `after` are the tokens of the framing text before its marks, of the quoted words and of the
    framing text after (no line breaks)."""
    lead = text[before[0].idx : q.open] if before else ""
    if _NAMING.search(lead):
        return True
    words = words_of(text[q.start : q.end])
    if not title_case(words) or not any(w[0].isupper() for w in words) or len(words) > _TITLE_WORDS:
        return False
    if text[q.end - 1] in "!?" or _characterised(inside) or _headline(before, after):
        return False  # a chant or a question ("Feel the Bern!"), or title case all along the line
    if _NAMING_TITLED.search(lead):
        return True
    previous = before[-1] if before and not text[_end(before[-1]) : q.open].strip() else None
    following = after[0] if after and not text[q.close : after[0].idx].strip() else None
    return (
        _opens_phrase(previous)
        or _modifies(following)
        or _inside_name(previous, following)
        or _in_apposition(text, q, before, after if len(words) == 1 else ())
    )


def _headline(before: Sequence[Token], after: Sequence[Token]) -> bool:
    """Are the words around the quotation in title case too ("Zoe Saldana Asked Men To “Redefine
    Masculinity”")? In a headline, the quoted words' title case is the headline's."""
    words = [t.text for t in (*before, *after) if t.is_alpha]
    return len(words) >= 3 and title_case(words)


def _characterised(inside: Sequence[Token]) -> bool:
    """Does someone call something by the quoted words ("what he called his own “October
    Surprise”", "Friedan called Schlafly an “Aunt Tom”")? Those are the speaker's words: the
    nearest verb above them characterises, and has a subject who can speak. Not a participle
    ("a coin called the “Britannia”"): there nobody is said to call it so."""
    token = inside[0] if inside else None
    for _ in range(8):
        if token is None or token.head.i == token.i:
            return False
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            if lemma_of(token) not in CHARACTERISING_VERBS or token.dep_ in ("acl", "amod"):
                return False
            subject = cue_subject(token)
            return subject is not None and is_animate(subject)
    return False


def _end(token: Token) -> int:
    return token.idx + len(token)


def _opens_phrase(token: Token | None) -> bool:
    """ "the “Britannia”", "NBC's “Today”", "an Oscar for “The Color of Money”": a word that leaves
    a noun phrase open or a preposition, but not the person spoken to ("told reporters “No.”")."""
    if token is None or (token.tag_ not in _OPENS_PHRASE and token.dep_ != "prep"):
        return False
    return not _speaks_or_listens(token)


def _modifies(token: Token | None) -> bool:
    """ "its “Option Bonus” program", "the “Magic Kingdom” theme park": a noun right after the
    closing mark that the quoted words modify, not a speaker ("“Yes” Ann said")."""
    return token is not None and token.tag_ in ("NN", "NNS") and not _speaks_or_listens(token)


def _inside_name(previous: Token | None, following: Token | None) -> bool:
    """A nickname between a name's parts: C.N. “Bud” Moore, John “Bud” Frazier."""
    return (
        previous is not None
        and following is not None
        and previous.tag_ in ("NNP", "NNPS")
        and following.tag_ in ("NNP", "NNPS")
    )


def _in_apposition(text: str, q: QuoteSpan, before: Sequence[Token], after: Sequence[Token]) -> bool:
    """ "the ABC News program, “This Week With David Brinkley,” ...": a title set off by commas
    after the noun it names — not after a speaker or an addressee ("said the aide, “No Way.”"),
    nor before a speaker and a speech verb in `after` ("Asked about the plan, “Nonsense,” he said":
    the caller passes those tokens for one quoted word, an answer as often as a name)."""
    if len(before) < 2 or before[-1].text != "," or "," not in text[q.end : q.close + 1]:
        return False
    noun = before[-2]
    if noun.tag_ not in _NOUNS or _speaks_or_listens(noun):
        return False
    return not any(is_speech(t) and (s := cue_subject(t)) is not None and s.idx > q.close for t in after[:4])


def _speaks_or_listens(token: Token) -> bool:
    """Is `token` the subject or the object of a speech verb ("the aide said", "told reporters")?"""
    return token.tag_ in _NOUNS and token.dep_ in _ADDRESSEE and is_speech(token.head)
