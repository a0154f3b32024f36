"""The run's entity table answers as the entities held in memory did: where a mention points, which
entity a name stands for (ties included), a story's entities, a story's signal scope and the cuts
the writers make; and its file goes when the table does."""

from __future__ import annotations

import gc
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.briefing.entity_table import EntityTable
from storyline.briefing.entity_view import EntityViews
from storyline.model import Article, Cite, Entity, Quote, Role
from storyline.story.identities import Identities
from storyline.story.signals_scope import Scopes

ARTICLES = ("a1", "b2", "c3", "d4")
# Names that collide on purpose: a full name and its surname, a case and accent slip, a title.
NAMES = ("Ansel Marek", "Marek", "Mr Marek", "marek", "Marék", "Velport", "Lena Marek", "Port Authority")
TYPES = ("PERSON", "ORG", "GPE")

_spans = st.tuples(st.sampled_from(ARTICLES), st.integers(0, 30), st.integers(1, 6)).map(
    lambda t: Cite(t[0], t[1], t[1] + t[2])
)


@st.composite
def _entities(draw: st.DrawFn) -> tuple[Entity, ...]:
    out = []
    for n in range(draw(st.integers(1, 7))):
        names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True))
        mentions = draw(st.lists(_spans, max_size=6))
        roles = draw(st.lists(st.tuples(st.sampled_from(("minister", "mayor")), _spans), max_size=2))
        # Most entities list the articles of their mentions (as `identities.resolve` makes them);
        # some list others, so that the look-ups by listed article are told apart from those by mention.
        listed = sorted({m.article for m in mentions})
        if draw(st.booleans()):
            listed = draw(st.lists(st.sampled_from(ARTICLES), max_size=3, unique=True))
        out.append(
            Entity(
                id=f"e{n}",
                name=names[0],
                type=draw(st.sampled_from(TYPES)),
                variants=tuple(names[1:]),
                roles=tuple(Role(r, c) for r, c in roles),
                mentions=tuple(mentions),
                articles=tuple(listed),
            )
        )
    return tuple(out)


def _article(article_id: str) -> Article:
    return Article(id=article_id, source=f"{article_id}.txt", text="x" * 40)


def _reduced(entity: Entity, ids: set[str]) -> Entity:
    return replace(
        entity,
        mentions=tuple(m for m in entity.mentions if m.article in ids),
        roles=tuple(r for r in entity.roles if r.cite.article in ids),
        articles=tuple(a for a in entity.articles if a in ids),
    )


@settings(max_examples=80, deadline=None)
@given(entities=_entities(), batch=st.lists(st.sampled_from(ARTICLES), min_size=1, unique=True))
def test_a_view_of_a_batch_answers_as_identities_over_every_entity(
    entities: tuple[Entity, ...], batch: list[str]
) -> None:
    found = Identities(entities=entities)
    table = EntityTable.of(entities)
    try:
        view = EntityViews(table).view(batch)
        # Articles outside the batch are asked too: a view reads them when asked.
        for article in (*ARTICLES, "zz"):
            assert view.spans_in(article) == found.spans_in(article)
            for start in range(0, 38):
                for end in range(start + 1, start + 8):
                    assert view.entity_at(article, start, end) == found.entity_at(article, start, end)
            for name in (*NAMES, "Lena", "Port", "", "Nobody"):
                assert view.find_by_name(name, article) == found.find_by_name(name, article), (name, article)
        for name in NAMES:
            assert view.find_by_name(name) == found.find_by_name(name)
            assert view.find_by_name(name, "") == found.find_by_name(name, "")
    finally:
        table.close()


@settings(max_examples=80, deadline=None)
@given(
    entities=_entities(),
    members=st.lists(st.sampled_from(ARTICLES), min_size=1, unique=True),
    speakers=st.lists(st.sampled_from(("e0", "e3", "e6", "nobody")), max_size=3),
)
def test_a_view_cuts_and_scopes_as_scopes_over_every_entity(
    entities: tuple[Entity, ...], members: list[str], speakers: list[str]
) -> None:
    scopes = Scopes.of_entities(entities)
    table = EntityTable.of(entities)
    try:
        view = EntityViews(table).view(members)
        articles = [_article(a) for a in members]
        quotes = [
            Quote(id=f"q{n}", cite=Cite(members[0], n, n + 1), text="x", kind="direct", speaker=s)
            for n, s in enumerate(speakers)
        ]
        assert view.scope(articles, quotes) == scopes.scope(articles, quotes)
        assert view.cut(members) == scopes.cut(members)
        assert view.cut(members, speakers) == scopes.cut(members, speakers)
        assert view.positions(members) == scopes.positions(members)
        # What `stories.Index` gave: every entity listing a member, in the run's order; now cut to
        # the members, whose mentions, roles and articles are all the story stages read.
        listing = [e for e in entities if set(e.articles) & set(members)]
        assert view.story_entities(articles) == [_reduced(e, set(members)) for e in listing]
        assert view.story_entities(articles, cites=False) == [_reduced(e, set()) for e in listing]
        assert table.names == scopes.names
    finally:
        table.close()


@settings(max_examples=40, deadline=None)
@given(entities=_entities())
def test_the_table_gives_back_every_entity_in_order(entities: tuple[Entity, ...]) -> None:
    table = EntityTable.of(entities)
    try:
        assert len(table) == len(entities)
        assert table.all() == entities
        assert list(table) == list(entities)  # a second pass reads them again
        assert table.count("PERSON") == sum(1 for e in entities if e.type == "PERSON")
    finally:
        table.close()


def test_a_later_entity_owns_a_span_two_entities_share() -> None:
    first = Entity("port", "Velport", "GPE", mentions=(Cite("a1", 0, 7),), articles=("a1",))
    second = Entity("port-authority", "Velport", "ORG", mentions=(Cite("a1", 0, 7),), articles=("a1",))
    table = EntityTable.of([first, second])
    try:
        view = EntityViews(table).view(["a1"])
        assert view.entity_at("a1", 0, 7) == "port-authority"
        assert view.spans_in("a1") == [(0, 7, "port-authority")]
    finally:
        table.close()


def test_a_name_tie_goes_to_the_first_entity_of_the_run() -> None:
    # Two people both called "Marek", named in the same article as often: the first one listed wins,
    # as `max` over `Identities`' candidates gives; a surname match comes after every name match.
    one = Entity("one", "Ansel Marek", "PERSON", ("Marek",), mentions=(Cite("a1", 0, 5),), articles=("a1",))
    two = Entity("two", "Lena Marek", "PERSON", ("Marek",), mentions=(Cite("a1", 9, 14),), articles=("a1",))
    table = EntityTable.of([two, one])
    try:
        view = EntityViews(table).view(["a1"])
        assert (
            view.find_by_name("Marek", "a1")
            == "two"
            == Identities(entities=(two, one)).find_by_name("Marek", "a1")
        )
    finally:
        table.close()


def test_the_capitals_are_read_from_the_places_of_the_run() -> None:
    from storyline.story import stances

    places = [
        Entity("fr", "France", "GPE"),
        Entity("paris", "Paris", "GPE"),
        Entity("paris-hilton", "Paris", "PERSON"),
    ]
    table = EntityTable.of(places)
    try:
        assert table.capitals == stances.capital_countries(places) == {"paris": "fr"}
    finally:
        table.close()


def test_the_file_goes_on_close_and_when_the_table_is_let_go() -> None:
    table = EntityTable.of([Entity("x", "X", "ORG", mentions=(Cite("a1", 0, 1),), articles=("a1",))])
    folder = table.path.parent
    assert table.path.exists()
    table.close()
    assert not folder.exists()
    table = EntityTable.of([])
    folder = table.path.parent
    del table
    gc.collect()
    assert not folder.exists()


def test_entities_written_a_few_rows_at_a_time_read_back_the_same(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from storyline.briefing import entity_table

    monkeypatch.setattr(entity_table, "_WRITE_BATCH", 2)
    entities = tuple(
        Entity(
            f"e{n}",
            f"Person {n} Marek",
            "PERSON",
            (f"Marek {n}",),
            roles=(Role("mayor", Cite("a1", 50 + n, 55 + n)),),
            mentions=(Cite("a1", 3 * n, 3 * n + 2), Cite("b2", n, n + 1)),
            articles=("a1", "b2"),
        )
        for n in range(7)
    )
    table = EntityTable.of(entities)
    try:
        assert table.all() == entities
        view = EntityViews(table).view(["a1"])
        found = Identities(entities=entities)
        assert view.find_by_name("Marek", "a1") == found.find_by_name("Marek", "a1")
        assert view.spans_in("a1") == found.spans_in("a1")
        assert table.names == {"marek", "person"}  # digits are no name token
    finally:
        table.close()
