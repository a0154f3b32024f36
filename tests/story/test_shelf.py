"""Shelves (storyline.story.shelf): dicts and lists whose values wait in SQLite but for the ones used
last; and identity resolution, which keeps its state per name on them, resolving the same whatever
they hold in memory."""

from __future__ import annotations

import random
import sqlite3

import pytest

from storyline.model import Mention
from storyline.story import name_evidence, shelf
from storyline.story.identities import ArticleMentions, resolve
from storyline.story.shelf import Shelf, ShelfList


@pytest.mark.parametrize("capacity", [1, 2, 5])
def test_a_shelf_gives_what_a_dict_would_under_random_use(capacity: int) -> None:
    rng = random.Random(capacity)
    conn = sqlite3.connect(":memory:")
    shelved: Shelf[tuple[str, int], list[int]] = Shelf(conn, capacity, encode=repr)
    plain: dict[tuple[str, int], list[int]] = {}
    for step in range(3_000):
        key = ("k", rng.randrange(40))
        action = rng.random()
        if action < 0.3:
            shelved[key] = plain[key] = [step]
        elif action < 0.6:
            # A value taken is changed before the next is taken: the change must not be lost.
            shelved.setdefault(key, list).append(step)
            plain.setdefault(key, []).append(step)
        else:
            assert shelved.get(key) == plain.get(key)
            assert (key in shelved) == (key in plain)
    assert all(shelved[key] == value for key, value in plain.items())
    with pytest.raises(KeyError):
        shelved[("k", -1)]


def test_a_shelf_writes_the_values_it_pushes_out_to_its_table() -> None:
    conn = sqlite3.connect(":memory:")
    shelved: Shelf[int, str] = Shelf(conn, capacity=3)
    for n in range(5_000):
        shelved[n] = f"value {n}"
    (table,) = conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'shelf%'").fetchone()
    assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= 4_000
    assert [shelved[n] for n in (0, 2_500, 4_999)] == ["value 0", "value 2500", "value 4999"]
    with pytest.raises(ValueError, match="at least one"):
        Shelf(conn, capacity=0)


def test_a_shelf_list_appends_and_reads_back_in_order() -> None:
    items: ShelfList[dict[str, int]] = ShelfList(sqlite3.connect(":memory:"), capacity=2)
    for n in range(50):
        items.append({"n": n})
        items[n]["twice"] = 2 * n
    assert len(items) == 50
    assert [item["twice"] for item in items] == list(range(0, 100, 2))
    with pytest.raises(IndexError):
        items[50]


# --- identity resolution on shelves ----------------------------------------------------------------

# Spellings of a few people, organisations and places, with the labels a small NER model gives them.
_NAMES = [
    ("Sergei Lavrov", "PERSON"),
    ("Sergey Lavrov", "PERSON"),
    ("Lavrov", "PERSON"),
    ("Lavrov", "ORG"),
    ("Mr Lavrov", "PERSON"),
    ("Donald Regan", "PERSON"),
    ("Reagan", "PERSON"),
    ("President Reagan", "PERSON"),
    ("Mrs Reagan", "PERSON"),
    ("Regan", "PERSON"),
    ("Olga Karimova", "PERSON"),
    ("Islam Karimov", "PERSON"),
    ("Karimov", "PERSON"),
    ("David Lange", "PERSON"),
    ("David Liang", "PERSON"),
    ("Lange", "PERSON"),
    ("Northern Littoral Union", "ORG"),
    ("NLU", "PERSON"),
    ("NLU", "ORG"),
    ("Hallorsen Shipping", "PERSON"),
    ("Velport", "GPE"),
    ("Velport", "PERSON"),
    ("Velport Courier", "ORG"),
    ("Kyiv", "GPE"),
    ("Kiev", "GPE"),
    ("Moscow", "GPE"),
    ("Transport", "ORG"),
]
_FILLER = ["said on Monday in", "met the transport chiefs of", "told reporters that", "and"]


def _corpus(seed: int, count: int) -> tuple[list[ArticleMentions], dict[str, int]]:
    rng = random.Random(seed)
    articles = []
    for n in range(count):
        text, mentions = "", []
        for _ in range(rng.randint(2, 8)):
            name, label = rng.choice(_NAMES)
            if rng.random() < 0.1:
                text += f"{name.lower()} spoke, "  # a case slip, no mention
            mentions.append(Mention(len(text), len(text) + len(name), name, label))
            text += f"{name} {rng.choice(_FILLER)} "
        articles.append(ArticleMentions(f"a{n:03d}", text.strip() + ".", mentions))
    return articles, {a.article: rng.randrange(4) for a in articles}


def test_identities_are_the_same_whatever_the_shelves_hold_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    articles, story_of = _corpus(7, 120)
    held = resolve(articles, story_of).entities
    monkeypatch.setattr(shelf, "CAPACITY", 1)
    monkeypatch.setattr(name_evidence, "_BUFFERED", 0)  # the tallies written after every article
    monkeypatch.setattr(name_evidence, "_REMEMBER", 1)
    shelved = resolve(articles, story_of).entities
    assert shelved == held
    # Not a trivial case: many entities (each shelf held one), the acronym and the case slips found.
    by_name = {e.name: e for e in held}
    assert len(by_name) >= 10
    assert "NLU" in by_name["Northern Littoral Union"].variants
    assert "lavrov" in by_name["Sergey Lavrov"].variants


def test_the_case_slips_of_the_names_written_most_are_kept_when_there_are_too_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conn = sqlite3.connect(":memory:")
    evidence = name_evidence.Evidence(conn)
    rare, common = "Ilse Marrow", "Osvald Brenick"
    for times, name in ((2, rare), (5, common), (3, "Kesra Dunmore")):
        for _ in range(times):
            evidence.read(f"{name} spoke.", [Mention(0, len(name), name, "PERSON")])
    assert [name for name, _ in evidence.frequent()] == [rare, common, "Kesra Dunmore"]
    monkeypatch.setattr(name_evidence, "_KNOWN_AT_MOST", 2)
    assert [name for name, _ in evidence.frequent()] == [common, "Kesra Dunmore"]
