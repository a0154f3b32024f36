"""Questions: the "ask" page and its API, answered by `story.ask` with cited sentences.

The answer is the sources' own sentences; each links to the article view at those words.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from storyline.model import to_dict
from storyline.story.ask import Answer, answer
from storyline.web.pages import cite_url
from storyline.web.routes import page, snapshot, workbench

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["ask"])
MAX_QUESTION = 500


class Question(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION)
    sentences: int = Field(default=2, ge=1, le=5)


@router.get("/ask")
def ask_page(request: Request, q: str = "") -> Response:
    question = q.strip()[:MAX_QUESTION]
    result = _answer(request, question, 2) if question else None
    data = _answer_data(result) if result else {"question": "", "answered": False, "passages": []}
    return page(request, "ask.html", data, nav="ask", result=result, question=question)


@api.get("/ask", summary="Answer a question from the stored articles, with cites")
def ask_get(
    request: Request,
    q: str = Query(min_length=1, max_length=MAX_QUESTION),
    sentences: int = Query(2, ge=1, le=5),
) -> dict[str, Any]:
    return _answer_data(_answer(request, q, sentences))


@api.post("/ask", summary="Answer a question (JSON body)")
def ask_post(request: Request, body: Question) -> dict[str, Any]:
    return _answer_data(_answer(request, body.question, body.sentences))


def _answer(request: Request, question: str, sentences: int) -> Answer:
    snapshot(request)  # load the briefing first: the index is built from it
    return answer(workbench(request).index(), question, max_sentences=sentences)


def _answer_data(result: Answer) -> dict[str, Any]:
    data = to_dict(result)
    for passage, shown in zip(result.passages, data["passages"], strict=True):
        shown["links"] = [cite_url(c) for c in passage.cites]
    return data
