"""The shapes the HTTP API answers in, so that /openapi.json describes every response exactly.

Where an answer is a table of the briefing contract the model's own dataclasses are the schema
(FastAPI reads their type hints); the few answers the contract does not spell out (an article
without its text, an entity with its mentions counted, a conflict side keyed by what it points
at, the error body) are declared here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from storyline.model import Article, Cite, Role, TimelineEntry


@dataclass(frozen=True)
class ArticleInStory(Article):
    """An article with its cleaned text and the story it belongs to (None: in no story)."""

    story: str | None = None


@dataclass(frozen=True)
class StoryTimelineEntry(TimelineEntry):
    """A timeline entry and the story whose timeline holds it."""

    story: str = ""


class ArticleMeta(BaseModel):
    """An article without its text, with counts: what lists show."""

    id: str
    title: str | None
    site: str
    source: str
    url: str | None
    author: str | None
    published: str | None
    language: str
    duplicate_of: str | None
    story: str | None
    words: int
    quotes: int
    removed: int


class EntitySummary(BaseModel):
    """A canonical entity with its mentions counted rather than listed."""

    id: str
    name: str
    type: str
    variants: list[str]
    roles: list[Role]
    mentions: int
    articles: list[str]


# A conflict side names what it points at by its key, as the contract writes it: {"claim": ID, ...}.
class ClaimSide(BaseModel):
    claim: str
    cites: list[Cite]


class QuoteSide(BaseModel):
    quote: str
    cites: list[Cite]


class EntitySide(BaseModel):
    entity: str
    cites: list[Cite]


class ConflictOut(BaseModel):
    """Two or more sources that disagree: on a claim's polarity, a number, a date, a quote or a role."""

    id: str
    story: str
    kind: str
    summary: str
    sides: list[ClaimSide | QuoteSide | EntitySide]


class ErrorDetail(BaseModel):
    status: int
    message: str


class ErrorBody(BaseModel):
    """The one error shape of the API."""

    error: ErrorDetail


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


# What any API route may answer besides 200; the app adds these to every router it includes.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error("The request asks for something impossible (e.g. nothing to add)"),
    401: _error("A token is needed"),
    403: _error("Writes are refused (no token configured, or a cross-site request)"),
    404: _error("No such story, article, entity or format in this store"),
    413: _error("The upload is over the size limit"),
    415: _error("An upload's file type is not one the readers take"),
    422: _error("A parameter or the body is invalid"),
    503: _error("The store cannot be read"),
}
