"""Entity pages and related entities on Elasticsearch: pure request bodies and
response readers (tested in tests/test_es_entities.py). The scoring is in
:mod:`search_service.search.entities`; Elasticsearch only counts.

* Entity page: one search for the entity's documents (``term`` filter on the
  type's keyword field) returning its newest articles and ``terms`` aggregations
  of years and co-mentioned values (a ``terms`` bucket of a multi-valued field
  counts every document holding that value, so each co-mention's count is the
  number of documents shared), then one ``size: 0`` search over every article
  whose ``terms`` aggregations, restricted by ``include`` to those values, give
  their collection counts.
* Related entities: ``significant_terms`` per entity type under a ``sampler``
  (the best :data:`SAMPLE_SHARD_SIZE` results per shard), whose buckets carry
  the foreground ``doc_count`` and the collection ``bg_count``; the candidates
  are re-scored above the engines with the same G² as on Tantivy.
"""
from __future__ import annotations

from ..models import ENTITY_TYPES
from ..search import SearchRequest
from ..search.entities import CANDIDATES, PROFILE_ARTICLES, RELATED_MIN_SUPPORT, EntityCounts, RelatedCounts
from .es_query import facet_filter, sort_spec, text_query
from .es_mapping import ARTICLE_SOURCE
from .es_result import parse_article

#: Results per shard the related-entities sample holds: exact below it, the
#: best-scoring ones above it.
SAMPLE_SHARD_SIZE = 2_000
#: Year buckets asked for (more than any chart shows).
YEAR_BUCKETS = 10_000
#: Candidates ``significant_terms`` returns per type, re-scored above the engine.
RELATED_CANDIDATES = 50


def entity_query(entity_type: str, value: str) -> dict:
    """Articles mentioning ``value`` as an entity of ``entity_type``."""
    if entity_type not in ENTITY_TYPES:
        raise ValueError(f"unknown entity type {entity_type!r}")
    return {"bool": {"filter": [{"term": {entity_type: value}}]}}


def entity_body(entity_type: str, value: str) -> dict:
    """The entity's newest articles, its document count, years and co-mentions."""
    aggs = {
        "published_year": {"terms": {"field": "published_year", "size": YEAR_BUCKETS}},
        "mentioned_years": {"terms": {"field": "mentioned_years", "size": YEAR_BUCKETS}},
    }
    for other in ENTITY_TYPES:  # +1: the value itself is among its own type's buckets
        aggs[other] = {"terms": {"field": other, "size": CANDIDATES + 1}}
    return {
        "query": entity_query(entity_type, value),
        "size": PROFILE_ARTICLES,
        "sort": sort_spec("newest"),
        "track_total_hits": True,
        "_source": ARTICLE_SOURCE,
        "aggs": aggs,
    }


def background_body(values: dict[str, list[str]]) -> dict:
    """Collection counts of the given values of each entity type."""
    aggs = {
        etype: {"terms": {"field": etype, "include": list(names), "size": len(names)}}
        for etype, names in values.items() if names
    }
    return {"size": 0, "track_total_hits": True, "query": {"match_all": {}}, "aggs": aggs}


def _buckets(response: dict, name: str, cast=str) -> list[tuple]:
    buckets = ((response.get("aggregations") or {}).get(name) or {}).get("buckets", [])
    return [(cast(b["key"]), int(b["doc_count"])) for b in buckets]


def _total(response: dict) -> int:
    total = (response.get("hits") or {}).get("total") or 0
    return int(total["value"] if isinstance(total, dict) else total)


def candidates(response: dict) -> dict[str, list[str]]:
    """The co-mentioned values of an entity response, per type."""
    return {etype: [value for value, _ in _buckets(response, etype)] for etype in ENTITY_TYPES}


def parse_entity(entity_type: str, value: str, response: dict, background: dict) -> EntityCounts | None:
    """Counts of an entity page from the entity response and the background
    response; None when no article mentions it."""
    documents = _total(response)
    if not documents:
        return None
    articles = [parse_article(hit.get("_source")) for hit in (response.get("hits") or {}).get("hits", [])]
    return EntityCounts(
        type=entity_type,
        value=value,
        documents=documents,
        total=_total(background),
        published_years=_buckets(response, "published_year", int),
        mentioned_years=_buckets(response, "mentioned_years", int),
        co_counts={etype: _buckets(response, etype) for etype in ENTITY_TYPES},
        background={etype: dict(_buckets(background, etype)) for etype in ENTITY_TYPES},
        articles=[a for a in articles if a is not None],
    )


def related_body(request: SearchRequest) -> dict:
    """``significant_terms`` of each entity type over a sample of the results of
    ``request`` (its text and every selection and exclusion), leaving out the
    values it already selects or excludes. Background: the whole index."""
    query: dict = {"bool": {"must": [text_query(request, with_passages=False)]}}
    narrowing = facet_filter(request)
    if narrowing is not None:
        query["bool"]["filter"] = [narrowing]
    inner = {}
    for etype in ENTITY_TYPES:
        spec: dict = {
            "field": etype,
            "size": RELATED_CANDIDATES,
            "min_doc_count": RELATED_MIN_SUPPORT,
            # Candidates by chi-square; they are re-scored (G²) above the engine.
            "chi_square": {"include_negatives": False, "background_is_superset": True},
        }
        known = [str(v) for v in request.selected(etype) + request.excluded(etype)]
        if known:
            spec["exclude"] = known
        inner[etype] = {"significant_terms": spec}
    return {
        "size": 0,
        "track_total_hits": False,
        "query": query,
        "aggs": {"sample": {"sampler": {"shard_size": SAMPLE_SHARD_SIZE}, "aggs": inner}},
    }


def parse_related(response: dict | None) -> RelatedCounts:
    """Foreground = the sample's documents, background = the agg's ``bg_count``."""
    sample = ((response or {}).get("aggregations") or {}).get("sample") or {}
    counts, background, total = {}, {}, 0
    for etype in ENTITY_TYPES:
        agg = sample.get(etype) or {}
        total = max(total, int(agg.get("bg_count") or 0))
        buckets = agg.get("buckets", [])
        counts[etype] = [(str(b["key"]), int(b["doc_count"])) for b in buckets]
        background[etype] = {str(b["key"]): int(b["bg_count"]) for b in buckets}
    return RelatedCounts(foreground=int(sample.get("doc_count") or 0), total=total, counts=counts,
                         background=background)
