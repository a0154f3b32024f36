"""Story pages that set the sources against each other: agree / differ / alone, and the stance matrix.

The layouts come from `web.comparison`; the JSON twin of each page is the same data in the
contract's shapes (claims, conflicts, stances) plus the grouping the page shows.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from storyline.model import to_dict
from storyline.web.comparison import STANCES, claim_board, stance_matrix
from storyline.web.routes import page, snapshot
from storyline.web.routes.stories import find_story

router = APIRouter(include_in_schema=False)


@router.get("/stories/{story_id}/claims")
def agree_differ_alone(request: Request, story_id: str) -> Response:
    part, found, view = find_story(snapshot(request), story_id)
    board = claim_board(part.view, found.id)
    claims = [c for c in part.briefing.claims if c.story == found.id]
    data = {
        "story": found.id,
        "agree": [c.id for c in board.agree],
        "alone": [c.id for c in board.alone],
        "alone_by_site": [{"site": site, "claims": n} for site, n in board.alone_by_site],
        "claims": [to_dict(c) for c in claims],
        "conflicts": [to_dict(c) for c in part.briefing.conflicts if c.story == found.id],
    }
    return page(request, "claims.html", data, nav="stories", s=view, board=board, tab="claims")


@router.get("/stories/{story_id}/stances")
def stances(request: Request, story_id: str) -> Response:
    part, found, view = find_story(snapshot(request), story_id)
    ids = set(found.articles)
    matrix = stance_matrix(part.view, ids)
    data = {
        "story": found.id,
        "issues": list(matrix.issues),
        "actors": [{"id": r.actor, "name": r.name} for r in matrix.rows],
        "cells": [
            {"actor": r.actor, "issue": issue, "stance": cell.label}
            for r in matrix.rows
            for issue, cell in zip(matrix.issues, r.cells, strict=True)
            if cell is not None
        ],
        "stances": [to_dict(s) for s in part.briefing.stances if any(c.article in ids for c in s.cites)],
    }
    return page(
        request, "stances.html", data, nav="stories", s=view, matrix=matrix, kinds=STANCES, tab="stances"
    )
