"""What the story stages and the writers ask about the run's canonical entities, as protocols.

`identities.Identities` answers them from entities held in memory; a run reads them from its
entity table a batch of articles at a time (`briefing.entity_table`), with the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from storyline.model import Entity

__all__ = ["EntityCut", "EntityLookup"]


class EntityLookup(Protocol):
    """Where a mention or a name as written points among the run's entities."""

    def entity_at(self, article: str, start: int, end: int) -> str | None:
        """The entity whose mention best overlaps `start:end` in `article` (None when none does)."""
        ...

    def spans_in(self, article: str) -> list[tuple[int, int, str]]:
        """(start, end, entity id) of every mention in `article`, in text order."""
        ...

    def find_by_name(self, name: str, article: str | None = None) -> str | None:
        """The entity a name as written refers to, preferring one seen in `article`."""
        ...


class EntityCut(Protocol):
    """The run's entities cut to some articles (`signals_scope.Scopes.cut`)."""

    def cut(self, article_ids: Sequence[str], also: Iterable[str] = ()) -> tuple[Entity, ...]:
        """The entities these articles mention, title or list, and those `also` names, in the run's
        order, each reduced to its mentions, roles and articles among `article_ids`."""
        ...
