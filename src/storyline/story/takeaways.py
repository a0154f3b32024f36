"""Key takeaways of a story: 3-7 cited bullets chosen from what the other stages found.

Method: the order a reader needs — what several independent sources agree on (the claims with the
most sources), where they disagree (each conflict, with both sides cited), the most-reported dated
event, then the summary's lead sentences to reach at least three. Every bullet is a source sentence,
or a template whose every part is cited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storyline.model import Claim, Conflict, Passage, TimelineEntry

__all__ = ["takeaways"]

MOST = 7
LEAST = 3


def takeaways(
    summary: Sequence[Passage],
    claims: Sequence[Claim],
    conflicts: Sequence[Conflict],
    timeline: Sequence[TimelineEntry],
    names: Mapping[str, str] | None = None,
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
        add(_attributed(claim, names or {}), claim.mentions)
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


def _attributed(claim: Claim, names: Mapping[str, str]) -> str:
    """A quotation's words with who said them, unless the sentence already names the speaker."""
    name = names.get(claim.actor or "")
    surname = name.split()[-1] if name else ""
    if not name or surname in claim.text:
        return claim.text
    return f"{name}: {claim.text}"


_KIND_ORDER = {"polarity": 0, "quote_speaker": 1, "number": 2, "date": 3, "quote_wording": 4, "role": 5}
