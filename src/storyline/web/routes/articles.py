"""Article pages: one article's cleaned text with its quotes and mentions marked, and the sources list.

`?hl=START-END` on an article link highlights those characters and the link's fragment scrolls
to them: every citation in the workbench points there.
"""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Request
from fastapi.responses import Response

from storyline.briefing.render import is_web_url
from storyline.model import Article, to_dict
from storyline.web.comparison import claim_card
from storyline.web.highlight import article_runs, paragraphs, parse_span
from storyline.web.routes import PAGE_NUMBER, Paging, not_found, page, snapshot, workbench
from storyline.web.snapshot import StoreSnapshot
from storyline.web.state import Snapshot

router = APIRouter(include_in_schema=False)

SOURCES_PER_PAGE = 200


@router.get("/articles/{article_id}")
def article(request: Request, article_id: str, hl: str | None = None) -> Response:
    snap = snapshot(request)
    if snap.article(article_id) is None:
        raise not_found("article", article_id)
    part = snap.article_part(article_id)  # the article's story: its quotes, mentions, claims
    found = part.view.articles[article_id]
    target = parse_span(hl, found)
    runs = article_runs(part, found, target)
    quotes = part.quotes_by_article.get(found.id, [])
    speakers = Counter(q.speaker for q in quotes if q.speaker)
    mentioned = Counter(entity for _, entity in part.mentions_by_article.get(found.id, []))
    story_id = snap.article_story(found.id)
    claims = list({claim.id: claim for _, claim in part.claims_by_article.get(found.id, [])}.values())
    data = {
        "article": to_dict(found),
        "story": story_id,
        "quotes": [to_dict(q) for q in quotes],
        "entities": [{"id": e, "mentions": n} for e, n in mentioned.most_common()],
        "claims": [to_dict(c) for c in claims],
        "highlight": to_dict(target) if target else None,
    }
    return page(
        request,
        "article.html",
        data,
        nav="sources",
        a=found,
        paras=paragraphs(runs),
        target=target,
        story=next((s for s in part.briefing.stories if s.id == story_id), None),
        speakers=[(part.view.entities[s], n, part.view.colour(s)) for s, n in speakers.most_common()],
        mentioned=[(part.view.entities[e], n) for e, n in mentioned.most_common() if e in part.view.entities],
        duplicate=_original(snap, part, found.duplicate_of),
        signals=part.view.signals(found.id),
        claims=[claim_card(part.view, c, c.id in part.disputed) for c in claims],
        web_url=found.url if is_web_url(found.url) else None,
    )


@router.get("/sources")
def sources(request: Request, added: str = "", failed: int = 0, page_number: int = PAGE_NUMBER) -> Response:
    snap = snapshot(request)
    new = {a for a in added.split(",") if a}
    paging = Paging.of(snap.counts["articles"], page_number, SOURCES_PER_PAGE)
    # Rows (word counts, quotes) only for the page: a large store has tens of thousands of articles.
    rows, view = snap.sources_page(new, (paging.number - 1) * paging.per_page, paging.per_page)
    signals = view.briefing.signals
    failures = [to_dict(f) for f in workbench(request).failures]
    data = {
        "articles": rows,
        "failed": failures,
        "signals": [to_dict(s) for s in signals],
        "page": paging.to_dict(),
    }
    # One column per signal, in the order the signal stage lists them; a row per article that has any.
    signal_names = list(dict.fromkeys(s.signal for s in signals))
    signal_rows = [(r, {x.signal: x for x in view.signals(r["id"])}) for r in rows]
    titles = snap.story_titles({r["story"] for r in rows if r["story"]})
    return page(
        request,
        "sources.html",
        data,
        nav="sources",
        rows=rows,
        new=new,
        titles=titles,
        failed=failures,
        failed_now=failed,
        signal_names=signal_names,
        signal_rows=[(r, cells) for r, cells in signal_rows if cells],
        paging=paging,
        page_base="/sources?",
    )


def _original(snap: StoreSnapshot, part: Snapshot, original: str | None) -> Article | None:
    """The article a copy copies (its story's slice holds it, or the catalog)."""
    if not original:
        return None
    return part.view.articles.get(original) or snap.article(original)
