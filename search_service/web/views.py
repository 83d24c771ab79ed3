"""HTML pages: search, facet value lists, documents.

Each view parses the request once, asks the backend, builds one plain dict with
a presenter and renders either the full page or (for a targeted htmx request)
only the fragment. Only GET routes exist: nothing here changes the index.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from ..config import search_limits
from ..search import SearchRequest
from . import state
from .document import present_document
from .engine import get_backend
from .partial import SEARCH_REGION, is_htmx_partial_request
from .presenters import facet_values, links_for, plural, present_search

bp = Blueprint("views", __name__)

#: Most years one chart shows.
CHART_YEARS = 60
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


def year_chart_values(backend, req: SearchRequest, result) -> dict:
    """Every publication year for its chart, not just the top N by count that the
    search returned (one extra aggregation, only when the top N may have cut
    years off). Mentioned years span centuries, so that chart keeps the top N."""
    values = result.facets.get("published_year", [])
    if sum(1 for v in values if not v.excluded) < req.facet_size:
        return {}
    full = backend.facet_values("published_year", req, size=min(CHART_YEARS, req.limits.max_facet_size))
    return {"published_year": full + [v for v in values if v.excluded]}


@bp.get("/")
@bp.get("/search")
def search():
    """The search page (every state in the URL), or its results region for htmx."""
    req = parse_search_request()
    backend = get_backend()
    result = backend.search(req)
    page = present_search(req, result, chart_values=year_chart_values(backend, req, result))
    if is_htmx_partial_request(SEARCH_REGION):
        return render_template("_search_fragment.html", page=page)
    return render_template("search.html", page=page)


@bp.get("/facets/<name>")
def facet(name: str):
    """More values of one facet, or those matching ``prefix`` (page without JS,
    the value list only for htmx)."""
    listing = facet_listing(name, "views.search")
    listing["count_label"] = plural(len(listing["values"]), "value")
    if is_htmx_partial_request(listing["list_id"]):
        # Shown inside the search page: value links swap its results region.
        return render_template("_facet_listing.html", listing={**listing, "plain": False})
    return render_template("facet.html", listing={**listing, "plain": True})


@bp.get("/documents/<path:doc_id>")
def document(doc_id: str):
    """One document: metadata, text with entities marked, passage anchors."""
    article = get_backend().get(doc_id)
    if article is None:
        abort(404, description="There is no document with this id. It may have been removed from the index.")
    return render_template("document.html", doc=present_document(article, part=_part_arg()))


def _part_arg() -> int:
    """``?part=N`` of a long document; anything unreadable is the first part."""
    raw = request.args.get("part", "1")
    # ASCII digits only: "²" passes isdigit() yet int() refuses it (that was a 500).
    return int(raw) if raw.isascii() and raw.isdecimal() and len(raw) <= 9 else 1
