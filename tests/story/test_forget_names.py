"""The name caches are emptied once a store's identities are resolved, and give the same answers after."""

from __future__ import annotations

import pytest

from storyline.briefing import corpus
from storyline.model import Annotation, Article, Mention
from storyline.settings import Settings
from storyline.story import identities, identity_index, places
from storyline.story.identity_index import (
    acronym,
    forget_names,
    person_words,
    plain_marks,
    skeleton,
    surface_key,
    title_gender,
    words_of,
)

CACHED = (plain_marks, surface_key, words_of, person_words, title_gender, skeleton, acronym, places.place)
NAMES = ["President Ronald Reagan", "Mrs O’Brien", "Sergei Lavrov", "Northern Littoral Union", "Paris"]


def answers() -> list[object]:
    return [fn(name) for fn in CACHED for name in NAMES]


def test_forget_names_empties_every_cache_and_answers_stay_the_same() -> None:
    before = answers()
    assert all(fn.cache_info().currsize > 0 for fn in CACHED)
    forget_names()
    assert [fn.cache_info().currsize for fn in CACHED] == [0] * len(CACHED)
    assert answers() == before


def test_the_corpus_stage_leaves_the_name_caches_empty() -> None:
    text = "Ronald Reagan met Sergei Lavrov in Paris. Reagan said the talks went well."
    mentions = [
        Mention(0, 13, "Ronald Reagan", "PERSON"),
        Mention(18, 31, "Sergei Lavrov", "PERSON"),
        Mention(35, 40, "Paris", "GPE"),
        Mention(42, 48, "Reagan", "PERSON"),
    ]
    articles = [Article(id=f"a{n}", source=f"a{n}.txt", title="Talks", text=text) for n in range(2)]
    annotations = {a.id: Annotation(article=a.id, mentions=tuple(mentions)) for a in articles}
    found = corpus.find(articles, corpus.HeldAnnotations(annotations), Settings(), None)
    try:
        names = {e.name for e in found.entities}
        assert {"Ronald Reagan", "Sergei Lavrov", "Paris"} <= names
        assert identity_index.surface_key.cache_info().currsize == 0
        assert places.place.cache_info().currsize == 0
    finally:
        found.close()


def test_reading_the_corpus_stage_back_leaves_the_name_caches_empty() -> None:
    """A re-run files the cached entities under their name keys (which fills the caches) and
    empties them again."""

    class Cache(dict[str, str]):
        def story_results(self, keys):  # type: ignore[no-untyped-def]
            return {k: self[k] for k in keys if k in self}

        def put_story_results(self, items):  # type: ignore[no-untyped-def]
            self.update(items)

        def drop_story_results(self, prefix, keep):  # type: ignore[no-untyped-def]
            for key in [k for k in self if k.startswith(prefix) and k not in keep]:
                del self[key]

    text = "Ronald Reagan met Sergei Lavrov in Paris."
    mentions = (Mention(0, 13, "Ronald Reagan", "PERSON"), Mention(18, 31, "Sergei Lavrov", "PERSON"))
    articles = [Article(id="a0", source="a0.txt", title="Talks", text=text)]
    source = corpus.HeldAnnotations({"a0": Annotation(article="a0", mentions=mentions)})
    cache = Cache()
    corpus.find(articles, source, Settings(), cache).close()
    read = corpus.find(articles, source, Settings(), cache)  # from the cache
    try:
        assert {e.name for e in read.entities} == {"Ronald Reagan", "Sergei Lavrov"}
        assert identity_index.surface_key.cache_info().currsize == 0
        assert identity_index.words_of.cache_info().currsize == 0
    finally:
        read.close()


def test_each_family_of_names_is_merged_with_the_caches_emptied_of_the_families_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Resolution asks the name functions about one family's names at a time: what it cached about
    the organisations is gone when the people are merged (it would only sit under their peak)."""
    words = "Amber Birch Cobalt Delta Falcon Granite Harbor Indigo Juniper Kestrel Lumen Meridian"
    words += " Nimbus Onyx Pioneer Quartz Raven Summit Tundra Vertex Willow Xenon Yarrow Zephyr"
    orgs = [f"{word} Holdings" for word in words.split()]
    text = ". ".join(orgs) + ". Ronald Reagan spoke."
    mentions, at = [], 0
    for name in orgs:  # met first: the organisations are merged before the people
        mentions.append(Mention(at, at + len(name), name, "ORG"))
        at += len(name) + 2
    mentions.append(Mention(at, at + 13, "Ronald Reagan", "PERSON"))
    assert text[at : at + 13] == "Ronald Reagan"
    cached_when_people_merge: list[int] = []
    real = identities.merge_people

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        cached_when_people_merge.append(surface_key.cache_info().currsize)
        return real(*args, **kwargs)

    monkeypatch.setattr(identities, "merge_people", spy)
    found = identities.resolve([identities.ArticleMentions("a0", text, tuple(mentions))])
    assert {e.name for e in found.entities} == {*orgs, "Ronald Reagan"}
    assert cached_when_people_merge == [0]
