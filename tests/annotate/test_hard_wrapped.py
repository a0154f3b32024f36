"""Telling hard-wrapped text (lines broken at a set width) from text whose lines are paragraphs."""

from __future__ import annotations

import pytest

from storyline.annotate import _sentences
from storyline.annotate.nlp import hard_wrapped

# Wire copy as cleaning leaves it: the indent that opened each paragraph is gone and there is no
# blank line between paragraphs, so each paragraph's last line is short and ends a sentence.
WIRE_NO_BLANKS = (
    "The Tarsana farm ministry said heavy rain fell across the\n"
    "northern grain belt for a third straight week, easing fears\n"
    "of a drought that had threatened the spring wheat crop.\n"
    "Planting ends in April.\n"
    "Deliveries to state silos in the week to April 12 totalled\n"
    "41,200 tonnes.\n"
    "Exports will resume in May.\n"
    "The ministry kept its forecast of the harvest at 2.1 mln\n"
    "tonnes, the same as last year.\n"
)
# The head of the first line (a dateline, "LONDON, March 2 - ") was cut by cleaning.
CUT_DATELINE = (
    "Kessel Grain Co said\n"
    "it agreed to buy the flour mills of Arvid Foods Ltd for\n"
    "41 mln crowns in cash, subject to approval by regulators.\n"
    "The mills have a capacity of 900 tonnes a day.\n"
)
# One break mid-sentence is enough when the sentence plainly goes on below it.
ONE_WRAP = (
    "Tarsana Bancorp said its board declared a two-for-one stock\n"
    "split, payable March 31.\n"
    "It also raised its quarterly dividend by a fifth to 12 cents a share.\n"
)


@pytest.mark.parametrize("text", [WIRE_NO_BLANKS, CUT_DATELINE, ONE_WRAP])
def test_wire_copy_without_blank_lines_is_hard_wrapped(text: str) -> None:
    assert hard_wrapped(text)


def test_a_sentence_of_wire_copy_without_blank_lines_is_whole(nlp) -> None:  # type: ignore[no-untyped-def]
    sentences = [WIRE_NO_BLANKS[s:e] for s, e in _sentences(nlp(WIRE_NO_BLANKS))]
    assert sentences[0].startswith("The Tarsana farm ministry") and sentences[0].endswith(
        "spring wheat crop."
    )
    assert "Planting ends in April." in sentences
    assert not any(s.startswith(("northern", "of a drought", "41,200")) for s in sentences)


# Web text: every line a heading, a caption, a list item or a paragraph, all of them short enough
# to pass for wrapped lines. A heading does not end a sentence either, but the line after it starts
# one; a list item's line starts with its bullet.
LISTICLE = (
    "Five Things to Know About the Tarsana Dock Strike Talks\n"
    "Talks resumed on Monday after a week without a meeting.\n"
    "What the Dockworkers' Union Is Asking For in the New Contract\n"
    "A pay rise of 10 percent over two years and limits on automation.\n"
    "How Long the Port Authority Says It Can Hold Out Without Cargo\n"
    "Officials say the port can stay shut until the end of the month.\n"
)
CAPTIONED = (
    "Dockworkers gather outside the old customs house on Monday\n"
    "The strike has shut the port for more than two weeks.\n"
    "Union leaders leave the talks after a fourteen-hour session\n"
    "Both sides said they were ready to give ground.\n"
)
BULLETS = (
    "The agreement between the union and the port authority includes\n"
    "- a ten percent pay rise over two years for all dockworkers\n"
    "- limits on remote-operated cranes at the North Terminal until 2033\n"
    "- a retraining fund of sixty million crowns for the workers\n"
    "The union will vote on it next week.\n"
)
SHORT_PARAGRAPHS = "\n".join(
    [
        "A fire broke out in a grain warehouse at the Tarsana river port on Sunday night.",
        "The fire service says two workers were hurt.",
        "Police have closed the roads around the port.",
        "This story is developing.",
    ]
)
LONG_PARAGRAPHS = (
    "Talks Stall Over Grain Quotas\n"
    "Negotiators from the two farm unions left the ministry on Tuesday without an agreement on export "
    "quotas, and said they would meet again next week to look at a proposal from the\n"
    "mediator, whose office gave no details.\n"
)


@pytest.mark.parametrize("text", [LISTICLE, CAPTIONED, BULLETS, SHORT_PARAGRAPHS, LONG_PARAGRAPHS])
def test_lines_that_are_headings_or_paragraphs_are_not_hard_wrapped(text: str) -> None:
    assert not hard_wrapped(text)


def test_a_short_first_line_alone_is_no_evidence_of_a_wrap() -> None:
    # The first line is not held to the width, but neither does it count as a wrap of its own.
    assert not hard_wrapped("Port strike ends\nthe union said on Monday.\nShips are moving again.\n")
