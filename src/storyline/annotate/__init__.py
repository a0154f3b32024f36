"""Per-article annotation: one spaCy pass per article gives sentences, entity mentions, roles,
quotations and time expressions, stored as an `Annotation` keyed by article id + `version()`.

Articles not in English get sentences only, from spaCy's rule-based multi-language sentencizer:
the English models would invent entities and quotes in other languages, so those stages are
skipped rather than run as if the text were English ("und", too short to tell, counts as English).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from storyline.model import Annotation, Article, EventSpan, Mention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["annotate", "installed_version", "is_english", "runs_on", "version"]

_BATCH = 16
LANGUAGE_VERSION = "lang.v1"  # how articles in other languages are annotated
_ENGLISH = frozenset({"en", "und"})
# In hard-wrapped text, a line that ends a sentence ends its paragraph: wire copy marks paragraphs
# by indenting their first line, which cleaning strips. Of the line breaks of the 3,310 texts among
# the first 4,000 Reuters rows that are hard-wrapped once their indents are stripped (57,216; the
# indents as truth) this puts 99.3% right; taking only blank lines as paragraph ends, 70%.
_SENTENCE_END = re.compile(r"[.!?:][\"'\u201d\u2019)]*$")
_COLUMNS = re.compile(r"\S {3,}\S")  # a table row: its columns are set apart by runs of spaces
# But a line ending in initials ("the U.S.", "Richard R.") or a title ("Sen.") mostly runs on into
# a capitalised word: in those texts 128 such breaks of 186 are wraps (without this exception the
# rule puts 99.1% right; where a sentence does end there, spaCy still ends it). "Co.", "Inc.",
# "Corp." and "Ltd." end their paragraph at a line's end 236 times in 240, so they are not listed.
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.)+$|\b(?:Mr|Mrs|Ms|Dr|Prof|Rev|Sen|Rep|Gov|Gen|Col|Lt|Capt|St)\.$")
# Closing quote marks or brackets (followed by a space, not by the words they would open): spaCy
# may start the next sentence with them when a line break follows ("... act alone."\nPresident).
_CLOSING = re.compile(r"[\"'\u201d\u2019)\]]+(?=\s|$)")


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


def annotate(articles: Sequence[Article], nlp: Language) -> list[Annotation]:
    """Annotations of `articles`, in order: English ones from batched `nlp.pipe` runs, the others
    with their sentences only.

    Each call is a spaCy memory zone: the strings and lexemes that its texts add to the pipelines'
    vocabularies are freed when it returns. Without it a vocabulary keeps every word it has ever
    read, so a run over a growing archive, or a watch that never stops, grows with the archive's
    vocabulary (6,000 Reuters stories added 24,000 strings). The annotations hold plain strings.
    """
    with nlp.memory_zone(), _sentencizer().memory_zone():
        return list(_annotated(articles, nlp))


def _annotated(articles: Sequence[Article], nlp: Language) -> Iterator[Annotation]:
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
    """Sentence spans: spaCy's, cut again where a paragraph ends (`_paragraph_ends`: a heading is
    never part of the next sentence), and with closing quote marks kept by the sentence they close."""
    text = doc.text
    cuts = {0, len(text), *_paragraph_ends(text)}
    for sent in doc.sents:
        closing = _CLOSING.match(text, sent.start_char) if sent.start else None
        cuts.add(closing.end() if closing else sent.start_char)
    ordered = sorted(cuts)
    for start, end in zip(ordered, ordered[1:], strict=False):
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            yield (start + lead, start + lead + len(stripped))


def _paragraph_ends(text: str) -> list[int]:
    """The offsets of the line breaks that end a paragraph (or a heading): all of them, but in
    hard-wrapped text (`nlp.hard_wrapped`) not those where a line merely ran out (`runs_on`)."""
    from storyline.annotate.nlp import hard_wrapped

    wrapped = hard_wrapped(text)
    ends = []
    offset = 0  # of the line break after `line`
    lines = text.split("\n")
    for line, following in zip(lines, lines[1:], strict=False):
        offset += len(line)
        if not (wrapped and runs_on(line, following)):
            ends.append(offset)
        offset += 1
    return ends


def runs_on(line: str, following: str) -> bool:
    """Whether the paragraph of hard-wrapped `line` goes on in `following`, the line break between
    them being a wrap: neither is blank or a table row, and `line` does not end a sentence, ends in
    initials or a title, or `following` starts in lower case (a sentence never does)."""
    if not line.strip() or not following.strip():
        return False
    if _COLUMNS.search(line.strip()) or _COLUMNS.search(following.strip()):
        return False
    line = line.rstrip()
    return (
        following.lstrip()[:1].islower() or not _SENTENCE_END.search(line) or bool(_ABBREVIATION.search(line))
    )


def _outside_headings(article: Article, mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions, minus those only found in headings or spanning lines.

    Title-case headings ("Key Takeaways for a Sustainable Future") make the small NER model see
    organisations everywhere; a name in a heading is kept when the body names it too. In
    hard-wrapped text a name may run across a wrap (a first name ends one line, the surname starts
    the next), but not across the end of a paragraph.
    """
    spans = [(h.start, h.end) for h in article.headings]
    ends = _paragraph_ends(article.text)

    def across(m: Mention) -> bool:
        i = bisect.bisect_left(ends, m.start)
        return i < len(ends) and ends[i] < m.end

    def in_heading(m: Mention) -> bool:
        return any(s <= m.start and m.end <= e for s, e in spans)

    body_names = {m.text.casefold() for m in mentions if not in_heading(m)}
    return [m for m in mentions if not across(m) and (not in_heading(m) or m.text.casefold() in body_names)]
