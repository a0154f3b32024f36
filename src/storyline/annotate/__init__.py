"""Per-article annotation: one spaCy pass per article gives sentences, entity mentions, roles,
quotations and time expressions, stored as an `Annotation` keyed by article id + `version()`.

Articles not in English get sentences only, from spaCy's rule-based multi-language sentencizer:
the English models would invent entities and quotes in other languages, so those stages are
skipped rather than run as if the text were English ("und", too short to tell, counts as English).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from storyline.model import Annotation, Article, EventSpan, Mention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["annotate", "installed_version", "is_english", "version"]

_BATCH = 16
LANGUAGE_VERSION = "lang.v1"  # how articles in other languages are annotated
_ENGLISH = frozenset({"en", "und"})
# Where `_sentences` cuts a sentence again (the separators are kept by the group, to count offsets).
_LINE = re.compile(r"(\n)")
_BLANK_LINE = re.compile(r"(\n[^\S\n]*\n\s*)")


def installed_version() -> str:
    """`version(load_spacy())`, read from the installed pipeline's package without loading it: a
    store whose articles are all annotated never needs the model (about 100 MB and a second)."""
    from storyline.annotate.nlp import pipeline_meta

    return version(meta=pipeline_meta())


def version(nlp: Language | None = None, meta: dict[str, Any] | None = None) -> str:
    """The cache key part that changes whenever any per-article stage or the model changes."""
    from storyline.annotate import claims, dates, entities, events, quotes
    from storyline.annotate.nlp import NLP_VERSION

    meta = nlp.meta if nlp is not None else meta
    model = f"{meta.get('name')}-{meta.get('version')}-{NLP_VERSION}" if meta is not None else "spacy"
    stages = (
        entities.ENTITIES_VERSION,
        quotes.QUOTES_VERSION,
        dates.DATES_VERSION,
        events.EVENTS_VERSION,
        claims.CLAIMS_VERSION,
    )
    return "+".join((model, *stages, LANGUAGE_VERSION))


def is_english(article: Article) -> bool:
    """Whether the English-only stages (NER, quotes, dates, events) may run on the article."""
    return article.language in _ENGLISH


def annotate(articles: Sequence[Article], nlp: Language) -> Iterator[Annotation]:
    """Annotations of `articles`, in order: English ones from batched `nlp.pipe` runs, the others
    with their sentences only."""
    english = (a.text for a in articles if is_english(a))
    docs = nlp.pipe(english, batch_size=_BATCH)
    for article in articles:
        if is_english(article):
            yield annotate_doc(article, next(docs), nlp)
        else:
            yield Annotation(article=article.id, sentences=tuple(_sentences(_sentencizer()(article.text))))


def annotate_doc(article: Article, doc: Doc, nlp: Language | None = None) -> Annotation:
    from storyline.annotate import claims, dates, entities, quotes

    sentences = tuple(_sentences(doc))
    if not is_english(article):
        return Annotation(article=article.id, sentences=sentences)
    mentions, roles = entities.extract(doc, nlp)
    kept = tuple(_outside_headings(article, mentions))
    attributions = tuple(quotes.extract(doc))
    return Annotation(
        article=article.id,
        sentences=sentences,
        mentions=kept,
        attributions=attributions,
        stances=tuple(claims.extract(doc, kept, attributions)),
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


@cache
def _sentencizer() -> Language:
    """A rule-based sentence splitter for any language (it knows the full stops of many scripts)."""
    import spacy

    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def _sentences(doc: Doc) -> Iterator[tuple[int, int]]:
    """Sentence spans, split again at line breaks (a heading is never part of the next sentence);
    in hard-wrapped text at blank lines only, as `nlp.line_breaks` splits it."""
    from storyline.annotate.nlp import hard_wrapped

    text = doc.text
    breaks = _BLANK_LINE if hard_wrapped(text) else _LINE
    for sent in doc.sents:
        start = sent.start_char
        for piece in breaks.split(text[sent.start_char : sent.end_char]):
            if not breaks.fullmatch(piece):
                stripped = piece.strip()
                if stripped:
                    lead = len(piece) - len(piece.lstrip())
                    yield (start + lead, start + lead + len(stripped))
            start += len(piece)


def _outside_headings(article: Article, mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions, minus those only found in headings or spanning lines.

    Title-case headings ("Key Takeaways for a Sustainable Future") make the small NER model see
    organisations everywhere; a name in a heading is kept when the body names it too. In
    hard-wrapped text a name may run across a line break (a first name ends one line, the surname
    starts the next), but not across a blank line.
    """
    from storyline.annotate.nlp import hard_wrapped

    spans = [(h.start, h.end) for h in article.headings]
    across = _BLANK_LINE if hard_wrapped(article.text) else _LINE

    def in_heading(m: Mention) -> bool:
        return any(s <= m.start and m.end <= e for s, e in spans)

    body_names = {m.text.casefold() for m in mentions if not in_heading(m)}
    return [
        m
        for m in mentions
        if not across.search(m.text) and (not in_heading(m) or m.text.casefold() in body_names)
    ]
