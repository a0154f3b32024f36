"""Stance frames read from the parse: holder, direction, target issue, negation, pronouns."""

from __future__ import annotations

import pytest

from storyline.annotate import claims, entities, quotes
from storyline.annotate.nlp import load_spacy


@pytest.fixture(scope="module")
def nlp():
    return load_spacy()


def frames(nlp, text):
    doc = nlp(text)
    mentions, _ = entities.extract(doc, nlp)
    found = claims.extract(doc, mentions, quotes.extract(doc))
    return [(text[f.holder_start : f.holder_end], f.polarity, f.issue, f.conditional) for f in found]


def test_rejection_of_a_proposal_names_what_the_proposal_is_about(nlp):
    text = (
        "The government of Ruritania has firmly rejected proposals that involve any possibility of "
        "Osterland joining NATO."
    )
    assert frames(nlp, text) == [("Ruritania", "oppose", "Osterland joining NATO", False)]


def test_negation_flips_a_support_cue(nlp):
    text = "The minister said that Ruritania will not accept NATO troops in Osterland."
    assert frames(nlp, text) == [("Ruritania", "oppose", "NATO troops in Osterland", False)]


def test_conditional_openness(nlp):
    text = "Anton Velkov is open to dialogue, but only if the sanctions are lifted first."
    assert frames(nlp, text) == [("Anton Velkov", "support", "dialogue", True)]


def test_a_judged_subject_takes_the_speaker_of_the_reported_clause(nlp):
    text = "Foreign Minister Anton Velkov insisted that a ceasefire would serve the interests of both sides."
    assert frames(nlp, text) == [("Anton Velkov", "support", "ceasefire", False)]


def test_he_refers_back_to_the_last_named_person(nlp):
    text = "Anton Velkov spoke in Brava on Monday. He rejected the new tariff plan."
    assert frames(nlp, text) == [("Anton Velkov", "oppose", "new tariff plan", False)]


def test_sentences_without_a_stance_give_nothing(nlp):
    assert frames(nlp, "The port of Brava handled four million containers last year.") == []
