from __future__ import annotations

from storyline.briefing.view import QuoteRow, SourceRef, merge_repeats


def _ref(site: str) -> SourceRef:
    return SourceRef(
        site=site, title="T", words="w", start=0, end=1, anchor=f"c-{site}", article_anchor=f"a-{site}"
    )


def test_the_same_words_from_two_sources_are_one_row_with_both_sources() -> None:
    rows = [
        QuoteRow("q1", "We will not  move.", "direct", "said", None, _ref("Wire")),
        QuoteRow("q2", "we will not move.", "direct", "said", None, _ref("Copy")),
        QuoteRow("q3", "We will not move.", "partial", None, None, _ref("Other")),
    ]
    merged = merge_repeats(rows)
    assert [(r.id, [a.site for a in r.also]) for r in merged] == [("q1", ["Copy"]), ("q3", [])]


def _two_story_briefing():
    from storyline.model import Article, Briefing, Cite, Claim, Entity, Event, Quote, Stance, Story, Tool

    text = "Mara Lind spoke. The port council met. Mara Lind spoke again."
    arts = tuple(Article(id=f"a{n}", source=f"a{n}.txt", text=text, site=f"site{n}") for n in range(4))
    lind = Entity(
        "mara-lind",
        "Mara Lind",
        "PERSON",
        mentions=(Cite("a0", 0, 9), Cite("a0", 39, 48), Cite("a1", 0, 9), Cite("a2", 0, 9)),
        articles=("a0", "a1", "a2"),
    )
    council = Entity("port-council", "port council", "ORG", mentions=(Cite("a3", 21, 33),), articles=("a3",))
    quiet = Entity("quiet", "Quiet Body", "ORG", articles=("a1",))  # named only in a role, no mention
    return Briefing(
        generated_at="t",
        tool=Tool(),
        articles=arts,
        entities=(lind, council, quiet),
        quotes=(
            Quote("q0", Cite("a0", 0, 16), "spoke", "indirect", speaker="mara-lind"),
            Quote("q1", Cite("a2", 0, 16), "spoke", "indirect", speaker="mara-lind"),
            Quote("q2", Cite("a3", 17, 38), "met", "indirect"),
        ),
        stories=(Story("s1", "One", articles=("a0", "a1")), Story("s2", "Two", articles=("a2", "a3"))),
        claims=(Claim("c1", "s2", "The council met."), Claim("c0", "s1", "Lind spoke.")),
        stances=(
            Stance("mara-lind", "port", "support", (Cite("a1", 0, 16), Cite("a2", 0, 16))),
            Stance("port-council", "port", "oppose", (Cite("a3", 17, 38),)),
        ),
        events=(Event("v0", "MEET", Cite("a3", 17, 38)), Event("v1", "SAY", Cite("a0", 0, 16))),
    )


def test_a_story_view_holds_only_its_own_articles_items() -> None:
    from storyline.briefing.view import BriefingView, entity_rows, story_view

    b = _two_story_briefing()
    view = BriefingView(b)
    one, two = (story_view(view, s) for s in b.stories)
    assert [(r.id, r.mentions, r.articles) for r in one.entities] == [
        ("mara-lind", 3, 2),
        ("quiet", 0, 1),
    ]
    assert [(r.id, r.mentions, r.articles) for r in two.entities] == [
        ("mara-lind", 1, 1),
        ("port-council", 1, 1),
    ]
    assert [q.id for g in one.quote_groups for q in g.quotes] == ["q0"]
    assert [q.id for g in two.quote_groups for q in g.quotes] == ["q1", "q2"]
    assert [r.text.text for r in one.alone] == ["Lind spoke."]
    assert [r.text.text for r in two.alone] == ["The council met."]
    assert [e.type for e in one.events] == ["SAY"] and [e.type for e in two.events] == ["MEET"]
    assert one.stance_issues == ["port"] and [actor for actor, _ in two.stance_rows] == [
        "Mara Lind",
        "port council",
    ]
    # The whole store: every mention and article counts once.
    rows = entity_rows(view, {a.id for a in b.articles})
    assert [(r.id, r.mentions, r.articles) for r in rows] == [
        ("mara-lind", 4, 3),
        ("port-council", 1, 1),
        ("quiet", 0, 1),
    ]
