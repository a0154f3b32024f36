"""Who says it: the speaker of a reporting cue, with pronouns and titles resolved to earlier names.

Method: the subject of the cue verb in spaCy's dependency parse (climbing from participles, conjuncts
and relative clauses to the clause that has one), widened to its named entity or appositive name.
Pronouns go to the most recent compatible speaker or PERSON subject before the cue; definite titles
("the interior minister") go to the latest PERSON whose own title words ("Interior Minister X",
"X, the interior minister") contain the title's head noun.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_GROUPS = frozenset({"ORG", "GPE", "NORP"})
_PERSONAL = {"he": "m", "him": "m", "she": "f", "her": "f"}
_PLURAL = frozenset({"they", "them"})
_NEUTER = frozenset({"it"})
_RELATIVE = frozenset({"who", "that", "which", "whom"})
# Honorifics carry gender; learning it lets "she" skip a "Mr." who spoke last.
_HONORIFIC = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f"}
# Role nouns that make a definite description a person ("the spokesman said"). The text's own title
# contexts are tried first; this short list only licenses the fall-back to the latest PERSON.
ROLE_NOUNS = frozenset(
    """minister president secretary spokesman spokeswoman spokesperson chancellor premier leader chief
    director governor senator ambassador envoy general commander official chairman chairwoman chair
    mayor commissioner judge lawyer attorney adviser advisor aide diplomat candidate nominee
    congressman congresswoman lawmaker representative prosecutor sheriff executive founder manager
    strategist economist analyst professor pollster campaign-manager speaker""".split()
)
ANIMATE_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "who"})
_NOMINAL = frozenset({"PROPN", "NOUN", "NUM", "PRON"})
# Common nouns for people, so that "Her friend Ann Lee chimed in. “…”" has a subject that can speak.
_PEOPLE = frozenset(
    """person people man woman men women friend supporter voter resident member worker student mother
    father son daughter wife husband critic expert activist protester observer source witness owner
    colleague neighbor neighbour citizen fan reporter writer author doctor teacher""".split()
)
_SUBJECTS = ("nsubj", "csubj")
# Dependents through which a cue without its own subject borrows its head's ("Ann echoed this,
# stating ...", "She said A and added B").
_BORROW = frozenset({"advcl", "xcomp", "conj", "pcomp", "ccomp", "prep"})


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker: `start:end` is the name; `mention` is the span written at the cue."""

    start: int
    end: int
    text: str
    resolved_by: str
    mention: tuple[int, int]
    label: str = ""


def is_animate(token: Token) -> bool:
    """Could this subject token say something: a name, a personal pronoun, a noun for a person or
    a role, or a noun with a person's name in apposition ("her friend Ann Lee")?"""
    lemma = token.lemma_.lower()
    if (
        token.ent_type_ in NAMED
        or token.lower_ in ANIMATE_PRONOUNS
        or lemma in ROLE_NOUNS
        or lemma in _PEOPLE
    ):
        return True
    return any(c.dep_ in ("appos", "compound") and c.ent_type_ == "PERSON" for c in token.children)


def cue_subject(cue: Token) -> Token | None:
    """The token that names who performs the cue, borrowing the subject of a governing verb."""
    verb = cue
    for _ in range(4):
        for child in verb.children:
            if child.dep_ in _SUBJECTS:
                return child
            if child.dep_ == "nsubjpass":  # "X was told by Y that …": Y speaks, X listens
                agent = next((c for c in verb.children if c.dep_ == "agent"), None)
                return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        if verb.dep_ == "relcl":  # "officials who said ..." -> officials
            return verb.head
        if verb.dep_ == "acl" and verb.tag_ == "VBG":  # "a statement saying ..." -> statement
            return _issuer(verb.head)
        if verb.dep_ in ("xcomp", "oprd"):  # "left many nations feeling that ..." -> nations
            obj = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":  # "fight it by arguing that ..."
            verb = verb.head
        if verb.dep_ not in _BORROW or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _issuer(noun: Token) -> Token:
    """ "She released a statement saying ..." -> she: who issued the message, when the text says."""
    if is_animate(noun) or noun.dep_ != "dobj":
        return noun
    subject = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
    return subject if subject is not None and is_animate(subject) else noun


def according_source(token: Token) -> Token | None:
    """X in "according to X", when `token` is that "according"."""
    if token.lower_ != "according":
        return None
    to = next((c for c in token.children if c.lower_ == "to"), None)
    return next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None


def is_noun_phrase(tokens: list[Token]) -> bool:
    """Are `tokens` one noun phrase, however long its appositions and relative clauses?"""
    inside = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i == t.i or t.head.i not in inside]
    return len(tokens) <= 30 and all(t.pos_ in _NOMINAL for t in heads)


def first_nominal(tokens: list[Token]) -> Token | None:
    """The head of the first noun phrase among `tokens` (a subject the parse failed to attach)."""
    inside = {t.i for t in tokens}
    for token in tokens:
        if token.pos_ in _NOMINAL or token.lower_ in ANIMATE_PRONOUNS:
            while token.head.i != token.i and token.head.i in inside and token.dep_ in ("compound", "amod"):
                token = token.head
            return token
    return None


class SpeakerResolver:
    """Resolves subject tokens to speakers, remembering the speakers and subjects of the article."""

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.doc = doc
        self.text = doc.text if text is None else text  # `Doc.text` is rebuilt on each access
        self.persons = [e for e in doc.ents if e.label_ == "PERSON"]
        self._person_starts = [e.start_char for e in self.persons]
        self._titles = {id_: _title_words(e) for id_, e in enumerate(self.persons)}
        self._gender: dict[str, str] = {}
        self._spoken: list[tuple[int, Speaker]] = []  # (cue offset, speaker), in text order
        self._subjects = _named_subjects(doc)
        self._subject_starts = [s.start_char for s in self._subjects]

    def remember(self, at: int, speaker: Speaker) -> None:
        self._spoken.append((at, speaker))

    def last_speaker(self, before: int, since: int = 0) -> Speaker | None:
        for at, speaker in reversed(self._spoken):
            if at < before:
                return speaker if at >= since else None
        return None

    def resolve(self, token: Token, para_start: int) -> Speaker:
        """The speaker named by `token` (a subject), resolved if it is a pronoun or a title."""
        lower = token.lower_
        if token.tag_ in ("PRP", "WP") or lower in _RELATIVE:
            return self._pronoun(token, para_start)
        name = _named_span(token)
        if name is not None:
            self._learn_gender(name)
            return _speaker(name, "name", name)
        phrase = _noun_phrase(token)
        if _is_definite_title(token):
            person = self._title(token, phrase.start_char)
            if person is not None:
                return _speaker(person, "title", phrase, text=phrase.text)
        return _speaker(phrase, "name", phrase)

    def _pronoun(self, token: Token, para_start: int) -> Speaker:
        doc, lower = self.doc, token.lower_
        here = doc[token.i : token.i + 1]
        if lower in _RELATIVE and token.head.dep_ == "relcl":
            head = self.resolve(token.head.head, para_start)
            return Speaker(head.start, head.end, token.text, "pronoun", _span(here), head.label)
        target = None
        if lower in _PERSONAL:
            target = self._person_antecedent(token.idx, para_start, _PERSONAL[lower])
        elif lower in _PLURAL or lower in _NEUTER:
            target = self._group_antecedent(token.idx, para_start)
        if target is None:
            return Speaker(token.idx, token.idx + len(token), token.text, "none", _span(here))
        start, end, label = target
        if lower in _PERSONAL:
            self._gender.setdefault(_surname(self.text[start:end]), _PERSONAL[lower])
        return Speaker(start, end, token.text, "pronoun", _span(here), label)

    def _person_antecedent(self, before: int, para_start: int, gender: str) -> tuple[int, int, str] | None:
        """The last PERSON speaker of this paragraph, unless a PERSON subject came after it; then
        the last PERSON subject, the last PERSON speaker, the last PERSON mentioned."""
        last = self.last_speaker(before, since=para_start)
        subject = self._last_subject(before, gender)
        speaking = last is not None and last.label == "PERSON" and self._fits(last.text, gender)
        if last is not None and speaking and (subject is None or subject.start_char <= last.start):
            return last.start, last.end, last.label
        if subject is not None:
            return subject.start_char, subject.end_char, "PERSON"
        last = self.last_speaker(before)
        if last is not None and last.label == "PERSON" and self._fits(last.text, gender):
            return last.start, last.end, last.label
        i = bisect.bisect_left(self._person_starts, before) - 1
        while i >= 0:
            ent = self.persons[i]
            if self._fits(ent.text, gender):
                return ent.start_char, ent.end_char, "PERSON"
            i -= 1
        return None

    def _group_antecedent(self, before: int, para_start: int) -> tuple[int, int, str] | None:
        last = self.last_speaker(before, since=para_start)
        if last is not None and last.label in _GROUPS:
            return last.start, last.end, last.label
        i = bisect.bisect_left(self._subject_starts, before) - 1
        for subject in reversed(self._subjects[max(0, i - 5) : i + 1]):
            if subject.label_ in _GROUPS:
                return subject.start_char, subject.end_char, subject.label_
        return _plural_subject(self.doc, para_start, before)

    def _last_subject(self, before: int, gender: str) -> Span | None:
        i = bisect.bisect_left(self._subject_starts, before) - 1
        while i >= 0:
            subject = self._subjects[i]
            if subject.label_ == "PERSON" and self._fits(subject.text, gender):
                return subject
            i -= 1
        return None

    def _fits(self, name: str, gender: str) -> bool:
        known = self._gender.get(_surname(name))
        return known is None or known == gender

    def _learn_gender(self, name: Span) -> None:
        before = name.doc[name.start - 1].lower_ if name.start > 0 else ""
        first = name[0].lower_
        gender = _HONORIFIC.get(first) or _HONORIFIC.get(before)
        if gender:
            self._gender.setdefault(_surname(name.text), gender)

    def _title(self, head: Token, before: int) -> Span | None:
        """The latest PERSON before `before` whose titles share the most words with the
        description headed by `head`; else, for a role noun, the latest PERSON."""
        words = _content_words(t for t in head.subtree if t.i <= head.i)
        stem = head.lemma_.lower()
        best, best_score = None, 0
        last = bisect.bisect_left(self._person_starts, before) - 1
        for i in range(last, -1, -1):
            titles = self._titles[i]
            if stem in titles or head.lower_ in titles:
                score = len(words & titles)
                if score > best_score:
                    best, best_score = self.persons[i], score
        if best is not None:
            return best
        # "Her spokesman said": a possessor names someone else, so the latest PERSON won't do.
        owned = any(c.dep_ == "poss" for c in head.children)
        if stem in ROLE_NOUNS and last >= 0 and not owned:
            return self.persons[last]
        return None


def _speaker(name: Span, how: str, mention: Span, text: str | None = None) -> Speaker:
    label = "PERSON" if how == "title" else name.label_
    return Speaker(name.start_char, name.end_char, text or name.text, how, _span(mention), label)


def _span(span: Span) -> tuple[int, int]:
    return span.start_char, span.end_char


def _surname(name: str) -> str:
    words = name.replace("’s", "").replace("'s", "").split()
    return words[-1].lower() if words else ""


def _named_span(token: Token) -> Span | None:
    """The named entity that `token` heads, or that stands in apposition to it."""
    doc = token.doc
    if token.ent_type_ in NAMED:
        return _entity_at(doc, token)
    for child in token.children:
        if child.dep_ in ("appos", "compound") and child.ent_type_ == "PERSON":  # "her aide Ann Lee"
            return _entity_at(doc, child)
    return None


def _entity_at(doc: Doc, token: Token) -> Span:
    """The entity holding `token`, cut to the token's own line (NER can glue a heading to a name)
    and before a verb (NER can glue a headline's verb to a name: "Volcker Says Rates …").
    Read from the IOB tags: `Doc.ents` builds every entity anew on each access."""
    from spacy.tokens import Span

    from storyline.annotate.reported import headline_verb  # here: reported.py imports this module

    def joined(i: int) -> bool:  # doc[i] continues the entity that doc[i - 1] is in
        return doc[i].ent_iob_ == "I" and "\n" not in doc[i - 1].text_with_ws and not headline_verb(doc[i])

    start, end = token.i, token.i + 1
    while start > 0 and joined(start) and not headline_verb(doc[start - 1]):
        start -= 1
    while end < len(doc) and joined(end):
        end += 1
    return Span(doc, start, end, label=token.ent_type_)


def _noun_phrase(token: Token) -> Span:
    """The subject phrase up to its head noun, leaving out relative clauses and appositions."""
    left = token.left_edge.i
    return token.doc[left : token.i + 1]


def _is_definite_title(token: Token) -> bool:
    if token.tag_ not in ("NN", "NNP"):
        return False
    dets = [c.lower_ for c in token.children if c.dep_ in ("det", "poss")]
    return bool(dets) and dets[0] not in ("a", "an", "some", "any", "no")


def _title_words(person: Span) -> frozenset[str]:
    """Lower-cased words of the titles the text gives a PERSON: premodifiers and appositions."""
    root = person.root
    words: set[str] = set()
    for child in root.children:
        if child.i < person.start and child.dep_ in ("compound", "amod", "nmod"):
            words |= _content_words(child.subtree)
        if child.dep_ == "appos":  # "Ann Lee, the Norland interior minister"
            words |= _content_words(t for t in child.subtree if t.i <= child.i)
    if root.dep_ == "appos":  # "the interior minister, Ann Lee"
        words |= _content_words(t for t in root.head.subtree if t.i <= root.head.i)
    # Titles that NER swallowed into the name ("Interior Minister Lee" tagged whole as PERSON).
    words |= {t.lower_ for t in person if t.lower_ in ROLE_NOUNS or t.lemma_.lower() in ROLE_NOUNS}
    return frozenset(words)


def _content_words(tokens: Iterable[Token]) -> set[str]:
    return {t.lower_ for t in tokens if t.is_alpha and not t.is_stop}


def _plural_subject(doc: Doc, start: int, end: int) -> tuple[int, int, str] | None:
    """The last plural subject between `start` and `end` ("the council and the ministry")."""
    span = doc.char_span(start, end, alignment_mode="contract")
    for token in reversed(list(span) if span is not None else []):
        conj = [c for c in token.children if c.dep_ == "conj"]
        if token.dep_ == "nsubj" and (token.tag_ in ("NNS", "NNPS") or conj):
            last = max([token, *conj], key=lambda t: t.i)
            return token.left_edge.idx, last.idx + len(last), token.ent_type_
    return None


def _named_subjects(doc: Doc) -> list[Span]:
    """Subjects that are named entities, in text order (candidates for a later pronoun)."""
    found: list[Span] = []
    for ent in doc.ents:
        if ent.label_ in NAMED and ent.root.dep_ in _SUBJECTS:
            found.append(ent)
    return found
