"""The web workbench and HTTP API: FastAPI + Jinja pages over one store, every page also JSON.

`serve()` is what `storyline serve` calls; `create_app()` builds the ASGI app for tests and for
any other ASGI server.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

from storyline.web.app import create_app
from storyline.web.security import is_loopback

__all__ = ["create_app", "serve"]

# Host names a loopback server answers to (Starlette's TrustedHostMiddleware compares them without
# the port). Anything else in the Host header is a DNS-rebinding page and gets 400.
LOOPBACK_HOSTS = ["127.0.0.1", "localhost"]


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Serve the workbench over the store at `db` until interrupted.

    Writes always need a token; reads need it too when `host` is not loopback. Without `token`
    (or STORYLINE_TOKEN, which the CLI reads) a random one is made and its sign-in URL printed.
    """
    import os

    import uvicorn

    token = token or os.environ.get("STORYLINE_TOKEN") or secrets.token_urlsafe(18)
    local = is_loopback(host)
    app = create_app(
        db,
        token,
        reads_need_token=not local,
        allowed_hosts=[*LOOPBACK_HOSTS, host] if local and ":" not in host else None,
        warm=True,
    )
    shown = f"[{host}]" if ":" in host else host
    from storyline.store.engine import database_url

    # Never print a password written into a database URL.
    store = database_url(db).render_as_string(hide_password=True) if "://" in str(db) else db
    print(f"storyline workbench on http://{shown}:{port}/  (store: {store})", file=sys.stderr)
    print(f"sign in to add articles: http://{shown}:{port}/?token={token}", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
