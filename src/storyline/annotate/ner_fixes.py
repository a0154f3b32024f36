"""Document-level repairs of spaCy's named entities: general fixes a small NER model needs on news.

Method: sentences in ALL CAPS (headlines, datelines) are re-read by the NER in the casing the rest
of the document uses; spans lose what names do not contain (a leading "the", a trailing "'s",
score-like numbers, edge punctuation); then one document, one sense: a text keeps its majority
label everywhere, and names found once (and the surnames of full PERSON names, places aside) are
found again. The trained relabeller (`ner_relabel`) types every name again and adds the ones it
finds. Before and after it, names that are figures are read as such (`ner_figures`); last, names
of the wrong kind (companies called people, titles in names) are put right (`ner_names`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from storyline.annotate import ner_names, ner_relabel
from storyline.annotate.ner_figures import PROPER_LABELS, figures
from storyline.annotate.ner_names import hyphen_in_word
from storyline.story.places import place

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Token

__all__ = ["refine", "repair", "shouting_sentences", "truecased_words"]

NER_FIXES_VERSION = "ner_fixes.v5"  # v5: places are no surnames; a title leaves no common word a name

# A sentence is shouted when this share of its words (two letters or more) is upper case.
_SHOUTED_SHARE = 0.8
_SHORT_LINE = 2
# A dateline's place is at most this many words ("RIO DE JANEIRO").
_DATELINE_WORDS = 3
_ACRONYM_MAX = 6
# Labels that are names of people, bodies and places: they never end in a bare number ("Kent
# 108-3", "LONDON 1996-08-30"), unlike products and events ("Windows 95", "Apollo 13").
_NAME_LABELS = PROPER_LABELS
_LEADING_DROP = {"the", "a", "an"}
_TRAILING_DROP = {"'s", "’s", "'"}
_INITIAL = re.compile(r"[A-Z]\.(?:[A-Z]\.)*")
_BREAKS = {"(", ")", "[", "]", "-", "--", "–", "—", ":", ";", "|"}
# Labels a propagated name may spread with; numbers and dates are not names.
_SPREAD_LABELS = _NAME_LABELS | {"EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}


def refine(doc: Doc, nlp: Language | None = None) -> list[Span]:
    """The entities of `doc` after the repairs, sorted and non-overlapping (ready for doc.ents).

    With `nlp` (the pipeline that made `doc`), shouted sentences are re-read in truecase first and
    the relabeller runs on the repairs (it learned from the output of this path); the names it
    adds are checked for figures again. Names of the wrong kind are put right last (`ner_names`).
    """
    spans, words = repair(doc, nlp)
    if nlp is not None:
        spans = figures(doc, ner_relabel.relabel(doc, spans, words), words)
    lexicon = ner_names.common_words(nlp) if nlp is not None else frozenset()
    return ner_names.correct(doc, spans, words, lexicon)


def repair(doc: Doc, nlp: Language | None = None) -> tuple[list[Span], list[str]]:
    """The entities of `doc` after the rule repairs (no relabelling), and the doc's truecased words."""
    shouting = shouting_sentences(doc)
    words = truecased_words(doc, shouting)
    spans = list(doc.ents)
    if nlp is not None and shouting and "ner" in nlp.pipe_names:
        spans = _reread(doc, nlp, shouting, words)
    spans = [t for t in (_trim(s) for s in spans) if t is not None]
    spans = _datelines(doc, spans)
    spans = spans + _acronyms(doc, spans)
    spans = _majority_labels(spans)
    spans = _spread(doc, spans, words)
    # A PERSON in capitals is read as an acronym here, a body's most often, and dropped only if the
    # relabeller still calls it a person: it then knows the name ("SESDAQ") and may type it again.
    spans = figures(doc, spans, words, capitals="ORG")
    return sorted(filter_spans(spans), key=lambda s: s.start), words


def shouting_sentences(doc: Doc) -> list[Span]:
    """The sentences (the whole doc when it has none) written in capitals."""
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    return [s for s in sents if _shouted(s)]


def _shouted(sent: Span) -> bool:
    words = [t.text for t in sent if sum(c.isalpha() for c in t.text) >= 2]
    return bool(words) and sum(w.isupper() for w in words) >= _SHOUTED_SHARE * len(words)


def truecased_words(doc: Doc, shouting: list[Span]) -> list[str]:
    """The doc's words, those of shouted sentences in the casing the other sentences use.

    A word the document never writes otherwise is lower-cased, unless the line is one or two
    words long: such a line is a dateline or a name ("GENEVA", "MONTE CARLO"), not a headline.
    """
    seen = _casings(doc, shouting)
    words = [t.text for t in doc]
    for sent in shouting:
        short = sum(any(c.isalpha() for c in t.text) for t in sent) <= _SHORT_LINE
        for tok in sent:
            if tok.text.isupper():
                words[tok.i] = _recase(tok.text, seen, short)
    return words


def _casings(doc: Doc, shouting: list[Span]) -> dict[str, str]:
    """Lower-cased word -> its most frequent written form outside the shouted sentences.

    Sentence-initial forms count only when the word never shows up elsewhere: "The" says nothing.
    """
    inside = {t.i for s in shouting for t in s}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    initial: dict[str, Counter[str]] = defaultdict(Counter)
    for tok in doc:
        if tok.i in inside or not any(c.isalpha() for c in tok.text) or tok.text.isupper():
            continue
        (initial if tok.is_sent_start else counts)[tok.text.lower()][tok.text] += 1
    best = {w: c.most_common(1)[0][0] for w, c in initial.items()}
    best.update({w: c.most_common(1)[0][0] for w, c in counts.items()})
    return best


def _recase(word: str, seen: dict[str, str], short: bool) -> str:
    lower = word.lower()
    if len(lower) != len(word):
        return word  # a case change that moves characters ("İ") would break offsets
    if lower in seen:
        return seen[lower]
    if lower in STOP_WORDS or not any(c.isalpha() for c in word) or not short:
        return lower
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def _reread(doc: Doc, nlp: Language, shouting: list[Span], words: list[str]) -> list[Span]:
    """doc.ents, those of shouted sentences replaced by the NER's reading of them in truecase."""
    spaces = [bool(t.whitespace_) for t in doc]
    starts: list[bool | int | None] | None = None
    if doc.has_annotation("SENT_START"):
        starts = [t.is_sent_start for t in doc]
    cased = nlp.get_pipe("ner")(Doc(doc.vocab, words=words, spaces=spaces, sent_starts=starts))
    inside = {t.i for s in shouting for t in s}
    kept = [e for e in doc.ents if e.start not in inside]
    reread = [Span(doc, e.start, e.end, label=e.label_) for e in cased.ents if e.start in inside]
    return kept + reread


def _trim(span: Span) -> Span | None:
    """The span without tokens a name does not contain, or None when nothing is left.

    A name is cut at a bracket or a spaced dash inside it ("Scott Draper ( Australia"), and at a
    hyphen inside a word only between two places ("Russia-Ukraine Conflict"), not in a name
    ("Abdul-Aziz", "Li Ka-shing": spaCy makes the hyphen a token of its own); its edges lose
    determiners, possessives, lower-case words ("the Xinhua news agency"), punctuation and score- or
    date-like numbers ("Kent 108-3"), plain numbers too for names of people and places.
    """
    doc = span.doc
    start, end = span.start, span.end
    cut = next((t.i for t in span[1:] if t.text in _BREAKS and _breaks_name(t)), None)
    if cut is not None:
        end = cut
    while start < end and _drop_at_start(doc[start], span.label_):
        start += 1
    while end > start and _drop_at_end(doc[end - 1], span.label_):
        end -= 1
    text = doc[start:end].text
    if start == end or not any(c.isupper() for c in text):
        return None  # "499th", "a.m.": names are written with a capital
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label_)


def _breaks_name(tok: Token) -> bool:
    """Whether a break token ends the name it is in: a hyphen inside a word only joins two places."""
    if not hyphen_in_word(tok):
        return True
    doc = tok.doc
    return place(doc[tok.i - 1].text) is not None and place(doc[tok.i + 1].text) is not None


def _drop_at_start(tok: Token, label: str) -> bool:
    return (
        tok.lower_ in _LEADING_DROP
        or _is_edge_punct(tok)
        or (label in _NAME_LABELS and tok.text[:1].islower())
    )


def _drop_at_end(tok: Token, label: str) -> bool:
    if tok.i >= 1 and hyphen_in_word(tok.doc[tok.i - 1]):
        return False  # the end of a hyphenated word ("Ka-shing", "Bunya-ananta")
    if tok.lower_ in _TRAILING_DROP or _is_edge_punct(tok):
        return True
    if not any(c.isalpha() for c in tok.text):
        return label in _NAME_LABELS or not tok.text.isdigit()
    return label in _NAME_LABELS and tok.text[:1].islower()


def _is_edge_punct(tok: Token) -> bool:
    return tok.is_punct and tok.text not in {".", "&"}


def _acronyms(doc: Doc, spans: list[Span]) -> list[Span]:
    """Abbreviations defined in brackets after a name ("Kurdistan Democratic Party ( KDP )")."""
    taken = {i for s in spans for i in range(s.start, s.end)}
    found = []
    for span in spans:
        i = span.end
        if i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")" and i + 1 not in taken:
            word = doc[i + 1].text
            if word.isupper() and word.isalpha() and 2 <= len(word) <= _ACRONYM_MAX and len(span) > 1:
                found.append(Span(doc, i + 1, i + 2, label=span.label_))
    return found


def _datelines(doc: Doc, spans: list[Span]) -> list[Span]:
    """Spans with each dateline's place ("BONN 1996-08-30", "KYIV, Ukraine (AP)") read as a GPE.

    A dateline opens a sentence with a place in capitals, then a comma, a bracket or a date, and
    the sentence does not go on shouting (that would be a headline: "TARANGO, O'BRIEN WIN").
    """
    if not doc.has_annotation("SENT_START"):
        return spans
    found = []
    for sent in doc.sents:
        end = sent.start
        while end < sent.end and end - sent.start < _DATELINE_WORDS and _is_caps_word(doc[end]):
            end += 1
        if end == sent.start or end == sent.end:
            continue
        if _dateline_tail(doc[end : sent.end]):
            found.append(Span(doc, sent.start, end, label="GPE"))
    if not found:
        return spans
    covered = {i for s in found for i in range(s.start, s.end)}
    return [s for s in spans if not covered.intersection(range(s.start, s.end))] + found


def _dateline_tail(rest: Span) -> bool:
    """Whether what follows a capitalised place is the rest of a dateline: a date, ", Region" or
    "(Agency)", in a sentence that goes on in ordinary case (so "NATO, which" or "NATO (North
    Atlantic ...)" do not count)."""
    first, second = rest[0], rest[1] if len(rest) > 1 else None
    if _shouted(rest):
        return False
    if any(c.isdigit() for c in first.text):
        return True
    if second is None or not second.text[:1].isupper():
        return False
    return first.text == "," or (first.text == "(" and len(rest) > 2 and rest[2].text == ")")


def _is_caps_word(tok: Token) -> bool:
    return tok.text.isupper() and tok.text.replace(".", "").isalpha() and len(tok.text) >= 2


def _majority_labels(spans: list[Span]) -> list[Span]:
    """Each span relabelled with the label its text most often has in the document.

    Case is ignored (a shouted headline names the same things). A lone surname of a full PERSON
    name in the document is PERSON whatever the votes: news names a person in full once, then by
    surname, and the small model often reads those surnames as places or companies.
    """
    votes = _votes(spans)
    surnames = _surnames(spans, votes)
    out = []
    for span in spans:
        if len(span) == 1 and span.text in surnames:
            label = "PERSON"
        else:
            label = votes[span.text.lower()].most_common(1)[0][0]
        out.append(span if label == span.label_ else Span(span.doc, span.start, span.end, label=label))
    return out


def _votes(spans: list[Span]) -> dict[str, Counter[str]]:
    """Lower-cased text -> how often the document gives it each label."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for span in spans:
        votes[span.text.lower()][span.label_] += 1
    return votes


def _surnames(spans: list[Span], votes: dict[str, Counter[str]]) -> set[str]:
    """Last words of the multi-word PERSON spans, but places (`_is_place_word`)."""
    last = (s[-1].text for s in _full_names(spans))
    return {w for w in last if w[:1].isupper() and not _is_place_word(w, votes)}


def _is_place_word(word: str, votes: dict[str, Counter[str]]) -> bool:
    """Whether `word` is a known place that the document, where it writes the word alone, mostly
    reads as one: then it is no surname, and a PERSON that ends in it is a misreading (a title-case
    heading "What Actions Trigger Russia?" read as a person's name).

    Both are needed (on the 216 documents of CoNLL dev). The document's reading alone would undo
    the surname rule where it matters: the model reads seven people's lone surnames mostly as places
    (Holland, Buyoya, Lebed, Farrakhan, ...). The gazetteer alone would take surnames that are also
    towns: 27 full names there end in one (Adams, Jordan, Hamilton, Rodriguez, Washington, ...),
    none of them mostly read as a place.
    """
    if place(word) is None:
        return False
    counts = votes.get(word.lower(), Counter())
    return 2 * (counts["GPE"] + counts["LOC"]) > sum(counts.values())


def _full_names(spans: list[Span]) -> list[Span]:
    """The PERSON spans of several words, but those that end in a hyphenated word: its last part is
    no surname ("Leigh-Pemberton", "Specialty Steels-Europe")."""
    return [s for s in spans if s.label_ == "PERSON" and len(s) > 1 and not hyphen_in_word(s[-2])]


def _spread(doc: Doc, spans: list[Span], words: list[str]) -> list[Span]:
    """Spans plus other occurrences of the same names (and of full names' surnames) left untagged.

    Occurrences are matched on the truecased words, so a shouted headline shares the body's
    names. A surname takes the initials before it ("M. Bevan"); one that follows another
    capitalised word is left alone, as it is then part of a name the model split differently.
    """
    names: dict[tuple[str, ...], str] = {}
    for span in spans:
        key = tuple(words[span.start : span.end])
        if span.label_ in _SPREAD_LABELS and key[0][:1].isupper():
            names.setdefault(key, span.label_)
    votes = _votes(spans)
    surnames = {words[s.end - 1] for s in _full_names(spans)}
    surnames = {w for w in surnames if w[:1].isupper() and not _is_place_word(w, votes)}
    for surname in surnames:
        names.setdefault((surname,), "PERSON")
    taken = {i for s in spans for i in range(s.start, s.end)}
    found = list(spans)
    for key, label in sorted(names.items(), key=lambda kv: -len(kv[0])):
        for start in _occurrences(words, key):
            end = start + len(key)
            if len(key) == 1 and key[0] in surnames:
                name_start = _name_start(doc, start, taken)
                if name_start is None:
                    continue
                start = name_start
            if not taken.intersection(range(start, end)):
                found.append(Span(doc, start, end, label=label))
                taken.update(range(start, end))
    return found


def _name_start(doc: Doc, start: int, taken: set[int]) -> int | None:
    """Where a person's name ending in the surname at `start` begins, or None when it is unclear."""
    while start > 0 and _INITIAL.fullmatch(doc[start - 1].text) and start - 1 not in taken:
        start -= 1
    before = doc[start - 1] if start > 0 else None
    if before is not None and before.text[:1].isupper() and not before.is_sent_start:
        return None
    return start


def _occurrences(words: list[str], key: tuple[str, ...]) -> list[int]:
    """Start indices of the word sequence `key` in `words` (case-sensitive)."""
    n = len(key)
    return [i for i in range(len(words) - n + 1) if words[i] == key[0] and tuple(words[i : i + n]) == key]
