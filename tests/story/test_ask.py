from __future__ import annotations

from storyline.model import Cite
from storyline.story.ask import NOT_FOUND, SentenceIndex, answer, content_words

SENTENCES = [
    "The ferry company cancelled all crossings to Orsk on Monday because of a storm.",
    "Harbour master Tilde Varga said the crossings would resume on Thursday.",
    "The town council approved a new budget of 4 million crowns for the harbour.",
    "Fishermen complained that the storm damaged twelve boats.",
]


def _index() -> SentenceIndex:
    cites = [Cite("a", i * 100, i * 100 + len(s)) for i, s in enumerate(SENTENCES)]
    kinds = [frozenset({"date"}), frozenset({"person", "date"}), frozenset({"number"}), frozenset({"number"})]
    return SentenceIndex(cites, SENTENCES, kinds)


def test_content_words_drop_stop_words_and_stem() -> None:
    assert content_words("When will the crossings resume?") == ["cross", "resum"]


def test_answers_cite_the_supporting_sentence() -> None:
    result = answer(_index(), "When will the ferry crossings start again?", max_sentences=1)
    assert result.answered
    assert result.passages[0].text == SENTENCES[1]
    assert result.passages[0].cites == (Cite("a", 100, 100 + len(SENTENCES[1])),)


def test_how_many_prefers_a_sentence_with_a_number() -> None:
    result = answer(_index(), "How many boats did the storm damage?", max_sentences=1)
    assert result.passages[0].text == SENTENCES[3]


def test_unrelated_question_gets_an_honest_no() -> None:
    result = answer(_index(), "Who won the national chess championship?")
    assert not result.answered
    assert result.passages[0].text == NOT_FOUND and result.passages[0].cites == ()
