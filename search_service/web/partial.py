"""When a URL is answered with a fragment instead of the whole page.

One URL serves both: the full page for browsers, links, reloads and history
restores; only the swapped region for a *targeted* htmx request. Deciding on
``HX-Request`` alone would break ``hx-boost`` (which swaps the whole body) and
htmx's history restore (which needs the whole page), so both are excluded, and
the target must be the element the fragment was made for.
"""
from __future__ import annotations

from flask import Response, request

#: Request headers the page-or-fragment decision reads; responses vary on them.
VARY_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request", "HX-Target")

#: id of the element holding results and facets on the search page.
SEARCH_REGION = "search-region"


def is_htmx_partial_request(target: str | None = None) -> bool:
    """True for an htmx request that wants a fragment (for ``target`` if given)."""
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.boosted or htmx.history_restore_request:
        return False
    return target is None or htmx.target == target


def add_vary(response: Response) -> Response:
    """Caches must key page and fragment apart: ``Vary: HX-Request`` and friends."""
    for header in VARY_HEADERS:
        response.vary.add(header)
    return response
