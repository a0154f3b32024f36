"""Line breaks end sentences, except inside the paragraphs of hard-wrapped text (wire copy), where a
line that ends a sentence ends its paragraph."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.annotate import _outside_headings, _paragraph_ends, _sentences, _sentencizer, runs_on
from storyline.annotate.nlp import hard_wrapped
from storyline.model import Article, Mention

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


# Wire copy as cleaning leaves it: no blank line and no indent between paragraphs, so a paragraph
# ends where a line ends a sentence and the next starts in upper case; spaCy finds some of these.
WIRE_PARAGRAPHS = (
    "Cake sales in Tarsana were registered at 785 to 995 crowns a tonne\n"
    "for March/April, 785 crowns for May and 753 crowns for Oct/Dec.\n"
    "Buyers were the U.S., Brazil, Chile and the importers of Europe,\n"
    "the grain board said in its weekly review of the market.\n"
    "Prices for June rose on the week.\n"
)
WIRE_QUOTE = (
    "The chairman of Kessel Dairy Co told shareholders that the company\n"
    'would not sell its cheese plants, and said: "We will act alone."\n'
    "President Arvid Dean said sales in the coming year would gain from\n"
    "the purchase of two creameries in the north of the country.\n"
)
WIRE_SIGN_OFF = (
    "Kessel Grain Co said it will sell 41 mln crowns of notes due 1997\n"
    "through an underwriting group managed by Arvid Brothers Inc.\n"
    "Tarsanews\n"
)
WIRE_ABBREVIATIONS = (
    "Kessel Grain Co said the sale of its flour mills was approved by the U.S.\n"
    "Department of Justice on Friday, ending a review that took more than\n"
    "a year, and that it would close the deal on April 1.\n"
    "The mills were sold to Arvid Foods Co.\n"
    "The company also said its first quarter sales rose by a fifth.\n"
)


def _split(nlp, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    assert hard_wrapped(text)
    return [text[s:e] for s, e in _sentences(nlp(text))]


def test_a_line_that_ends_a_sentence_ends_its_paragraph_in_wire_copy(nlp) -> None:  # type: ignore[no-untyped-def]
    assert _split(nlp, WIRE_PARAGRAPHS) == [
        "Cake sales in Tarsana were registered at 785 to 995 crowns a tonne\n"
        "for March/April, 785 crowns for May and 753 crowns for Oct/Dec.",
        "Buyers were the U.S., Brazil, Chile and the importers of Europe,\n"
        "the grain board said in its weekly review of the market.",
        "Prices for June rose on the week.",
    ]


def test_a_closing_quote_mark_stays_with_the_sentence_it_closes(nlp) -> None:  # type: ignore[no-untyped-def]
    sentences = _split(nlp, WIRE_QUOTE)
    assert sentences[0].endswith('said: "We will act alone."')
    assert sentences[1].startswith("President Arvid Dean said") and sentences[1].endswith("of the country.")
    assert len(sentences) == 2


def test_a_sign_off_line_is_not_part_of_the_last_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    assert _split(nlp, WIRE_SIGN_OFF)[-2:] == [
        "Kessel Grain Co said it will sell 41 mln crowns of notes due 1997\n"
        "through an underwriting group managed by Arvid Brothers Inc.",
        "Tarsanews",
    ]


def test_initials_at_a_line_end_run_on_but_a_company_suffix_ends_the_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    sentences = _split(nlp, WIRE_ABBREVIATIONS)
    assert sentences[0].startswith("Kessel Grain Co") and sentences[0].endswith("close the deal on April 1.")
    assert "U.S.\nDepartment of Justice" in sentences[0]
    assert sentences[1:] == [
        "The mills were sold to Arvid Foods Co.",
        "The company also said its first quarter sales rose by a fifth.",
    ]


@pytest.mark.parametrize(
    ("line", "following", "wrap"),
    [
        ("the drought since early", "January and improving prospects", True),  # no sentence end
        ("753 crowns for Oct/Dec.", "Buyers were the U.S., Brazil", False),
        (
            "753 crowns for Oct/Dec.",
            "and Chile, the board said.",
            True,
        ),  # a sentence never starts in lower case
        ('and said: "We will act alone."', "President Arvid Dean said", False),
        ("it is approved by the U.S.", "Department of Justice", True),  # initials
        ("the chair went to Richard R.", "Shinn, the vice chairman", True),
        ("committee headed by former Sen.", "John Tower, who", True),  # a title before a name
        ("the mills were sold to Arvid Foods Co.", "The company also said", False),
        ("managed by Arvid Brothers Inc.", "Tarsanews", False),
        ("the ministry said in its report.", "", False),  # a blank line
        ("Deliveries      41,200 tonnes", "Exports      38,900 tonnes", False),  # table rows
    ],
)
def test_runs_on_tells_a_wrap_from_a_paragraph_end(line: str, following: str, wrap: bool) -> None:
    assert runs_on(line, following) is wrap


def test_a_name_may_run_across_a_wrap_but_not_across_a_paragraph_end() -> None:
    text = WIRE_SIGN_OFF.replace("Arvid Brothers", "Arvid\nBrothers")
    assert hard_wrapped(text)
    article = Article(id="a", source="wire.txt", text=text)

    def mention(name: str) -> Mention:
        start = text.index(name)
        return Mention(start=start, end=start + len(name), text=name, label="ORG")

    wrapped, across = mention("Arvid\nBrothers Inc."), mention("Arvid\nBrothers Inc.\nTarsanews")
    assert _outside_headings(article, [wrapped, across]) == [wrapped]


_WORDS = ("Kessel", "said", "the", "U.S.", "Co.", "report.", '"', 'alone."', "A", "-", "41,200", "crowns,")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_WORDS), max_size=80),
    st.lists(st.sampled_from(["\n", "\n\n", "\n  "]), max_size=20),
)
def test_sentences_are_stripped_ordered_spans_that_never_cross_a_paragraph_end(
    words: list[str], breaks: list[str]
) -> None:
    # Lines of 45 characters or more, as wrapped text has, and the odd blank line or indent.
    text, line = "", ""
    for word in words:
        line += word + " "
        if len(line) >= 45:
            text += line.rstrip() + (breaks.pop() if breaks else "\n")
            line = ""
    text += line
    spans = list(_sentences(_sentencizer()(text)))
    ends = _paragraph_ends(text)
    assert all(end <= following for (_, end), (following, _) in itertools.pairwise(spans))
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        assert not any(start <= e < end for e in ends)
