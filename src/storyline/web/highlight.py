"""The article view's text: cut at every quote, entity mention, cite and heading, each run tagged.

The cutting is `render_html.text_pieces` (the static briefing's own); this module only passes it the
entity mentions and the requested span as extra cites, then tags each run with the entity it
mentions, the claim it states and whether it is the span a link asked to show. The template
escapes every run. Runs carry the text as shown (`render_html.shown_text`: hard-wrapped text
reflowed), as long as the article's, so a run's `start` is its offset in `article.text`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from storyline.briefing.render_html import text_pieces
from storyline.model import Article, Cite, Claim
from storyline.web.state import Snapshot


@dataclass(frozen=True)
class Run:
    """A run of article text with one look; `entity` is the id of the entity it mentions, if any."""

    text: str
    start: int
    anchors: tuple[str, ...]
    speaker: str | None  # CSS class of the quote's speaker colour
    label: str  # the quote's tooltip
    heading: bool
    entity: str | None
    entity_type: str | None
    target: bool
    claim: str | None = None  # id of the claim these words state
    claim_look: str = ""  # CSS class: agreed | alone | disputed
    claim_label: str = ""  # the claim's tooltip


def article_runs(snap: Snapshot, article: Article, target: Cite | None) -> list[Run]:
    """The article's text as runs, in order; joined, their texts are `shown_text(article)`: the
    article's text, with the line breaks of hard-wrapped text that are only wraps shown as spaces."""
    mentions = snap.mentions_by_article.get(article.id, [])
    cites = set(snap.cited.get(article.id, set()))
    cites.update(cite for cite, _ in mentions)
    if target is not None:
        cites.add(target)
    quotes = snap.quotes_by_article.get(article.id, [])
    runs = []
    start = 0
    claims = snap.claims_by_article.get(article.id, [])
    for piece in text_pieces(snap.view, article, quotes, cites):
        entity = _mention_at(mentions, start)
        claim = _claim_at(claims, start)
        runs.append(
            Run(
                text=piece.text,
                start=start,
                anchors=piece.anchors,
                speaker=piece.speaker,
                label=piece.label,
                heading=piece.heading,
                entity=entity,
                entity_type=snap.view.entities[entity].type if entity in snap.view.entities else None,
                target=target is not None and target.start <= start < target.end,
                claim=claim.id if claim else None,
                claim_look=claim_look(claim, snap.disputed) if claim else "",
                claim_label=claim_label(claim, snap.disputed) if claim else "",
            )
        )
        start += len(piece.text)
    return runs


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    heading: bool  # every run of it is heading text


def paragraphs(runs: list[Run]) -> list[Paragraph]:
    """The runs split at line breaks: one paragraph per non-empty line, the newlines dropped. The
    wraps of hard-wrapped text are spaces by now, so there a paragraph is a paragraph, not a line.

    A quote or mention that spans a line break is cut in two, each half keeping its look; anchors
    on a newline move to the next words so that links still land.
    """
    lines: list[list[Run]] = [[]]
    pending: tuple[str, ...] = ()
    for run in runs:
        offset = run.start
        pending += run.anchors
        for number, part in enumerate(run.text.split("\n")):
            if number:
                lines.append([])
            if part:
                lines[-1].append(replace(run, text=part, start=offset, anchors=pending))
                pending = ()
            offset += len(part) + 1
    return [Paragraph(tuple(line), all(r.heading for r in line)) for line in lines if line]


def parse_span(value: str | None, article: Article) -> Cite | None:
    """`"start-end"` from a link, as a cite inside the article; anything else is ignored."""
    if not value:
        return None
    first, _, last = value.partition("-")
    if not (first.isdigit() and last.isdigit()):
        return None
    start, end = int(first), int(last)
    if not 0 <= start < end <= len(article.text):
        return None
    return Cite(article.id, start, end)


def _mention_at(mentions: list[tuple[Cite, str]], offset: int) -> str | None:
    # The shortest mention wins where mentions nest ("Port Authority" inside a longer name).
    covering = [(c.end - c.start, entity) for c, entity in mentions if c.start <= offset < c.end]
    return min(covering)[1] if covering else None


def claim_look(claim: Claim, disputed: set[str]) -> str:
    if claim.id in disputed:
        return "disputed"
    return "alone" if claim.single_source else "agreed"


def claim_label(claim: Claim, disputed: set[str]) -> str:
    said = "denied" if claim.polarity == "deny" else "claimed"
    sources = "only this source" if claim.single_source else f"{claim.sources} sources"
    return f"{said} · {sources}" + (" · disputed by another source" if claim.id in disputed else "")


def _claim_at(claims: list[tuple[Cite, Claim]], offset: int) -> Claim | None:
    # As for mentions, the shortest claim wins where two claims' mentions overlap.
    covering = [(c.end - c.start, claim.id, claim) for c, claim in claims if c.start <= offset < c.end]
    return min(covering, key=lambda item: item[:2])[2] if covering else None
