"""Who did what to whom: one PLOVER event per sentence, read from spaCy's dependency parse.

Method: the event verb is the main clause's verb (for reported speech, the reported one); its frame
(xcomp chain, objects, modality) is typed by a CAMEO/PLOVER lexicon with CAMEO's composition rules
("threaten to X", "will X", "lift sanctions") and by a small logistic model trained on the PLOVER
gold records (`scripts/train_events.py`); the source is the verb's subject, the target its object.
"""

from __future__ import annotations

import functools
import json
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
from scipy.sparse import csr_matrix

if TYPE_CHECKING:
    from collections.abc import Sequence

    from spacy.tokens import Doc, Span, Token

EVENTS_VERSION = "events.v1"

__all__ = [
    "EVENTS_VERSION",
    "PLOVER_1_0",
    "EventMention",
    "EventModel",
    "Frame",
    "extract",
    "feature_matrix",
    "features",
    "frame",
    "load_lexicon",
    "load_model",
]

# The gold records are coded in PLOVER 0.5b1; PLOVER 1.0 (POLECAT) renamed or merged four types.
PLOVER_1_0 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE"}

_MODEL = "events_plover"
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_CHAIN_DEPS = ("xcomp", "acomp", "oprd")
_CUT = frozenset({"relcl", "acl", "appos", "advcl", "parataxis", "prep"})
_KEEP_PREPS = frozenset({"of", "in", "from", "'s"})  # "Rebels in the Ivory Coast", "the army of X"
_TARGET_PREPS = tuple("to against with between on into at toward towards from in over".split())
_PRONOUNS = frozenset("it they he she we its their".split())
_INNER_PREPS = tuple("by of to against with between on from for into in".split())
COOPERATIVE = frozenset("AGREE CONSULT SUPPORT COOPERATE AID CONCEDE RETREAT".split())
HOSTILE = frozenset("THREATEN PROTEST MOBILIZE SANCTION COERCE ASSAULT FIGHT".split())
ACTOR_ENTITIES = frozenset("PERSON NORP ORG GPE LOC FAC".split())
_NOT_ACTORS = frozenset("DATE TIME MONEY QUANTITY CARDINAL PERCENT ORDINAL".split())


@dataclass(frozen=True)
class EventMention:
    """An event in one sentence; spans are (start, end) character offsets into the Doc's text."""

    type: str
    trigger: tuple[int, int]
    source: tuple[int, int] | None
    target: tuple[int, int] | None
    confidence: float

    @property
    def plover1(self) -> str:
        """The type under its PLOVER 1.0 name (the model is trained on 0.5b1 labels)."""
        return PLOVER_1_0.get(self.type, self.type)


@dataclass(frozen=True)
class Frame:
    """What the parse says about a sentence's main event, before it is typed."""

    trigger: Token
    chain: tuple[Token, ...]  # trigger, then xcomp/ccomp complements down to the content verb
    objects: tuple[Token, ...]  # direct objects and event nouns of the chain
    source: Token | None
    target: Token | None
    rule: str | None  # the lexicon's type, composed by CAMEO's rules
    flags: frozenset[str]  # future, negated, must


def extract(sent: Span | Doc, model: EventModel | None = None) -> EventMention | None:
    """The sentence's event, or None when it has no event verb or no type is confident enough.

    A Doc is read as one sentence. `model` defaults to the shipped one (`load_model()`).
    """
    from spacy.tokens import Doc

    span = sent[:] if isinstance(sent, Doc) else sent
    found = frame(span)
    # PLOVER codes acts of actors: "loans declined 5%" or "data will be released" are not events.
    if found is None or not (_is_actor(found.source) or _is_actor(found.target)):
        return None
    model = model or load_model()
    probs = model.probabilities([features(span, found)], [found.rule])[0]
    best = int(np.argmax(probs))
    if probs[best] < model.threshold:
        return None
    return EventMention(
        type=model.classes[best],
        trigger=_char_span(found.trigger, found.trigger),
        source=_phrase(found.source),
        target=_phrase(found.target),
        confidence=round(float(probs[best]), 4),
    )


def frame(sent: Span) -> Frame | None:
    """The event frame of the main clause, or None when the sentence has no verb to carry one."""
    verb, reporter = _event_verb(sent)
    if verb is None:
        return None
    chain = _chain(verb)
    objects = tuple(o for t in chain for o in _objects(t))
    source, passive_target = _source(verb, reporter)
    target = passive_target if passive_target is not None else _target(chain, objects)
    flags = _flags(chain)
    if "must" in flags and reporter is not None:
        # "A declared that B must do X": A makes the demand, B is asked.
        source, target = next((c for c in reporter.children if c.dep_ == "nsubj"), source), source
    return Frame(verb, chain, objects, source, target, compose(chain, objects, flags), flags)


def features(sent: Span, found: Frame) -> list[str]:
    """Sparse binary features of a sentence and its frame, as the model reads them."""
    names = [f"trig={_lemma(found.trigger)}", f"rule={found.rule}"]
    names += [f"chain={_lemma(t)}" for t in found.chain[1:]]
    names += [f"obj={_lemma(o)}" for o in found.objects]
    names += [f"flag={f}" for f in sorted(found.flags)]
    names += [f"lex={word_type(t)}" for t in sent if word_type(t)]
    for token in found.chain:
        names += [f"prep={c.lower_}" for c in token.children if c.dep_ in ("prep", "agent")]
    words = [_lemma(t) for t in sent if t.is_alpha and not t.is_stop]
    names += [f"w={w}" for w in words]
    names += [f"b={a}_{b}" for a, b in zip(words, words[1:], strict=False)]
    return names


# --- the model ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventModel:
    """Multinomial logistic regression over `features`, plus a bonus for the lexicon's type."""

    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray  # (classes,)
    rule_weight: float  # log-odds added to the lexicon's type
    threshold: float  # below this probability the sentence has no event
    c: float = 1.0  # inverse L2 regularisation the weights were fitted with
    trained_on: tuple[str, ...] = ()

    def probabilities(self, rows: Sequence[list[str]], rules: Sequence[str | None]) -> np.ndarray:
        scores = feature_matrix(rows, self.vocabulary) @ self.coef.T + self.intercept
        for i, rule in enumerate(rules):
            if rule in self.classes:
                scores[i, self.classes.index(rule)] += self.rule_weight
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)


def feature_matrix(rows: Sequence[list[str]], vocabulary: dict[str, int]) -> csr_matrix:
    """Binary feature rows as a sparse matrix (a name outside the vocabulary is ignored)."""
    cells = sorted({(i, vocabulary[n]) for i, names in enumerate(rows) for n in names if n in vocabulary})
    ones = np.ones(len(cells), dtype=np.float32)
    index = (np.array([i for i, _ in cells], dtype=int), np.array([j for _, j in cells], dtype=int))
    return csr_matrix((ones, index), shape=(len(rows), len(vocabulary)))


@functools.lru_cache(maxsize=1)
def load_model() -> EventModel:
    """The shipped model (src/storyline/data/events_plover.{json,npz}), loaded once per process."""
    data = resources.files("storyline.data")
    meta = json.loads(data.joinpath(f"{_MODEL}.json").read_text(encoding="utf-8"))
    with resources.as_file(data.joinpath(f"{_MODEL}.npz")) as path, np.load(path) as weights:
        coef, intercept = weights["coef"], weights["intercept"]
    return EventModel(
        classes=tuple(meta["classes"]),
        vocabulary={name: i for i, name in enumerate(meta["features"])},
        coef=coef,
        intercept=intercept,
        rule_weight=float(meta["rule_weight"]),
        threshold=float(meta["threshold"]),
        c=float(meta["c"]),
        trained_on=tuple(meta["trained_on"]),
    )


# --- the lexicon and CAMEO's composition rules ----------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    """The hand-written lexicon (data/events_plover.lexicon.toml says where each list comes from)."""

    verbs: dict[str, str]
    nouns: dict[str, str]
    wrappers: dict[str, str]
    reversal: dict[str, str]
    light: frozenset[str]
    reporting: frozenset[str]
    actor_nouns: frozenset[str]
    parts: frozenset[str]


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    text = resources.files("storyline.data").joinpath(f"{_MODEL}.lexicon.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)

    def table(name: str) -> dict[str, str]:
        return {word: kind for kind, words in data[name].items() for word in words.split()}

    def words(name: str) -> frozenset[str]:
        return frozenset(data["words"][name].split())

    return Lexicon(
        verbs=table("verbs"),
        nouns=table("nouns"),
        wrappers=table("wrappers"),
        reversal=table("reversal"),
        light=words("light"),
        reporting=words("reporting"),
        actor_nouns=words("actor_nouns"),
        parts=words("parts"),
    )


def word_type(token: Token) -> str | None:
    """The lexicon's type of one word, by part of speech."""
    lex = load_lexicon()
    table = lex.verbs if token.pos_ == "VERB" else lex.nouns if token.pos_ == "NOUN" else None
    return table.get(_lemma(token)) if table else None


def compose(chain: Sequence[Token], objects: Sequence[Token], flags: frozenset[str]) -> str | None:
    """The type CAMEO's rules give a frame: the outermost wrapper, else the content and its modality."""
    if "must" in flags:  # "X must do Y", reported, is a demand on X
        return "DEMAND"
    wrappers = load_lexicon().wrappers
    wrapper = next((wrappers[_lemma(t)] for t in chain if _lemma(t) in wrappers), None)
    content = _content_type(chain, objects)
    found: str | None
    if wrapper == "INTENT":
        found = "THREATEN" if content in HOSTILE else "AGREE"
    elif wrapper is not None or content is None:
        found = wrapper
    elif "future" in flags and (content in COOPERATIVE or content in HOSTILE):
        found = "AGREE" if content in COOPERATIVE else "THREATEN"
    else:
        found = content
    # Not doing a cooperative act is rejecting it (CAMEO 12: "refuse to", "will not allow").
    return "REJECT" if "negated" in flags and found in COOPERATIVE else found


def noun_type(noun: Token) -> str | None:
    """An event noun's type, from the noun, its compound ("hunger strike") or a measured "of" noun
    ("700 kg of medicine", "a state of siege")."""
    nouns = load_lexicon().nouns
    found = nouns.get(_lemma(noun))
    for child in noun.children:
        if found:
            break
        if child.dep_ == "compound":
            found = nouns.get(_lemma(child))
        elif child.dep_ == "prep" and child.lower_ == "of":
            found = next((nouns.get(_lemma(p)) for p in child.children if p.dep_ == "pobj"), None)
    return found


def _content_type(chain: Sequence[Token], objects: Sequence[Token]) -> str | None:
    """The type of the innermost verb that has one, read with its object noun."""
    lex = load_lexicon()
    for verb in reversed(chain):
        lemma = _lemma(verb)
        nouns = [noun_type(o) for o in objects if verb in (o.head, o.head.head)]
        noun = next((n for n in nouns if n), None)
        if lemma in lex.reversal and noun is not None:
            if noun in HOSTILE:
                return lex.reversal[lemma]
            return "SANCTION" if noun in COOPERATIVE else noun
        own = lex.verbs.get(lemma) if verb.pos_ == "VERB" else None
        found = (noun or own) if lemma in lex.light else (own or noun)
        if found:
            return found
    return None


# --- reading the parse ----------------------------------------------------------------------------


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _event_verb(sent: Span) -> tuple[Token | None, Token | None]:
    """The main event verb and, for reported speech, the reporting verb it was found under."""
    verb, reporter = _content(sent.root), None
    # "X said (that) Y did Z" and "Y did Z, X said": the event is the reported clause.
    while _lemma(verb) in load_lexicon().reporting:
        inner = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX")]
        # "X was quoted as saying Y": the saying is a clause of the reporting verb.
        inner += [c for c in verb.children if c.dep_ == "advcl" and _lemma(c) in load_lexicon().reporting]
        if not inner:
            break
        verb, reporter = _content(inner[0]), verb
    return (verb if verb.pos_ in ("VERB", "AUX", "ADJ") else None), reporter


def _content(token: Token) -> Token:
    """A copula's complement that carries the event: "is ready to help" -> ready."""
    if _lemma(token) == "be":
        for child in token.children:
            if child.dep_ in ("acomp", "attr") and child.pos_ in ("ADJ", "VERB"):
                return child
    return token


def _chain(verb: Token) -> tuple[Token, ...]:
    """The verb and its open complements, outer to inner: threatened -> cut (off)."""
    chain = [verb]
    while len(chain) < 5:
        tail = chain[-1]
        deps = (*_CHAIN_DEPS, "ccomp") if _lemma(tail) in load_lexicon().wrappers else _CHAIN_DEPS
        nxt = [c for c in tail.children if c.dep_ in deps and c.pos_ in ("VERB", "ADJ", "AUX")]
        if not nxt:
            break
        chain.append(_content(nxt[0]))
    return tuple(chain)


def _objects(verb: Token) -> list[Token]:
    """Direct objects, and event nouns after a preposition ("called for sanctions")."""
    found = [c for c in verb.children if c.dep_ in ("dobj", "attr", "nsubjpass")]
    for prep in (c for c in verb.children if c.dep_ == "prep"):
        found += [p for p in prep.children if p.dep_ == "pobj" and noun_type(p)]
    return found


def _source(verb: Token, reporter: Token | None) -> tuple[Token | None, Token | None]:
    """(source, target from a passive) for the event verb, climbing open complements to a subject."""
    token: Token | None = verb
    while token is not None:
        subject = next((c for c in token.children if c.dep_ in _SUBJECTS), None)
        if subject is not None:
            break
        token = token.head if token.dep_ in (*_CHAIN_DEPS, "conj", "ccomp") and token.head != token else None
    else:
        return None, None
    if subject.dep_ == "nsubjpass":
        agent = next((p for c in token.children if c.dep_ == "agent" for p in c.children), None)
        return agent, subject
    if subject.lower_ in _PRONOUNS and reporter is not None:
        # "Iraq said it would allow …": the pronoun is the reporter (news convention).
        return next((c for c in reporter.children if c.dep_ == "nsubj"), subject), None
    return subject, None


def _target(chain: Sequence[Token], objects: Sequence[Token]) -> Token | None:
    """The first actor among the chain's dative, objects (or an actor inside one: "Serbia's
    suppression", "calls by Kofi Annan"), pobj of to/against/…, clause subjects; then the same in a
    purpose clause ("staged a strike to protest against X"). Else the first object."""
    candidates: list[Token] = []
    for token in chain:
        candidates += [c for c in token.children if c.dep_ == "dative" and c.pos_ != "ADP"]
        for obj in (o for o in objects if o.head == token):
            candidates += [obj, *_inside(obj)]
        candidates += [t for p in _prep_objects(token) for t in (p, *_inside(p))]
        candidates += [
            s for c in token.children if c.dep_ == "ccomp" for s in c.children if s.dep_ in _SUBJECTS
        ]
    for clause in (c for t in chain for c in t.children if c.dep_ == "advcl" and _is_purpose(c)):
        for obj in (o for o in clause.children if o.dep_ == "dobj"):
            candidates += [obj, *_inside(obj)]
        candidates += [t for p in _prep_objects(clause) for t in (p, *_inside(p))]
    candidates = [c for c in candidates if not _own(c)]
    actor = next((c for c in candidates if _is_actor(c)), None)
    return actor or next((c for c in candidates if c.dep_ in ("dobj", "dative")), None)


def _inside(noun: Token, depth: int = 3) -> list[Token]:
    """Actors named inside a noun phrase, nearest first: its possessor, a nationality adjective, its
    pobjs and theirs ("a suspension of air links with Serbia")."""
    found = [c for c in noun.children if c.dep_ == "poss" and c.lower_ not in _PRONOUNS]
    found += [c for c in noun.children if c.dep_ in ("amod", "compound") and c.ent_type_ in ACTOR_ENTITIES]
    inner = _prep_objects(noun, _INNER_PREPS)
    deeper = [t for p in inner for t in _inside(p, depth - 1)] if depth > 1 else []
    return found + inner + deeper


def _is_purpose(clause: Token) -> bool:
    """ "… to protest against X", "… calling for X": a clause that says what the act is for."""
    return clause.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)


def _prep_objects(token: Token, preps: tuple[str, ...] = _TARGET_PREPS) -> list[Token]:
    found = sorted(
        (c for c in token.children if c.dep_ in ("prep", "dative", "agent") and c.lower_ in preps),
        key=lambda p: preps.index(p.lower_),
    )
    return [p for prep in found for p in prep.children if p.dep_ == "pobj"]


def _own(token: Token) -> bool:
    """ "its troops", "their forces": the source's own means, not a target."""
    return any(c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her", "our") for c in token.children)


def _is_actor(token: Token | None) -> bool:
    """Whether a phrase's head names an actor: an entity of an actor type, an actor noun, a proper
    noun, a noun with a nationality ("Palestinian youths"), or a count of actors ("thousands of X")."""
    if token is None:
        return False
    if token.ent_type_ in ACTOR_ENTITIES or _lemma(token) in load_lexicon().actor_nouns:
        return True
    if token.ent_type_ in _NOT_ACTORS or token.pos_ == "NUM" or _lemma(token) in load_lexicon().parts:
        of = [p for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
        return any(_is_actor(p) for p in of if p.dep_ == "pobj")
    modifiers = (c for c in token.children if c.dep_ in ("amod", "compound"))
    return token.pos_ == "PROPN" or any(c.ent_type_ in ACTOR_ENTITIES for c in modifiers)


def _flags(chain: Sequence[Token]) -> frozenset[str]:
    """Modality of the frame: negated, future (will/would), must (only on the event verb itself or
    its copula: "X must be ready to" demands, "agreed that they should" does not)."""
    head = chain[0]
    own = [head, head.head] if head.dep_ in ("acomp", "attr") and _lemma(head.head) == "be" else [head]
    flags = set()
    for token in (*own, *chain[1:]):
        for child in token.children:
            word = child.lower_
            if child.dep_ == "neg" or word in ("never", "longer"):
                flags.add("negated")
            elif child.dep_ == "aux" and word in ("will", "would", "shall", "'ll", "going"):
                flags.add("future")
            elif child.dep_ == "aux" and word in ("must", "should") and token in own:
                flags.add("must")
    return frozenset(flags)


def _phrase(head: Token | None) -> tuple[int, int] | None:
    """The noun phrase of `head`: its subtree without clauses, appositions and most prepositions."""
    if head is None:
        return None
    tokens = {head.i}
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            kept = (child.dep_ == "prep" and child.lower_ in _KEEP_PREPS) or (
                child.dep_ == "appos" and child.i < token.i
            )
            cut = child.dep_ in _CUT and not kept
            if not cut:
                tokens.add(child.i)
                stack.append(child)
    doc = head.doc
    # Keep the contiguous run around the head: a cut clause in the middle ends the phrase.
    first, last = head.i, head.i
    while first - 1 in tokens:
        first -= 1
    while last + 1 in tokens:
        last += 1
    # Inner punctuation stays ("the Asia-Pacific Economic Cooperation (APEC) forum"); edges go.
    while last > first and (doc[last].is_punct or doc[last].dep_ == "cc"):
        last -= 1
    while first < last and doc[first].is_punct:
        first += 1
    return _char_span(doc[first], doc[last])


def _char_span(first: Token, last: Token) -> tuple[int, int]:
    return first.idx, last.idx + len(last.text)
