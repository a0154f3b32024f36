"""Which way a time expression without a year points from the publication day: ahead ("will meet on
Monday", "talks to resume on Monday", "are meeting on Monday", "from Monday"), back ("met on
Monday", "since Monday"), or either way (a headline's bare present). Read from the tense of the
clause in spaCy's parse, with cue words for text parsed without a tagger.

The full reading is for weekdays, which lie within a week either way. A month or a day of the
month keeps to cue words and a future or past verb: a plan's tense says little about the period
it names ("is expected to show an improvement in February", published in March, is about the
February just gone), and the nearest-date rule already places near plans ahead. On the first
4,000 Reuters-21578 stories the full reading moved 124 months and days of the month, many of them
wrongly (a month just gone read as next year's).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["Direction", "cue_direction", "is_heading", "weekday_direction"]

Direction = Literal["ahead", "back", "nearest"]
_Tense = Literal["future", "present", "perfect", "past"]

# The cue words that are all an untagged text gives (timeline evaluation runs without the tagger).
# A plan told in the past ("was due to", "had been scheduled") is no cue: see `_planned`.
_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|won['’]t|to be held|upcoming)\b|['’]ll\b|(?<!was )(?<!were )(?<!had been )"
    r"\b(?:scheduled|due to|is due|are due|expected to|set to|plans? to|planned)\b",
    re.IGNORECASE,
)
# A preposition that points ahead of its clause's time: in a present or future clause ahead of
# the publication day ("the surcharge applies from Monday", "talks run until Friday"), in a past
# one behind it ("the strike lasted until Friday").
_AHEAD_OF_CLAUSE = re.compile(
    r"\b(?:from|until|till|by|through|starting|beginning|effective|as\s+of)\s+(?:next\s+)?$", re.I
)
# "Set for Monday", "called a vote for Monday": "for" a day names when a plan falls, ahead of
# the clause; "since Monday" always lies behind.
_FOR = re.compile(r"\bfor\s+$", re.IGNORECASE)
_SINCE = re.compile(r"\bsince\s+$", re.IGNORECASE)
# A possessive makes the day a determiner ("by Monday's vote"): the preposition belongs to the noun.
_POSSESSIVE = re.compile(r"['’]s\b")
_WILL = frozenset({"will", "shall", "'ll", "’ll", "wo", "would", "'d"})
# Not "could": as the past of "can" it reports ("he could give no reason on Friday").
_MODAL = frozenset({"may", "might", "should", "must", "can", "ca", "ought"})
# A present with these is a habit ("generally announces a tender on Monday"), not a timetable.
_HABITUAL = frozenset(
    {"generally", "usually", "normally", "always", "often", "typically", "regularly", "routinely"}
)
_SENTENCE_END = tuple(".!?;:\"'”’)…")


def weekday_direction(
    doc: Doc, sentence_start: int, start: int, end: int, *, heading: bool
) -> Direction | None:
    """Where the weekday at `start:end` lies from the publication day, None when nothing says.

    English tenses mark it: a plan in the present progressive ("are meeting on Monday"), in an
    infinitive whose clause is not past ("talks to resume", "has agreed to meet") or in the simple
    present of a timetable ("the council meets on Monday") lies ahead. A headline's bare present
    reports the past as often as it announces ("Fed cuts rates Monday"): there only the nearest
    day is safe."""
    text = doc.text
    before = text[max(sentence_start, start - 30) : start]
    if _SINCE.search(before):
        return "back"
    verb, through_subject = _governing_verb(doc, start)
    if verb is not None:
        # The subject's own day ("an announcement late Friday means ...") is no plan of the verb's.
        found = _from_parse(
            verb, before, _POSSESSIVE.match(text, end) is not None, heading, not through_subject
        )
        if found is not None:
            return found
    if _FUTURE_CUE.search(text[max(sentence_start, start - 60) : start]):
        return "ahead"
    return "nearest" if heading else None


def cue_direction(doc: Doc, sentence_start: int, start: int) -> Direction | None:
    """Where a month or a day of the month lies: ahead after a cue word ("will", "scheduled") or
    with a future verb, back with a past or perfect one, else None (the nearest such date)."""
    if _FUTURE_CUE.search(doc.text[max(sentence_start, start - 60) : start]):
        return "ahead"
    verb, _ = _governing_verb(doc, start)
    if verb is None:
        return None
    auxes = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if auxes & {"will", "would", "shall", "'ll"}:
        return "ahead"
    if verb.tag_ == "VBD" or (verb.tag_ == "VBN" and auxes & {"has", "have", "had", "was", "were"}):
        return "back"
    return None


def is_heading(text: str, sentence_start: int, sentence_end: int, wrapped: bool) -> bool:
    """A line of its own, capitalised, with no sentence-ending mark: a headline or a crosshead.
    Not in hard-wrapped text, where most lines end that way."""
    if wrapped or sentence_end <= sentence_start:
        return False
    alone = (sentence_start == 0 or text[sentence_start - 1] == "\n") and (
        sentence_end == len(text) or text[sentence_end] == "\n"
    )
    line = text[sentence_start:sentence_end]
    return alone and line[:1].isupper() and not line.endswith(_SENTENCE_END)


def _from_parse(
    verb: Token, before: str, possessive: bool, heading: bool, timetable: bool
) -> Direction | None:
    tense = _tense(verb)
    if tense == "past":
        return "back"
    if tense == "future":
        return "ahead"
    if possessive:
        # "Monday's cut" dates the cut, not the clause: "rates look set to fall after Monday's
        # cut" is no plan for Monday. Only a past or future verb says which Monday, as before.
        return None
    if _is_infinitive(verb):
        return _planned(verb)
    # The present perfect is left to the cue words ("has been scheduled Friday"): it rules out a
    # definite past time in grammar books ("*has met on Monday"), not in news copy.
    if _AHEAD_OF_CLAUSE.search(before) or _FOR.search(before):
        return "ahead"
    if tense == "present" and (heading or _is_progressive(verb)):
        return "nearest" if heading else "ahead"
    if tense == "present" and timetable and not _is_habitual(verb):
        return "ahead"
    return None


def _tense(verb: Token) -> _Tense | None:
    """The tense of the clause `verb` heads, from its auxiliaries and tag; None for a non-finite
    verb (an infinitive, a bare participle) or a negated or perfect modal ("may not", "may have")."""
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    words = {a.lower_ for a in auxes}
    if words & _WILL:
        return "future"
    if words & _MODAL:
        negated = any(c.dep_ == "neg" for c in verb.children)
        return None if negated or "have" in words else "future"
    tags = {a.tag_ for a in auxes} | {verb.tag_}
    if "VBD" in tags:
        return "past"
    if words & {"has", "have", "'ve", "’ve"}:
        return "perfect"
    if tags & {"VBZ", "VBP"}:
        return "present"
    return None


def _is_habitual(verb: Token) -> bool:
    """An adverb of frequency on the verb or on the first of the verbs it is coordinated with."""
    verbs = [verb]
    while verbs[-1].dep_ == "conj" and verbs[-1].head.i != verbs[-1].i:
        verbs.append(verbs[-1].head)
    return any(c.dep_ == "advmod" and c.lower_ in _HABITUAL for v in verbs for c in v.children)


def _is_progressive(verb: Token) -> bool:
    return verb.tag_ == "VBG" and any(c.dep_ == "aux" for c in verb.children)


def _is_infinitive(verb: Token) -> bool:
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)


def _planned(infinitive: Token) -> Direction:
    """Where a day of an infinitive lies: ahead of the clause that plans it ("talks to resume",
    "has agreed to meet"), which is now unless the nearest finite clause above is past. A plan told
    in the past ("were due to meet on Monday but ...") lay behind publication, except in reported
    speech, where English shifts tenses back whatever the time ("said the talks were due to resume
    on Monday"): there the nearest day."""
    token = infinitive
    for _ in range(4):
        if token.head.i == token.i:
            break
        token = token.head
        tense = _tense(token)
        if tense == "past":
            return "nearest" if token.dep_ == "ccomp" else "back"
        if tense is not None:
            break
    return "ahead"


def _governing_verb(doc: Doc, start: int) -> tuple[Token | None, bool]:
    """The verb the date attaches to ("review" in "would review the plan on March 12"), and whether
    the way up to it runs through the verb's subject."""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return None, False
    token = span.root
    through_subject = False
    for _ in range(6):
        if token.pos_ in {"VERB", "AUX"}:
            return token, through_subject
        if token.head.i == token.i:
            return None, False
        through_subject = through_subject or token.dep_ in {"nsubj", "nsubjpass", "csubj"}
        token = token.head
    return None, False
