"""The "related to this search" panel: values over-represented in the results
(scored in :mod:`search_service.search.entities`), each one click from being
added as a filter."""
from __future__ import annotations

from ..models import ENTITY_TYPES
from ..search.entities import Association
from . import state
from .entity_links import entity_url
from .entity_page import GROUP_LABELS


def present_related(links: state.Links, related: dict[str, list[Association]] | None) -> list[dict] | None:
    """Groups of related values with their links; None when there is nothing to
    show (no query and no filter, or nothing over-represented)."""
    if not related or not any(related.values()):
        return None
    return [
        {
            "type": etype,
            "label": GROUP_LABELS[etype],
            "items": [
                {
                    "value": item.value,
                    "documents": item.documents,
                    "score": item.score,
                    "documents_label": f"{item.documents:,} of these results",
                    "add_url": links.toggle(etype, item.value),
                    "url": entity_url(etype, item.value),
                    "id": state.dom_id("r", etype, item.value),
                }
                for item in related.get(etype, [])
            ],
        }
        for etype in ENTITY_TYPES
        if related.get(etype)
    ]


def related_json(related: dict[str, list[Association]] | None) -> dict:
    """The API form: ``{person: [{value, documents, score}], ...}``, lists empty
    when the search has no query and no filter."""
    related = related or {}
    return {
        etype: [{"value": a.value, "documents": a.documents, "score": a.score} for a in related.get(etype, [])]
        for etype in ENTITY_TYPES
    }

