"""Article pages: one article's cleaned text with its quotes and mentions marked, and the sources list.

`?hl=START-END` on an article link highlights those characters and the link's fragment scrolls
to them: every citation in the workbench points there.
"""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Request
from fastapi.responses import Response

from storyline.briefing.render import is_web_url
from storyline.briefing.view import site_name
from storyline.model import to_dict
from storyline.web.comparison import claim_card
from storyline.web.highlight import article_runs, paragraphs, parse_span
from storyline.web.routes import PAGE_NUMBER, Paging, article_meta, not_found, page, snapshot, workbench

router = APIRouter(include_in_schema=False)

SOURCES_PER_PAGE = 200


@router.get("/articles/{article_id}")
def article(request: Request, article_id: str, hl: str | None = None) -> Response:
    snap = snapshot(request)
    found = snap.view.articles.get(article_id)
    if found is None:
        raise not_found("article", article_id)
    target = parse_span(hl, found)
    runs = article_runs(snap, found, target)
    quotes = snap.quotes_by_article.get(found.id, [])
    speakers = Counter(q.speaker for q in quotes if q.speaker)
    mentioned = Counter(entity for _, entity in snap.mentions_by_article.get(found.id, []))
    story_id = snap.story_of.get(found.id)
    claims = list({claim.id: claim for _, claim in snap.claims_by_article.get(found.id, [])}.values())
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
        story=next((s for s in snap.briefing.stories if s.id == story_id), None),
        speakers=[(snap.view.entities[s], n, snap.view.colour(s)) for s, n in speakers.most_common()],
        mentioned=[(snap.view.entities[e], n) for e, n in mentioned.most_common() if e in snap.view.entities],
        duplicate=snap.view.articles.get(found.duplicate_of) if found.duplicate_of else None,
        signals=snap.view.signals(found.id),
        claims=[claim_card(snap.view, c, c.id in snap.disputed) for c in claims],
        web_url=found.url if is_web_url(found.url) else None,
    )


@router.get("/sources")
def sources(request: Request, added: str = "", failed: int = 0, page_number: int = PAGE_NUMBER) -> Response:
    snap = snapshot(request)
    new = {a for a in added.split(",") if a}
    articles = sorted(
        snap.briefing.articles,
        key=lambda a: (a.id not in new, site_name(a).casefold(), a.published or ""),
    )
    paging = Paging.of(len(articles), page_number, SOURCES_PER_PAGE)
    # Rows (word counts, quotes) only for the page: a large store has tens of thousands of articles.
    rows = [article_meta(snap, a) for a in paging.cut(articles)]
    failures = [to_dict(f) for f in workbench(request).failures]
    shown = {r["id"] for r in rows}
    signals = [s for s in snap.briefing.signals if s.article in shown]
    data = {
        "articles": rows,
        "failed": failures,
        "signals": [to_dict(s) for s in signals],
        "page": paging.to_dict(),
    }
    # One column per signal, in the order the signal stage lists them; a row per article that has any.
    signal_names = list(dict.fromkeys(s.signal for s in signals))
    signal_rows = [(r, {x.signal: x for x in snap.view.signals(r["id"])}) for r in rows]
    titles = {s.id: s.title for s in snap.briefing.stories}
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
