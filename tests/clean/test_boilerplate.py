"""Tests for plain-text cleaning: removed lines and reasons, title, headings, TOC, offsets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.clean.boilerplate import REASONS, CleanText, clean_text
from storyline.model import Heading, Removed, TocEntry

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def reasons(result: CleanText) -> list[tuple[int | None, str]]:
    return [(r.line, r.reason) for r in result.removed]


def heading_at(text: str, line: str, level: int) -> Heading:
    start = text.index(line)
    return Heading(start, start + len(line), level)


def test_newline_article_with_byline_dateline_ad_share_and_comments() -> None:
    text = "\n".join(
        [
            "Harbour Council Approves New Ferry Route",
            "By Mara Quill",
            "Published 4 March 2031",
            "The harbour council voted on Tuesday to open a ferry route to the island of Skerry.",
            "Advertisement",
            "Officials said the first crossings would begin in the spring, pending a safety review.",
            "Share this article",
            "Funding and Costs",
            "The route will cost about 12 million crowns over five years, the budget office said.",
            'Councillor Ena Brandt said the price was "fair for a link islanders have long wanted."',
            "Comments",
        ]
    )
    result = clean_text(text)
    expected = "\n".join(
        [
            "The harbour council voted on Tuesday to open a ferry route to the island of Skerry.",
            "Officials said the first crossings would begin in the spring, pending a safety review.",
            "Funding and Costs",
            "The route will cost about 12 million crowns over five years, the budget office said.",
            'Councillor Ena Brandt said the price was "fair for a link islanders have long wanted."',
        ]
    )
    assert result.text == expected
    assert result.title == "Harbour Council Approves New Ferry Route"
    assert result.headings == (heading_at(expected, "Funding and Costs", 2),)
    assert result.removed == (
        Removed("By Mara Quill", "byline", 2),
        Removed("Published 4 March 2031", "dateline", 3),
        Removed("Advertisement", "advertisement", 5),
        Removed("Share this article", "share", 7),
        Removed("Comments", "comments", 11),
    )
    assert result.toc == ()


def test_blank_line_article_with_teasers_and_next_previous_links() -> None:
    text = (
        "Night Trains Return to the Northern Line\n\n"
        "Short on time?\nShow me the key points\n\n"
        "The rail operator restored its overnight service on Friday after a two-year pause.  \n\n\n"
        "Passengers welcomed the change, and the first week sold out within hours.\n\n"
        "Read more: Rail operator posts record quarterly profit\n\n"
        "Previous Article\n\nTen Ways to Pack Light for a Weekend Away\n\n"
        "Next Article\n\nWhy Lighthouses Still Matter\n"
    )
    result = clean_text(text)
    assert result.text == (
        "The rail operator restored its overnight service on Friday after a two-year pause.\n\n"
        "Passengers welcomed the change, and the first week sold out within hours."
    )
    assert result.title == "Night Trains Return to the Northern Line"
    assert reasons(result) == [
        (3, "teaser"),
        (4, "teaser"),
        (11, "teaser"),
        (13, "navigation"),
        (15, "navigation"),
        (17, "navigation"),
        (19, "navigation"),
    ]
    assert result.headings == ()


def test_closing_author_bio_and_reply_widget_are_removed() -> None:
    bio = (
        "Tomas Weller is a freelance reporter and editor who covers education and city politics. "
        "When he is not writing, he is an avid cyclist."
    )
    text = "\n".join(
        [
            "The city library will stay open until midnight during exam season, the director said.",
            "Students had asked for longer hours in a petition signed by more than 3,000 people.",
            bio,
            "Leave a reply",
        ]
    )
    result = clean_text(text)
    assert result.title is None
    assert result.text == "\n".join(text.split("\n")[:2])
    assert result.removed == (Removed(bio, "author_bio", 3), Removed("Leave a reply", "comments", 4))


def test_person_described_as_journalist_inside_the_story_is_kept() -> None:
    text = "\n".join(
        [
            "A court in the capital on Monday released a reporter who had been held for six months.",
            "Lena Ostrova is a journalist for a regional newspaper who covers local courts.",
            "Her lawyer said the case against her had collapsed for lack of evidence.",
            "The prosecutor's office said it would appeal.",
        ]
    )
    result = clean_text(text)
    assert result.text == text
    assert result.removed == ()


def test_prose_that_mentions_comments_or_sharing_is_kept() -> None:
    text = "\n".join(
        [
            "The minister's comments on the budget drew sharp criticism from the opposition.",
            "Shareholders will vote on the merger next month, the company said.",
            "Share prices fell 4 percent after the announcement.",
            "Readers can leave comments on the proposal until Friday, the council said.",
            '"Share the burden," the minister told reporters.',
            "By Monday, the negotiators had agreed on a draft text.",
            "Next year the talks will move to the capital.",
            "Related talks in the region have stalled since spring.",
        ]
    )
    result = clean_text(text)
    assert result.text == text
    assert result.title is None
    assert result.removed == ()


def test_table_of_contents_is_removed_and_kept_as_toc_while_a_content_list_stays() -> None:
    text = "\n".join(
        [
            "Guide to the Coastal Election",
            "In this article",
            "1. Who Is Running",
            "2. What the Polls Say",
            "3. Key Issues for Voters",
            "Who Is Running",
            "Three candidates have registered, including the incumbent mayor and two newcomers.",
            "What the Polls Say",
            "The latest survey puts the mayor slightly ahead, within the margin of error.",
            "Key Issues for Voters",
            "Voters named these concerns most often:",
            "- Housing costs: rents rose by a fifth in two years.",
            "- Ferry links: residents want more crossings in winter.",
            "- Jobs: the cannery closure cost 400 jobs.",
            "The election will be held on 12 May.",
        ]
    )
    result = clean_text(text)
    expected = "\n".join(text.split("\n")[5:])
    assert result.text == expected
    assert result.title == "Guide to the Coastal Election"
    assert reasons(result) == [(2, "toc"), (3, "toc"), (4, "toc"), (5, "toc")]
    titles = ["Who Is Running", "What the Polls Say", "Key Issues for Voters"]
    assert result.toc == tuple(TocEntry(t, expected.index(t)) for t in titles)
    assert result.headings == tuple(heading_at(expected, t, 2) for t in titles)


def test_toc_without_header_is_found_by_its_entries_repeating_headings() -> None:
    text = "\n".join(
        [
            "Storm Season Briefing",
            "- Forecast",
            "- Evacuation Routes",
            "- Shelters",
            "Forecast",
            "Forecasters expect three major storms before October.",
            "Evacuation Routes",
            "Two coastal roads will become one-way when an alert is issued.",
            "Shelters",
            "Schools in the upper town will serve as shelters.",
        ]
    )
    result = clean_text(text)
    expected = "\n".join(text.split("\n")[4:])
    assert result.text == expected
    assert reasons(result) == [(2, "toc"), (3, "toc"), (4, "toc")]
    assert [e.title for e in result.toc] == ["Forecast", "Evacuation Routes", "Shelters"]
    assert [e.start for e in result.toc] == [h.start for h in result.headings]
    assert result.headings == tuple(
        heading_at(expected, t, 2) for t in ("Forecast", "Evacuation Routes", "Shelters")
    )


def test_question_lines_followed_by_answers_are_level_three_headings() -> None:
    text = "\n".join(
        [
            "Farmers in the valley are bracing for a dry summer after a winter with little snow.",
            "Why are the reservoirs so low?",
            "Engineers say the snow melted early and the dams released water in February.",
            "What happens next?",
            "The water board will decide on restrictions at its meeting next week.",
        ]
    )
    result = clean_text(text)
    assert result.text == text
    assert result.title is None
    assert result.headings == (
        heading_at(text, "Why are the reservoirs so low?", 3),
        heading_at(text, "What happens next?", 3),
    )


def test_bare_dates_are_datelines_above_the_story_and_headings_inside_it() -> None:
    text = "\n".join(
        [
            "Timeline of the Bridge Project",
            "2 April 2031",
            "The bridge project has passed several milestones since it was first proposed.",
            "March 2030",
            "Engineers completed the survey of the river bed and submitted their report.",
            "March 2031",
            "The first pillar was installed ahead of schedule.",
            "5 min read",
        ]
    )
    result = clean_text(text)
    expected = "\n".join(text.split("\n")[2:7])
    assert result.text == expected
    assert reasons(result) == [(2, "dateline"), (8, "dateline")]
    assert result.headings == (heading_at(expected, "March 2030", 2), heading_at(expected, "March 2031", 2))


def test_captions_credits_and_photo_lines() -> None:
    text = "\n".join(
        [
            "Fishermen unload their catch at dawn in the old harbour of a northern town.",
            "Photo: Arne Lidt / Reuters",
            "Catches have fallen by a third this decade, according to the fisheries agency.",
            "Image caption: Boats moored in the harbour during a strike last year",
            "(Reporting by Arne Lidt; Editing by Clara Moss)",
        ]
    )
    result = clean_text(text)
    assert result.text == "\n".join(text.split("\n")[0:3:2])
    assert reasons(result) == [(2, "caption"), (4, "caption"), (5, "byline")]


def test_site_furniture_and_related_story_lists() -> None:
    text = "\n".join(
        [
            "News » Science » Oceans",
            "Scientists mapped a new reef off the southern coast during a month-long survey.",
            "Story continues below advertisement",
            "The reef covers about forty square kilometres and hosts several rare corals.",
            "Related stories",
            "- Divers find wreck of a nineteenth-century schooner",
            "Coral bleaching slows in northern waters",
            "What Comes Next",
            "The team will return in the autumn to measure water temperatures.",
            "Follow us on Instagram for more ocean news",
            "Back to top",
        ]
    )
    result = clean_text(text)
    kept = text.split("\n")
    expected = "\n".join([kept[1], kept[3], kept[7], kept[8]])
    assert result.text == expected
    assert result.title is None
    assert reasons(result) == [
        (1, "navigation"),
        (3, "advertisement"),
        (5, "teaser"),
        (6, "teaser"),
        (7, "teaser"),
        (10, "share"),
        (11, "navigation"),
    ]
    assert result.headings == (heading_at(expected, "What Comes Next", 2),)


def test_only_boilerplate_leaves_no_text() -> None:
    text = "\n".join(
        [
            "Advertisement",
            "Share",
            "Facebook",
            "Twitter",
            "Subscribe to our newsletter",
            "We use cookies to improve your experience on our site.",
            "© 2031 Example Media Group. All rights reserved.",
        ]
    )
    result = clean_text(text)
    assert result == CleanText(text="", removed=result.removed)
    assert reasons(result) == [
        (1, "advertisement"),
        (2, "share"),
        (3, "share"),
        (4, "share"),
        (5, "share"),
        (6, "legal"),
        (7, "legal"),
    ]


def test_a_network_name_alone_is_kept_when_no_share_widget_is_near() -> None:
    text = "Facebook\nThe company said on Monday that it would open a data centre in the north."
    result = clean_text(text)
    assert result.removed == ()
    assert result.title == "Facebook"


def test_empty_and_blank_input() -> None:
    assert clean_text("") == CleanText(text="")
    assert clean_text("  \n\r\n\t\n") == CleanText(text="")


def test_hard_wrapped_prose_has_no_headings() -> None:
    text = "\n".join(
        [
            "The port authority said on Thursday that it would extend the",
            "main breakwater by two hundred metres to shelter larger ships",
            "during winter storms.",
            "The work is expected to take",
            "three years and will be paid for by the national government.",
        ]
    )
    result = clean_text(text)
    assert result.text == text
    assert result.headings == ()
    assert result.title is None


def test_headline_over_a_pipe_byline_and_the_teaser_pair() -> None:
    text = "\n".join(
        [
            "Fares, Timetables and Winter: What the Ferry Route Is Really About",
            "By Mara Quill | Harbour Gazette | March 7, 2031",
            "No time to read?",
            "Get a summary",
            "The new ferry route to Skerry has divided the island since the council approved it.",
            "Supporters say it will bring visitors; opponents fear the cost of running it in winter.",
        ]
    )
    result = clean_text(text)
    assert result.title == "Fares, Timetables and Winter: What the Ferry Route Is Really About"
    assert reasons(result) == [(2, "byline"), (3, "teaser"), (4, "teaser")]
    assert result.text == "\n".join(text.split("\n")[4:])
    assert (result.author, result.published, result.site) == ("Mara Quill", "2031-03-07", "Harbour Gazette")


def test_wire_dateline_stays_in_the_prose_and_gives_day_and_agency() -> None:
    text = (
        "Council opens ferry route to Skerry\n\n"
        "SKERRY, Norland, March 4, 2031 (NPA) - The harbour council voted on Tuesday to open a "
        "ferry route to the island.\n\n"
        "The first crossings will begin in the spring, officials said."
    )
    result = clean_text(text)
    assert result.title == "Council opens ferry route to Skerry"
    assert result.text == text.split("\n\n", 1)[1]
    assert result.removed == ()
    assert (result.author, result.published, result.site) == (None, "2031-03-04", "NPA")


def test_outlet_line_dateline_byline_credit_and_syndication_note() -> None:
    text = "\n".join(
        [
            "Ferry route opens to Skerry after years of debate",
            "Harbour Gazette",
            "Published March 4, 2031, 6:40 pm",
            "By Norland Press Agency",
            "",
            "The harbour council voted on Tuesday to open a ferry route to the island of Skerry.",
            "The first crossings will begin in the spring, officials said.",
            "(Reporting by Tor Lund; Editing by Ena Brandt)",
            "This article was originally published by the Norland Press Agency and is republished here.",
        ]
    )
    result = clean_text(text)
    assert result.title == "Ferry route opens to Skerry after years of debate"
    assert result.text == "\n".join(text.split("\n")[5:7])
    assert reasons(result) == [(2, "byline"), (3, "dateline"), (4, "byline"), (8, "byline"), (9, "legal")]
    assert (result.author, result.published, result.site) == (
        "Norland Press Agency",
        "2031-03-04",
        "Harbour Gazette",
    )


def test_a_name_line_on_top_or_inside_the_story_is_kept() -> None:
    text = "\n".join(
        [
            "Harbour Gazette",
            "Published March 4, 2031",
            "The council met on Monday and approved the ferry plan after a long debate.",
            "Radio Skerry",
            "By Monday evening the island radio had broadcast the vote.",
        ]
    )
    result = clean_text(text)
    assert result.title == "Harbour Gazette"
    assert reasons(result) == [(2, "dateline")]
    assert result.site is None


def test_closing_bio_of_the_byline_writer_is_removed() -> None:
    bio = (
        "Mara Quill is the Harbour Gazette's islands and transport correspondent. She has covered "
        "the ferry dispute since 2029."
    )
    text = "\n".join(
        [
            "By Mara Quill",
            "The harbour council voted on Tuesday to open a ferry route to the island of Skerry.",
            "The first crossings will begin in the spring, officials said.",
            bio,
        ]
    )
    result = clean_text(text)
    assert reasons(result) == [(1, "byline"), (4, "author_bio")]
    assert result.author == "Mara Quill"


def test_unfinished_lowercase_date_under_the_headline_is_a_dateline() -> None:
    text = "\n".join(
        [
            "Harbour council approves new ferry route to the island",
            "on Mar 6 2031, 5:03p",
            "The harbour council voted on Tuesday to open a ferry route to the island of Skerry.",
            "The company said it would pay for the first pier, which it expects to finish",
            "by March 4, 2032.",
        ]
    )
    result = clean_text(text)
    assert reasons(result) == [(2, "dateline")]
    assert result.published == "2031-03-06"
    assert result.text.endswith("finish\nby March 4, 2032.")


_DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
_DEMO_REMOVED = {
    "coastline_daily.txt": [
        (2, "byline"),
        (3, "dateline"),
        (4, "byline"),
        (26, "byline"),
        (28, "legal"),
        (30, "share"),
        (32, "comments"),
    ],
    "lpa_wire.txt": [(23, "byline")],
    "tidewater_review.txt": [
        (2, "byline"),
        (3, "teaser"),
        (4, "teaser"),
        (6, "toc"),
        (7, "toc"),
        (8, "toc"),
        (9, "toc"),
        (10, "toc"),
        (24, "share"),
        (25, "author_bio"),
        (26, "navigation"),
        (27, "navigation"),
        (28, "navigation"),
        (29, "navigation"),
    ],
}


@pytest.mark.parametrize("name", sorted(_DEMO_REMOVED))
def test_demo_removed_lines(name: str) -> None:
    result = clean_text((_DEMO / name).read_text(encoding="utf-8"))
    assert reasons(result) == _DEMO_REMOVED[name]


# --- properties --------------------------------------------------------------------------------

_LINES = st.sampled_from(
    [
        "",
        "Comments",
        "Previous Article",
        "Table of Contents",
        "- 1. Background",
        "Background",
        "Why does it matter?",
        "The council met on Monday and approved the plan after a long debate.",
        '"We are ready," the mayor said.',
        "Share",
        "Facebook",
        "By Jane Roe",
        "12 March 2031",
        "Anna Berg is a writer who covers science. In her spare time she sails.",
        "  indented line with spaces  ",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(), st.lists(st.one_of(_LINES, st.text(max_size=30)), max_size=25).map("\n".join)))
def test_offsets_stay_in_text_and_headings_are_whole_lines(text: str) -> None:
    result = clean_text(text)
    lines = result.text.split("\n")
    for h in result.headings:
        assert 0 <= h.start < h.end <= len(result.text)
        assert result.text[h.start : h.end] in lines
    for entry in result.toc:
        assert 0 <= entry.start <= len(result.text)
    input_lines = re.split(r"\r\n|\r|\n", text)
    for r in result.removed:
        assert r.reason in REASONS
        assert r.line is not None and r.text == input_lines[r.line - 1].strip()
    assert "\n\n\n" not in result.text
    assert result.text == result.text.strip()


# --- the seed articles (read at run time only) -------------------------------------------------

_SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
_QUOTES = set('"“”„«»')


def _sentences(line: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", line.strip()) if len(s.split()) >= 5]


@pytest.mark.skipif(not _SEED_FILES, reason="seed articles not present")
@pytest.mark.parametrize("path", _SEED_FILES, ids=lambda p: p.name)
def test_seed_article_general_properties(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    lines = re.split(r"\r\n|\r|\n", raw)
    result = clean_text(raw)
    for r in result.removed:
        assert r.reason in REASONS
        assert len(r.text.split()) <= 30 or r.reason in ("author_bio", "toc")
        assert r.reason == "toc" or not (_QUOTES & set(r.text)), r
    sentences = [s for line in lines for s in _sentences(line)]
    kept = sum(s in result.text for s in sentences)
    assert kept >= 0.85 * len(sentences)
    removed = {r.line: r.reason for r in result.removed}
    numbered = [i + 1 for i, line in enumerate(lines) if re.match(r"^[-•*]\s*\d+\.\s", line)]
    if len(numbered) >= 5:
        assert all(removed.get(n) == "toc" for n in numbered)
        assert len(result.toc) == len(numbered)
    for i, line in enumerate(lines):
        if re.fullmatch(r"(?:Previous|Next) (?:Article|Post|Story)", line.strip()):
            follower = next(j for j in range(i + 1, len(lines)) if lines[j].strip())
            assert removed.get(i + 1) == "navigation" and removed.get(follower + 1) == "navigation"
    last = max((i for i, line in enumerate(lines) if len(line.split()) > 20), default=None)
    if last is not None and re.search(r"\bis an? (?:\w+ ){0,3}(?:writer|journalist|reporter)\b", lines[last]):
        assert removed.get(last + 1) == "author_bio"
