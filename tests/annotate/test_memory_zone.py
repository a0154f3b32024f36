"""Annotating leaves the pipelines' vocabularies as they were: a long run does not grow with the
words of what it reads, and the annotations it returns are the same each time."""

from __future__ import annotations

from storyline import annotate
from storyline.annotate import _sentencizer
from storyline.model import Article, to_dict

ENGLISH = Article(
    id="e1",
    source="e1.txt",
    text=(
        "Harbour commissioner Quorvath Brindlemoss said on Tuesday that the zelmarine dredgers "
        'of Vandrelport would stop. "We cannot keep the frullwick channel open," Brindlemoss said.'
    ),
)
GERMAN = Article(
    id="d1",
    source="d1.txt",
    text="Die Hafenbehörde von Quastelbrück schließt den Knurzelkanal. Die Fähren fahren weiter.",
    language="de",
)


def test_annotating_adds_no_words_to_the_vocabularies(nlp) -> None:  # type: ignore[no-untyped-def]
    english_words, other_words = len(nlp.vocab.strings), len(_sentencizer().vocab.strings)
    (first,) = annotate.annotate([ENGLISH], nlp)
    assert len(nlp.vocab.strings) == english_words
    annotate.annotate([GERMAN], nlp)
    assert len(_sentencizer().vocab.strings) == other_words
    # What came back is plain data, readable once the words are gone, and the same next time.
    assert any("Brindlemoss" in m.text for m in first.mentions)
    assert [to_dict(a) for a in annotate.annotate([ENGLISH], nlp)] == [to_dict(first)]


def test_a_batch_of_both_languages_is_annotated_in_order(nlp) -> None:  # type: ignore[no-untyped-def]
    found = annotate.annotate([GERMAN, ENGLISH], nlp)
    assert [a.article for a in found] == ["d1", "e1"]
    assert len(found[0].sentences) == 2 and not found[0].mentions
    assert found[1].mentions
