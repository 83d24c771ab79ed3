"""What the pages and the JSON API read from a request's query string, parsed once.

Both :mod:`.views` and :mod:`.api` use these, so neither imports the other.
"""
from __future__ import annotations

from flask import abort, current_app, request
from werkzeug.datastructures import MultiDict

from ..search import SearchRequest
from ..search.facets import value_search
from ..search.request import clamp_int
from . import state
from .engine import get_backend
from .presenters import facet_state, facet_values, links_for

#: Parameters of a facet value page itself, never part of the search state
#: (``size`` and ``page`` there would be the results' paging).
FACET_PAGE_PARAMS = ("prefix", "size", "offset", "page")


def parse_search_request(exclude: tuple[str, ...] = ()) -> SearchRequest:
    """The request's search state, parsed and clamped once (without ``exclude``d parameters)."""
    args = request.args
    if exclude:
        args = MultiDict([(k, v) for k, v in request.args.items(multi=True) if k not in exclude])
    return SearchRequest.from_args(args, limits=current_app.config["SETTINGS"].limits)


def parse_facet_args(req: SearchRequest, facet: str) -> tuple[str, int, int, list[str]]:
    """``prefix``, ``size`` and ``offset`` of a facet value page, clamped, with warnings."""
    prefix, warnings = value_search(facet, request.args.get("prefix", ""))
    limits = req.limits
    size = clamp_int(request.args.get("size"), req.facet_size, 1, limits.max_facet_size, "facet size", warnings)
    offset = clamp_int(request.args.get("offset"), 0, 0, limits.max_facet_offset, "facet offset", warnings)
    return prefix, size, offset, warnings


def facet_listing(name: str, endpoint: str) -> dict:
    """One page of the values of one facet for the current search, optionally
    matching ``prefix``; ``next_url``/``prev_url`` page through all of them."""
    facet = state.facet_for_param(name)
    if facet is None:
        abort(404, description=f"There is no facet called {name!r}.")
    req = parse_search_request(exclude=FACET_PAGE_PARAMS)
    prefix, size, offset, warnings = parse_facet_args(req, facet)
    # One value more than the page tells whether a next page exists.
    values = get_backend().facet_values(facet, req, prefix=prefix, size=size + 1, offset=offset)
    has_more = len(values) > size
    values = values[:size]
    # A prefix search lists only what matches; selected values stay in the main list.
    items = facet_values(links_for(endpoint, req), facet, values, keep_selected=not prefix and offset == 0)
    own = [("prefix", prefix)] if prefix else []

    def page_url(at: int) -> str:
        return state.with_query(request.path, req.to_args() + own + [("size", str(size))]
                                + ([("offset", str(at))] if at else []))

    next_url = page_url(offset + size) if has_more else None
    return {
        "facet": facet,
        "param": state.FACET_TO_PARAM[facet],
        "list_id": f"facet-{state.FACET_TO_PARAM[facet]}-values",
        "label": state.FACET_LABELS[facet],
        "prefix": prefix,
        "size": size,
        "offset": offset,
        "values": items,
        "has_more": has_more,
        "more_url": next_url,
        "next_url": next_url,
        "prev_url": page_url(max(0, offset - size)) if offset else None,
        "range_label": f"Values {offset + 1:,}–{offset + len(values):,}" if values else None,
        "warnings": list(req.warnings) + warnings,
        "search_url": state.with_query(current_app.url_for("views.search"), req.to_args()),
        "state": facet_state(req),
    }
