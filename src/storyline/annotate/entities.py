"""Named-entity mentions and the titles/roles people are given, from one spaCy Doc.

Method: spaCy's NER, then two repairs that the small model needs on news text, both driven by the
dependency parse: a name that follows a title word ("Chancellor Olaf scholz", "President donald
Trump") is a PERSON even when NER mislabels or misses it; and a role is read from the title words
before a name or from an appositive after it ("Sergei Lavrov, the Russian foreign minister").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.annotate import ner_fixes
from storyline.model import Mention, RoleMention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

ENTITIES_VERSION = "entities.v5"  # with ner_fixes.v4 (companies, places in tables, titles; ner_names)

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
    doc.ents = ner_fixes.refine(doc, nlp)
    ents = _repair_persons(doc)
    mentions = [m for m in (_mention(span) for span in ents) if m is not None and not _is_title_word(m)]
    roles = [r for span in ents if span.label_ == "PERSON" for r in _roles(doc, span)]
    return mentions, roles


def _is_title_word(mention: Mention) -> bool:
    # NER tags the "State" of "Secretary of State" as ORG; a bare title word is never an entity.
    return mention.text.lower() in {"state", "the state"} or is_role_word(mention.text)


def is_role_word(word: str) -> bool:
    return word.lower().rstrip(".") in ROLE_WORDS


def _role_token(token: Token) -> bool:
    # "U.S.President" is one token in spaCy's tokenizer; its last dotted part is the title.
    return is_role_word(token.text.split(".")[-1] or token.text)


def _repair_persons(doc: Doc) -> list[Span]:
    """doc.ents, plus PERSON spans for names that follow a title word, minus titles tagged as names."""
    ents = [e for e in doc.ents if not (e.label_ == "PERSON" and len(e) == 1 and _role_token(e[0]))]
    for token in doc:
        if not _role_token(token) or token.i + 1 >= len(doc):
            continue
        name = _name_after_title(doc, token)
        if name is None:
            continue
        overlapping = [e for e in ents if e.start < name.end and name.start < e.end]
        if any(e.label_ == "PERSON" and e.start <= name.start and e.end >= name.end for e in overlapping):
            continue
        ents = [e for e in ents if e not in overlapping]
        ents.append(doc[name.start : name.end])
        ents[-1].label_ = "PERSON"
    return sorted(ents, key=lambda e: e.start)


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
    # At least one word must look like a name (capitalised or tagged proper noun) to avoid "minister of ...".
    if not any(t.tag_ in {"NNP", "NNPS"} or t.text[:1].isupper() for t in span):
        return None
    return span


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
