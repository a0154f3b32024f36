"""Key takeaways of a story: 3-7 cited bullets chosen from what the other stages found.

Method: the order a reader needs — what several independent sources agree on (the claims with the
most sources), where they disagree (each conflict, with both sides cited), the most-reported dated
event, then the summary's lead sentences to reach at least three. Every bullet is a source sentence,
or a template whose every part is cited.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.model import Claim, Conflict, Passage, TimelineEntry

__all__ = ["takeaways"]

MOST = 7
LEAST = 3


def takeaways(
    summary: Sequence[Passage],
    claims: Sequence[Claim],
    conflicts: Sequence[Conflict],
    timeline: Sequence[TimelineEntry],
) -> tuple[Passage, ...]:
    out: list[Passage] = []
    seen: set[str] = set()

    def add(text: str, cites: Sequence[object]) -> None:
        key = " ".join(text.lower().split())
        if key in seen or len(out) >= MOST or not cites:
            return
        seen.add(key)
        out.append(Passage(text=text, cites=tuple(cites)))  # type: ignore[arg-type]

    if summary:
        add(summary[0].text, summary[0].cites)
    for claim in [c for c in claims if c.sources >= 2][:3]:
        add(claim.text, claim.mentions)
    # Disagreements between sources matter more than a passing figure; show each kind at most once.
    kinds: set[str] = set()
    for conflict in sorted(conflicts, key=lambda c: _KIND_ORDER.get(c.kind, 9)):
        if conflict.kind in kinds:
            continue
        kinds.add(conflict.kind)
        add(conflict.summary, [c for side in conflict.sides for c in side.cites])
    dated = [e for e in timeline if e.date and e.precision == "day"]
    if dated:
        busiest = max(dated, key=lambda e: (len(e.cites), e.date or ""))
        add(f"{busiest.date}: {busiest.text}", busiest.cites or (busiest.cite,))
    for passage in summary[1:]:
        if len(out) >= LEAST:
            break
        add(passage.text, passage.cites)
    return tuple(out)


_KIND_ORDER = {"polarity": 0, "quote_speaker": 1, "number": 2, "date": 3, "quote_wording": 4, "role": 5}
