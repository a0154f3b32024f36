"""Safety: content is escaped, writes need the token (and reads, off loopback), uploads have a limit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from webdata import EVIL, TEXT, TOKEN, copy_store, tiny_briefing

from storyline.model import Briefing
from storyline.web import create_app
from storyline.web.security import Guard, is_loopback, safe_next

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


def _client(tmp_path: Path, briefing: Briefing | None = None, **options: object) -> TestClient:
    app = create_app(tmp_path / "store.db", briefing=briefing or tiny_briefing(), **options)  # type: ignore[arg-type]
    return TestClient(app)


def test_article_title_and_text_render_as_text_on_every_page(tmp_path: Path) -> None:
    evil = tiny_briefing(title=f"Bridge {EVIL} plan", text=f"{EVIL}\n{TEXT}")
    client = _client(tmp_path, evil, token=TOKEN)
    for url in ["/", "/stories/s1", "/stories/s1/quotes", "/articles/a1", "/articles/a1?hl=0-8", "/sources",
                "/entities/tom-hale", "/network"]:  # fmt: skip
        page = client.get(url).text
        assert EVIL not in page, url
        assert "<script>alert" not in page, url
    assert ESCAPED in client.get("/articles/a1").text
    assert ESCAPED in client.get("/").text
    # JSON carries the words as they are: it is data, and its content type stops a browser running it.
    response = client.get("/articles/a1.json")
    assert response.json()["article"]["title"] == f"Bridge {EVIL} plan"
    assert response.headers["content-type"] == "application/json"


def test_writes_need_the_token(tmp_path: Path) -> None:
    client = _client(tmp_path, token=TOKEN)
    form = {"text": "A short article about a harbour."}
    assert client.post("/api/ingest", data=form).status_code == 401
    assert client.post("/api/ingest", data=form, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/add", data={**form, "token": "wrong"}).status_code == 401
    cross = client.post("/api/ingest", data=form, headers={**BEARER, "Origin": "https://evil.example"})
    assert cross.status_code == 403
    closed = _client(tmp_path, token=None).post("/api/ingest", data=form, headers=BEARER)
    assert closed.status_code == 403 and "without a token" in closed.json()["error"]["message"]


def test_the_token_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.web.security as security

    calls = []

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return a == b

    monkeypatch.setattr(security.hmac, "compare_digest", spy)
    guard = Guard(TOKEN, reads_need_token=False)
    assert guard.matches(TOKEN) and not guard.matches("nope") and not guard.matches(None)
    assert calls == [(TOKEN.encode(), TOKEN.encode()), (b"nope", TOKEN.encode())]
    assert not Guard(None, reads_need_token=True).matches("")


def test_closed_server_needs_the_token_for_reads(tmp_path: Path) -> None:
    client = _client(tmp_path, token=TOKEN, reads_need_token=True)
    page = client.get("/sources", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/sources"
    assert client.get("/api/stories").status_code == 401
    assert client.get("/sources.json").json()["error"]["status"] == 401
    assert client.get("/api/stories", headers=BEARER).status_code == 200
    assert client.get("/static/workbench.css").status_code == 200  # the login page needs its style
    wrong = client.post("/login", data={"token": "nope", "next": "/sources"}, follow_redirects=False)
    assert wrong.status_code == 401
    right = client.post("/login", data={"token": TOKEN, "next": "//evil.example"}, follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"] == "/"
    assert "httponly" in right.headers["set-cookie"].lower()
    assert "samesite=strict" in right.headers["set-cookie"].lower()
    assert client.get("/sources").status_code == 200  # the cookie now signs each request in


def test_token_in_the_url_signs_in_and_is_dropped(tmp_path: Path) -> None:
    client = _client(tmp_path, token=TOKEN, reads_need_token=True)
    response = client.get(f"/sources?token={TOKEN}&added=x", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/sources?added=x"
    assert client.get("/sources").status_code == 200
    assert client.get("/?token=wrong", follow_redirects=False).status_code == 401


def test_upload_over_the_limit_is_refused_with_413(tmp_path: Path) -> None:
    client = _client(tmp_path, token=TOKEN)
    big = b"word " * (2 * 1024 * 1024 + 10)  # just over 10 MB
    response = client.post("/api/ingest", files={"files": ("big.txt", big, "text/plain")}, headers=BEARER)
    assert response.status_code == 413
    assert response.json()["error"]["message"] == "the upload is larger than the 10 MB limit"


def test_streamed_upload_over_the_limit_is_cut_off_with_413(tmp_path: Path) -> None:
    client = _client(tmp_path, token=TOKEN)

    def chunks():  # no Content-Length: the limit must count the bytes as they come
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n\r\n'
        for _ in range(11):
            yield b"x" * (1024 * 1024)

    headers = {**BEARER, "Content-Type": "multipart/form-data; boundary=b"}
    response = client.post("/api/ingest", content=chunks(), headers=headers)
    assert response.status_code == 413
    assert response.json()["error"]["message"] == "the upload is larger than the 10 MB limit"


def test_bad_uploads_are_refused_with_a_reason(tmp_path: Path) -> None:
    client = _client(tmp_path, token=TOKEN)
    pdf = client.post(
        "/api/ingest", files={"files": ("paper.pdf", b"%PDF", "application/pdf")}, headers=BEARER
    )
    assert pdf.status_code == 415 and ".pdf" in pdf.json()["error"]["message"]
    empty = client.post("/api/ingest", data={"text": "   "}, headers=BEARER)
    assert empty.status_code == 400 and "nothing to add" in empty.json()["error"]["message"]


def test_stored_script_from_an_ingest_is_escaped(demo_store: tuple[Path, Briefing], tmp_path: Path) -> None:
    db = copy_store(demo_store[0], tmp_path)
    client = TestClient(create_app(db, TOKEN, briefing=demo_store[1]))
    text = (
        f"Harbour pilots walk out {EVIL}\n"
        "Harbour pilots at the northern terminal stopped work on Friday, their association said. "
        "The pilots want a new rota and say the current one leaves ships waiting for hours."
    )
    response = client.post("/api/ingest", data={"text": text, "title": f"Pilots {EVIL}"}, headers=BEARER)
    assert response.status_code == 200, response.text
    added = response.json()["added"]
    assert len(added) == 1 and added[0]["title"] == f"Pilots {EVIL}"
    assert response.json()["articles"] == len(demo_store[1].articles) + 1
    article = client.get(f"/articles/{added[0]['id']}").text
    assert EVIL not in article and ESCAPED in article
    sources = client.get("/sources").text
    assert EVIL not in sources and f"Pilots {ESCAPED}" in sources
    again = client.post("/api/ingest", data={"text": text, "title": f"Pilots {EVIL}"}, headers=BEARER)
    assert again.json()["new"] == 0  # the same input is recognised, not stored twice


def test_loopback_and_redirect_rules() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert is_loopback("127.0.1.1") and is_loopback("[::1]")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("example.org")
    assert safe_next("/stories/x?y=1") == "/stories/x?y=1"
    assert safe_next("//evil.example/") == "/" and safe_next("https://evil.example") == "/"
    assert safe_next("/\\evil.example") == "/" and safe_next(None) == "/"


def test_serve_makes_a_token_and_closes_reads_off_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    from storyline.web import serve

    started: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.append((app, options)))
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    serve(tmp_path / "s.db", "0.0.0.0", 8765, None)
    app, options = started[-1]
    assert options["host"] == "0.0.0.0" and options["port"] == 8765
    made = app.state.guard.token
    assert made and app.state.guard.reads_need_token
    assert f"http://0.0.0.0:8765/?token={made}" in capsys.readouterr().err
    serve(tmp_path / "s.db", "127.0.0.1", 8766, "given")
    app, _ = started[-1]
    assert app.state.guard.token == "given" and not app.state.guard.reads_need_token
    monkeypatch.setenv("STORYLINE_TOKEN", "from-env")
    serve(tmp_path / "s.db", "localhost", 8767, None)
    assert started[-1][0].state.guard.token == "from-env"
