"""Positions taken in one article: who is for or against what, read from spaCy's dependency parse.

Method: a stance cue is a verb, adjective or noun of a support/oppose lexicon ("reject", "open to",
"opposition to"), or an evaluation whose subject is the thing judged ("X will not lead to peace",
"describes X as a non-starter"). Negation flips the cue. The holder is the cue's subject (passive:
its agent; none: the speaker of the reported clause it sits in); pronouns take the nearest earlier
name. The target is the cue's object or complement, and `issue` is a short phrase for it built from
the parse, walking past generic heads ("proposals that involve ... Ukraine joining NATO").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from storyline.model import Attribution, Mention, StanceFrame

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

CLAIMS_VERSION = "claims.v1"

__all__ = ["CLAIMS_VERSION", "extract"]

# Cue lexicons. Lemmas; the polarity is the holder's position on the cue's object or complement.
OPPOSE_VERBS = frozenset(
    """reject oppose refuse deny condemn criticize criticise denounce dismiss object resist block veto
    decry slam protest disapprove rebuff spurn scrap boycott rule_out warn_against fear""".split()
)
SUPPORT_VERBS = frozenset(
    """support back endorse welcome favor favour praise approve accept allow agree propose urge advocate
    seek want push_for call_for insist_on commit guarantee promise defend embrace recognize recognise
    favor_of consider_joining demand pursue""".split()
)
OPPOSE_WORDS = frozenset(
    "unacceptable non-starter nonstarter threat provocation illegal opposition rejection mistake".split()
)
SUPPORT_WORDS = frozenset("open ready willing committed keen eager happy support backing favourable".split())
# "X will (not) lead to peace": the subject is judged by the predicate; polarity of the judgement.
GOOD_OUTCOME = frozenset("lead help work serve benefit align succeed contribute strengthen".split())
BAD_OUTCOME = frozenset(
    "fail harm threaten undermine hurt damage endanger escalate prolong violate destabilize weaken".split()
)
# Verbs that frame an evaluation: "calls X a non-starter", "sees X as a threat", "deems X unacceptable".
FRAMING = frozenset("call describe see view regard consider deem label brand find term characterize".split())
REPORTING = frozenset(
    """say tell state insist argue claim believe stress warn think note add declare assert maintain
    suggest emphasize emphasise reiterate explain contend acknowledge signal""".split()
)
# Heads that name a proposal rather than its content: the issue is what they are about.
GENERIC_HEADS = frozenset(
    """proposal proposals idea plan possibility statement remark move claim position stance thing way
    issue question action prospect notion option suggestion offer call demand attempt talk effort any
    kind sort form""".split()
)
CONDITIONS = ("only if", "if ", "unless", "provided that", "on condition", "as long as", "only on")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_PRONOUNS = frozenset("he she it they we i his her its their our".split())
_ACTOR_LABELS = frozenset("PERSON ORG GPE NORP".split())
_MAX_ISSUE_TOKENS = 8


def extract(
    doc: Doc, mentions: Sequence[Mention] = (), attributions: Sequence[Attribution] = ()
) -> list[StanceFrame]:
    """Every stance frame of `doc`, at most one per cue; needs the parse (spaCy `parser`)."""
    frames = []
    for sent in doc.sents:
        for token in sent:
            frame = _frame(token, sent, mentions, attributions)
            if frame is not None:
                frames.append(frame)
    return frames


def _frame(
    cue: Token, sent: Span, mentions: Sequence[Mention], attributions: Sequence[Attribution]
) -> StanceFrame | None:
    found = _cue(cue)
    if found is None:
        return None
    polarity, target, holder_verb, judged = found
    if _negated(cue):
        polarity = "oppose" if polarity == "support" else "support"
    holder = None if judged else _subject_or_agent(holder_verb)
    if holder is None or holder.lower_ in {"who", "which", "that"}:
        holder = _speaker(holder_verb)
    if holder is None or target is None:
        return None
    held = _resolve(holder, sent, mentions, attributions)
    if held is None:
        return None
    issue_head = _issue_head(target)
    if not _is_content(issue_head):
        return None
    issue = _issue_phrase(issue_head)
    if not issue or issue.lower() in _PRONOUNS:
        return None
    if issue_head is target and target.dep_ == "dobj":
        issue = _with_place(issue, target)
    t_start, t_end = _span(target)
    text = sent.text.lower()
    return StanceFrame(
        sentence_start=sent.start_char,
        sentence_end=sent.end_char,
        holder_start=held[0],
        holder_end=held[1],
        holder_text=holder.text,
        cue_start=cue.idx,
        cue_end=cue.idx + len(cue.text),
        target_start=t_start,
        target_end=t_end,
        issue=issue,
        polarity=polarity,
        conditional=any(c in text for c in CONDITIONS),
    )


def _cue(token: Token) -> tuple[str, Token | None, Token, bool] | None:
    """(polarity, target, the verb whose subject holds the stance, judged-subject?) or None."""
    lemma = token.lemma_.lower()
    if token.pos_ in {"VERB", "AUX"} or token.tag_.startswith("VB"):
        particle = _particle(token)
        key = f"{lemma}_{particle}" if particle else lemma
        for name, polarity in ((key, None), (lemma, None)):
            if name in OPPOSE_VERBS or name in SUPPORT_VERBS:
                polarity = "oppose" if name in OPPOSE_VERBS else "support"
                return polarity, _object(token, particle), token, False
        if lemma in FRAMING:
            judged = _framed(token)
            if judged is not None:
                return judged[0], judged[1], token, False
        if lemma in GOOD_OUTCOME or lemma in BAD_OUTCOME:
            subject = _subject(token)
            # "would be aligned with our interests" judges its subject; "were brought in" does not.
            active = subject is not None and (subject.dep_ == "nsubj" or lemma == "align")
            if active and subject is not None and subject.pos_ in {"NOUN", "PROPN"} and not subject.ent_type_:
                return ("support" if lemma in GOOD_OUTCOME else "oppose"), subject, token, True
        return None
    if token.lower_ in OPPOSE_WORDS or token.lower_ in SUPPORT_WORDS or lemma in OPPOSE_WORDS:
        polarity = "oppose" if (token.lower_ in OPPOSE_WORDS or lemma in OPPOSE_WORDS) else "support"
        return _word_cue(token, polarity)
    return None


def _word_cue(token: Token, polarity: str) -> tuple[str, Token | None, Token, bool] | None:
    """An adjective or noun cue: "Moscow is open to talks", "Russia's opposition to X", "X is a threat"."""
    target = _prep_object(token)
    if token.dep_ in {"acomp", "attr"} and token.head.pos_ in {"AUX", "VERB"}:
        verb = token.head
        if target is None:
            # "X is a threat": the subject is judged, by whoever reports it.
            subject = _subject(verb)
            if subject is not None and subject.ent_type_ == "":
                return polarity, subject, verb, True
            return None
        return polarity, target, verb, False
    if token.pos_ == "NOUN" and target is not None:
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        if owner is not None:
            return polarity, target, token, False
    return None


def _framed(verb: Token) -> tuple[str, Token] | None:
    """ "sees X as a threat", "deems X unacceptable", "describing it as 'a non-starter'"."""
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "nsubj"} and c.i > verb.i), None)
    for child in verb.children:
        judge = child
        if child.dep_ == "prep" and child.lower_ == "as":
            judge = next((g for g in child.children if g.dep_ == "pobj"), child)
        elif child.dep_ not in {"oprd", "xcomp", "ccomp", "attr"}:
            continue
        words = {judge.lower_, judge.lemma_.lower()} | {c.lower_ for c in judge.children if c.dep_ == "amod"}
        if judge.lower_ == "starter":  # "non-starter" is split by the tokenizer
            words.add("non-starter")
        if obj is None:
            obj = next((c for c in judge.children if c.dep_ == "nsubj"), None)
        if obj is None:
            continue
        if words & OPPOSE_WORDS:
            return "oppose", obj
        if words & SUPPORT_WORDS:
            return "support", obj
    return None


def _particle(verb: Token) -> str | None:
    """ "rule out", "call for", "insist on": a particle, or a preposition right after the verb."""
    for child in verb.children:
        if child.dep_ == "prt":
            return child.lower_
        after = child.i == verb.i + 1 or (child.i == verb.i + 2 and verb.nbor(1).pos_ == "ADV")
        if child.dep_ == "prep" and after and child.lower_ in {"for", "on", "against", "of"}:
            return child.lower_
    return None


def _object(verb: Token, particle: str | None) -> Token | None:
    for child in verb.children:
        if child.dep_ in {"dobj", "ccomp", "xcomp"}:
            return child
    for child in verb.children:
        if child.dep_ == "prep" and (particle is None or child.lower_ == particle):
            pobj = next((g for g in child.children if g.dep_ in {"pobj", "pcomp"}), None)
            if pobj is not None:
                return pobj
    if _is_passive(verb):
        subject = _subject(verb)  # "X should not be dismissed": X, also when shared with a conjunct
        return subject if subject is not None and subject.dep_ == "nsubjpass" else None
    return None


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)


def _prep_object(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in {"to", "with", "for", "of", "against", "on"}:
            return next((g for g in child.children if g.dep_ in {"pobj", "pcomp"}), None)
        if child.dep_ == "xcomp":
            return child
    return None


def _subject(verb: Token) -> Token | None:
    """The verb's subject, inherited through conjunctions and xcomp chains ("refused to accept X")."""
    token: Token | None = verb
    for _ in range(4):
        if token is None:
            return None
        subject = next((c for c in token.children if c.dep_ in _SUBJECTS), None)
        if subject is not None:
            return subject
        if token.dep_ in {"conj", "xcomp", "acomp"} and token.head is not token:
            token = token.head
            continue
        if token.dep_ == "relcl":
            return token.head
        return None
    return None


def _subject_or_agent(verb: Token) -> Token | None:
    if _is_passive(verb):
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        return next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
    return _subject(verb)


def _speaker(token: Token) -> Token | None:
    """The subject of the reporting verb the clause depends on ("Lavrov insisted that X ...")."""
    node = token
    for _ in range(5):
        if node.head is node:
            return None
        node = node.head
        if node.lemma_.lower() in REPORTING:
            return _subject(node)
    return None


def _resolve(
    holder: Token, sent: Span, mentions: Sequence[Mention], attributions: Sequence[Attribution]
) -> tuple[int, int] | None:
    """The mention span standing for the holder: its own name, or what a pronoun refers to."""
    phrase = holder.doc[holder.left_edge.i : holder.right_edge.i + 1]
    inside = [
        m
        for m in mentions
        if m.label in _ACTOR_LABELS and phrase.start_char <= m.start and m.end <= phrase.end_char
    ]
    # The name at the holder word itself, else one inside its phrase ("the government of X").
    for m in inside:
        if holder.idx <= m.end and m.start <= holder.idx + len(holder.text):
            return (m.start, m.end)
    if inside and holder.lower_ not in _PRONOUNS:
        return (inside[0].start, inside[0].end)
    if holder.lower_ not in _PRONOUNS:
        return None
    for attr in attributions:
        # The quotation stage already resolved the pronoun at this cue ("..., she explained").
        same_cue = attr.cue_start is not None and sent.start_char <= attr.cue_start < sent.end_char
        spoken = (attr.speaker_text or "").lower() == holder.lower_
        if same_cue and spoken and attr.speaker_start is not None and attr.speaker_end is not None:
            return (attr.speaker_start, attr.speaker_end)
    for attr in attributions:
        # "we"/"I" inside a quotation: the quoted speaker.
        if (
            attr.start <= holder.idx < attr.end
            and attr.speaker_start is not None
            and holder.lower_ in {"we", "i"}
        ):
            return (attr.speaker_start, attr.speaker_end or attr.speaker_start)
    personal = holder.lower_ in {"he", "she", "his", "her"}
    wanted = {"PERSON"} if personal else {"GPE", "ORG", "NORP"}
    # "he"/"she" look back a paragraph; "it"/"they" only inside the sentence (plural antecedents).
    window = sent.start_char - 600 if personal else sent.start_char
    earlier = [m for m in mentions if m.label in wanted and window <= m.start and m.end <= holder.idx]
    if not personal:
        # "it"/"they" refer back to a subject ("Moscow made clear it would never ..."), not any name.
        earlier = [m for m in earlier if _is_subject(sent, m)]
    return (earlier[-1].start, earlier[-1].end) if earlier else None


def _is_subject(sent: Span, mention: Mention) -> bool:
    span = sent.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in _SUBJECTS


def _negated(cue: Token) -> bool:
    """A "not"/"never" on the cue, its auxiliary chain or its governing verb ("will not accept")."""
    nodes = [cue]
    if cue.dep_ in {"acomp", "attr", "xcomp", "oprd"}:
        nodes.append(cue.head)
    if any(c.dep_ == "neg" or c.lower_ in {"never", "no"} for n in nodes for c in n.children):
        return True
    # The parser sometimes hangs "not" elsewhere: "are not ready", "will never accept".
    before = cue.doc[max(cue.sent.start, cue.i - 3) : cue.i]
    return any(t.lower_ in {"not", "n't", "never"} for t in before)


def _issue_head(target: Token) -> Token:
    """Walk past generic heads: "proposals that involve any possibility of X" -> X."""
    token = target
    for _ in range(5):
        if token.lemma_.lower() not in GENERIC_HEADS and token.lower_ not in GENERIC_HEADS:
            return token
        nxt = None
        for child in token.children:
            if child.dep_ == "relcl":
                nxt = next((g for g in child.children if g.dep_ in {"dobj", "xcomp", "ccomp"}), None)
            elif child.dep_ == "prep" and child.lower_ in {"of", "for", "to", "on", "about"}:
                nxt = next((g for g in child.children if g.dep_ in {"pobj", "pcomp"}), None)
            elif child.dep_ == "acl":
                nxt = child
            if nxt is not None:
                break
        if nxt is None:
            return token
        token = nxt
    return token


def _is_content(head: Token) -> bool:
    """A target worth naming: a word, not a pronoun, "what" or a tokenizer fragment ("de-")."""
    return (
        head.is_alpha
        and len(head.text) >= 3
        and head.pos_ not in {"PRON", "DET"}
        and head.lower_ not in _PRONOUNS
        and head.tag_ not in {"WP", "WDT"}
    )


def _issue_phrase(head: Token) -> str:
    """A short readable phrase for the issue: "Ukraine joining NATO", "NATO troops in Ukraine"."""
    if head.pos_ in {"VERB", "AUX"}:
        subject = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        obj = next((c for c in head.children if c.dep_ in {"dobj", "attr"}), None)
        if obj is None:
            prep = next((c for c in head.children if c.dep_ == "prep"), None)
            obj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
        verb = head.text if head.tag_ == "VBG" else _gerund(head)
        parts = [_noun_words(subject) if subject is not None else "", verb]
        if obj is not None:
            parts.append(_noun_words(obj))
        return " ".join(p for p in parts if p).strip()
    return _noun_words(head, with_preps=True)


def _noun_words(head: Token, with_preps: bool = False) -> str:
    """The head's compounds, possessors and adjectives, plus one "in/of/for X" phrase when asked."""
    keep = [head]
    for child in head.children:
        if child.dep_ in {"compound", "amod", "poss", "nmod", "case"} and child.i < head.i:
            keep.extend(t for t in child.subtree if t.dep_ != "det" and not t.is_punct or t.lower_ == "'s")
        if with_preps and child.dep_ == "prep" and child.lower_ in {"in", "of", "for", "to", "on", "from"}:
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                keep.append(child)
                keep.extend(
                    t for t in pobj.subtree if t.dep_ not in {"det", "relcl", "acl"} and t.i <= pobj.i
                )
    words = sorted(set(keep), key=lambda t: t.i)
    drop = {"any", "such", "possible", "potential", "eventual", "firm", "strong", "these", "those", "this"}
    text = " ".join(t.text for t in words if t.lower_ not in drop)
    text = text.replace(" 's", "'s").replace(" ’s", "’s")
    return " ".join(text.split()[:_MAX_ISSUE_TOKENS])


def _with_place(issue: str, obj: Token) -> str:
    """ "accept NATO troops in X": the parser hangs the place on the verb; it belongs to the issue."""
    for child in obj.head.children:
        if child.dep_ == "prep" and child.lower_ in {"in", "into"} and child.i > obj.i:
            place = next(
                (g for g in child.children if g.dep_ == "pobj" and g.ent_type_ in {"GPE", "LOC"}), None
            )
            if place is not None:
                return f"{issue} {child.text} {_noun_words(place)}"
    return issue


def _gerund(verb: Token) -> str:
    if verb.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in verb.children):
        return verb.text  # "aggression to be rewarded" -> "aggression rewarded"
    lemma = verb.lemma_.lower()
    if lemma == "be":
        return "being"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", lemma):
        return lemma + lemma[-1] + "ing"  # one syllable ending vowel + consonant: put -> putting
    if lemma.endswith("e") and not lemma.endswith("ee"):
        return lemma[:-1] + "ing"
    return lemma + "ing"


def _span(token: Token) -> tuple[int, int]:
    left, right = token.left_edge, token.right_edge
    return left.idx, right.idx + len(right.text)


def frames_in(frames: Sequence[StanceFrame], start: int, end: int) -> Iterator[StanceFrame]:
    return (f for f in frames if start <= f.sentence_start < end)
