"""Counts behind entity pages and related entities on Tantivy (the scoring is in
:mod:`search_service.search.entities`).

* Background counts — documents per entity value in the whole collection — come
  from one terms aggregation per entity type over every article record, computed
  once per index state (generation and commit) and kept until the index changes.
* Foreground counts — the values among an entity's documents, or among the
  current results — are a terms aggregation under that query, exact like the
  facet counts (every segment reports all its buckets).
"""
from __future__ import annotations

import threading

from tantivy import Occur, Order, Query, Searcher

from ..models import ENTITY_TYPES
from ..search import SearchRequest
from ..search.entities import CANDIDATES, PROFILE_ARTICLES, EntityCounts, RelatedCounts
from .tantivy_facets import SEGMENT_SIZE, Filters
from .tantivy_query import parse_user_query
from .tantivy_schema import DOC, SCHEMA, stored_article

#: More years than any chart shows: every year bucket comes back.
YEAR_BUCKETS = 100_000


def _terms(field: str, size: int) -> dict:
    return {"terms": {"field": field, "size": size, "segment_size": SEGMENT_SIZE}}


def _pairs(result: dict, name: str, cast=str) -> list[tuple]:
    return [(cast(b["key"]), int(b["doc_count"])) for b in result.get(name, {}).get("buckets", [])]


def _docs() -> Query:
    return Query.term_query(SCHEMA, "kind", DOC)


class BackgroundCounts:
    """Collection-wide document counts per entity value, for one index state.

    Recomputed only when the searcher reads another state, so every entity page
    and related panel of one index generation shares a single count."""

    def __init__(self):
        self._state = None
        self._value: tuple[int, dict[str, dict[str, int]]] | None = None
        self._lock = threading.Lock()

    def get(self, searcher: Searcher, state) -> tuple[int, dict[str, dict[str, int]]]:
        """(documents in the collection, type → value → documents)."""
        with self._lock:
            if state is not None and state == self._state and self._value is not None:
                return self._value
        total = searcher.search(_docs(), 1).count
        result = searcher.aggregate(_docs(), {etype: _terms(etype, SEGMENT_SIZE) for etype in ENTITY_TYPES})
        value = (total, {etype: dict(_pairs(result, etype)) for etype in ENTITY_TYPES})
        with self._lock:
            self._state, self._value = state, value
        return value


def entity_counts(searcher: Searcher | None, etype: str, value: str, background: BackgroundCounts,
                  state) -> EntityCounts | None:
    """The counts of one entity's page; None when no document mentions it."""
    if searcher is None:
        return None
    query = Query.boolean_query([(Occur.Must, _docs()), (Occur.Must, Query.term_query(SCHEMA, etype, value))])
    # Newest first: the articles read for surface forms and passages.
    found = searcher.search(query, PROFILE_ARTICLES, count=True, order_by_field="published", order=Order.Desc)
    if not found.count:
        return None
    aggs = {"published_year": _terms("published_year", YEAR_BUCKETS),
            "mentioned_years": _terms("mentioned_years", YEAR_BUCKETS)}
    aggs.update({other: _terms(other, CANDIDATES + 1) for other in ENTITY_TYPES})  # +1: the value itself
    result = searcher.aggregate(query, aggs)
    total, collection = background.get(searcher, state)
    return EntityCounts(
        type=etype,
        value=value,
        documents=found.count,
        total=total,
        published_years=_pairs(result, "published_year", int),
        mentioned_years=_pairs(result, "mentioned_years", int),
        co_counts={other: _pairs(result, other) for other in ENTITY_TYPES},
        background=collection,
        articles=[stored_article(searcher.doc(address)) for _, address in found.hits],
    )


def related_counts(searcher: Searcher | None, request: SearchRequest, background: BackgroundCounts,
                   state) -> RelatedCounts:
    """Counts of each type's most frequent values in the results of ``request``."""
    if searcher is None:
        return RelatedCounts(foreground=0, total=0, counts={}, background={})
    query = Filters(request, parse_user_query(request.q).doc_query()).query()
    # One pass: the results' size is the count of their (single-valued) dockey,
    # counted with the terms instead of running the query again.
    aggs = {"documents": {"value_count": {"field": "dockey"}}}
    aggs.update({etype: _terms(etype, CANDIDATES) for etype in ENTITY_TYPES})
    result = searcher.aggregate(query, aggs)
    foreground = int((result.get("documents") or {}).get("value") or 0)
    counts = {etype: _pairs(result, etype) for etype in ENTITY_TYPES}
    total, collection = background.get(searcher, state)
    return RelatedCounts(foreground=foreground, total=total, counts=counts, background=collection)
