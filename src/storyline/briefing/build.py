"""Assemble the `Briefing` from stored articles and annotations: the story-level stages run here.

Order: near-duplicates, stories, canonical entities (across the whole run, so one person is one
entity in every story), quotes with their speakers, then per story the timeline and the summary.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from storyline._version import __version__
from storyline.annotate import is_english
from storyline.model import (
    Annotation,
    Article,
    Attribution,
    Briefing,
    Cite,
    Claim,
    Conflict,
    DateMention,
    Entity,
    Event,
    InputFailure,
    Inputs,
    Quote,
    Stance,
    Story,
    StoryTocEntry,
    Tool,
)
from storyline.settings import Settings
from storyline.story import (
    claims,
    cluster,
    conflicts,
    dedupe,
    faq,
    identities,
    signals,
    stances,
    summary,
    takeaways,
    timeline,
)

STORY_SECTIONS = (
    ("Key takeaways", "takeaways"),
    ("Summary", "summary"),
    ("Questions and answers", "faq"),
    ("People and organisations", "entities"),
    ("Who said what", "quotes"),
    ("Timeline", "timeline"),
    ("Where the sources agree, differ, stand alone", "claims"),
    ("Stances", "stances"),
    ("Sources", "sources"),
)


def build(
    articles: Sequence[Article],
    annotations: Mapping[str, Annotation],
    failures: Sequence[InputFailure],
    settings: Settings,
) -> Briefing:
    duplicates = dedupe.find_duplicates(articles)
    articles = [_with_sentences(a, annotations.get(a.id), duplicates.get(a.id)) for a in articles]
    found = identities.resolve(
        [
            identities.ArticleMentions(a.id, a.text, annotations[a.id].mentions, annotations[a.id].roles)
            for a in articles
            if a.id in annotations
        ]
    )
    quotes = _quotes(articles, annotations, found)
    events = _events(articles, annotations, found)
    labels = cluster.cluster(
        [f"{a.title or ''}\n{a.text}" for a in articles],
        settings.cluster_threshold,
        entities=[cluster.entity_strings(annotations.get(a.id)) for a in articles],
        published=[a.published for a in articles],
    )
    stories: list[Story] = []
    comparison = _Comparison()
    groups_of = stances.actor_groups(found.entities, {a.id: a.text for a in articles})
    names = {e.id: e.name for e in found.entities}
    for label in sorted(set(labels)):
        members = [a for a, lab in zip(articles, labels, strict=True) if lab == label]
        story = _story(members, annotations, found, settings)
        found_claims, found_conflicts, found_stances = _compare(
            story, members, annotations, found, quotes, groups_of
        )
        comparison.claims.extend(found_claims)
        comparison.conflicts.extend(found_conflicts)
        comparison.stances.extend(found_stances)
        story = replace(
            story,
            takeaways=takeaways.takeaways(
                story.summary, found_claims, found_conflicts, story.timeline, names
            ),
            faq=faq.faq(members, found_stances, found_claims, found_conflicts, story.timeline, names),
        )
        stories.append(story)
    briefing = Briefing(
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        tool=Tool(name="storyline", version=__version__, stages=stage_versions()),
        inputs=Inputs(ok=len(articles), failed=tuple(failures)),
        articles=tuple(articles),
        entities=found.entities,
        quotes=tuple(quotes),
        stories=tuple(stories),
        claims=tuple(comparison.claims),
        conflicts=tuple(comparison.conflicts),
        stances=tuple(comparison.stances),
        events=tuple(events),
    )
    # Signals read the finished briefing: other sources' titles, spellings and quoted names.
    return replace(briefing, signals=signals.compute(briefing))


class _Comparison:
    """What the per-story comparison adds up to across stories."""

    def __init__(self) -> None:
        self.claims: list[Claim] = []
        self.conflicts: list[Conflict] = []
        self.stances: list[Stance] = []


def _compare(
    story: Story,
    members: Sequence[Article],
    annotations: Mapping[str, Annotation],
    found: identities.Identities,
    quotes: Sequence[Quote],
    groups_of: Mapping[str, str],
) -> tuple[list[Claim], list[Conflict], list[Stance]]:
    """Claims with their independent sources, the conflicts and the stance matrix of one story."""
    from storyline.annotate.embed import load_embedder

    encode = load_embedder().encode
    ids = {a.id for a in members}
    originals = {a.id for a in members if a.duplicate_of is None}
    story_quotes = [q for q in quotes if q.cite.article in originals]
    positions = stances.positions(members, annotations, found, encode)
    texts = {a.id: a.text for a in members}
    groups = claims.group(positions, story_quotes, texts, encode, groups_of)
    story_claims = claims.to_claims(groups, story.id, members)
    claim_ids = {(g.actor, g.issue, g.stance): c.id for g, c in zip(groups, story_claims, strict=True)}
    story_entities = [e for e in found.entities if ids & set(e.articles)]
    story_conflicts = conflicts.find(
        story.id, members, annotations, positions, claim_ids, story_quotes, story_entities, groups_of, encode
    )
    story_conflicts, figure_claims = claims.for_conflict_sides(story_conflicts, story.id, members)
    return claims.ranked([*story_claims, *figure_claims]), story_conflicts, stances.matrix(positions)


def stage_versions() -> tuple[str, ...]:
    from storyline.annotate import dates, entities, events, quotes
    from storyline.clean.article import CLEAN_VERSION

    return (
        CLEAN_VERSION,
        entities.ENTITIES_VERSION,
        quotes.QUOTES_VERSION,
        dates.DATES_VERSION,
        events.EVENTS_VERSION,
        dedupe.DEDUPE_VERSION,
        cluster.CLUSTER_VERSION,
        identities.IDENTITIES_VERSION,
        stances.STANCES_VERSION,
        signals.SIGNALS_VERSION,
        claims.CLAIMS_STORY_VERSION,
        timeline.TIMELINE_VERSION,
        summary.SUMMARY_VERSION,
    )


def _with_sentences(article: Article, ann: Annotation | None, duplicate_of: str | None) -> Article:

    return replace(article, sentences=ann.sentences if ann else (), duplicate_of=duplicate_of)


def _quotes(
    articles: Sequence[Article], annotations: Mapping[str, Annotation], found: identities.Identities
) -> list[Quote]:
    out = []
    for article in articles:
        ann = annotations.get(article.id)
        for attr in ann.attributions if ann else ():
            out.append(_quote(article, attr, found))
    return out


def _quote(article: Article, attr: Attribution, found: identities.Identities) -> Quote:
    speaker = None
    if attr.speaker_start is not None and attr.speaker_end is not None:
        speaker = found.entity_at(article.id, attr.speaker_start, attr.speaker_end)
        if speaker is None:
            # NER missed the name at this spot (a bare surname, say); match it against known names.
            speaker = found.find_by_name(article.text[attr.speaker_start : attr.speaker_end], article.id)
    cue_cite = None
    if attr.cue_start is not None and attr.cue_end is not None:
        cue_cite = Cite(article.id, attr.cue_start, attr.cue_end)
    digest = hashlib.sha1(f"{article.id}:{attr.start}:{attr.end}".encode()).hexdigest()[:12]
    return Quote(
        id=f"q-{digest}",
        cite=Cite(article.id, attr.start, attr.end),
        text=article.text[attr.start : attr.end],
        kind=attr.kind,
        speaker=speaker,
        speaker_text=attr.speaker_text,
        cue=attr.cue,
        cue_cite=cue_cite,
        resolved_by=attr.resolved_by if speaker else "none",
    )


def _events(
    articles: Sequence[Article], annotations: Mapping[str, Annotation], found: identities.Identities
) -> list[Event]:
    """Events with their actors as canonical entities and the date their sentence gives, if any."""
    out = []
    for article in articles:
        ann = annotations.get(article.id)
        if ann is None or article.duplicate_of is not None:
            continue
        for ev in ann.events:
            dates = [d.value for d in ann.dates if ev.sentence_start <= d.start < ev.sentence_end and d.value]
            digest = hashlib.sha1(f"{article.id}:{ev.sentence_start}:{ev.type}".encode()).hexdigest()[:12]
            out.append(
                Event(
                    id=f"ev-{digest}",
                    type=ev.type,
                    source=_actor(article, found, ev.source_start, ev.source_end),
                    target=_actor(article, found, ev.target_start, ev.target_end),
                    date=dates[0] if dates else None,
                    cite=Cite(article.id, ev.sentence_start, ev.sentence_end),
                )
            )
    return out


def _actor(article: Article, found: identities.Identities, start: int | None, end: int | None) -> str | None:
    if start is None or end is None:
        return None
    return found.entity_at(article.id, start, end) or found.find_by_name(article.text[start:end], article.id)


def _story(
    members: Sequence[Article],
    annotations: Mapping[str, Annotation],
    found: identities.Identities,
    settings: Settings,
) -> Story:
    ids = tuple(a.id for a in members)
    entries = timeline.build(
        [
            (a.id, a.text, a.published, _time_points(a, annotations[a.id]))
            for a in members
            if a.id in annotations
        ]
    )
    # The summary is in English: sentences of articles in other languages are not candidates.
    originals = [a for a in members if a.duplicate_of is None and is_english(a)]
    top = _top_actors(members, found.entities)
    passages = summary.summarize_articles(
        originals, annotations, found, top, settings.summary_sentences, settings.summary_words
    )
    digest = hashlib.sha1(":".join(sorted(ids)).encode()).hexdigest()[:10]
    return Story(
        id=f"s-{digest}",
        title=_title(members, found.entities),
        articles=ids,
        summary=passages,
        toc=tuple(StoryTocEntry(title=t, anchor=a) for t, a in STORY_SECTIONS),
        timeline=entries,
    )


def _time_points(article: Article, ann: Annotation) -> tuple[DateMention, ...]:
    return (*ann.dates, *timeline.named_events(article.text, ann.sentences, ann.dates))


def _top_actors(members: Sequence[Article], entities: Sequence[Entity]) -> list[str]:
    ids = {a.id for a in members}
    counts = Counter()
    for ent in entities:
        if ent.type in {"PERSON", "ORG", "GPE"}:
            counts[ent.id] = sum(1 for m in ent.mentions if m.article in ids)
    return [e for e, n in counts.most_common(8) if n > 0]


def _title(members: Sequence[Article], entities: Sequence[Entity]) -> str:
    """The title of the story's most typical article (sharing most of the top actors), else the actors."""
    ids = {a.id for a in members}
    ranked = sorted(
        (e for e in entities if e.type in {"PERSON", "ORG", "GPE"}),
        key=lambda e: -sum(1 for m in e.mentions if m.article in ids),
    )[:5]

    def shared(article: Article) -> int:
        return sum(1 for e in ranked if article.id in e.articles)

    titled = [a for a in members if a.title and a.duplicate_of is None]
    if titled:
        return max(titled, key=lambda a: (shared(a), -members.index(a))).title or ""
    names = [e.name for e in ranked[:3]]
    return ", ".join(names) if names else (members[0].text.split("\n", 1)[0][:80])
