"""The workbench in a real browser: headless Chromium against uvicorn on a free loopback port.

Opens every page (a CSP violation or a script error fails the test), asks a question and follows
its citation, adds an article through the form and finds it listed. Screenshots go to
tests/artifacts/ (git-ignored). Skipped when Playwright or /usr/bin/chromium is missing; the
system Chromium is used because Playwright's own browser download needs the network.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from webdata import TOKEN, compared_briefing, copy_store

from storyline.model import Briefing
from storyline.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)


@contextmanager
def _serving(app: Any) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, for as long as the block runs."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _tab(browser: Any, server: str) -> Any:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=server)
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.problems.append(str(e)))
    tab.goto(f"/?token={TOKEN}")  # signs the browser in: a cookie, then a redirect without the token
    assert tab.url == f"{server}/"
    return tab


@pytest.fixture(scope="module")
def page(
    browser: Any, demo_store: tuple[Path, Briefing], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """A signed-in tab on the demo corpus (a private copy of its store: one test adds to it)."""
    db = copy_store(demo_store[0], tmp_path_factory.mktemp("web-browser"))
    with _serving(create_app(db, TOKEN, briefing=demo_store[1])) as server:
        tab = _tab(browser, server)
        yield tab
        tab.context.close()


@pytest.fixture(scope="module")
def compare_page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A tab on the invented two-source briefing that fills claims, conflicts, stances and signals."""
    db = tmp_path_factory.mktemp("web-browser-compare") / "store.db"
    with _serving(create_app(db, TOKEN, briefing=compared_briefing())) as server:
        tab = _tab(browser, server)
        yield tab
        tab.context.close()


def _shot(page: Any, name: str, full: bool = True) -> None:
    # A page scrolled to a cited span is shot as the reader sees it: full-page shots of a scrolled
    # page draw the sticky bars at the scroll offset.
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=full)


def test_every_page_opens_cleanly(page: Any, demo_store: tuple[Path, Briefing]) -> None:
    briefing = demo_store[1]
    story = briefing.stories[0]
    speaker = next(q.speaker for q in briefing.quotes if q.speaker)
    quote = next(q for q in briefing.quotes if q.cite.article == story.articles[0])
    cite = quote.cite
    span = f"{cite.start}-{cite.end}"
    pages = {
        "stories": "/",
        "story": f"/stories/{story.id}",
        "timeline": f"/stories/{story.id}/timeline",
        "claims": f"/stories/{story.id}/claims",
        "stances": f"/stories/{story.id}/stances",
        "who-said-what": f"/stories/{story.id}/quotes",
        "story-network": f"/stories/{story.id}/network",
        "network": "/network",
        "article": f"/articles/{cite.article}?hl={span}#c-{cite.article}-{span}",
        "entities": "/entities",
        "entity": f"/entities/{speaker}",
        "sources": "/sources",
        "ask": "/ask",
        "add": "/add",
    }
    for name, url in pages.items():
        page.goto(url)
        assert page.locator("h1").count() == 1, name
        _shot(page, name, full="#" not in url)
    assert page.problems == []  # no CSP violation, no script error, no missing asset
    page.goto(f"/stories/{story.id}/timeline")
    assert page.locator("svg.timeline-chart circle").count() >= 1
    page.goto(pages["article"])
    assert page.locator(".target").first.is_visible()
    assert page.locator("mark.q").count() >= 1 and page.locator("a.ment").count() >= 1
    page.locator("input[data-toggle=hide-quotes]").uncheck()
    assert "hide-quotes" in (page.locator("body").get_attribute("class") or "")


def test_ask_a_question_and_follow_the_citation(page: Any, demo_store: tuple[Path, Briefing]) -> None:
    briefing = demo_store[1]
    article = next(a for a in briefing.articles if a.duplicate_of is None and a.sentences)
    start, end = max(article.sentences, key=lambda s: s[1] - s[0])
    page.goto("/")
    page.fill("#askbar-q", article.text[start:end])
    page.press("#askbar-q", "Enter")
    page.wait_for_selector(".answer")
    _shot(page, "ask-answer")
    assert page.locator(".passages li").count() >= 1
    page.locator("a.cite-link").first.click()
    page.wait_for_url("**/articles/**")
    assert "?hl=" in page.url
    assert page.locator(".target").first.is_visible()
    _shot(page, "ask-cited-article", full=False)


def test_add_an_article_through_the_form(page: Any) -> None:
    title = "Ferry crews vote to strike over night rotas"
    page.goto("/add")
    page.fill("#add-title", title)
    page.fill("#add-site", "Harbour Test Weekly")
    page.fill("#add-published", "2024-05-06")
    page.fill(
        "#add-text",
        "Ferry crews on the island routes voted on Monday to strike over new night rotas, their union said.\n"
        "The operator said it would meet the union on Wednesday and hoped to keep the ferries running.",
    )
    page.click("#add-form button[type=submit]")
    page.wait_for_url("**/sources?added=**", timeout=60_000)
    row = page.locator("tr.new")
    assert row.count() == 1
    assert title in row.inner_text() and "Harbour Test Weekly" in row.inner_text()
    assert "Added 1 article" in page.locator(".banner.ok").inner_text()
    _shot(page, "added")
    row.locator("a[href^='/articles/']").click()
    assert page.locator("h1").inner_text() == title
    assert page.problems == []


def test_comparison_pages_open_their_evidence(compare_page: Any) -> None:
    page = compare_page
    page.goto("/stories/s1")
    _shot(page, "compare-overview")
    page.locator("nav.tabs a", has_text="Agree").click()
    page.wait_for_url("**/stories/s1/claims")
    assert page.locator(".side q").all_inner_texts() == [
        "the river bridge would reopen in June",
        "the bridge would stay shut until 2025",
    ]
    evidence = page.locator("#claim-c-rejected .evidence-list li")
    assert not evidence.first.is_visible()
    page.locator("#claim-c-rejected details.evidence summary").click()
    assert evidence.count() == 2 and evidence.first.is_visible()
    _shot(page, "compare-claims")

    page.locator("nav.tabs a", has_text="Stances").click()
    page.locator("td.cell.st-mixed a").click()
    page.wait_for_url("**#stance-tom-hale-bridge_plan")
    assert page.locator("#stance-tom-hale-bridge_plan").evaluate("e => e.matches(':target')")
    assert page.locator("#stance-tom-hale-bridge_plan .stance").all_inner_texts() == ["oppose", "conditional"]
    _shot(page, "compare-stances", full=False)

    page.locator("nav.tabs a", has_text="Timeline").click()
    assert page.locator("svg.timeline-chart circle").count() == 3
    page.locator("svg.timeline-chart circle.p-day").first.click()
    page.wait_for_url("**#story-s1-1")
    _shot(page, "compare-timeline")

    page.goto("/articles/a2")
    claim = page.locator(".article-text span.claim.disputed")
    assert claim.inner_text() == "the bridge would stay shut until 2025"
    assert "wavy" in claim.evaluate("e => getComputedStyle(e).textDecorationStyle")
    _shot(page, "compare-article")
    page.locator("input[data-toggle=hide-claims]").uncheck()
    assert claim.evaluate("e => getComputedStyle(e).textDecorationLine") == "none"

    page.goto("/entities/tom-hale")
    assert page.locator("#stances .stance").first.inner_text() == "mixed"
    _shot(page, "compare-entity")
    page.goto("/sources")
    page.locator("#signals details.signal-evidence summary").first.click()
    assert page.locator("#signals details[open] li").first.inner_text() == "no quotation marks"
    _shot(page, "compare-sources")
    assert page.problems == []
