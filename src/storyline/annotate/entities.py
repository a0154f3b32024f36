"""Named-entity mentions and the titles/roles people are given, from one spaCy Doc.

Method: spaCy's NER and its repairs (`ner_fixes`), then two that the small model needs on news
text, both driven by the dependency parse: a name that follows a title word ("Chancellor Olaf
scholz", "President donald Trump") is a PERSON when NER misses it or splits it, never when it reads
it as an organisation or a place; and a role is read from the title words before a name or from an
appositive after it ("Sergei Lavrov, the Russian foreign minister").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from spacy.tokens import Span

from storyline.annotate import ner_fixes
from storyline.model import Mention, RoleMention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

ENTITIES_VERSION = "entities.v7"  # v7: no place is a surname; a title + a common word is an ORG

KEPT_LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "NORP",
    "EVENT": "EVENT",
}

# Head nouns of titles and roles. A closed list is the usual way (cf. Stanford CoreNLP's TITLE
# gazetteer): the parse tells us *where* a title is, this list tells us *that* it is one.
ROLE_WORDS = frozenset(
    """minister president secretary spokesman spokeswoman spokesperson chancellor premier leader chief
    director governor senator ambassador envoy general commander analyst expert fellow professor
    researcher economist official chairman chairwoman chair ceo head mayor commissioner king queen prince
    princess judge lawyer attorney adviser advisor aide diplomat negotiator correspondent editor founder
    executive officer representative lawmaker deputy mp congressman congresswoman sheriff coach captain
    pope cardinal bishop rabbi imam dr doctor president-elect emir sultan ayatollah colonel lieutenant
    major sergeant admiral marshal inspector superintendent prosecutor spokesmen analysts officials
    ministers manager partner scientist historian strategist scholar counterpart mediator chairperson
    administrator secretary-general""".split()
)
# Adjectives that praise or rank rather than name a role ("a renowned analyst" -> "analyst").
_EVALUATIVE = frozenset(
    "renowned well-known prominent leading noted respected famous veteran influential top".split()
)
_DROP_FROM_ROLE = {"NORP", "GPE"}  # "Russian Foreign Minister" -> "foreign minister"


def extract(doc: Doc, nlp: Language | None = None) -> tuple[list[Mention], list[RoleMention]]:
    """Entity mentions (after NER repairs and title-driven PERSON repair) and the people's roles.

    With `nlp`, sentences written in capitals are re-read in normal case (see `ner_fixes`).
    """
    read = list(doc.ents)
    doc.ents = ner_fixes.refine(doc, nlp)
    ents = _repair_persons(doc, read)
    surnames = _surnames(ents)
    mentions = [
        m for m in (_mention(span) for span in ents) if m is not None and not _is_title_word(m, surnames)
    ]
    roles = [r for span in ents if span.label_ == "PERSON" for r in _roles(doc, span)]
    return mentions, roles


def _is_title_word(mention: Mention, surnames: set[str]) -> bool:
    # NER tags the "State" of "Secretary of State" as ORG; a bare title word is never an entity,
    # unless it is the surname of someone the text names in full ("Billie Jean King" ... "King").
    if mention.label == "PERSON" and mention.text in surnames:
        return False
    return mention.text.lower() in {"state", "the state"} or is_role_word(mention.text)


def is_role_word(word: str) -> bool:
    return word.lower().rstrip(".") in ROLE_WORDS


def _role_token(token: Token) -> bool:
    # "U.S.President" is one token in spaCy's tokenizer; its last dotted part is the title.
    return is_role_word(token.text.split(".")[-1] or token.text)


def _repair_persons(doc: Doc, read: Sequence[Span] = ()) -> list[Span]:
    """doc.ents, plus PERSON spans for names that follow a title word, minus titles tagged as names.

    A title only joins or completes a person's name: a name that the NER (its entities `read`
    before the repairs) or the repairs (doc.ents) read as something else keeps that reading ("lead
    manager Union Bank", "the official Saudi Press Agency", "fellow American James Heath"). On the
    first 500 Reuters-21578 stories this step made 31 PERSON spans, 28 of them false; 28 came out of
    an ORG or GPE, and only one of those was a person's name ("National Security Adviser Brent
    Scowcroft", read as one ORG), which is now left as it was read.
    """
    surnames = _surnames(doc.ents)
    ents = [e for e in doc.ents if not _lone_title(e, surnames)]
    for token in doc:
        if not _is_title(token) or token.i + 1 >= len(doc):
            continue
        name = _name_after_title(doc, token)
        if name is None:
            continue
        overlapping = _over(name, ents)
        if _may_replace(name, overlapping) and _may_replace(name, _over(name, read, "PERSON")):
            ents = [e for e in ents if e not in overlapping]
            ents.append(Span(doc, name.start, name.end, label="PERSON"))
    return sorted(ents, key=lambda e: e.start)


def _over(name: Span, spans: Iterable[Span], but: str = "") -> list[Span]:
    """The spans (but those labelled `but`) that share a token with `name`."""
    return [e for e in spans if e.start < name.end and name.start < e.end and e.label_ != but]


def _may_replace(name: Span, overlapping: list[Span]) -> bool:
    """Whether the PERSON `name` read after a title may replace the entities over it: pieces of it
    ("Aung San" + "Suu Kyi", "Olaf" read as a nationality in "Chancellor Olaf scholz"), but no
    entity that covers it (a PERSON already, or "the official Saudi Press Agency") or runs past it
    ("lead manager Union Bank of Switzerland"), and no other entity beside a person's ("fellow
    American James Heath")."""
    if any(e.start <= name.start and name.end <= e.end for e in overlapping):
        return False
    if any(e.start < name.start or name.end < e.end for e in overlapping):
        return False
    labels = {e.label_ == "PERSON" for e in overlapping}
    return len(labels) < 2


def _surnames(ents: Iterable[Span]) -> set[str]:
    """The last words of the PERSON names of several words."""
    return {e[-1].text for e in ents if e.label_ == "PERSON" and len(e) > 1}


def _lone_title(ent: Span, surnames: set[str]) -> bool:
    """A PERSON that is one title word ("President"), but not a surname the text gives in full."""
    return ent.label_ == "PERSON" and len(ent) == 1 and _role_token(ent[0]) and ent.text not in surnames


def _is_title(token: Token) -> bool:
    """A title word used as one: a noun ("the official Saudi Press Agency" is no title) outside any
    name but a person's (the "General" of "General Motors Corp", the "Major" of "Major League")."""
    return _role_token(token) and token.pos_ in {"NOUN", "PROPN"} and token.ent_type_ in {"", "PERSON"}


def _name_after_title(doc: Doc, title: Token) -> Span | None:
    """The proper-name run right after a title word whose syntactic head it is ("Chancellor Olaf scholz")."""
    head = title.head
    if head.i <= title.i or head.pos_ not in {"PROPN", "NOUN"} or not head.is_alpha:
        return None
    start = head.i
    while start - 1 > title.i and doc[start - 1].dep_ == "compound" and doc[start - 1].is_alpha:
        start -= 1
    if start != title.i + 1 or head.i - start > 3:
        return None
    span = doc[start : head.i + 1]
    if any(_role_token(t) or t.is_stop for t in span):
        return None
    # A word must look like a name: capitalised, or a proper noun after a capitalised title ("Dr.
    # petrova") or where the text writes names in lower case ("finance director jorge marcano");
    # not "the national executive committee".
    if not any(t.text[:1].isupper() for t in span) and not (
        any(t.tag_ in {"NNP", "NNPS"} for t in span)
        and (title.text[:1].isupper() or _names_in_lower_case(doc[title.i : span.end]))
    ):
        return None
    return span


def _names_in_lower_case(titled: Span) -> bool:
    """Whether the sentence of a `titled` name writes names in lower case: it has no capitals (but
    its first word) and another proper noun ("in new york between ... director jorge marcano")."""
    sent = titled.sent
    if any(t.text[:1].isupper() for t in sent[1:] if t.is_alpha):
        return False
    return any(t.tag_ in {"NNP", "NNPS"} and t.is_alpha for t in sent if not titled.start <= t.i < titled.end)


def _mention(span: Span) -> Mention | None:
    label = KEPT_LABELS.get(span.label_)
    if label is None:
        return None
    start, end = span.start_char, span.end_char
    text = span.doc.text
    lead = text[start:end]
    for article in ("the ", "The "):
        if lead.startswith(article) and end - start > len(article) + 1:
            start += len(article)
    for poss in ("'s", "’s", "'", "’"):
        if text[start:end].endswith(poss) and end - start > len(poss) + 1:
            end -= len(poss)
            break
    surface = text[start:end].strip()
    if len(surface) < 2 or not any(ch.isalpha() for ch in surface):
        return None
    return Mention(start=start, end=end, text=text[start:end], label=label)


def _roles(doc: Doc, person: Span) -> list[RoleMention]:
    found = []
    before = _title_before(doc, person)
    if before is not None:
        found.append(before)
    for token in person:
        for child in token.children:
            if child.dep_ == "appos" and child.i >= person.end:
                role = _appositive_role(doc, person, child)
                if role is not None:
                    found.append(role)
    return found


def _title_before(doc: Doc, person: Span) -> RoleMention | None:
    """Title words right before a name and attached to it: "Russian Foreign Minister Sergey Lavrov"."""
    i = person.start - 1
    tokens: list[Token] = []
    while i >= 0 and len(tokens) < 6:
        tok = doc[i]
        after_of = i + 1 < len(doc) and doc[i + 1].lower_ == "of"
        if (
            tok.dep_ in {"compound", "amod", "nmod"}
            or tok.lower_ == "of"
            or (tok.dep_ == "pobj" and not after_of and i >= 1 and doc[i - 1].lower_ == "of")
        ):
            tokens.insert(0, tok)
            i -= 1
            continue
        break
    if not any(t.head.i in range(person.start, person.end) for t in tokens):
        return None
    if not any(_role_token(t) for t in tokens):
        return None
    return _role_from_tokens(doc, tokens, person)


def _appositive_role(doc: Doc, person: Span, head: Token) -> RoleMention | None:
    if not _role_token(head):
        return None
    tokens = [t for t in head.lefts if t.dep_ in {"compound", "amod", "nmod", "poss"}]
    tokens = [t for t in tokens if t.i > person.end] + [head]
    tokens += [t for t in head.rights if t.dep_ == "prep" and t.text.lower() == "of"]
    if tokens[-1].text.lower() == "of":
        tokens += [t for t in tokens[-1].children if t.dep_ == "pobj"]
    tokens = sorted(tokens, key=lambda t: t.i)
    return _role_from_tokens(doc, tokens, person)


def _role_from_tokens(doc: Doc, tokens: list[Token], person: Span) -> RoleMention | None:
    ent_label = {t.i: t.ent_type_ for t in tokens}
    words: list[str] = []
    kept: list[Token] = []
    for tok in tokens:
        if ent_label[tok.i] in _DROP_FROM_ROLE or tok.lower_ in _EVALUATIVE or tok.dep_ in {"det", "poss"}:
            continue
        word = tok.text.split(".")[-1] if "." in tok.text and _role_token(tok) else tok.text
        if not word or not any(ch.isalpha() for ch in word):
            continue
        words.append(word.lower())
        kept.append(tok)
    while words and words[-1] == "of":
        words.pop()
        kept.pop()
    if not words or not any(is_role_word(w) for w in words):
        return None
    start, end = kept[0].idx, kept[-1].idx + len(kept[-1].text)
    return RoleMention(
        start=start,
        end=end,
        role=" ".join(words),
        person_start=person.start_char,
        person_end=person.end_char,
    )
