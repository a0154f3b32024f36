"""Reported speech without quote marks: "X argues that …", "…, officials said", "according to X, …".

Method: a curated lexicon of reporting verbs read against spaCy's dependency parse — the content is
the verb's clausal complement (or, for a parenthetical "…, he said, …", the clause it interrupts);
the speaker is the verb's subject. "According to X" and headline-style "Name: statement" lines are
read from the parse and the characters. The cue lexicons live here too, for `quotes.py` to share.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from storyline.annotate.speakers import cue_subject

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Verbs that introduce a direct quote next to them ("…,” she said"; "He told reporters: “…”").
SPEECH_VERBS = frozenset(
    """say tell state add ask explain write tweet post declare announce insist argue claim warn caution
    note observe remark comment reply respond answer continue conclude recall admit acknowledge concede
    confirm deny stress emphasize emphasise assert contend maintain suggest complain joke quip shout yell
    scream whisper exclaim muse predict promise vow pledge urge plead testify report repeat reiterate
    agree counter retort snap boast brag lament sigh proclaim mutter chant cry mention recount reason
    wonder assure charge accuse allege thank demand advise recommend propose echo interject speak text
    email put read laugh point offer describe call""".split()
)
# Verbs whose clausal complement is reported speech or a reported stance ("X argues that …").
REPORTING_VERBS = frozenset(
    """say tell state add argue claim insist warn caution stress emphasize emphasise suggest note explain
    declare acknowledge admit concede announce assert contend maintain believe think feel fear hope
    predict report write tweet confirm deny reveal agree complain allege charge point recall testify
    reiterate repeat reply respond answer worry conclude observe remark mention imply hint boast assure
    inform advise swear signal indicate show find estimate ask wonder question doubt know expect learn
    assume convince remind recognize joke promise hear guess""".split()
)
# Verbs of stated intent or demand whose content is an infinitive ("vowed to fight", "urged Congress
# to act", "declined to comment"); on PolNeAR these clauses are annotated as attributed content.
INTENT_VERBS = frozenset(
    """want decline plan hope promise vow pledge refuse urge ask call expect intend threaten propose
    decide like tell""".split()
)
# Nouns that report a statement or stance in a that-clause ("Norland's claim that …").
REPORTING_NOUNS = frozenset(
    """claim suggestion notion assertion argument belief warning fear hope concern allegation statement
    accusation promise insistence view contention""".split()
)
# Verbs that characterise with the speaker's words ("describing it as “a non-starter”").
CHARACTERISING_VERBS = frozenset(
    "call describe label term dub brand deem characterize characterise refer".split()
)
# Forms of speech verbs, for a cue that the tokenizer glued to a quote mark ("stating,”The" is
# one token, so the parse never sees the verb); regular forms are derived from SPEECH_VERBS.
_IRREGULAR = {"said", "told", "wrote", "spoke", "read", "put"}
# The small English model lemmatises "hopes"/"hoped" to "hop"; read those as the verb that is meant.
_LEMMA_FIXES = {"hop": "hope"}

# Dependents an attribution clause has besides its speech verb ("But Ann also said on Monday"):
# a speech verb with nothing else under it reports nothing.
_ATTRIBUTION_DEPS = frozenset("nsubj aux neg advmod npadvmod punct cc mark prt intj".split())
# Characters that join two parts of one word ("de-escalate", "don’t"); a span must not stop at one.
_JOINERS = "-‐‑'’"

# "Name: statement" at the start of a line (headlines, transcripts): a short name, then a colon.
_LINE_SPEAKER = re.compile(r"^([A-Z][\w.'’\- ]{1,40}?):\s+(?=\S)")


@dataclass
class Found:
    """An attribution before its speaker is resolved: content span, kind, cue span, subject."""

    start: int
    end: int
    kind: str
    cue: tuple[int, int] | None = None
    subject: Token | None = None  # None: the speaker is the latest one before (news convention)


def token_span(token: Token) -> tuple[int, int]:
    return token.idx, token.idx + len(token)


def reported(doc: Doc, text: str | None = None) -> Iterator[Found]:
    """Reported statements in `doc` (whose text is `text`): clausal complements of reporting verbs,
    parentheticals, "according to X" and "Name: statement" lines. The caller drops quoted ones."""
    text = doc.text if text is None else text
    for token in doc:
        lemma = lemma_of(token)
        item = None
        if token.lower_ == "according" and token.dep_ == "prep":
            item = _according_to(token)
        elif token.pos_ == "VERB" and lemma in REPORTING_VERBS:
            item = _complement(token, "ccomp") or _parenthetical(token)
        if item is None and token.pos_ == "VERB" and lemma in INTENT_VERBS:
            item = _complement(token, "xcomp") or _called_for(token)
        if item is None and token.pos_ == "NOUN" and lemma in REPORTING_NOUNS:
            item = _noun_complement(token)
        if item is not None:
            yield _whole_words(item, text)
    yield from _line_speakers(doc, text)


def is_speech(token: Token) -> bool:
    """Is `token` a speech verb (not a modal, not "add up" or "call off"; "go on" counts)?"""
    if token.pos_ not in ("VERB", "AUX") or token.tag_ == "MD":
        return False
    lemma = token.lemma_.lower()
    particles = {c.lower_ for c in token.children if c.dep_ == "prt"}
    if lemma == "go":  # "…,” she went on
        return "on" in particles
    return lemma in SPEECH_VERBS and not particles & {"up", "off", "down"}  # not "add up", "call off"


def is_speech_form(word: str) -> bool:
    """Is `word` an inflected form of a speech verb ("stating", "said"), read without a parse?"""
    if word in _IRREGULAR:
        return True
    for suffix in ("ing", "ed", "es", "s", "d", ""):
        stem = word[: len(word) - len(suffix)] if suffix else word
        if word.endswith(suffix) and (stem in SPEECH_VERBS or stem + "e" in SPEECH_VERBS):
            return True
    return False


def headline_verb(token: Token) -> bool:
    """Is `token` a speech verb in the present that a headline puts after a name ("Ann Lee Says …",
    "Lee Warns: …")? The tagger often reads a capitalised one before a colon as part of the name;
    elsewhere the form alone is no proof ("the United States", "Automotive Reports")."""
    if not token.text[:1].isupper():
        return False
    if token.tag_ == "VBZ":
        return True
    word, doc = token.lower_, token.doc
    colon = token.i + 1 < len(doc) and doc[token.i + 1].text == ":"
    return colon and word.endswith("s") and is_speech_form(word)


def sentence_of(token: Token) -> tuple[int, int]:
    """Token bounds of the sentence holding `token` (`Token.sent` rescans the whole Doc)."""
    doc, start, end = token.doc, token.i, token.i + 1
    while start > 0 and not doc[start].is_sent_start:
        start -= 1
    while end < len(doc) and not doc[end].is_sent_start:
        end += 1
    return start, end


def lemma_of(token: Token) -> str:
    lemma = token.lemma_.lower()
    return _LEMMA_FIXES.get(lemma, lemma)


def _complement(verb: Token, dep: str) -> Found | None:
    """The clause under `verb` by relation `dep` (ccomp, xcomp), without its "that"."""
    for child in verb.children:
        if child.dep_ == dep and _states_something(verb, child):
            span = _trimmed(t for t in child.subtree if not _is_complementizer(t, child))
            if span is not None:
                subject = cue_subject(verb) or _subject_before(verb)
                return Found(span[0], span[1], "indirect", token_span(verb), subject)
    return None


def _states_something(verb: Token, clause: Token) -> bool:
    """Can the clause headed by `clause` be what `verb`'s subject says? Not a bare "to" whose verb
    is left out ("any religion they wanted to"), and not an attribution clause that the parse hung
    below a verb of the content ("…, Ann said", "Ann also said that …" read as "[Ann said] that …")."""
    return clause.pos_ != "PART" and not _attribution_clause(verb, clause)


def _attribution_clause(verb: Token, clause: Token) -> bool:
    """Is `clause` a subject and a speech verb with nothing said under it that frames `verb`'s
    clause rather than being said in it? Content before its cue is set off by a comma ("He
    agreed, Bo said"), content after it is not ("Bo said he agreed"); an attribution clause is the
    other way round ("…, Bo said" or "Bo said that …" misread as the content of the verb)."""
    deps = {c.dep_ for c in clause.children}
    if lemma_of(clause) not in SPEECH_VERBS or "nsubj" not in deps or not deps <= _ATTRIBUTION_DEPS:
        return False
    words = [t for t in clause.subtree if not t.is_punct]
    doc = clause.doc
    if words[0].i > verb.i:
        return any(t.is_punct for t in doc[verb.i + 1 : words[0].i])
    if words[-1].i < verb.i:
        return not any(t.is_punct for t in doc[words[-1].i + 1 : verb.i])
    return False


def _subject_before(verb: Token) -> Token | None:
    """The nearest subject left of the verb in its sentence, for when the parse did not attach it
    ("Less than a third agreed that …")."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return None  # "… can be found that …": a passive names no speaker
    for token in reversed(verb.doc[sentence_of(verb)[0] : verb.i]):
        if token.dep_ == "nsubj":
            return token
    return None


def _called_for(verb: Token) -> Found | None:
    """ "X called for an inquiry": a demand whose content is the object of "for". Not a date ("has
    called a vote for Monday": a meeting set, nor a passive ("Ohio was called for Ann": a result)."""
    if lemma_of(verb) != "call" or any(c.dep_ == "nsubjpass" for c in verb.children):
        return None
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "for":
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is None or obj.ent_type_ in ("DATE", "TIME"):
                return None
            span = _trimmed(list(obj.subtree))
            if span is not None:
                cue = (verb.idx, prep.idx + len(prep))
                return Found(span[0], span[1], "indirect", cue, cue_subject(verb))
    return None


def _noun_complement(noun: Token) -> Found | None:
    """ "Norland's claim that the dam is safe": the that-clause, said by the possessor if named."""
    for child in noun.children:
        marked = any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children)
        if child.dep_ in ("acl", "ccomp") and marked:
            span = _trimmed(t for t in child.subtree if not _is_complementizer(t, child))
            owner = next((c for c in noun.children if c.dep_ == "poss"), None)
            if span is not None and owner is not None:  # without one, nobody is said to claim it
                return Found(span[0], span[1], "indirect", token_span(noun), owner)
    return None


def _parenthetical(verb: Token) -> Found | None:
    """ "Many closures, he said, were public" / "A truck hit a crowd, officials said": the verb
    hangs off the clause it reports, so the content is that clause without the verb's own phrase."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    head = verb.head
    if subject is None or head.i == verb.i or verb.dep_ not in ("parataxis", "advcl", "ccomp", "conj"):
        return None
    if head.pos_ not in ("VERB", "AUX") or any(c.dep_ in ("dobj", "xcomp") for c in verb.children):
        return None
    # An aside is marked by "as" or nothing: "Bo bets that voters feel …" is no aside.
    if any(c.dep_ == "mark" and c.lower_ != "as" for c in verb.children):
        return None
    # "Ann said [the talks ended]", "[The talks ended], officials say": the head reports the verb's
    # clause, not the other way round — unless the verb is a bare "…, Bo said" hung below it.
    reports = lemma_of(head) in SPEECH_VERBS | REPORTING_VERBS
    if verb.dep_ == "ccomp" and reports and not _attribution_clause(head, verb):
        return None
    inner = {t.i for t in verb.subtree}
    outer = [t for t in head.subtree if t.i not in inner]
    left = _trimmed([t for t in outer if t.i < min(inner)])
    right = _trimmed([t for t in outer if t.i > max(inner)])
    # An aside in mid-sentence stays inside the content, which must be one span of the text.
    span = (left[0], right[1]) if left is not None and right is not None else left or right
    if span is None:
        return None
    return Found(span[0], span[1], "indirect", token_span(verb), subject)


def _according_to(token: Token) -> Found | None:
    """ "According to X, Y" / "Y, according to X": the longer side of the sentence is what X said."""
    to = next((c for c in token.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if to is None or source is None:
        return None
    phrase = [t.i for t in token.subtree]
    start, end = sentence_of(token)
    sentence = [t for t in token.doc[start:end] if t.i < min(phrase) or t.i > max(phrase)]
    side = _longer_side(sentence, min(phrase), max(phrase))
    if side is None:
        return None
    return Found(side[0], side[1], "indirect", (token.idx, to.idx + len(to)), source)


def _line_speakers(doc: Doc, text: str) -> Iterator[Found]:
    """ "Lynch: No outside influence on the probe" — a named speaker, a colon, a statement."""
    pos = 0
    for line in text.split("\n"):
        match = _LINE_SPEAKER.match(line)
        if match is not None and not line.rstrip().endswith(":"):
            name = doc.char_span(pos + match.start(1), pos + match.end(1), alignment_mode="contract")
            subject = _line_name(name, text)
            if name is not None and subject is not None:
                colon = pos + match.end(1)
                # A headline's own verb ("Lavrov Warns: …") is the cue; else the colon is.
                cue = token_span(name[-1]) if subject.i < name.end - 1 else (colon, colon + 1)
                content_end = pos + len(line.rstrip())
                yield Found(pos + match.end(), content_end, "indirect", cue, subject)
        pos += len(line) + 1


def _line_name(name: Span | None, text: str) -> Token | None:
    """A name, not a label: "Update:", "Note:" or "Q:" have no entity and are not capitals; a named
    entity or an all-capitals name ("JAKE TAPPER") counts, and a headline's "Name Warns:" too."""
    if name is None or len(name) > 6:
        return None
    line = name
    if len(name) > 1 and headline_verb(name[-1]):  # "Lavrov Warns: …": the name before the verb
        name = name[:-1]
    if any(t.tag_.startswith("VB") for t in name):
        return None  # a heading with a verb of its own ("Red Lines Defined: …") names nobody
    # The whole of it one name ("Ann Lee: …"), not a heading that merely holds one ("Ann's Plan: …");
    # NER may take the headline's verb into the name.
    ends = (name.end, line.end)
    if any(e.label_ in ("PERSON", "ORG") and e.start == name.start and e.end in ends for e in line.ents):
        return name.root
    capitals = name.text.isupper() and len(name.text) > 3 and all(t.is_alpha for t in name)
    # One word in capitals is a label ("NOTE: …", "CORRECTION: …") unless the text names it
    # elsewhere too, as transcripts do ("JAKE TAPPER: …" and then "TAPPER: …").
    if capitals and (len(name) > 1 or _named_elsewhere(name.text, name.start_char, text)):
        return name.root
    # A headline's surname ("Sanders: …") that NER missed there but found in the text's names.
    if all(t.text[:1].isupper() for t in name) and _known_name(name):
        return name.root
    return None


def _known_name(name: Span) -> bool:
    """Is `name`'s last word part of a person or an organisation named elsewhere in its Doc?"""
    word = name[-1].text
    return any(
        e.label_ in ("PERSON", "ORG") and word in e.text.split() and not e.start <= name.start < e.end
        for e in name.doc.ents
    )


def _named_elsewhere(word: str, at: int, text: str) -> bool:
    """Does `word` (in capitals) stand elsewhere in `text`, in capitals or capitalised, other than
    as the label of a line?"""
    for match in re.finditer(rf"\b(?:{re.escape(word)}|{re.escape(word.capitalize())})\b", text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        label = match.start() == line_start and text.startswith(":", match.end())
        if match.start() != at and not label:
            return True
    return False


def _is_complementizer(token: Token, head: Token) -> bool:
    return token.dep_ == "mark" and token.head.i == head.i and token.i < head.i


def _whole_words(item: Found, text: str) -> Found:
    """`item` widened to whole words: the tokenizer splits "de-escalate" at its hyphen, and the
    parse can end a clause at "de"; a statement never starts or stops inside a word."""
    start, end = item.start, item.end
    while start > 0 and _in_word(text, start - 1):
        start -= 1
    while end < len(text) and _in_word(text, end):
        end += 1
    return replace(item, start=start, end=end)


def _in_word(text: str, i: int) -> bool:
    """Is text[i] a letter or digit, or a hyphen or apostrophe between two of them?"""
    if text[i].isalnum():
        return True
    return text[i] in _JOINERS and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def _trimmed(tokens: Iterator[Token] | list[Token]) -> tuple[int, int] | None:
    kept = [t for t in tokens if not t.is_space]
    while kept and kept[0].is_punct:
        kept.pop(0)
    while kept and kept[-1].is_punct:
        kept.pop()
    if not kept:
        return None
    return kept[0].idx, kept[-1].idx + len(kept[-1])


def _longer_side(tokens: list[Token], first: int, last: int) -> tuple[int, int] | None:
    """Of the tokens left and right of an inserted phrase (indices first..last), the longer run."""
    left = _trimmed([t for t in tokens if t.i < first])
    right = _trimmed([t for t in tokens if t.i > last])
    if left is None or right is None:
        return left or right
    return left if left[1] - left[0] > right[1] - right[0] else right
