"""What the pages and the JSON API read from a request's query string, parsed once.

Both :mod:`.views` and :mod:`.api` use these, so neither imports the other.
"""
from __future__ import annotations

from flask import abort, current_app, request

from ..config import search_limits
from ..search import SearchRequest
from . import state
from .engine import get_backend
from .presenters import facet_values, links_for

#: Longest text accepted in a facet's own search box (names are short).
MAX_PREFIX_CHARS = 100


def parse_search_request() -> SearchRequest:
    """The request's search state, parsed and clamped once."""
    return SearchRequest.from_args(request.args, limits=search_limits(current_app.config))


def parse_facet_args(req: SearchRequest) -> tuple[str, int, list[str]]:
    """``prefix`` and ``size`` of a facet value request, clamped, with warnings."""
    warnings = []
    prefix = " ".join(request.args.get("prefix", "").split())
    if len(prefix) > MAX_PREFIX_CHARS:
        prefix = prefix[:MAX_PREFIX_CHARS]
        warnings.append(f"The facet search was cut to {MAX_PREFIX_CHARS} characters.")
    limits = req.limits
    raw = request.args.get("size", "")
    try:
        size = int(raw) if raw.strip() else req.facet_size
    except ValueError:
        size = req.facet_size
        warnings.append("Ignored a size that is not a number.")
    if not 1 <= size <= limits.max_facet_size:
        size = min(max(size, 1), limits.max_facet_size)
        warnings.append(f"The facet size must be between 1 and {limits.max_facet_size}; used {size}.")
    return prefix, size, warnings


def facet_listing(name: str, endpoint: str) -> dict:
    """Values of one facet for the current search, optionally matching ``prefix``."""
    facet = state.facet_for_param(name)
    if facet is None:
        abort(404, description=f"There is no facet called {name!r}.")
    req = parse_search_request()
    prefix, size, warnings = parse_facet_args(req)
    values = get_backend().facet_values(facet, req, prefix=prefix, size=size)
    # A prefix search lists only what matches; selected values stay in the main list.
    items = facet_values(links_for(endpoint, req), facet, values, keep_selected=not prefix)
    more = min(req.limits.max_facet_size, size * 2)
    return {
        "facet": facet,
        "param": state.FACET_TO_PARAM[facet],
        "list_id": f"facet-{state.FACET_TO_PARAM[facet]}-values",
        "label": state.FACET_LABELS[facet],
        "prefix": prefix,
        "size": size,
        "values": items,
        "has_more": len(values) >= size and size < req.limits.max_facet_size,
        "more_url": state.with_query(
            request.path, req.to_args() + ([("prefix", prefix)] if prefix else []) + [("size", str(more))]
        ),
        "warnings": list(req.warnings) + warnings,
        "search_url": state.with_query(current_app.url_for("views.search"), req.to_args()),
        "state": req.to_args(),
    }
