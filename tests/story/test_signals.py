"""Reliability signals on small invented briefings: each signal fires with its exact value and evidence."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from storyline.model import (
    Article,
    Briefing,
    Cite,
    Entity,
    Heading,
    Quote,
    Removed,
    Role,
    Signal,
    Story,
    TocEntry,
    Tool,
)
from storyline.story import signals
from storyline.story.signals_text import glued_punctuation


def test_a_signal_as_a_reader_sees_it() -> None:
    assert signals.describe("misspelling", "0.90") == "Misspelt words: 0.90 per 1,000 words"
    assert signals.describe("title_conflict", "1") == "Titles that clash with other sources: 1 person"
    assert signals.describe("title_conflict", "2") == "Titles that clash with other sources: 2 people"
    assert signals.describe("made_up_signal", "3") == "Made up signal: 3"


def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentences end at a full stop, question mark or line end (what the annotator gives, simply)."""
    return tuple((m.start(), m.end()) for m in re.finditer(r"[^\s][^.?\n]*[.?]?", text))


def _article(aid: str, text: str, **kw: object) -> Article:
    return Article(id=aid, source=f"{aid}.txt", text=text, sentences=_sentences(text), **kw)  # type: ignore[arg-type]


def _cite(article: Article, words: str, nth: int = 0) -> Cite:
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(words, start + 1)
    return Cite(article.id, start, start + len(words))


def _entity(eid: str, name: str, kind: str, articles: list[Article], *surfaces: str, roles=()) -> Entity:
    mentions = tuple(
        Cite(a.id, m.start(), m.end())
        for a in articles
        for s in surfaces
        for m in re.finditer(re.escape(s), a.text)
    )
    return Entity(
        id=eid,
        name=name,
        type=kind,
        variants=tuple(s for s in surfaces if s != name),
        roles=tuple(roles),
        mentions=mentions,
        articles=tuple(dict.fromkeys(m.article for m in mentions)),
    )


def _quote(article: Article, words: str, speaker: str | None) -> Quote:
    return Quote(
        id=f"q-{article.id}-{words[:8]}",
        cite=_cite(article, words),
        text=words,
        kind="direct",
        speaker=speaker,
    )


def _briefing(
    articles: list[Article], entities=(), quotes=(), stories: list[list[str]] | None = None
) -> Briefing:
    groups = stories if stories is not None else [[a.id for a in articles]]
    return Briefing(
        generated_at="2031-01-01T00:00:00+00:00",
        tool=Tool(),
        articles=tuple(articles),
        entities=tuple(entities),
        quotes=tuple(quotes),
        stories=tuple(Story(id=f"s{i}", title="", articles=tuple(g)) for i, g in enumerate(groups)),
    )


CLEAN = (
    "The council of Marrowby voted on Tuesday to reopen the old ferry crossing.\n\n"
    "The crossing closed in the spring after a storm damaged the landing. "
    "Repairs will cost about 40,000 pounds, the treasurer told the meeting at 10:30.\n\n"
    "Residents have asked for the service since the bridge was closed for repairs."
)


def test_a_clean_article_gets_no_signal() -> None:
    article = _article(
        "a", CLEAN, removed=(Removed("By Ona Pell", "byline", 1), Removed("Comments", "comments", 9))
    )
    assert signals.compute(_briefing([article])) == ()


def test_removed_debris_lines_are_counted_with_their_reasons() -> None:
    removed = (
        Removed("Share this story", "share", 2),
        Removed("By Ona Pell", "byline", 3),
        Removed("Previous Article", "navigation", 20),
        Removed("Sign up for our newsletter", "share", 21),
    )
    article = _article("a", CLEAN, removed=removed)
    assert signals.compute(_briefing([article])) == (
        Signal(
            "a",
            "boilerplate",
            3,
            (
                "line 2 (share): Share this story",
                "line 20 (navigation): Previous Article",
                "line 21 (share): Sign up for our newsletter",
            ),
        ),
    )


def test_padded_contents_and_a_repeated_section_heading() -> None:
    sections = [
        ("Harbour Plans", "The council wants a ferry back on the river by spring."),
        ("The Vote", "Seven members voted for the plan and two against it."),
        ("Costs", "Repairs to the landing will take most of the budget."),
        ("Harbour Plans", "A second landing upstream may follow in later years."),
        ("Residents", "People on the east bank asked for the ferry first."),
        ("What Next", "Tenders for an operator open at the end of the month."),
        ("Conclusion", "The crossing could carry its first passengers in May."),
    ]
    lines, headings, toc = [], [], []
    offset = 0
    for title, body in sections:
        headings.append(Heading(offset, offset + len(title), 2))
        toc.append(TocEntry(title, offset))
        lines += [title, body]
        offset += len(title) + 1 + len(body) + 1
    article = _article("a", "\n".join(lines), headings=tuple(headings), toc=tuple(toc))
    found = signals.compute(_briefing([article]))
    # 11 heading words + 70 body words = 81 words: 7 entries is 86.4 per 1,000.
    assert found == (
        Signal("a", "toc_oversized", 86.4, ("7 contents entries for 81 words: one section per 11 words",)),
        Signal(
            "a", "repeated_heading", 1, (_cite(article, "Harbour Plans"), _cite(article, "Harbour Plans", 1))
        ),
    )


def test_repeated_paragraphs_verbatim_and_lightly_reworded() -> None:
    first = "The ferry will run twice a day from May, carrying up to forty passengers each crossing."
    near = "The ferry will run twice a day from May, carrying up to forty passengers on each crossing."
    other = "Tickets will be sold at the landing and on the council's website."
    text = "\n".join([first, other, "Read the full plan", near, "Read the full plan"])
    article = _article("a", text)
    found = signals.compute(_briefing([article]))
    assert found == (
        Signal(
            "a",
            "repeated_paragraph",
            2,
            (
                _cite(article, first),
                _cite(article, near),
                _cite(article, "Read the full plan"),
                _cite(article, "Read the full plan", 1),
            ),
        ),
    )


def test_misspellings_skip_names_british_spellings_coinages_and_words_other_sources_use() -> None:
    text = (
        "Seperate plans would repaint the harbour office in a brighter colour. The organisation travelled to "
        "the centre of town adn paid a cheque to the defence fund at 40 mph. vantorp said the zorbfleek tax "
        "would rise on the 20th. Residents recieve letters; the teh shop closed."
    )
    article = _article("a", text)
    other = _article("b", "The teh shop, a tea house, reopened on Friday.")
    person = _entity("ilse-vantorp", "Ilse Vantorp", "PERSON", [article], "vantorp")
    found = [s for s in signals.compute(_briefing([article, other], [person])) if s.signal == "misspelling"]
    # "Seperate" is capitalised (a name or a sentence start: not judged); "teh" is shared with source b;
    # "mph" is short and no swap of a common word; "adn" is ("and"). 47 words, 2 slips: 42.6 per 1,000.
    assert found == [Signal("a", "misspelling", 42.6, (_cite(article, "adn"), _cite(article, "recieve")))]


def test_glued_punctuation_spans() -> None:
    text = (
        "He said.The U.S.Senator met Dr.Lind in Oslo,where it rained. It cost 1,000 crowns at 10:30 "
        "in the U.S. today, e.g. at www.Example.com or https://a.example/x,y, and she replied,“No.”Then left."
    )
    assert [text[s:e] for s, e in glued_punctuation(text)] == [
        "said.The",
        "U.S.Senator",
        "Dr.Lind",
        "Oslo,where",
        "replied,“No",
        "No.”Then",
    ]


def test_missing_spaces_fire_as_a_rate_per_thousand_words() -> None:
    article = _article("a", "The ferry returns in May.It will run daily,weather allowing.")
    assert signals.compute(_briefing([article])) == (
        Signal("a", "missing_space", 181.8, (_cite(article, "May.It"), _cite(article, "daily,weather"))),
    )


def test_lowercase_sentence_starts_but_not_splits_after_commas_or_brand_names() -> None:
    text = (
        "the ferry returns in May. It runs daily. iPhones work on board.\n"
        "“tickets are cheap,” said Ona Pell. So,\nwhich day is best? tuesday, mostly."
    )
    article = _article("a", text)
    assert signals.compute(_briefing([article])) == (
        Signal(
            "a",
            "lowercase_start",
            3,
            (_cite(article, "the ferry"), _cite(article, "“tickets are"), _cite(article, "tuesday, mostly")),
        ),
    )


def _unnamed(article: Article, words: str, speaker_text: str | None) -> Quote:
    return replace(_quote(article, words, None), speaker_text=speaker_text)


def test_quotes_without_a_named_speaker_when_they_are_most_of_the_quotes() -> None:
    text = (
        "Critics say the fare is high. Many fear delays. Some argue the crossing is unsafe. "
        "Ona Pell disagreed. The clerk, who said it was late, left."
    )
    article = _article("a", text)
    quotes = [
        _unnamed(article, "the fare is high", "Critics"),
        _unnamed(article, "delays", "Many"),
        _unnamed(article, "the crossing is unsafe", "Some"),
        _quote(article, "disagreed", "ona-pell"),
        _unnamed(article, "it was late", "who"),  # a speaker the annotator did not resolve: not counted
    ]
    assert signals.compute(_briefing([article], quotes=quotes)) == (
        Signal("a", "unattributed_quote", 3, tuple(q.cite for q in quotes[:3])),
    )
    # Three unnamed among seven quotes: ordinary reporting, no signal.
    named = [_quote(article, w, "ona-pell") for w in ("Ona Pell", "The clerk", "left")]
    assert signals.compute(_briefing([article], quotes=[*quotes, *named])) == ()


def _three_sources() -> tuple[list[Article], list[Entity]]:
    a = _article(
        "a",
        "Mayor Ona Pell opened the crossing. Analyst Brin Talvo said it will pay off. Fares will fall, "
        "Talvo said. It is the busiest river in the county, she said.",
    )
    b = _article("b", "Mayor Ona Pell cut the ribbon on the new ferry crossing.")
    c = _article("c", "Former mayor Ona Pell watched the first ferry cross.")
    roles = [
        Role("mayor", _cite(a, "Mayor")),
        Role("mayor", _cite(b, "Mayor")),
        Role("former mayor", _cite(c, "Former mayor")),
    ]
    pell = _entity("ona-pell", "Ona Pell", "PERSON", [a, b, c], "Ona Pell", roles=roles)
    analyst = [Role("analyst", _cite(a, "Analyst"))]
    talvo = _entity("brin-talvo", "Brin Talvo", "PERSON", [a], "Brin Talvo", "Talvo", roles=analyst)
    return [a, b, c], [pell, talvo]


def test_a_source_quoted_often_in_one_article_only() -> None:
    (a, b, c), entities = _three_sources()
    words = ("it will pay off", "Fares will fall", "It is the busiest river in the county")
    quotes = [_quote(a, w, "brin-talvo") for w in words]
    found = signals.compute(_briefing([a, b, c], entities, quotes))
    assert [s for s in found if s.signal == "unique_source"] == [
        Signal(
            "a",
            "unique_source",
            1,
            ("Brin Talvo (analyst): quoted 3 times here, named in no other source", _cite(a, "Brin Talvo")),
        )
    ]
    # Quoted twice: a passing voice, no signal.
    assert not [
        s for s in signals.compute(_briefing([a, b, c], entities, quotes[:2])) if s.signal == "unique_source"
    ]
    # With only two sources, being absent from the other one says little.
    assert not [
        s for s in signals.compute(_briefing([a, b], entities, quotes)) if s.signal == "unique_source"
    ]


def test_a_title_that_the_other_sources_contradict() -> None:
    (a, b, c), entities = _three_sources()
    found = signals.compute(_briefing([a, b, c], entities))
    # "former mayor" clashes with "mayor" (a changing word); a and b agree with each other.
    assert found == (
        Signal(
            "c",
            "title_conflict",
            1,
            (
                "Ona Pell: ‘former mayor’ here, ‘mayor’ in 2 other sources",
                _cite(c, "Former mayor"),
                _cite(a, "Mayor"),
                _cite(b, "Mayor"),
            ),
        ),
    )


def test_a_duplicate_is_not_a_second_source_and_gets_no_source_signals() -> None:
    (a, b, c), entities = _three_sources()
    b = replace(b, duplicate_of="a")
    found = signals.compute(_briefing([a, b, c], entities))
    # a and c now disagree one to one: each is flagged; the copy b is neither flagged nor counted.
    assert [(s.article, s.signal, s.evidence[0]) for s in found] == [
        ("a", "title_conflict", "Ona Pell: ‘mayor’ here, ‘former mayor’ in 1 other source"),
        ("c", "title_conflict", "Ona Pell: ‘former mayor’ here, ‘mayor’ in 1 other source"),
    ]


def test_titles_in_reports_months_apart_are_not_compared() -> None:
    (a, b, c), entities = _three_sources()
    dated = [
        replace(a, published="2031-03-01"),
        replace(b, published="2031-03-02"),
        replace(c, published="2032-01-10"),
    ]
    assert signals.compute(_briefing(dated, entities)) == ()


def test_an_acronym_is_not_a_spelling_of_a_name() -> None:
    a = _article("a", "The Tarvin Ferry Board met. Tarvin officials spoke.")
    b = _article("b", "Officials from Tarvin spoke on Friday.")
    c = _article("c", "The TRVIN board, which runs the ferry, met on Friday.")
    place = _entity("tarvin", "Tarvin", "GPE", [a, b, c], "Tarvin", "TRVIN")
    assert signals.compute(_briefing([a, b, c], [place])) == ()


def test_a_name_spelt_unlike_most_sources() -> None:
    a = _article("a", "Teodor Vasquin will run the ferry. Vasquin starts in May.")
    b = _article("b", "The ferry operator Teodor Vasquin hired four crew.")
    c = _article("c", "Theodor Vasquin, the operator, bought a second boat.")
    person = _entity(
        "teodor-vasquin", "Teodor Vasquin", "PERSON", [a, b, c], "Teodor Vasquin", "Theodor Vasquin"
    )
    assert signals.compute(_briefing([a, b, c], [person])) == (
        Signal(
            "c",
            "name_spelling",
            1,
            ("‘Theodor’ here; ‘Teodor’ in 2 other sources", _cite(c, "Theodor Vasquin")),
        ),
    )


def test_content_resting_on_one_outside_outlet() -> None:
    text = (
        "According to the Harbour Ledger, the ferry will cost more. The Harbour Ledger reported that two "
        "crew quit. Ona Pell said the budget holds."
    )
    article = _article("a", text, site="Valley Times")
    ledger = _entity("harbour-ledger", "Harbour Ledger", "ORG", [article], "Harbour Ledger")
    quotes = [_quote(article, "the budget holds", "ona-pell")]
    found = signals.compute(_briefing([article], [ledger], quotes))
    assert found == (
        Signal(
            "a",
            "single_outlet",
            2,
            (
                "Harbour Ledger: 2 of 3 attributed sentences",
                _cite(article, "Harbour Ledger"),
                _cite(article, "Harbour Ledger", 1),
            ),
        ),
    )
    # The article's own outlet is not an outside source.
    own = replace(article, site="The Harbour Ledger")
    assert signals.compute(_briefing([own], [ledger], quotes)) == ()


@pytest.fixture(scope="module")
def seed_signals(
    tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path
) -> tuple[Briefing, tuple[Signal, ...]]:
    from storyline.pipeline import run
    from storyline.settings import Settings

    briefing = run([seeds_dir], Settings(db=tmp_path_factory.mktemp("signals") / "s.db")).briefing
    return briefing, signals.compute(briefing)


def test_seeds_the_padded_article_gets_the_most_signals(
    seed_signals: tuple[Briefing, tuple[Signal, ...]],
) -> None:
    briefing, found = seed_signals
    kinds: dict[str, list[str]] = {a.id: [] for a in briefing.articles}
    for s in found:
        kinds[s.article].append(s.signal)
    padded = max(kinds, key=lambda a: len(kinds[a]))
    expected = {"toc_oversized", "repeated_heading", "misspelling", "missing_space", "unique_source"}
    assert expected <= set(kinds[padded])
    assert all(len(k) <= 3 for a, k in kinds.items() if a != padded)
    cites = [e for s in found for e in s.evidence if isinstance(e, Cite)]
    assert all(0 <= c.start < c.end <= len(briefing.article(c.article).text) for c in cites)


def test_markdown_lists_the_first_pieces_of_evidence_and_links_other_sources() -> None:
    from storyline.briefing.render_md import signal_lines
    from storyline.briefing.view import BriefingView

    a = _article("a", "One,two,three,four,five,six,seven,eight words.", title="Glued", site="Ledger")
    b = _article("b", "Mayor Ona Pell spoke.", title="Speech", site="Courier")
    glued = tuple(Cite("a", s, e) for s, e in glued_punctuation(a.text))
    found = (
        Signal("a", "missing_space", 875.0, glued),
        Signal("a", "title_conflict", 1, ("Ona Pell: ‘mayor’ elsewhere", _cite(b, "Mayor"))),
    )
    view = BriefingView(replace(_briefing([a, b]), signals=found))
    assert signal_lines(view, a) == [
        "- Signals (measurements to help reading, not verdicts):",
        "  - Missing spaces after punctuation: 875 per 1,000 words — “One,two”; “two,three”; “three,four”; "
        "“four,five”; “five,six”; “six,seven”; and 1 more",
        "  - Titles that clash with other sources: 1 person — Ona Pell: ‘mayor’ elsewhere; "
        '“Mayor” — [Courier — "Speech"](#article-b)',
    ]
