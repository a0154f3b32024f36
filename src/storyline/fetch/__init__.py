"""Fetching from the web, safely: http(s) only, public addresses only, size and time capped.

`client.Fetcher` does the GET (conditional, redirects checked hop by hop), `robots` reads
robots.txt, `feeds` reads RSS/Atom, and `watch.poll` turns a watch list into stored articles
(imported from there, so that fetching a page does not load the pipeline).
"""

from __future__ import annotations

from storyline.fetch.client import Fetcher, FetchPolicy, Response

__all__ = ["Fetcher", "FetchPolicy", "Response"]
