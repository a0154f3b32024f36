"""Quotations and reported speech in one article: what was said, how it was cued, and who said it.

Method: quotations come from pairing quote marks (`quotemarks.py`), less the quoted words that name
something, a programme or a book (`quotenames.py`). A quotation's cue is a speech verb next to it
in spaCy's dependency parse ("…,” she said", "X told reporters: “…”"), or, for a few words quoted
inside a clause, the verb that governs them; a quotation with no cue continues the latest speaker,
as news writing does. Reported speech comes from `reported.py`, speakers (with
pronouns and titles resolved to names) from `speakers.py`.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from storyline.annotate.quotemarks import DASHES, QuoteSpan, paragraphs, quote_spans
from storyline.annotate.quotenames import names_something, title_case, words_of
from storyline.annotate.reported import (
    CHARACTERISING_VERBS,
    REPORTING_VERBS,
    SPEECH_VERBS,
    Found,
    is_speech,
    is_speech_form,
    lemma_of,
    reported,
    token_span,
)
from storyline.annotate.speakers import (
    Speaker,
    SpeakerResolver,
    according_source,
    cue_subject,
    first_nominal,
    is_animate,
    is_noun_phrase,
)
from storyline.model import Attribution

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# v2: no word cut at a hyphen, no attribution clause or date as content; v3: quotations run over the
# lines of hard-wrapped text, quoted titles and names are no speech, "NOTE:" is no speaker
QUOTES_VERSION = "quotes.v3"

__all__ = ["QUOTES_VERSION", "QuoteSpan", "extract", "extract_with_mentions", "quote_spans"]

Mention = tuple[int, int] | None
Cue = tuple[tuple[int, int], "Token | None"]  # the cue's span and the subject token that says it

_SENTENCE_END = frozenset(".!?")
_SPACES = re.compile(r"\s*")
_SCARE_WORDS = 3  # quoted words, at most, that with no cue are a scare quote rather than speech
# Relations of a noun: a "verb" in one is a mis-tagged noun ("the minister's offer" as VERB, dobj).
_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "dative", "compound", "poss"})
_NOUN_MODIFIERS = frozenset({"det", "poss", "nummod", "compound"})
_SPEAKING = SPEECH_VERBS | CHARACTERISING_VERBS | REPORTING_VERBS


def extract(doc: Doc) -> list[Attribution]:
    """Every quotation and reported statement in `doc`, in text order, with cue and speaker."""
    return [attribution for attribution, _ in extract_with_mentions(doc)]


def extract_with_mentions(doc: Doc) -> list[tuple[Attribution, Mention]]:
    """Attributions, each with the speaker span as written at the cue ("he", not the name it
    stands for) — what data annotated at the cue, such as PolNeAR, marks as the source."""
    frame = _Frame(doc)
    found = [f for f in (frame.attribute(i) for i in range(len(frame.quotes))) if f is not None]
    found.extend(f for f in reported(doc, frame.text) if not frame.mostly_quoted(f) and frame.holds(f))
    found = sorted(_drop_echoes(found), key=lambda f: (f.start, f.end))
    resolver = SpeakerResolver(doc, frame.text)
    results: list[tuple[Attribution, Mention]] = []
    latest: tuple[Attribution, Mention] | None = None  # the latest attribution with a speaker
    quoted: tuple[Attribution, Mention] | None = None  # ... and the latest quotation with one
    for item in found:
        nested = item.cue is not None and frame.is_quoted(item.cue[0])
        if item.subject is None:
            # A quotation with no cue continues the latest quoted speaker ("…,” Ann assured Bo,
            # after Bo told her that … . “I will not …” is still Ann's).
            result = _inherited(item, quoted if item.kind == "direct" and quoted else latest, frame.text)
        else:
            speaker = resolver.resolve(item.subject, frame.paragraph_of(item.start))
            if not nested:  # "I think …" inside someone's quotation is not who speaks next
                resolver.remember(item.cue[0] if item.cue else item.start, speaker)
            result = (_attribution(item, frame.text, speaker), speaker.mention)
        results.append(result)
        if result[0].speaker_start is not None and not nested:
            latest = result
            quoted = result if item.kind != "indirect" else quoted
    return results


def _drop_echoes(found: list[Found]) -> list[Found]:
    """ "X said he believes Y": the inner "he believes Y" restates the outer attribution."""
    outer = [f for f in found if f.cue is not None and f.cue[1] <= f.start]

    def echoed(f: Found) -> bool:
        if f.kind == "direct" or f.cue is None or f.subject is None or f.subject.tag_ != "PRP":
            return False
        return any(o is not f and o.start <= f.cue[0] < o.end for o in outer)

    return [f for f in found if not echoed(f)]


def _attribution(item: Found, text: str, speaker: Speaker | None) -> Attribution:
    cue_start, cue_end = item.cue if item.cue else (None, None)
    return Attribution(
        start=item.start,
        end=item.end,
        kind=item.kind,
        cue=text[cue_start:cue_end] if item.cue else None,
        cue_start=cue_start,
        cue_end=cue_end,
        speaker_start=speaker.start if speaker else None,
        speaker_end=speaker.end if speaker else None,
        speaker_text=speaker.text if speaker else None,
        resolved_by=speaker.resolved_by if speaker else "none",
    )


def _inherited(
    item: Found, previous: tuple[Attribution, Mention] | None, text: str
) -> tuple[Attribution, Mention]:
    """A quotation with no speaker of its own takes the speaker (and, lacking one, the cue) of
    `previous`; reported speech with no subject stays without a speaker."""
    if previous is None or item.kind == "indirect":
        return _attribution(item, text, None), None
    prev, mention = previous
    attribution = dataclasses.replace(prev, start=item.start, end=item.end, kind=item.kind)
    if item.cue is not None:
        attribution = dataclasses.replace(
            attribution, cue=text[item.cue[0] : item.cue[1]], cue_start=item.cue[0], cue_end=item.cue[1]
        )
    return attribution, mention


class _Frame:
    """The quotations of one Doc and the text around them, where their cues are looked for."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text  # built anew by spaCy on each access: read it once
        spans = paragraphs(self.text)
        self.quotes = quote_spans(self.text, spans)
        self._opens = [q.open for q in self.quotes]
        self._paragraphs = [start for start, _ in spans]
        self._paragraph_ends = [end for _, end in spans]
        self.quoted: set[int] = set()
        for q in self.quotes:
            self.quoted.update(t.i for t in self._tokens(q.open, q.close))
        self._stops = [t.idx for t in doc if t.text in _SENTENCE_END and t.i not in self.quoted]

    def is_quoted(self, pos: int) -> bool:
        i = bisect.bisect_right(self._opens, pos) - 1
        return i >= 0 and pos < self.quotes[i].close

    def paragraph_of(self, pos: int) -> int:
        return self._paragraphs[bisect.bisect_right(self._paragraphs, pos) - 1]

    def paragraph_end(self, pos: int) -> int:
        return self._paragraph_ends[bisect.bisect_right(self._paragraphs, pos) - 1]

    def mostly_quoted(self, item: Found) -> bool:
        """Reported speech that is really a quotation (the quotation pass already has it)."""
        i = bisect.bisect_right(self._opens, item.end)
        near = self.quotes[max(0, i - 8) : i]
        covered = sum(max(0, min(item.end, q.close) - max(item.start, q.open)) for q in near)
        return covered * 2 >= item.end - item.start

    def holds(self, item: Found) -> bool:
        """A cue among quoted words says something in those words: content wholly outside its
        quotation is a misread parse ("“I feel bad,” she said" read as "I feel [she said]")."""
        if item.cue is None or not self.is_quoted(item.cue[0]):
            return True
        q = self.quotes[bisect.bisect_right(self._opens, item.cue[0]) - 1]
        return item.start < q.close and q.open < item.end

    def attribute(self, i: int) -> Found | None:
        """Cue and subject of quotation `i`; None for a quoted title or scare quote."""
        q = self.quotes[i]
        para, para_end, low, high = self._window(i)
        before = self.text[low : q.open].rstrip()
        kind = "direct" if not before or before[-1] in '.!?:,;"”' + DASHES else "partial"
        framing = (self._tokens(low, q.open), self._tokens(q.start, q.end), self._tokens(q.close, high))
        if names_something(self.text, q, *framing):
            return None  # a title, a programme, a nickname: "told NBC's “Meet the Press”" is no quote
        words = words_of(self.text[q.start : q.end])
        # "Make America Great Again": in title case, with no speech verb at hand, quoted words are a
        # title or a name, not speech.
        titled = title_case(words)
        steps: tuple[Callable[[], Cue | None], ...]
        if kind == "direct":
            steps = (
                lambda: self._glued(low, q.open),
                lambda: self._adjacent(q, low, high),
                lambda: self._dash_credit(q),
                lambda: self._named_colon(q, low),
                lambda: None if titled else self._frame_subject(q, low),
            )
        else:
            steps = (
                lambda: self._governing(q, para, para_end, speech_only=True),
                lambda: self._adjacent(q, low, high),
                lambda: None if titled else self._governing(q, para, para_end, speech_only=False),
            )
        for step in steps:
            cue = step()
            if cue is not None:
                return Found(q.start, q.end, kind, cue[0], cue[1])
        if titled or (kind == "partial" and len(words) <= _SCARE_WORDS):
            return None  # a title, or a few quoted words nobody is said to say (a scare quote)
        return Found(q.start, q.end, kind)

    def _window(self, i: int) -> tuple[int, int, int, int]:
        """Paragraph start and end of quotation `i`, and the framing text around it: from the
        previous quotation (or the paragraph start) to the next one (or the paragraph end)."""
        q = self.quotes[i]
        para, para_end = self.paragraph_of(q.open), self.paragraph_end(q.open)
        low = max(para, self.quotes[i - 1].close if i > 0 else 0)
        high = min(para_end, self.quotes[i + 1].open if i + 1 < len(self.quotes) else len(self.text))
        colon_above = self.text[max(0, para - 80) : para].rstrip().endswith(":")
        if low == para and colon_above:  # "X said:" and the quotation in the paragraph below
            low = max(self.paragraph_of(max(0, para - 2)), self.quotes[i - 1].close if i > 0 else 0)
        return para, para_end, low, high

    def _tokens(self, start: int, end: int) -> list[Token]:
        """The words and punctuation between `start` and `end`: not the line breaks of wrapped text."""
        span = self.doc.char_span(start, end, alignment_mode="contract")
        return [t for t in span if not t.is_space] if span is not None else []

    def _outside(self, token: Token | None, low: int, high: int) -> bool:
        """The token is framing text between `low` and `high`, not quoted words."""
        return token is not None and token.i not in self.quoted and low <= token.idx < high

    def _sentence_between(self, a: int, b: int) -> bool:
        i = bisect.bisect_right(self._stops, min(a, b))
        return i < len(self._stops) and self._stops[i] < max(a, b)

    def _adjacent(self, q: QuoteSpan, low: int, high: int) -> Cue | None:
        """The nearer of a speech verb right after the quotation and one right before it."""
        after, before = self._cue_after(q, high), self._cue_before(q, low)
        found = [c for c in (after, before) if c is not None]
        # A speech verb beats any other verb; then the one with fewer words between it and the quote.
        best = min(
            found,
            key=lambda c: (not is_speech(c[0]) and according_source(c[0]) is None, c[2]),
            default=None,
        )
        return (token_span(best[0]), best[1]) if best else None

    def _cue_after(self, q: QuoteSpan, high: int) -> tuple[Token, Token | None, int] | None:
        """A verb right after the quotation, only its subject in between ("…,” the mayor said)."""
        tokens = self._tokens(q.close, high)
        # `“…,” she elaborated`: a comma, ? or ! ending the quotation announces a cue, any verb.
        announced = any(ch in ",?!" for ch in self.text[q.end - 1 : min(q.close + 1, high)])
        for n, token in enumerate(tokens[:30]):
            if token.text in _SENTENCE_END:
                return None
            # Not a participle that modifies a noun ("the “final” proposed revision").
            if token.dep_ != "amod" and (is_speech(token) or (announced and _is_verb(token))):
                gap = [t for t in tokens[:n] if not t.is_punct]
                # The parse often hangs the speaker off the quotation ("…,” Ramos, 58, who ran,
                # told AFP), so a gap that is a noun phrase is accepted as well as one the verb governs.
                if not is_noun_phrase(gap) and not all(token.is_ancestor(t) for t in gap):
                    return None
                subject = cue_subject(token)
                if not self._outside(subject, q.close, high):
                    subject = first_nominal(gap) or first_nominal(tokens[n + 1 : n + 6])
                return token, subject, len(gap)
        return None

    def _cue_before(self, q: QuoteSpan, low: int) -> tuple[Token, Token | None, int] | None:
        """A speech verb before the quotation whose phrase reaches it ("X told reporters: “…")."""
        tokens = self._tokens(low, q.open)
        gap = 0
        for token in reversed(tokens[-14:]):
            if token.text in _SENTENCE_END:
                return None
            according = according_source(token)
            if is_speech(token) or according is not None:
                if not all(token.is_ancestor(t) for t in tokens if t.i > token.i and not t.is_punct):
                    return None
                subject = according or cue_subject(token)
                if not self._outside(subject, low, q.open):
                    subject = first_nominal([t for t in tokens if t.i < token.i][::-1])
                return token, subject, gap
            gap += 0 if token.is_punct else 1
        return None

    def _dash_credit(self, q: QuoteSpan) -> Cue | None:
        """ "“…” ― A. Name": a dash after the quotation, on its line or the next, then a name."""
        dash = _SPACES.match(self.text, q.close).end()  # type: ignore[union-attr]
        if dash >= len(self.text) or self.text[dash] not in DASHES:
            return None
        line_end = self.text.find("\n", dash)
        name = first_nominal(
            self._tokens(dash + 1, min(dash + 80, len(self.text) if line_end < 0 else line_end))
        )
        if name is None or name.ent_type_ not in ("PERSON", "ORG"):
            return None
        return (dash, dash + 1), name

    def _named_colon(self, q: QuoteSpan, low: int) -> Cue | None:
        """ "Ann Lee: “…”" — a name, a colon, the quotation."""
        tokens = [t for t in self._tokens(low, q.open) if not t.is_space]
        if len(tokens) < 2 or tokens[-1].text != ":" or tokens[-2].ent_type_ not in ("PERSON", "ORG"):
            return None
        return token_span(tokens[-1]), tokens[-2]

    def _frame_subject(self, q: QuoteSpan, low: int) -> Cue | None:
        """No speech verb, but the quotation follows a clause about someone ("The letter makes the
        case: “…”", "Ann compared him to a duck, “…”", "Ann touted her record. “…”"): that
        clause's subject, if it can speak, is the speaker and its verb the cue. A subject that
        cannot speak may have an owner who can ("Ann's letter makes the case: “…”")."""
        tokens = [t for t in self._tokens(low, q.open) if not t.is_space]
        if tokens and tokens[-1].text in _SENTENCE_END:
            tokens = tokens[:-1]
        if not tokens:
            return None
        tokens = [t for t in tokens if not self._sentence_between(t.idx, tokens[-1].idx)]
        inside = {t.i for t in tokens}
        for verb in tokens:
            if verb.pos_ in ("VERB", "AUX") and (verb.head.i == verb.i or verb.head.i not in inside):
                subject = cue_subject(verb)
                if subject is not None and not is_animate(subject):
                    subject = next((c for c in subject.children if c.dep_ == "poss"), None)
                if subject is not None and self._outside(subject, low, q.open) and is_animate(subject):
                    return token_span(verb), subject
        return None

    def _glued(self, low: int, open_: int) -> Cue | None:
        """A speech verb that the tokenizer glued to the opening mark, found in the characters."""
        match = re.search(r"([A-Za-z]+)\W*$", self.text[low:open_])
        if match is None or not is_speech_form(match.group(1).lower()):
            return None
        cue = (low + match.start(1), low + match.end(1))
        if self.doc.char_span(*cue) is not None:
            return None  # a real token: the parse already had its chance
        before = self._tokens(low, cue[0])
        subjects = [t for t in before if t.dep_ in ("nsubj", "nsubjpass")]
        return cue, (subjects[-1] if subjects else first_nominal(before[::-1]))

    def _governing(self, q: QuoteSpan, low: int, high: int, speech_only: bool) -> Cue | None:
        """For words quoted inside a clause: the verb above them in the parse — a speech or
        characterising verb, or else (`speech_only` False) the nearest verb with an animate subject."""
        inside = self._tokens(q.start, q.end)
        token = inside[0] if inside else None
        for _ in range(12):
            if token is None or token.head.i == token.i:  # spaCy makes a new Token per access
                return None
            token = token.head
            if not self._outside(token, low, high) or not _acts_as_verb(token):
                continue
            if self._sentence_between(token.idx, q.open):
                continue
            subject = cue_subject(token)
            valid = subject if self._outside(subject, low, high) else None
            if speech_only:
                aside = _parenthetical_cue(token)  # "Bo, Ann said, has been there “forever”"
                if aside is not None and self._outside(aside, low, high):
                    return token_span(aside), cue_subject(aside)
                if lemma_of(token) in _SPEAKING:
                    return token_span(token), valid
            elif valid is not None and is_animate(valid):
                return token_span(token), valid
        return None


def _is_verb(token: Token) -> bool:
    # A word NER puts in a name is not the verb, whatever the tagger says ("…,” Pat Sells shot back).
    return token.pos_ == "VERB" and token.tag_.startswith("VB") and not token.ent_type_


def _acts_as_verb(token: Token) -> bool:
    """A verb by its tag and by its place in the parse: a "verb" that is an object or a subject,
    or that has a possessor or a determiner ("calls the firm's offer “an insult”", with "offer"
    tagged VERB), is a noun the tagger missed."""
    if token.pos_ not in ("VERB", "AUX") or token.dep_ in _NOMINAL_DEPS:
        return False
    return not any(c.dep_ in _NOUN_MODIFIERS for c in token.children)


def _parenthetical_cue(verb: Token) -> Token | None:
    """A speech verb hanging off `verb` as an aside with its own subject ("…, he added, …")."""
    for child in verb.children:
        deps = {c.dep_ for c in child.children}
        aside = child.dep_ in ("parataxis", "advcl", "ccomp") and "nsubj" in deps and "ccomp" not in deps
        if aside and is_speech(child):
            return child
    return None
