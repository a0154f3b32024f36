"""robots.txt: fetched once per site and run through the guarded fetcher, read by `urllib.robotparser`.

Unavailability follows RFC 9309 §2.3.1: a 4xx robots.txt means no rules (fetch), while a 5xx or an
unreachable one means "assume everything is disallowed" until it answers. A Crawl-delay widens the
fetcher's per-host pause (capped, so one site cannot stall a whole poll).
"""

from __future__ import annotations

from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from storyline.errors import FetchError
from storyline.fetch.client import Fetcher

__all__ = ["Robots", "AGENT"]

AGENT = "storyline"  # the product token robots.txt groups are matched against
MAX_CRAWL_DELAY = 60.0


class Robots:
    """Answers whether a URL may be fetched; caches one rule set (or one failure) per site."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self._sites: dict[str, RobotFileParser | FetchError | None] = {}

    def ensure_allowed(self, url: str) -> None:
        """Return quietly if `url` may be fetched; raise a FetchError naming it if not."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._sites:
            self._sites[site] = self._load(site)
        rules = self._sites[site]
        if isinstance(rules, FetchError):
            raise FetchError(url, f"robots.txt of {site} cannot be read ({rules.reason}); not fetched", True)
        if rules is not None and not rules.can_fetch(AGENT, url):
            raise FetchError(url, f"disallowed by {site}/robots.txt")

    def _load(self, site: str) -> RobotFileParser | FetchError | None:
        try:
            response = self.fetcher.get(f"{site}/robots.txt")
        except FetchError as exc:
            # Transient (5xx, timeout, unreachable): disallow for now. Anything else (404, 403, a
            # redirect loop) means the site publishes no rules we can read: everything is allowed.
            return exc if exc.transient else None
        rules = RobotFileParser(f"{site}/robots.txt")
        rules.parse(response.body.decode("utf-8", errors="replace").splitlines())
        delay = rules.crawl_delay(AGENT)
        if delay:
            self.fetcher.pacer.set_delay(site, min(float(delay), MAX_CRAWL_DELAY))
        return rules
