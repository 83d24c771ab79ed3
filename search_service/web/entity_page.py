"""The entity page and ``/api/entities/<type>/<value>`` as one plain dict each,
from an engine-neutral :class:`EntityProfile`."""
from __future__ import annotations

from flask import abort, url_for

from ..models import ENTITY_TYPES
from ..search.entities import Association, EntityProfile
from .charts import year_axis
from .engine import get_backend
from .ego import ego_network, strongest
from .entity_links import entity_url, search_url, together_url
from .highlight import snippet
from .parts import passage_url
from .presenters import plural

TYPE_LABELS = {"person": "Person", "organisation": "Organisation", "place": "Place"}
GROUP_LABELS = {"person": "People", "organisation": "Organisations", "place": "Places"}


def entity_or_404(entity_type: str, value: str) -> EntityProfile:
    """The profile of one value, or a 404 (unknown type, unusable value, or no
    document mentions it): never a server error."""
    profile = get_backend().entity(entity_type, value)
    if profile is None:
        abort(404, description="No document mentions this name as a person, organisation or place.")
    return profile


def _co_mention(profile: EntityProfile, etype: str, item: Association) -> dict:
    return {
        "value": item.value,
        "documents": item.documents,
        "score": item.score,
        "documents_label": plural(item.documents, "shared document"),
        "url": entity_url(etype, item.value),
        "together_url": together_url(profile.type, profile.value, etype, item.value),
    }


def _passage(passage) -> dict:
    doc_url = url_for("views.document", doc_id=passage.doc_id)
    return {
        "document_id": passage.doc_id,
        "title": passage.title,
        "published": passage.published.isoformat() if passage.published else None,
        "published_label": passage.published.strftime("%-d %B %Y") if passage.published else None,
        "passage": passage.index,
        "text": passage.text,
        "mentions": [list(m) for m in passage.mentions],
        "html": snippet(passage.text, passage.mentions),
        "url": passage_url(doc_url, passage.index),
        "document_url": doc_url,
    }


def present_entity(profile: EntityProfile) -> dict:
    """Everything the entity page shows."""
    co_mentions = {
        etype: [_co_mention(profile, etype, item) for item in profile.co_mentions.get(etype, [])]
        for etype in ENTITY_TYPES
    }
    neighbours = strongest(co_mentions)
    return {
        "type": profile.type,
        "type_label": TYPE_LABELS[profile.type],
        "value": profile.value,
        "documents": profile.documents,
        "documents_label": plural(profile.documents, "document"),
        "search_url": search_url(profile.type, profile.value),
        "api_url": entity_url(profile.type, profile.value, api=True),
        "variants": [{"form": form, "count": count, "count_label": plural(count, "mention")}
                     for form, count in profile.variants],
        "variants_partial": profile.documents_read < profile.documents,
        "documents_read": profile.documents_read,
        "published_years": [{"year": y, "count": c} for y, c in profile.published_years],
        "mentioned_years": [{"year": y, "count": c} for y, c in profile.mentioned_years],
        "published_chart": year_axis(
            profile.published_years, lambda y: search_url(profile.type, profile.value, published_year=(y,))),
        "mentioned_chart": year_axis(
            profile.mentioned_years, lambda y: search_url(profile.type, profile.value, mentioned_years=(y,))),
        "co_mentions": [
            {"type": etype, "label": GROUP_LABELS[etype], "items": co_mentions[etype]} for etype in ENTITY_TYPES
        ],
        "ego": ego_network(profile.value, profile.type, neighbours),
        "passages": [_passage(p) for p in profile.passages],
    }


def entity_json(page: dict) -> dict:
    """The API form: exactly the documented keys."""
    return {
        "type": page["type"],
        "value": page["value"],
        "documents": page["documents"],
        "variants": [{"form": v["form"], "count": v["count"]} for v in page["variants"]],
        "published_years": page["published_years"],
        "mentioned_years": page["mentioned_years"],
        "co_mentions": {
            group["type"]: [{k: item[k] for k in ("value", "documents", "score")} for item in group["items"]]
            for group in page["co_mentions"]
        },
        "passages": [{k: v for k, v in p.items() if k not in ("html", "published_label")}
                     for p in page["passages"]],
    }
