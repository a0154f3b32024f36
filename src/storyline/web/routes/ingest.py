"""Adding articles: the form, its API twin (`POST /api/ingest`), and signing in with the token.

Uploads and pasted text are saved beside the store and go through `pipeline.run` like any folder;
the briefing is then reloaded, so new articles show on every page. Both routes need the token;
bodies over MAX_UPLOAD get 413 from the app's `BodyLimit` middleware.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from storyline.ingest import SUFFIXES
from storyline.model import to_dict
from storyline.web.pages import templates, wants_json
from storyline.web.routes import article_meta, guard, page, snapshot, workbench
from storyline.web.security import COOKIE, safe_next
from storyline.web.state import IngestResult, Pasted, Upload

MAX_UPLOAD = 10 * 1024 * 1024
MAX_FILES = 50

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["ingest"])


async def check_write(request: Request) -> None:
    await guard(request).check_write(request)


Files = Annotated[list[UploadFile], File(description="Articles: .txt .md .html .htm .jsonl")]
Text = Annotated[str, Form(description="Pasted article text")]
Meta = Annotated[str, Form()]


@router.get("/add")
def add_form(request: Request) -> Response:
    data = {"formats": list(SUFFIXES), "max_upload": MAX_UPLOAD, "max_files": MAX_FILES}
    return page(request, "add.html", data, nav="add", max_mb=MAX_UPLOAD // (1024 * 1024))


@router.post("/add", dependencies=[Depends(check_write)])
def add_submit(
    request: Request,
    files: Files = [],  # noqa: B006 - FastAPI copies defaults per request
    text: Text = "",
    title: Meta = "",
    url: Meta = "",
    published: Meta = "",
    site: Meta = "",
) -> Response:
    result = _ingest(request, files, text, (title, url, published, site))
    if wants_json(request):
        return _result_response(request, result)
    added = ",".join(dict.fromkeys(result.added))
    return RedirectResponse(f"/sources?added={added}&failed={len(result.failures)}", status_code=303)


@api.post(
    "/ingest",
    dependencies=[Depends(check_write)],
    summary="Add articles (files and/or pasted text); needs the token",
)
def ingest(
    request: Request,
    files: Files = [],  # noqa: B006
    text: Text = "",
    title: Meta = "",
    url: Meta = "",
    published: Meta = "",
    site: Meta = "",
) -> Response:
    result = _ingest(request, files, text, (title, url, published, site))
    return _result_response(request, result)


@router.get("/login")
def login_form(request: Request, target: Annotated[str, Query(alias="next")] = "/") -> Response:
    return _login_page(request, safe_next(target), error=None, status=200)


@router.post("/login")
def login(
    request: Request, token: Annotated[str, Form()] = "", after: Annotated[str, Form(alias="next")] = "/"
) -> Response:
    target = safe_next(after)
    if not guard(request).matches(token):
        return _login_page(request, target, error="That token is not right.", status=401)
    response = RedirectResponse(target, status_code=303)
    set_token_cookie(response, token)
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def set_token_cookie(response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/")


def _login_page(request: Request, target: str, error: str | None, status: int) -> Response:
    # Drawn without the store's snapshot: a visitor who is not signed in sees nothing of it.
    context = {"next": target, "error": error, "nav": "", "writes_enabled": True, "signed_in": False}
    return templates().TemplateResponse(request, "login.html", context, status_code=status)


def _ingest(
    request: Request, files: list[UploadFile], text: str, meta: tuple[str, str, str, str]
) -> IngestResult:
    """The form's files and pasted text into the store; `meta` is (title, url, published, site)."""
    uploads = []
    for item in files:
        if not item.filename:
            continue  # the browser sends an empty part when no file was chosen
        suffix = Path(item.filename).suffix.lower()
        if suffix not in SUFFIXES:
            raise HTTPException(
                415, f"{item.filename}: unsupported file type {suffix or '(none)'}; use {', '.join(SUFFIXES)}"
            )
        uploads.append(Upload(item.filename, item.file.read()))
    if len(uploads) > MAX_FILES:
        raise HTTPException(400, f"at most {MAX_FILES} files at once")
    text = text.strip()
    if not uploads and not text:
        raise HTTPException(400, "nothing to add: choose a file or paste an article's text")
    title, url, published, site = (v.strip() or None for v in meta)
    pasted = Pasted(text, title, url, published, site) if text else None
    return workbench(request).ingest(uploads, pasted)


def _result_response(request: Request, result: IngestResult) -> Response:
    snap = snapshot(request)
    added = article_meta(snap, list(result.added))
    body: dict[str, Any] = {
        "added": added,
        "new": result.cleaned_new,
        "failed": [to_dict(f) for f in result.failures],
        "articles": snap.counts["articles"],
    }
    return JSONResponse(body, status_code=200 if added else 422)
