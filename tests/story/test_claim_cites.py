"""Claims cite what a reader can check: a clause or the sentence that holds a quotation, never a
lone word; and two quotations are one claim only when they say the same thing, not a shared date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from story_docs import Encode
from story_docs import article as _article

from storyline.model import Article, Briefing, Cite, Claim, Quote
from storyline.pipeline import run
from storyline.settings import Settings
from storyline.story import claims
from storyline.story.takeaways import takeaways

ENVOY, MINISTER, UNION = "envoy", "minister", "union"


def _quote(article: Article, words: str, speaker: str, kind: str = "indirect") -> Quote:
    start = article.text.index(words)
    cite = Cite(article.id, start, start + len(words))
    return Quote(id=f"q-{article.id}-{start}", cite=cite, text=words, kind=kind, speaker=speaker)


@pytest.fixture(scope="module")
def encode() -> Encode:
    from storyline.annotate.embed import load_embedder

    return load_embedder().encode


def _claims(articles: list[Article], quotes: list[Quote], encode: Encode) -> list[Claim]:
    texts = {a.id: a.text for a in articles}
    groups = claims.group([], quotes, texts, encode)
    return claims.ranked(claims.to_claims(groups, "s-1", articles))


def _cited(articles: list[Article], cite: Cite) -> str:
    return next(a for a in articles if a.id == cite.article).text[cite.start : cite.end]


def test_a_quotation_that_shares_only_a_date_does_not_corroborate_a_claim(encode: Encode) -> None:
    first = _article(
        "a1",
        "post.example",
        "Talks resumed in Brava.",
        "The envoy said the two sides had narrowed their differences on pay and would meet again on Monday.",
    )
    second = _article("a2", "wire.example", "The envoy has called a third round for Monday.")
    quotes = [
        _quote(
            first, "the two sides had narrowed their differences on pay and would meet again on Monday", ENVOY
        ),
        _quote(second, "Monday", ENVOY),  # a parse that took the object of "called ... for" as speech
    ]
    found = _claims([first, second], quotes, encode)
    narrowed = next(c for c in found if "narrowed" in c.text)
    assert narrowed.sources == 1 and narrowed.single_source
    assert [m.article for m in narrowed.mentions] == ["a1"]
    monday = next(c for c in found if c is not narrowed)
    assert monday.text == "The envoy has called a third round for Monday."
    assert monday.mentions == (Cite("a2", 0, len(second.text)),)
    assert not [t for t in takeaways([], found, [], []) if "narrowed" in t.text]


def test_the_same_words_reported_by_two_outlets_are_one_claim_with_two_sources(encode: Encode) -> None:
    first = _article(
        "a1",
        "post.example",
        "The port would reopen within three weeks if the dockers voted for the deal.",
    )
    second = _article("a2", "wire.example", "The port would reopen within three weeks, officials were told.")
    quotes = [
        _quote(first, "The port would reopen within three weeks if the dockers voted for the deal", UNION),
        _quote(second, "The port would reopen within three weeks", UNION),
    ]
    found = _claims([first, second], quotes, encode)
    assert len(found) == 1
    assert found[0].sources == 2
    assert [_cited([first, second], m) for m in found[0].mentions] == [q.text for q in quotes]


def test_a_partial_quotation_is_cited_and_worded_by_its_sentence(encode: Encode) -> None:
    sentence = 'Minister Jo Brandt said the agreement was "costly but right" and thanked the bloc.'
    article = _article("a1", "post.example", "The vote is on Friday.", sentence)
    found = _claims([article], [_quote(article, "costly but right", MINISTER, kind="partial")], encode)
    assert [c.text for c in found] == [sentence]
    start = article.text.index(sentence)
    assert found[0].mentions == (Cite("a1", start, start + len(sentence)),)


def test_a_clause_keeps_its_own_words_and_a_fragment_inside_it_adds_no_second_mention(encode: Encode) -> None:
    sentence = 'Brandt said the cranes would be brought in "in phases" and that no docker would be laid off.'
    article = _article("a1", "post.example", sentence)
    clause = 'the cranes would be brought in "in phases" and that no docker would be laid off'
    quotes = [_quote(article, clause, MINISTER), _quote(article, "in phases", MINISTER, kind="partial")]
    found = _claims([article], quotes, encode)
    assert len(found) == 1
    assert found[0].mentions == (Cite("a1", 0, len(sentence)),)
    assert found[0].text == sentence


def test_two_fragments_of_one_sentence_are_one_claim(encode: Encode) -> None:
    sentence = "Brandt called the levy one of the “root causes” of the strike and the walkout “reckless”."
    article = _article("a1", "post.example", sentence, "Talks resume on Monday.")
    quotes = [
        _quote(article, "root causes", MINISTER, kind="partial"),
        _quote(article, "reckless", MINISTER, kind="partial"),
    ]
    found = _claims([article], quotes, encode)
    assert [(c.text, c.mentions) for c in found] == [(sentence, (Cite("a1", 0, len(sentence)),))]


def test_the_same_short_words_in_two_outlets_stay_one_claim(encode: Encode) -> None:
    first = _article("a1", "post.example", "Brandt described the union's plan as “a non-starter”.")
    second = _article("a2", "wire.example", "The minister called the plan “a non-starter” on Tuesday.")
    quotes = [
        _quote(first, "a non-starter", MINISTER, kind="partial"),
        _quote(second, "a non-starter", MINISTER, kind="partial"),
    ]
    found = _claims([first, second], quotes, encode)
    assert len(found) == 1 and found[0].sources == 2
    assert [_cited([first, second], m) for m in found[0].mentions] == [first.text, second.text]


def test_a_fragment_in_another_speakers_sentence_makes_no_claim(encode: Encode) -> None:
    article = _article("a1", "post.example", "“The less I say in public, the more they can agree,” he said.")
    quotes = [
        _quote(article, "The less I say in public, the more they can agree", ENVOY, kind="direct"),
        _quote(article, "he said", UNION),  # a parse error: the attribution taken for a quotation
    ]
    found = _claims([article], quotes, encode)
    assert [c.actor for c in found] == [ENVOY]


def test_a_clause_long_quotation_keeps_its_exact_words(encode: Encode) -> None:
    article = _article("a1", "post.example", "“Nobody wins while the cranes stand still,” Brandt said.")
    quote = _quote(article, "Nobody wins while the cranes stand still", MINISTER, kind="direct")
    found = _claims([article], [quote], encode)
    assert [(c.text, c.mentions) for c in found] == [(quote.text, (quote.cite,))]


def _short_fragments(briefing: Briefing) -> list[str]:
    """Claim mentions, and the cites of takeaways made from claims, under five words and less than
    a whole sentence of their article."""
    by_id = {a.id: a for a in briefing.articles}
    mentions = {m for c in briefing.claims for m in c.mentions}
    cites = mentions | {
        c for s in briefing.stories for t in s.takeaways if set(t.cites) <= mentions for c in t.cites
    }
    out = []
    for cite in cites:
        article = by_id[cite.article]
        words = article.text[cite.start : cite.end]
        if len(re.findall(r"\w+", words)) < 5 and (cite.start, cite.end) not in set(article.sentences):
            out.append(words)
    return out


def test_demo_claims_and_takeaways_cite_clauses_or_sentences(tmp_path: Path, demo_dir: Path) -> None:
    briefing = run([demo_dir], Settings(db=tmp_path / "s.db")).briefing
    assert _short_fragments(briefing) == []
    # The envoy's "narrowed their differences" is reported by one outlet only: no takeaway claims more.
    narrowed = next(c for c in briefing.claims if "narrowed their differences" in c.text)
    assert narrowed.single_source


def test_seed_claims_and_takeaways_cite_clauses_or_sentences(tmp_path: Path, seeds_dir: Path) -> None:
    briefing = run([seeds_dir], Settings(db=tmp_path / "s.db")).briefing
    assert briefing.claims
    assert _short_fragments(briefing) == []
