"""Docs the NER tests build by hand: words, sentence starts and entity spans, no model."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

# A blank English vocabulary: lexical attributes (numbers, spaces) without a model.
VOCAB = spacy.blank("en").vocab


def ner_doc(sentences: list[str], ents: list[tuple[int, int, str]]) -> Doc:
    """A doc of `sentences` (split on spaces) whose entities are `ents` (token start, end, label)."""
    words = [w for s in sentences for w in s.split()]
    starts: list[bool | int | None] = [i == 0 for s in sentences for i in range(len(s.split()))]
    doc = Doc(VOCAB, words=words, sent_starts=starts)
    doc.ents = [Span(doc, a, b, label=label) for a, b, label in ents]
    return doc
