"""Signals are cached per story: read back only while everything they depend on is unchanged."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from storyline.model import Article, Briefing, Cite, Entity, Signal, Story, Tool
from storyline.store import Store
from storyline.story import signals


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, source=f"{aid}.txt", text=text, sentences=((0, len(text)),))


def _cite(article: Article, words: str) -> Cite:
    start = article.text.index(words)
    return Cite(article.id, start, start + len(words))


def _entity(eid: str, name: str, kind: str, *cites: Cite) -> Entity:
    return Entity(
        id=eid,
        name=name,
        type=kind,
        mentions=cites,
        articles=tuple(dict.fromkeys(c.article for c in cites)),
    )


FERRY = [
    _article("a", "Teodor Vasquin will run the ferry from May."),
    _article("b", "The ferry operator Teodor Vasquin hired four crew."),
    _article("c", "Theodor Vasquin, the operator, bought a second boat."),
]
# Two slips ("adn", "recieve") in twelve words: the misspelling signal fires.
MILL = _article("d", "The old mill adn the granary will recieve new roofs this autumn.")


def _briefing(stories: list[list[Article]], extra: tuple[Entity, ...] = ()) -> Briefing:
    articles = [a for members in stories for a in members]
    person = _entity(
        "vasquin",
        "Teodor Vasquin",
        "PERSON",
        *(
            _cite(a, f"{first} Vasquin")
            for a in articles
            for first in ("Teodor", "Theodor")
            if first in a.text
        ),
    )
    return Briefing(
        generated_at="2031-01-01T00:00:00+00:00",
        tool=Tool(),
        articles=tuple(articles),
        entities=(person, *extra),
        stories=tuple(
            Story(id=f"s{i}", title="", articles=tuple(a.id for a in members))
            for i, members in enumerate(stories)
        ),
    )


@pytest.fixture
def redone(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The members of every story whose signals are worked out (not read back)."""
    calls: list[tuple[str, ...]] = []
    real = signals._story_signals

    def spy(scope, names):  # type: ignore[no-untyped-def]
        calls.append(tuple(a.id for a in scope.members))
        return real(scope, names)

    monkeypatch.setattr(signals, "_story_signals", spy)
    return calls


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "store.db")
    yield opened
    opened.close()


def test_signals_read_back_equal_the_ones_worked_out(store: Store, redone: list[tuple[str, ...]]) -> None:
    briefing = _briefing([FERRY, [MILL]])
    expected = (
        Signal(
            "c",
            "name_spelling",
            1,
            ("‘Theodor’ here; ‘Teodor’ in 2 other sources", _cite(FERRY[2], "Theodor Vasquin")),
        ),
        Signal("d", "misspelling", 166.7, (_cite(MILL, "adn"), _cite(MILL, "recieve"))),
    )
    assert signals.compute(briefing) == expected
    assert signals.compute(briefing, store) == expected  # worked out, then stored
    redone.clear()
    assert signals.compute(briefing, store) == expected  # read back
    assert redone == []


def test_a_changed_story_is_redone_and_the_others_are_read_back(
    store: Store, redone: list[tuple[str, ...]]
) -> None:
    signals.compute(_briefing([FERRY, [MILL]]), store)
    redone.clear()
    # A fourth source spelling "Theodor" leaves no majority: the signal on c must go.
    extra = _article("e", "Theodor Vasquin said the boat cost less than planned.")
    grown = _briefing([[*FERRY, extra], [MILL]])
    cached = signals.compute(grown, store)
    assert redone == [("a", "b", "c", "e")]  # the mill story is read back
    assert cached == signals.compute(grown)
    assert [s.signal for s in cached] == ["misspelling"]


def test_a_name_from_another_story_that_exempts_a_word_here_redoes_this_story(
    store: Store, redone: list[tuple[str, ...]]
) -> None:
    signals.compute(_briefing([FERRY, [MILL]]), store)
    # An organisation named "Adn" anywhere in the run makes "adn" a name: one slip is left, no signal.
    firm = Article(id="f", source="f.txt", text="Adn Holdings bought the ferry company.")
    named = _briefing(
        [FERRY, [MILL], [firm]], (_entity("adn", "Adn Holdings", "ORG", _cite(firm, "Adn Holdings")),)
    )
    redone.clear()
    cached = signals.compute(named, store)
    assert redone == [("d",), ("f",)]  # the ferry story is read back
    assert cached == signals.compute(named)
    assert [s.signal for s in cached] == ["name_spelling"]


def test_a_new_signals_version_redoes_every_story(
    store: Store, redone: list[tuple[str, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    briefing = _briefing([FERRY, [MILL]])
    signals.compute(briefing, store)
    monkeypatch.setattr(signals, "SIGNALS_VERSION", "signals.test")
    redone.clear()
    signals.compute(briefing, store)
    assert redone == [("a", "b", "c"), ("d",)]


def test_a_copy_in_the_story_changes_the_key(store: Store, redone: list[tuple[str, ...]]) -> None:
    signals.compute(_briefing([FERRY, [MILL]]), store)
    # b marked a copy of a: two originals left, one each way, so c is no longer outvoted.
    copied = _briefing([[FERRY[0], replace(FERRY[1], duplicate_of="a"), FERRY[2]], [MILL]])
    redone.clear()
    cached = signals.compute(copied, store)
    assert redone == [("a", "b", "c")]
    assert cached == signals.compute(copied)
    assert [s.signal for s in cached] == ["misspelling"]
