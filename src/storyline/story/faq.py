"""A story's FAQ: the questions a reader asks, built from what was extracted, answered by citations.

Questions come from the structure, not from a language model: what each main actor wants (its
support and conditional positions) and rejects (its oppositions), what is proposed (sentences whose
stance cue or wording is a proposal), what happened when (the most-reported dated events), where
the sources disagree (the conflicts), and what rests on one source only. An answer is the source
sentences themselves; a question with nothing to cite is left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from storyline.model import Article, Cite, Claim, Conflict, FaqItem, Passage, Stance, TimelineEntry

__all__ = ["faq"]

_ANSWER = 3  # sentences per answer at most
_PROPOSAL = re.compile(r"\b(propos\w*|plan|offer\w*|framework|deal|initiative|suggest\w*)\b", re.I)


def faq(
    articles: Sequence[Article],
    stances: Sequence[Stance],
    claims: Sequence[Claim],
    conflicts: Sequence[Conflict],
    timeline: Sequence[TimelineEntry],
    names: Mapping[str, str],
) -> tuple[FaqItem, ...]:
    texts = {a.id: a.text for a in articles}

    def passage(cite: Cite) -> Passage:
        return Passage(text=texts[cite.article][cite.start : cite.end], cites=(cite,))

    items: list[FaqItem] = []
    for actor in _main_actors(stances)[:3]:
        name = names.get(actor, actor)
        wants = [
            c for s in stances if s.actor == actor and s.stance in {"support", "conditional"} for c in s.cites
        ]
        rejects = [
            c for s in stances if s.actor == actor and s.stance in {"oppose", "mixed"} for c in s.cites
        ]
        if wants:
            items.append(FaqItem(f"What does {name} want?", _answers(wants, passage)))
        if rejects:
            items.append(FaqItem(f"What does {name} reject?", _answers(rejects, passage)))
    proposals = [c for s in stances for c in s.cites if _PROPOSAL.search(texts[c.article][c.start : c.end])]
    if proposals:
        items.append(FaqItem("What is being proposed?", _answers(proposals, passage)))
    dated = sorted((e for e in timeline if e.date), key=lambda e: (-len(e.cites), e.date or ""))[:4]
    if dated:
        answer = tuple(
            Passage(text=f"{e.date}: {e.text}", cites=e.cites or (e.cite,))
            for e in sorted(dated, key=lambda e: e.date or "")
        )
        items.append(FaqItem("What happened when?", answer))
    if conflicts:
        answer = tuple(
            Passage(text=c.summary, cites=tuple(cite for side in c.sides for cite in side.cites))
            for c in conflicts[:_ANSWER]
        )
        items.append(FaqItem("Where do the sources disagree?", answer))
    singles = [c for c in claims if c.single_source and c.actor][:_ANSWER]
    if singles:
        answer = tuple(
            Passage(text=f"{names.get(c.actor or '', c.actor)}: {c.text}", cites=c.mentions[:1])
            for c in singles
        )
        items.append(FaqItem("What do only single sources say?", answer))
    return tuple(items)


def _main_actors(stances: Sequence[Stance]) -> list[str]:
    weight: Counter[str] = Counter()
    for s in stances:
        weight[s.actor] += len(s.cites)
    return [actor for actor, _ in weight.most_common()]


def _answers(cites: Sequence[Cite], passage: object) -> tuple[Passage, ...]:
    unique = list(dict.fromkeys(cites))[:_ANSWER]
    return tuple(passage(c) for c in unique)  # type: ignore[operator]
