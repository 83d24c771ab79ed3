"""HTML pages: search, facet value lists, documents, entities.

Each view parses the request once, asks the backend, builds one plain dict with
a presenter and renders either the full page or (for a targeted htmx request)
only the fragment. Only GET routes exist: nothing here changes the index.
"""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from .args import facet_listing, parse_search_request
from .context import DOCUMENT_PARAMS, context_pairs, has_context, parse_rank, parse_shown, present_context
from .document import present_document
from .engine import get_backend
from .entity_page import entity_or_404, present_entity
from .partial import SEARCH_REGION, is_htmx_partial_request
from .parts import part_of_passage
from .presenters import links_for, plural, present_search
from .related import present_related

bp = Blueprint("views", __name__)

@bp.get("/")
@bp.get("/search")
def search():
    """The search page (every state in the URL), or its results region for htmx."""
    req = parse_search_request()
    backend = get_backend()
    result = backend.search(req)
    page = present_search(req, result)
    page["related"] = present_related(links_for("views.search", req), backend.related(req))
    if is_htmx_partial_request(SEARCH_REGION):
        return render_template("_search_fragment.html", page=page)
    return render_template("search.html", page=page)


# merge_slashes off: a name may hold "//" (the URL would be redirected away). A name starting
# with "/" cannot be addressed (the path converter needs a first character that is not one).
@bp.get("/entities/<entity_type>/<path:value>", merge_slashes=False)
def entity(entity_type: str, value: str):
    """One name's page: its documents over time, surface forms, co-mentions, passages."""
    return render_template("entity.html", entity=present_entity(entity_or_404(entity_type, value)))


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
    backend = get_backend()
    article = backend.get(doc_id)
    if article is None:
        abort(404, description="There is no document with this id. It may have been removed from the index.")
    req = parse_search_request(exclude=DOCUMENT_PARAMS)
    rank, shown = parse_rank(), parse_shown()
    matches = backend.document_matches(article.id, req.q) if req.q else []
    part = _part_arg()
    if "part" not in request.args and shown:
        # "N more matches": open the part holding the first match beyond the shown passages
        part = next((part_of_passage(p.index) for p in matches if p.index not in shown), 1)
    context = present_context(backend, req, rank, article.id) if has_context(req) else None
    doc = present_document(article, part=part, matches=matches, context=context_pairs(req, rank) if context else [],
                           shown=shown)
    return render_template("document.html", doc=doc, context=context)


def _part_arg() -> int:
    """``?part=N`` of a long document; anything unreadable is the first part."""
    raw = request.args.get("part", "1")
    # ASCII digits only: "²" passes isdigit() yet int() refuses it (that was a 500).
    return int(raw) if raw.isascii() and raw.isdecimal() and len(raw) <= 9 else 1
