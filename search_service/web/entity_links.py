"""URLs of entity pages and of the searches an entity page links to."""
from __future__ import annotations

from flask import url_for

from ..search import SearchRequest
from . import state


def entity_url(entity_type: str, value: str, api: bool = False) -> str:
    """The entity page (or its JSON) of one value; ``url_for`` quotes the value,
    keeping slashes, which the ``path`` route converter takes back."""
    return url_for("api.entity" if api else "views.entity", entity_type=entity_type, value=value)


def search_url(entity_type: str, value: str, **changes) -> str:
    """The search for every document mentioning this value (with ``changes``
    to the request, e.g. a year)."""
    req = state.toggled(SearchRequest(), entity_type, value)
    if changes:
        req = req.with_changes(filters={**req.filters, **changes})
    return state.with_query(url_for("views.search"), req.to_args())


def together_url(entity_type: str, value: str, other_type: str, other: str) -> str:
    """The search for documents mentioning both values: AND across facets, and
    all-mode (``<param>_mode=all``) when both are of one type."""
    req = state.toggled(state.toggled(SearchRequest(), entity_type, value), other_type, other)
    if entity_type == other_type:
        req = req.with_changes(modes={entity_type: "all"})
    return state.with_query(url_for("views.search"), req.to_args())
