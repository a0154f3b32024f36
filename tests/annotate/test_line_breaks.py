"""Line breaks end sentences, except inside the paragraphs of hard-wrapped text (wire copy)."""

from __future__ import annotations

import pytest

from storyline.annotate import _sentences
from storyline.annotate.nlp import hard_wrapped

# Wire copy broken at a set width: most breaks fall mid-sentence.
WIRE = (
    "Heavy rain fell across the northern grain belt of Tarsana for a\n"
    "third straight week, easing fears of a drought that had threatened\n"
    "the spring wheat crop, the farm ministry said in its weekly report.\n"
    "Planting is now expected to finish by the end of the month.\n"
    "\n"
    "Deliveries to state silos in the week to April 12 totalled 41,200\n"
    "tonnes, against 38,900 a week earlier, the ministry said.\n"
)
# A cleaned web article: a heading on its own line, then long paragraphs one to a line.
WEB = (
    "Talks Stall Over Grain Quotas\n"
    "Negotiators from the two farm unions left the ministry on Tuesday without an agreement on export "
    "quotas, and said they would meet again next week to look at a proposal from the mediator.\n"
    "The ministry said the quota would stay in force until a new deal is signed."
)


def test_wire_copy_is_hard_wrapped_and_web_text_is_not() -> None:
    assert hard_wrapped(WIRE)
    assert not hard_wrapped(WEB)
    assert not hard_wrapped("One line.\nAnother line.")  # too few breaks inside a paragraph to tell
    # Short lines that each end a sentence are lines, not a wrapped paragraph.
    assert not hard_wrapped("The port reopened on Monday after the storm.\n" * 6)


def test_a_sentence_of_wire_copy_runs_across_its_line_breaks(nlp) -> None:  # type: ignore[no-untyped-def]
    sentences = [WIRE[s:e] for s, e in _sentences(nlp(WIRE))]
    assert sentences[0].startswith("Heavy rain fell") and sentences[0].endswith("in its weekly report.")
    assert "\n" in sentences[0]  # the cite still reproduces the text, line breaks and all
    assert sentences[1] == "Planting is now expected to finish by the end of the month."
    assert sentences[2].startswith("Deliveries") and sentences[2].endswith("the ministry said.")
    assert len(sentences) == 3


@pytest.mark.parametrize("text", [WEB, WEB.replace("\n", "\n\n")])
def test_a_heading_of_web_text_stays_a_sentence_of_its_own(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    sentences = [text[s:e] for s, e in _sentences(nlp(text))]
    assert sentences[0] == "Talks Stall Over Grain Quotas"
    assert sentences[1].startswith("Negotiators") and sentences[1].endswith("from the mediator.")
    assert sentences[-1] == "The ministry said the quota would stay in force until a new deal is signed."


def test_a_name_across_a_wrapped_line_is_one_mention_named_with_a_space(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import storyline

    text = (
        "Tarsana will cut its wheat export quota by a fifth from May, the\n"
        "farm ministry said on Tuesday, after the driest winter in a decade.\n"
        "The cut was announced in the capital by Agriculture Minister Arvid\n"
        "Kessel, who said the quota would be reviewed again in September.\n"
        "Kessel said stocks held by state silos stood at 2.1 mln tonnes.\n"
    )
    assert hard_wrapped(text)
    (tmp_path / "wire.txt").write_text(text, encoding="utf-8")
    briefing = storyline.analyze([tmp_path])
    people = {e.name: e for e in briefing.entities if e.type == "PERSON"}
    assert "Arvid Kessel" in people  # not "Arvid" and "Kessel" apart, nor a name with a line break in it
    article = briefing.articles[0]
    assert [article.text[c.start : c.end] for c in people["Arvid Kessel"].mentions][0] == "Arvid\nKessel"
    assert not any("\n" in e.name or any("\n" in v for v in e.variants) for e in briefing.entities)
