"""What the sources say against each other, laid out for the pages: claims, conflicts, stances.

`claim_board` sorts one story's claims into corroborated and single-source ones and gives each
conflict its sides with the cited words; `stance_matrix` turns the stances of one story's
articles into an actor x issue grid whose cells keep every stance and its evidence. Pure
functions of the briefing's view: the routes render them and serve them as JSON.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storyline.briefing.render import anchor_id
from storyline.briefing.view import BriefingView, SourceRef
from storyline.model import Cite, Claim, Conflict, ConflictSide, Stance

STANCES = ("support", "oppose", "conditional", "mixed")


@dataclass(frozen=True)
class ClaimCard:
    id: str
    story: str
    anchor: str  # the card's id on the claims page
    text: str
    polarity: str  # assert | deny
    actor: str | None  # entity id
    actor_name: str | None
    sources: int
    single_source: bool
    sites: tuple[str, ...]  # each outlet once, in the order the mentions cite them
    evidence: tuple[SourceRef, ...]
    disputed: bool  # a side of some conflict of the story


@dataclass(frozen=True)
class SideCard:
    kind: str  # claim | quote | entity
    ref: str
    who: str  # the actor, speaker or entity the side stands for
    who_id: str | None  # its entity id, when it has one
    text: str | None  # the claim's or the quote's words (None for an entity side)
    anchor: str | None  # where the side's claim sits on the claims page
    evidence: tuple[SourceRef, ...]


@dataclass(frozen=True)
class ConflictCard:
    id: str
    anchor: str
    kind: str
    summary: str
    sides: tuple[SideCard, ...]


@dataclass(frozen=True)
class ClaimBoard:
    agree: tuple[ClaimCard, ...]  # two or more independent sources, most sources first
    alone: tuple[ClaimCard, ...]  # one source only
    conflicts: tuple[ConflictCard, ...]
    alone_by_site: tuple[tuple[str, int], ...]  # outlet, how many claims only it makes

    @property
    def empty(self) -> bool:
        return not (self.agree or self.alone or self.conflicts)


@dataclass(frozen=True)
class StanceCell:
    issue: str
    anchor: str
    stances: tuple[tuple[str, tuple[SourceRef, ...]], ...]  # each stance taken, with its evidence

    @property
    def label(self) -> str:
        """One word for the cell: the stance, or "mixed" when the sources report different ones."""
        kinds = {stance for stance, _ in self.stances}
        return kinds.pop() if len(kinds) == 1 else "mixed"

    @property
    def cites(self) -> int:
        return sum(len(refs) for _, refs in self.stances)


@dataclass(frozen=True)
class StanceRow:
    actor: str
    name: str
    type: str | None
    cells: tuple[StanceCell | None, ...]  # one per issue of the matrix


@dataclass(frozen=True)
class StanceMatrix:
    issues: tuple[str, ...]
    rows: tuple[StanceRow, ...]


def claim_board(view: BriefingView, story_id: str) -> ClaimBoard:
    """The story's claims and conflicts, each with the words its sources use."""
    conflicts = [view.briefing.conflicts[n] for n in view.index.conflicts.get(story_id, ())]
    disputed = {s.ref for c in conflicts for s in c.sides if s.kind == "claim"}
    claims = (view.briefing.claims[n] for n in view.index.claims.get(story_id, ()))
    cards = [claim_card(view, c, c.id in disputed) for c in claims]
    agree = sorted((c for c in cards if not c.single_source), key=lambda c: -c.sources)
    alone = [c for c in cards if c.single_source]
    by_site = Counter(site for c in alone for site in c.sites[:1])
    return ClaimBoard(
        tuple(agree),
        tuple(alone),
        tuple(conflict_card(view, c) for c in conflicts),
        tuple(sorted(by_site.items(), key=lambda kv: (-kv[1], kv[0].casefold()))),
    )


def claim_card(view: BriefingView, claim: Claim, disputed: bool = False) -> ClaimCard:
    evidence = tuple(view.ref(c) for c in claim.mentions)
    return ClaimCard(
        id=claim.id,
        story=claim.story,
        anchor=claim_anchor(claim.id),
        text=claim.text,
        polarity=claim.polarity,
        actor=claim.actor,
        actor_name=view.entity_name(claim.actor),
        sources=claim.sources,
        single_source=claim.single_source,
        sites=tuple(dict.fromkeys(ref.site for ref in evidence)),
        evidence=evidence,
        disputed=disputed,
    )


def claim_anchor(claim_id: str) -> str:
    return anchor_id("claim", claim_id)


def conflict_card(view: BriefingView, conflict: Conflict) -> ConflictCard:
    sides = tuple(side_card(view, s) for s in conflict.sides)
    return ConflictCard(
        conflict.id, anchor_id("conflict", conflict.id), conflict.kind, conflict.summary, sides
    )


def side_card(view: BriefingView, side: ConflictSide) -> SideCard:
    evidence = tuple(view.ref(c) for c in side.cites)
    if side.kind == "claim" and side.ref in view.claims:
        claim = view.claims[side.ref]
        who = view.entity_name(claim.actor) or "unattributed claim"
        return SideCard(side.kind, side.ref, who, claim.actor, claim.text, claim_anchor(claim.id), evidence)
    if side.kind == "quote" and side.ref in view.quotes:
        quote = view.quotes[side.ref]
        who = view.entity_name(quote.speaker) or quote.speaker_text or "unattributed quote"
        return SideCard(side.kind, side.ref, who, quote.speaker, quote.text, None, evidence)
    entity = view.entities.get(side.ref)
    if entity is not None:  # an entity side: a role conflict
        return SideCard(side.kind, side.ref, entity.name, entity.id, None, None, evidence)
    # A ref the briefing does not hold (or none): the side is who wrote its cited words.
    sites = ", ".join(dict.fromkeys(ref.site for ref in evidence))
    return SideCard(side.kind, side.ref, sites or side.ref or side.kind, None, None, None, evidence)


def stance_matrix(view: BriefingView, articles: set[str] | None = None) -> StanceMatrix:
    """Actors x issues. A stance counts for the given articles when one of its cites lies in them.

    Issues are ordered by how many actors take a position on them, actors by how many issues they
    take one on, so the dense corner of the grid comes first.
    """
    if articles is None:
        stances = list(view.briefing.stances)
    else:
        stances = [view.briefing.stances[n] for n in view.index.positions(view.index.stances, articles)]
    cells: dict[tuple[str, str], list[Stance]] = {}
    for stance in stances:
        cells.setdefault((stance.actor, stance.issue), []).append(stance)
    actor_count = Counter(actor for actor, _ in cells)
    issues = issue_order(stances)
    names = {a: view.entity_name(a) or a for a in actor_count}
    actors = sorted(actor_count, key=lambda a: (-actor_count[a], names[a].casefold()))
    rows = []
    for actor in actors:
        entity = view.entities.get(actor)
        row = tuple(_cell(view, actor, issue, cells.get((actor, issue), [])) for issue in issues)
        rows.append(StanceRow(actor, names[actor], entity.type if entity else None, row))
    return StanceMatrix(tuple(issues), tuple(rows))


def _cell(view: BriefingView, actor: str, issue: str, stances: list[Stance]) -> StanceCell | None:
    if not stances:
        return None
    # Stances of one actor on one issue from several articles: grouped by stance, each cite once.
    grouped: dict[str, dict[Cite, None]] = {}
    for stance in stances:
        grouped.setdefault(stance.stance, {}).update(dict.fromkeys(stance.cites))
    ordered = sorted(
        grouped.items(), key=lambda kv: STANCES.index(kv[0]) if kv[0] in STANCES else len(STANCES)
    )
    refs = tuple((kind, tuple(view.ref(c) for c in cites)) for kind, cites in ordered)
    return StanceCell(issue, anchor_id("stance", actor, issue), refs)


def issue_order(stances: Iterable[Stance]) -> tuple[str, ...]:
    """Issues by how many actors take a position on them, then by name: the matrix's columns."""
    pairs = dict.fromkeys((s.actor, s.issue) for s in stances)  # first-seen order breaks ties
    issue_count = Counter(issue for _, issue in pairs)
    return tuple(sorted(issue_count, key=lambda i: (-issue_count[i], i.casefold())))


def actor_stances(
    view: BriefingView, actor: str, issues: Sequence[str] | None = None
) -> tuple[StanceCell, ...]:
    """One actor's row of the whole store's matrix: a cell per issue it takes a stance on, in the
    matrix's column order (`issues`, when already worked out). Only the actor's own stances are
    read: the whole matrix of a store of 19,000 articles, dense, took ~66 MB."""
    own = [view.briefing.stances[n] for n in view.index.actor_stances.get(actor, ())]
    if not own:
        return ()
    by_issue: dict[str, list[Stance]] = {}
    for stance in own:
        by_issue.setdefault(stance.issue, []).append(stance)
    order = issue_order(view.briefing.stances) if issues is None else issues
    cells = (_cell(view, actor, issue, by_issue[issue]) for issue in order if issue in by_issue)
    return tuple(cell for cell in cells if cell is not None)
