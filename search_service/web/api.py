"""The JSON API: the same parameters and the same presenters as the pages.

``GET /api/search``, ``/api/documents/<id>``, ``/api/facets/<name>``,
``/api/entities/<type>/<value>``,
``/api/openapi.json`` and ``/healthz``. Errors come back as JSON from
:mod:`.errors`. Read-only: nothing here changes the index.
"""
from __future__ import annotations

from flask import Blueprint, abort, jsonify

from .args import facet_listing, parse_search_request
from .document import document_json, present_document
from .engine import get_backend
from .entity_page import entity_json, entity_or_404, present_entity
from .openapi import openapi_document
from .presenters import present_search
from .related import related_json

bp = Blueprint("api", __name__)

#: Keys of a presented facet value that the API returns.
VALUE_KEYS = ("value", "count", "selected", "excluded", "toggle_url", "exclude_url")


#: Keys of a presented hit that only the HTML page uses.
HIT_PAGE_ONLY = ("has_entities", "shown_source")


def _values(items: list[dict]) -> list[dict]:
    return [{k: item[k] for k in VALUE_KEYS} for item in items]


def search_json(page: dict) -> dict:
    """The API form of a presented search page."""
    pages = page["pages"]
    return {
        "q": page["q"],
        "sort": page["sort"],
        "page": page["page"],
        "size": page["size"],
        "total": page["total"],
        "results": [
            {**{k: v for k, v in hit.items() if k not in HIT_PAGE_ONLY},
             "passages": [{**p, "html": str(p["html"])} for p in hit["passages"]]}
            for hit in page["results"]
        ],
        "facets": {param: _values(items) for param, items in page["facets"].items()},
        "filters": [
            {"facet": c["param"], "value": c["value"], "excluded": c["excluded"], "remove_url": c["remove_url"]}
            for c in page["chips"]
        ],
        "pages": {
            "last": pages["last"],
            "clamped": pages["clamped"],
            "next_url": pages["next_url"],
            "prev_url": pages["prev_url"],
        },
        "warnings": page["warnings"],
        "query_hint": page["query_hint"],
    }


@bp.get("/api/search")
def search():
    """Search with the page's parameters; JSON results, facets and warnings."""
    req = parse_search_request()
    backend = get_backend()
    result = backend.search(req)
    data = search_json(present_search(req, result, endpoint="api.search"))
    data["undated"] = result.undated
    data["related"] = related_json(backend.related(req))
    return jsonify(data)


@bp.get("/api/entities/<entity_type>/<path:value>", merge_slashes=False)
def entity(entity_type: str, value: str):
    """One name: documents, years, surface forms, co-mentions and passages."""
    return jsonify(entity_json(present_entity(entity_or_404(entity_type, value))))


@bp.get("/api/documents/<path:doc_id>")
def document(doc_id: str):
    """One stored document with its passages and entities."""
    article = get_backend().get(doc_id)
    if article is None:
        abort(404, description="There is no document with this id.")
    return jsonify(document_json(present_document(article, marked_text=False)))


@bp.get("/api/facets/<name>")
def facet(name: str):
    """One page of one facet's values for the current search (``prefix`` narrows
    them; ``size`` and ``offset`` page through all of them)."""
    listing = facet_listing(name, "api.search")
    return jsonify({
        "facet": listing["param"],
        "prefix": listing["prefix"],
        "size": listing["size"],
        "offset": listing["offset"],
        "values": _values(listing["values"]),
        "has_more": listing["has_more"],
        "next_url": listing["next_url"],
        "prev_url": listing["prev_url"],
        "warnings": listing["warnings"],
    })


@bp.get("/api/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document())


@bp.get("/healthz")
def healthz():
    """Engine name and document count; 503 when the engine cannot answer."""
    backend = get_backend()
    stats = backend.stats()  # BackendError → 503 JSON (errors.py)
    return jsonify({"status": "ok", "engine": stats.get("backend", backend.name), "documents": stats["documents"]})
