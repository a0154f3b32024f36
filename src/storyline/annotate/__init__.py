"""Per-article annotation: one spaCy pass per article gives sentences, entity mentions, roles,
quotations and time expressions, stored as an `Annotation` keyed by article id + `version()`.

Articles not in English get sentences only: the English models would invent entities and quotes
in other languages, so those stages are skipped rather than run as if the text were English.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from storyline.model import Annotation, Article, EventSpan, Mention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["annotate", "version"]

_BATCH = 16


def version(nlp: Language | None = None) -> str:
    """The cache key part that changes whenever any per-article stage or the model changes."""
    from storyline.annotate import dates, entities, events, quotes
    from storyline.annotate.nlp import NLP_VERSION

    model = f"{nlp.meta.get('name')}-{nlp.meta.get('version')}-{NLP_VERSION}" if nlp is not None else "spacy"
    stages = (entities.ENTITIES_VERSION, quotes.QUOTES_VERSION, dates.DATES_VERSION, events.EVENTS_VERSION)
    return "+".join((model, *stages))


def annotate(articles: Sequence[Article], nlp: Language) -> Iterator[Annotation]:
    """Annotations of `articles`, in order, from batched `nlp.pipe` runs."""
    texts = (a.text for a in articles)
    for article, doc in zip(articles, nlp.pipe(texts, batch_size=_BATCH), strict=True):
        yield annotate_doc(article, doc, nlp)


def annotate_doc(article: Article, doc: Doc, nlp: Language | None = None) -> Annotation:
    from storyline.annotate import dates, entities, quotes

    sentences = tuple(_sentences(doc))
    if article.language not in {"en", "und"}:
        return Annotation(article=article.id, sentences=sentences)
    mentions, roles = entities.extract(doc, nlp)
    return Annotation(
        article=article.id,
        sentences=sentences,
        mentions=tuple(_outside_headings(article, mentions)),
        attributions=tuple(quotes.extract(doc)),
        dates=tuple(dates.extract(doc, article.published)),
        roles=tuple(roles),
        events=tuple(_events(doc)),
    )


def _events(doc: Doc) -> Iterator[EventSpan]:
    from storyline.annotate import events

    model = events.load_model()
    for sent in doc.sents:
        found = events.extract(sent, model)
        if found is None:
            continue
        yield EventSpan(
            type=found.plover1,
            sentence_start=sent.start_char,
            sentence_end=sent.end_char,
            trigger_start=found.trigger[0],
            trigger_end=found.trigger[1],
            source_start=found.source[0] if found.source else None,
            source_end=found.source[1] if found.source else None,
            target_start=found.target[0] if found.target else None,
            target_end=found.target[1] if found.target else None,
            confidence=round(found.confidence, 3),
        )


def _sentences(doc: Doc) -> Iterator[tuple[int, int]]:
    """Sentence spans, split again at line breaks (a heading is never part of the next sentence)."""
    text = doc.text
    for sent in doc.sents:
        start = sent.start_char
        for piece in text[sent.start_char : sent.end_char].split("\n"):
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                yield (start + lead, start + lead + len(stripped))
            start += len(piece) + 1


def _outside_headings(article: Article, mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions, minus those only found in headings or spanning lines.

    Title-case headings ("Key Takeaways for a Sustainable Future") make the small NER model see
    organisations everywhere; a name in a heading is kept when the body names it too.
    """
    spans = [(h.start, h.end) for h in article.headings]

    def in_heading(m: Mention) -> bool:
        return any(s <= m.start and m.end <= e for s, e in spans)

    body_names = {m.text.casefold() for m in mentions if not in_heading(m)}
    return [
        m for m in mentions if "\n" not in m.text and (not in_heading(m) or m.text.casefold() in body_names)
    ]
