"""The OpenAPI 3 document served at ``/api/openapi.json``.

Written by hand from the settings table and the request parameters so the
documented bounds are the enforced ones; a test checks every route is described.
"""
from __future__ import annotations

from flask import current_app

from ..models import ENTITY_TYPES
from ..search.request import (
    FACET_ORDERS, FACET_TO_PARAM, MODE_FACETS, MODES, PARAM_TO_FACET, RANGE_FACETS, SORTS, YEAR_MAX, YEAR_MIN,
)

FACET_PARAMS = tuple(PARAM_TO_FACET)


def _param(name: str, schema: dict, description: str, many: bool = False) -> dict:
    if many:
        schema = {"type": "array", "items": schema}
    param = {"name": name, "in": "query", "required": False, "schema": schema, "description": description}
    if many:
        param.update(style="form", explode=True)
    return param


def _search_params(limits) -> list[dict]:
    params = [
        _param("q", {"type": "string", "maxLength": 10000},
               f'Query text: words, "quoted phrases", -exclusion, OR, prefix*. Cut to {limits.max_query_chars} '
               "characters (with a warning); never an error."),
    ]
    for p in FACET_PARAMS:
        value = {"type": "integer"} if "year" in p else {"type": "string"}
        combine = "several values: any of them, or all with " + p + "_mode=all" if PARAM_TO_FACET[p] in MODE_FACETS \
            else "several values: any of them"
        params.append(_param(p, value, f"Keep documents with this {p} ({combine}).", many=True))
        params.append(_param(f"not_{p}", value, f"Drop documents with this {p}.", many=True))
    for facet in MODE_FACETS:
        p = FACET_TO_PARAM[facet]
        params.append(_param(f"{p}_mode", {"type": "string", "enum": list(MODES), "default": "any"},
                             f"any: documents with any selected {p} (its counts ignore its own selections); "
                             f"all: documents with every selected {p} (its counts are narrowed by them)."))
    for facet in RANGE_FACETS:
        p = FACET_TO_PARAM[facet]
        year = {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}
        for side, word in (("from", "from"), ("to", "up to")):
            params.append(_param(f"{p}_{side}", year, f"Keep documents with a {p.replace('_', ' ')} {word} this "
                                 "year (inclusive; clamped; a bad value is ignored with a warning)."))
    params += [
        _param("facet_order", {"type": "string", "enum": list(FACET_ORDERS), "default": "count"},
               "Order of entity facet values: by document count or A–Z (years are always in year order)."),
        _param("sort", {"type": "string", "enum": list(SORTS)},
               "Result order; default newest without query text, relevance with it."),
        _param("page", {"type": "integer", "minimum": 1, "maximum": limits.max_page, "default": 1},
               "Result page; out-of-range values are clamped with a warning."),
        _param("size", {"type": "integer", "minimum": 1, "maximum": limits.max_size,
                        "default": limits.default_size}, "Documents per page (clamped)."),
        _param("facet_size", {"type": "integer", "minimum": 1, "maximum": limits.max_facet_size,
                              "default": limits.default_facet_size}, "Values per facet (clamped)."),
    ]
    return params


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


#: The source as users know it; never the server's own file path.
SOURCE = {"type": "string", "nullable": True,
          "description": "The file it came from, relative to the indexed folder (file#record for records)."}

ERRORS = {
    "404": _json(_ref("Error"), "Unknown document or facet."),
    "503": _json(_ref("Error"), "The search engine is unavailable."),
}

SCHEMAS = {
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["status", "title", "message"], "properties": {
            "status": {"type": "integer"}, "title": {"type": "string"}, "message": {"type": "string"},
            "detail": {"type": "string"}}}},
    },
    "FacetValue": {
        "type": "object", "required": ["value", "count", "selected", "excluded"],
        "properties": {
            "value": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "count": {"type": "integer", "description": "Number of documents."},
            "selected": {"type": "boolean"}, "excluded": {"type": "boolean"},
            "toggle_url": {"type": "string"}, "exclude_url": {"type": "string"},
        },
    },
    "Passage": {
        "type": "object", "required": ["index", "text", "highlights", "html"],
        "properties": {
            "index": {"type": "integer"}, "start": {"type": "integer"}, "end": {"type": "integer"},
            "text": {"type": "string"},
            "highlights": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
            "html": {"type": "string", "description": "HTML excerpt (about 320 characters) around the best matches: escaped text, matches in <mark>."},
            "url": {"type": "string"},
        },
    },
    "Result": {
        "type": "object", "required": ["id", "title", "passages", "more_matches", "entities"],
        "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "score": {"type": "number"},
            "published": {"type": "string", "format": "date", "nullable": True},
            "agency": {"type": "string", "nullable": True},
            "source": SOURCE,
            "url": {"type": "string", "nullable": True},
            "document_url": {"type": "string"}, "api_url": {"type": "string"},
            "passages": {"type": "array", "items": _ref("Passage")},
            "more_matches": {"type": "integer"},
            "entities": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "object"}}},
        },
    },
    "SearchResponse": {
        "type": "object", "required": ["total", "results", "facets", "warnings"],
        "properties": {
            "q": {"type": "string"}, "sort": {"type": "string"}, "page": {"type": "integer"},
            "size": {"type": "integer"}, "total": {"type": "integer", "description": "Matching documents."},
            "results": {"type": "array", "items": _ref("Result")},
            "facets": {"type": "object", "properties": {
                p: {"type": "array", "items": _ref("FacetValue")} for p in FACET_PARAMS}},
            "filters": {"type": "array", "items": {"type": "object"}},
            "pages": {"type": "object"},
            "warnings": {"type": "array", "items": {"type": "string"}},
            "query_hint": {"type": "string", "nullable": True},
            "undated": {"type": "integer", "description": "Documents without a published year, counted like "
                        "the year facet (its own selections and range left out)."},
            "related": {"$ref": "#/components/schemas/Associations"},
        },
    },
    "FacetResponse": {
        "type": "object", "required": ["facet", "values"],
        "properties": {
            "facet": {"type": "string"}, "prefix": {"type": "string"}, "size": {"type": "integer"},
            "offset": {"type": "integer"},
            "values": {"type": "array", "items": _ref("FacetValue")}, "has_more": {"type": "boolean"},
            "next_url": {"type": "string", "nullable": True}, "prev_url": {"type": "string", "nullable": True},
            "warnings": {"type": "array", "items": {"type": "string"}},
        },
    },
    "Document": {
        "type": "object", "required": ["id", "title", "text", "passages", "entities"],
        "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "text": {"type": "string"},
            "published": {"type": "string", "format": "date", "nullable": True},
            "agency": {"type": "string", "nullable": True},
            "source": SOURCE,
            "url": {"type": "string", "nullable": True},
            "mentioned_years": {"type": "array", "items": {"type": "integer"}},
            "passages": {"type": "array", "items": {"type": "object"}},
            "entities": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "object"}}},
        },
    },
    "Association": {
        "type": "object", "required": ["value", "documents", "score"],
        "properties": {
            "value": {"type": "string"},
            "documents": {"type": "integer", "description": "Documents shared (co-mentions) or among the results (related)."},
            "score": {"type": "number", "description": "Signed log-likelihood ratio G² (docs/api.md)."},
        },
    },
    "Associations": {
        "type": "object", "required": list(ENTITY_TYPES),
        "properties": {t: {"type": "array", "items": {"$ref": "#/components/schemas/Association"}} for t in ENTITY_TYPES},
    },
    "YearCount": {
        "type": "object", "required": ["year", "count"],
        "properties": {"year": {"type": "integer"}, "count": {"type": "integer"}},
    },
    "Entity": {
        "type": "object",
        "required": ["type", "value", "documents", "variants", "published_years", "mentioned_years",
                     "co_mentions", "passages"],
        "properties": {
            "type": {"type": "string", "enum": list(ENTITY_TYPES)}, "value": {"type": "string"},
            "documents": {"type": "integer", "description": "Documents mentioning it."},
            "variants": {"type": "array", "items": {
                "type": "object", "required": ["form", "count"],
                "properties": {"form": {"type": "string"}, "count": {"type": "integer", "description": "Mentions."}}}},
            "published_years": {"type": "array", "items": {"$ref": "#/components/schemas/YearCount"}},
            "mentioned_years": {"type": "array", "items": {"$ref": "#/components/schemas/YearCount"}},
            "co_mentions": {"$ref": "#/components/schemas/Associations"},
            "passages": {"type": "array", "items": {
                "type": "object", "required": ["document_id", "passage", "text", "mentions", "url"],
                "properties": {
                    "document_id": {"type": "string"}, "title": {"type": "string"},
                    "published": {"type": "string", "format": "date", "nullable": True},
                    "passage": {"type": "integer"}, "text": {"type": "string"},
                    "mentions": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
                    "url": {"type": "string"}, "document_url": {"type": "string"}}}},
        },
    },
    "Health": {
        "type": "object", "required": ["status", "engine", "documents"],
        "properties": {"status": {"type": "string"}, "engine": {"type": "string"}, "documents": {"type": "integer"}},
    },
}


def openapi_document() -> dict:
    """The API description for the current app's limits."""
    settings = current_app.config["SETTINGS"]
    limits = settings.limits
    search_params = _search_params(limits)
    return {
        "openapi": "3.0.3",
        "info": {"title": "Article search API", "version": "1",
                 "description": "Read-only faceted full-text search. Facet counts are numbers of documents."},
        "paths": {
            "/api/search": {"get": {
                "operationId": "search", "summary": "Search documents with facets",
                "parameters": search_params,
                "responses": {"200": _json(_ref("SearchResponse"), "Results and facets."), "503": ERRORS["503"]},
            }},
            "/api/export": {"get": {
                "operationId": "export", "summary": "Every matching document as CSV or JSON Lines (streamed)",
                "description": (
                    "The search's documents in its sort order, all pages, up to "
                    f"{settings.export_max_documents:,} (EXPORT_MAX_DOCUMENTS). CSV is UTF-8 with a byte order "
                    "mark, lists joined with '; ', cells starting with = + - @ tab or CR prefixed with '. When "
                    "more documents match than the limit, the file's last line says so."),
                "parameters": [
                    _param("format", {"type": "string", "enum": ["csv", "jsonl"], "default": "csv"}, "File format."),
                    *[p for p in search_params if p["name"] not in ("page", "size", "facet_size", "facet_order")],
                ],
                "responses": {
                    "200": {
                        "description": "The export file (an attachment).",
                        "headers": {
                            "X-Total-Count": {"schema": {"type": "integer"}, "description": "Matching documents."},
                            "X-Export-Count": {"schema": {"type": "integer"}, "description": "Documents in the file."},
                            "X-Export-Truncated": {"schema": {"type": "string"},
                                                   "description": "Present when the limit cut the export."},
                        },
                        "content": {
                            "text/csv": {"schema": {"type": "string"}},
                            "application/x-ndjson": {"schema": {"type": "string"}},
                        },
                    },
                    "400": _json(_ref("Error"), "Unknown format."),
                    "503": ERRORS["503"],
                },
            }},
            "/api/documents/{doc_id}": {"get": {
                "operationId": "getDocument", "summary": "One document",
                "parameters": [{"name": "doc_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json(_ref("Document"), "The document."), **ERRORS},
            }},
            "/api/facets/{name}": {"get": {
                "operationId": "facetValues", "summary": "Values of one facet, optionally matching a prefix",
                "parameters": [
                    {"name": "name", "in": "path", "required": True,
                     "schema": {"type": "string", "enum": list(FACET_PARAMS)}},
                    _param("prefix", {"type": "string", "maxLength": 1000},
                           "Only values whose name contains this text (case- and accent-insensitive)."),
                    _param("size", {"type": "integer", "minimum": 1, "maximum": limits.max_facet_size},
                           "How many values (clamped)."),
                    _param("offset", {"type": "integer", "minimum": 0, "default": 0},
                           "Skip this many values (follow next_url to page through all of them)."),
                    *[p for p in search_params if p["name"] not in ("page", "size", "sort", "facet_size")],
                ],
                "responses": {"200": _json(_ref("FacetResponse"), "A page of facet values in the facet order."), **ERRORS},
            }},
            "/api/entities/{type}/{value}": {"get": {
                "operationId": "getEntity",
                "summary": "One name: documents, years, surface forms, co-mentions and passages",
                "parameters": [
                    {"name": "type", "in": "path", "required": True,
                     "schema": {"type": "string", "enum": list(ENTITY_TYPES)}},
                    {"name": "value", "in": "path", "required": True, "schema": {"type": "string"},
                     "description": "The facet value (display name), URL-encoded."},
                ],
                "responses": {"200": _json(_ref("Entity"), "The entity."),
                              "404": _json(_ref("Error"), "No document mentions this value."),
                              "503": ERRORS["503"]},
            }},
            "/api/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This document",
                "responses": {"200": {"description": "OpenAPI document",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}},
            }},
            "/healthz": {"get": {
                "operationId": "health", "summary": "Engine and document count",
                "responses": {"200": _json(_ref("Health"), "Healthy."), "503": ERRORS["503"]},
            }},
        },
        "components": {"schemas": SCHEMAS},
    }
