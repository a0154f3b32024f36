from __future__ import annotations

import pytest

from storyline.annotate.events import EventMention, extract, frame, load_lexicon, load_model
from storyline.annotate.nlp import load_spacy


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_spacy()


def _read(nlp, text: str) -> tuple[str, str, str | None, str | None] | None:  # type: ignore[no-untyped-def]
    """(type, trigger, source, target) as text, or None."""
    found = extract(nlp(text))
    if found is None:
        return None
    source, target = (text[s[0] : s[1]] if s else None for s in (found.source, found.target))
    return found.type, text[found.trigger[0] : found.trigger[1]], source, target


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Conventional military force: FIGHT in the PLOVER 0.5b1 labels the model is trained on.
        ("The army attacked rebel positions.", ("FIGHT", "attacked", "The army", "rebel positions")),
        ("The minister rejected the proposal.", ("REJECT", "rejected", "The minister", "the proposal")),
        ("Rebels threatened to attack the capital.", ("THREATEN", "threatened", "Rebels", "the capital")),
        # Reported speech: the reported act is the event, not the saying.
        (
            "Police arrested three protesters, officials said.",
            ("COERCE", "arrested", "Police", "three protesters"),
        ),
        # Passive: the agent does it, the subject undergoes it.
        ("Two soldiers were killed by rebels.", ("ASSAULT", "killed", "rebels", "Two soldiers")),
        # A promise of aid is intent to cooperate; "it" is the country that said so.
        ("Germany said it would send aid to the refugees.", ("AGREE", "send", "Germany", "the refugees")),
        # Undoing a hostile act yields.
        ("The government lifted the curfew.", ("CONCEDE", "lifted", "The government", "the curfew")),
        (
            "The union demanded that the government raise wages.",
            ("DEMAND", "demanded", "The union", "the government"),
        ),
        (
            "Thousands of farmers protested against the new tax.",
            ("PROTEST", "protested", "Thousands of farmers", None),
        ),
    ],
)
def test_clear_events(nlp, text: str, expected: tuple[str, str, str | None, str | None]) -> None:  # type: ignore[no-untyped-def]
    assert _read(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The weather was mild on Tuesday.",
        "Shares rose sharply in early trading.",
        # A lexicon verb without an actor is no event: "declined" here is a number falling.
        "Loan demand declined 5 percent.",
    ],
)
def test_sentences_without_an_event(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert extract(nlp(text)) is None


def test_spans_are_offsets_into_the_doc(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("It rained. The army attacked rebel positions.")
    second = list(doc.sents)[1]
    found = extract(second)
    assert found is not None
    assert doc.text[found.trigger[0] : found.trigger[1]] == "attacked"
    assert found.source is not None and doc.text[found.source[0] : found.source[1]] == "The army"
    assert 0 < found.confidence <= 1


def test_plover_1_0_names() -> None:
    mention = EventMention(type="FIGHT", trigger=(0, 1), source=None, target=None, confidence=1.0)
    assert mention.plover1 == "ASSAULT"
    assert EventMention("DISAPPROVE", (0, 1), None, None, 1.0).plover1 == "ACCUSE"
    assert EventMention("REJECT", (0, 1), None, None, 1.0).plover1 == "REJECT"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Malta will not accept more migrants.", "REJECT"),  # negated cooperation
        ("Iran will impose sanctions on the firm.", "THREATEN"),  # future hostile act
        ("The rebels promised to release the hostages.", "AGREE"),  # intent + cooperative content
        ("The court ended the ban on the party.", "CONCEDE"),  # undoing a hostile act
        ("The envoy suspended talks with the rebels.", "SANCTION"),  # undoing a cooperative act
        ("The minister said the rebels must disarm.", "DEMAND"),  # reported "must"
    ],
)
def test_cameo_composition_rules(nlp, text: str, rule: str) -> None:  # type: ignore[no-untyped-def]
    found = frame(nlp(text)[:])
    assert found is not None and found.rule == rule


def test_reported_must_makes_the_speaker_the_source(nlp) -> None:  # type: ignore[no-untyped-def]
    found = frame(nlp("The minister said the rebels must disarm.")[:])
    assert found is not None
    assert (found.source.text, found.target.text) == ("minister", "rebels")  # type: ignore[union-attr]


def test_shipped_model_and_lexicon_load() -> None:
    model = load_model()
    assert len(model.classes) == 18 and "AGREE" in model.classes
    assert model.coef.shape == (len(model.classes), len(model.vocabulary))
    assert 0 < model.threshold < 1
    lexicon = load_lexicon()
    assert lexicon.verbs["accuse"] == "DISAPPROVE" and lexicon.wrappers["threaten"] == "THREATEN"
