"""Identity resolution out of a spool on disk (storyline.story.identity_spool): the entities come
out one at a time, in their order, with the mentions, articles and roles resolution gave them."""

from __future__ import annotations

from storyline.model import Mention, RoleMention
from storyline.story.identities import ArticleMentions, resolve, resolve_spooled
from storyline.story.identity_spool import MentionSpool


def _m(text: str, body: str, label: str = "PERSON", nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return Mention(start, start + len(text), text, label)


def _role(role: str, body: str, person: Mention) -> RoleMention:
    start = body.index(role)
    return RoleMention(start, start + len(role), role, person.start, person.end)


B = "Harbour master Ansel Marek closed the quay. Marek said the crane fell in Velport."
A = "Velport port director Ansel Marek spoke to the Velport Courier. Marek was calm."


def _articles() -> list[ArticleMentions]:
    b_full, a_full = _m("Ansel Marek", B), _m("Ansel Marek", A)
    # Run order b, a: roles follow it, mentions and articles are listed by article id.
    return [
        ArticleMentions(
            "b",
            B,
            [b_full, _m("Marek", B, nth=1), _m("Velport", B, "GPE")],
            [_role("Harbour master", B, b_full)],
        ),
        ArticleMentions(
            "a",
            A,
            [_m("Velport", A, "GPE"), a_full, _m("Velport Courier", A, "ORG"), _m("Marek", A, nth=1)],
            # The role's person span is inside the mention: the mention holding its start owns it.
            [
                RoleMention(
                    A.index("port director"),
                    A.index("port director") + 13,
                    "port director",
                    a_full.start + 6,
                    a_full.end,
                )
            ],
        ),
    ]


def test_the_entities_of_a_spool_are_those_resolve_gives_in_their_order() -> None:
    articles = _articles()
    spool = MentionSpool()
    try:
        for art in articles:
            spool.add(art.article, art.mentions, art.roles)
        streamed = list(resolve_spooled(spool, lambda: (a.text for a in articles), {"b": 0, "a": 0}))
    finally:
        spool.close()
    assert tuple(streamed) == resolve(articles, {"b": 0, "a": 0}).entities
    person = streamed[0]
    assert (person.name, person.type, person.articles) == ("Ansel Marek", "PERSON", ("a", "b"))
    assert [c.article for c in person.mentions] == ["a", "a", "b", "b"]
    assert [(r.role, r.cite.article) for r in person.roles] == [
        ("Harbour master", "b"),
        ("port director", "a"),
    ]
    assert [e.name for e in streamed] == ["Ansel Marek", "Velport Courier", "Velport"]


def test_a_mention_spooled_twice_is_one_mention_of_its_entity() -> None:
    body = "Liesl Varga opened the library."
    varga = _m("Liesl Varga", body)
    (entity,) = resolve([ArticleMentions("a", body, [varga, varga])]).entities
    assert [(c.start, c.end) for c in entity.mentions] == [(0, 11)]


def test_a_spool_reads_each_article_with_its_own_mentions_and_removes_its_file() -> None:
    spool = MentionSpool()
    spool.add("x", [Mention(0, 4, "Oslo", "GPE")])
    spool.add("y", [])
    spool.add("z", [Mention(5, 9, "Bern", "GPE")])
    read = [
        (n, article, text, [m.text for m in ms]) for n, article, text, ms in spool.articles(["X", "Y", "Z"])
    ]
    assert read == [(0, "x", "X", ["Oslo"]), (1, "y", "Y", []), (2, "z", "Z", ["Bern"])]
    assert len(spool) == 3
    folder = spool.path.parent
    assert folder.exists()
    spool.close()
    assert not folder.exists()
