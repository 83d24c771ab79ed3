"""Pure builders of Elasticsearch request bodies from a :class:`SearchRequest`.

Nothing here talks to a cluster: every function returns a plain dict, so each
body is unit-tested without a server (tests/test_es_queries.py).

Matching and ranking mirror the embedded engine:

* the user's syntax is rewritten for ``simple_query_string`` (:mod:`es_syntax`),
  which never errors;
* the query matches the article as a whole (``title^2`` and the root ``text``;
  every word required unless the user writes ``OR``), never a passage alone;
* passages only come along: a nested clause with ``score_mode: none`` (it
  changes no article score) ranks each hit's passages — those matching the
  whole query first (boost 3), then those holding any of its words — and
  returns the best three, highlighted, as ``inner_hits``;
* an empty query matches everything and each hit shows its first passage.

Facet semantics (decided in :mod:`search_service.search.facets`, the same for
every engine; this module only counts):

* selections, ranges and exclusions go into ``post_filter``, so they narrow the
  hits but not the aggregations;
* each facet's ``terms`` aggregation sits in a ``filter`` aggregation holding
  that facet's counting scope (in ``any`` mode without its own selections);
* counts come from ``terms`` aggregations on root fields, so they count
  articles, exactly (one shard);
* selected values outside the top N are counted by a second ``terms``
  aggregation whose ``include`` lists exactly those values; each excluded
  value is counted as the number of articles its exclusion removes.
"""
from __future__ import annotations

from ..models import ENTITY_TYPES, FACETS, YEAR_FACETS
from ..search import SearchRequest
from ..search import facets as rules
from .es_syntax import positive_part, prepare

#: Article-level fields and boosts (the embedded engine: title^2, text).
DOC_FIELDS = ["title^2", "title.folded^2", "text", "text.folded"]
#: Passage fields: english-stemmed and accent-folded.
PASSAGE_FIELDS = ["passages.text", "passages.text.folded"]
#: Operators kept in the "any word" passage query: no AND/OR/NOT/brackets, so
#: every word, phrase or prefix the user typed becomes optional.
RELAXED_FLAGS = "PHRASE|PREFIX|WHITESPACE|ESCAPE|SLOP|FUZZY|NEAR"
#: Passages matching the whole query outrank those holding only some words.
STRICT_BOOST = 3

#: Passages shown per hit; the rest are counted in ``more_matches``.
PASSAGES_PER_HIT = 3
#: Names per entity type shown with each hit.
ENTITIES_PER_HIT = 5
#: Highlight tags. The html encoder escapes the text first, so a literal "<mark>"
#: in an article arrives as "&lt;mark&gt;" and can never be mistaken for a tag.
PRE_TAG, POST_TAG = "<mark>", "</mark>"
#: Fields a hit needs: root fields (not the passages) and, from the stored article,
#: only its source label (source filtering picks one key out of an unindexed object).
HIT_SOURCE = ["id", "title", "published", "agency", "source", "url", "article.source_label", *ENTITY_TYPES]
#: Elasticsearch's default index.max_result_window: from + size must stay below it.
MAX_RESULT_WINDOW = 10_000
#: Buckets per page when listing every source file's hash.
SOURCE_PAGE = 1_000


def facet_field(facet: str) -> str:
    """The root field holding a facet (same names as ``models.FACETS``)."""
    if facet not in FACETS:
        raise ValueError(f"unknown facet {facet!r}")
    return facet


def _values(facet: str, values) -> list:
    return [int(v) for v in values] if facet in YEAR_FACETS else [str(v) for v in values]


# -- text ------------------------------------------------------------------------
def simple_query(q: str, fields: list[str], operator: str = "and", flags: str | None = None,
                 boost: float | None = None) -> dict:
    """``simple_query_string``: never errors on user syntax (unbalanced quotes,
    stray operators); ``lenient`` ignores type mismatches."""
    body: dict = {"query": q, "fields": list(fields), "default_operator": operator, "lenient": True}
    if flags:
        body["flags"] = flags
    if boost is not None:
        body["boost"] = boost
    return {"simple_query_string": body}


def highlight_spec() -> dict:
    """Highlight whole passages (``number_of_fragments: 0``) with the html encoder,
    on both the stemmed and the folded field; the parser merges their marks."""
    return {
        "encoder": "html",
        "pre_tags": [PRE_TAG],
        "post_tags": [POST_TAG],
        "number_of_fragments": 0,
        "fields": {"passages.text": {}, "passages.text.folded": {}},
    }


def document_matches_body(doc_id: str, q: str, limit: int) -> dict | None:
    """One article (``id``) with up to ``limit`` of its passages matching ``q`` as
    highlighted inner hits, in text order; None when ``q`` has no word to match."""
    prepared, _ = prepare(q)
    positive = positive_part(prepared)
    if not positive:
        return None
    clause = matching_passages(prepared, positive)
    clause["nested"]["inner_hits"].update(size=limit, sort=[{"passages.index": "asc"}])
    return {
        "size": 1,
        "_source": False,
        "track_total_hits": False,
        "query": {"bool": {"filter": [{"term": {"id": doc_id}}], "must": [clause]}},
    }


def matching_passages(q: str, positive: str) -> dict:
    """Nested clause returning each hit's best passages as inner hits:
    passages matching the whole query ``q`` (boosted), then passages holding
    any word of its ``positive`` part (negated words can match no passage of
    a hit, and must not be counted as matches)."""
    return {
        "nested": {
            "path": "passages",
            "score_mode": "none",
            "query": {
                "bool": {
                    "should": [
                        simple_query(q, PASSAGE_FIELDS, boost=STRICT_BOOST),
                        simple_query(positive, PASSAGE_FIELDS, operator="or", flags=RELAXED_FLAGS),
                    ]
                }
            },
            "inner_hits": {
                "name": "matches",
                "size": PASSAGES_PER_HIT,
                "_source": True,
                "highlight": highlight_spec(),
            },
        }
    }


def first_passage() -> dict:
    """Fetch each hit's first passage (shown when no passage matched: an empty
    query or a title-only match). ``score_mode: none`` keeps it out of scoring."""
    return {
        "nested": {
            "path": "passages",
            "score_mode": "none",
            "query": {"term": {"passages.index": 0}},
            "inner_hits": {"name": "first", "size": 1, "_source": True},
        }
    }


def text_query(request: SearchRequest, with_passages: bool = True) -> dict:
    """The article query: the text (or everything), plus — optional clauses that
    never change which articles match — the inner hits bringing passages."""
    q, _ = prepare(request.q)
    must = [simple_query(q, DOC_FIELDS)] if q else [{"match_all": {}}]
    query: dict = {"bool": {"must": must}}
    if with_passages:
        should = [first_passage()]
        positive = positive_part(q)
        if positive:  # "-word" alone: every article matches, no passage does
            should.insert(0, matching_passages(q, positive))
        query["bool"]["should"] = should
    return query


# -- facet filters -----------------------------------------------------------------
def selection_filter(facet: str, values) -> dict:
    """Articles having any of ``values`` in ``facet`` (OR within a facet)."""
    return {"terms": {facet_field(facet): _values(facet, values)}}


def value_filter(facet: str, value) -> dict:
    """Articles having ``value`` in ``facet``."""
    return {"term": {facet_field(facet): _values(facet, [value])[0]}}


def range_filter(facet: str, low: int | None, high: int | None) -> dict:
    """Articles with a value of the year facet ``facet`` in ``[low, high]``."""
    bounds = {}
    if low is not None:
        bounds["gte"] = low
    if high is not None:
        bounds["lte"] = high
    return {"range": {facet_field(facet): bounds}}


def facet_filter(request: SearchRequest) -> dict | None:
    """``request``'s selections (AND across facets; within one, OR — or one
    ``term`` per value in ``all`` mode), year ranges and exclusions; None if
    nothing. Facet scopes pass :func:`search.facets.counting_request` here."""
    required: list[dict] = []
    excluded: list[dict] = []
    for facet in FACETS:
        selected = request.selected(facet)
        if selected and request.mode(facet) == "all":
            required += [value_filter(facet, value) for value in selected]
        elif selected:
            required.append(selection_filter(facet, selected))
        low, high = request.range(facet)
        if low is not None or high is not None:
            required.append(range_filter(facet, low, high))
        if request.excluded(facet):
            excluded.append(selection_filter(facet, request.excluded(facet)))
    if not required and not excluded:
        return None
    clause: dict = {}
    if required:
        clause["filter"] = required
    if excluded:
        clause["must_not"] = excluded
    return {"bool": clause}


def _or_all(clause: dict | None) -> dict:
    return clause if clause is not None else {"match_all": {}}


def sort_spec(sort: str) -> list:
    """Relevance, or publication date with undated articles last; the id breaks
    ties so paging is stable."""
    if sort == "newest":
        return [{"published": {"order": "desc", "missing": "_last"}}, {"_score": {"order": "desc"}}, {"id": "asc"}]
    if sort == "oldest":
        return [{"published": {"order": "asc", "missing": "_last"}}, {"_score": {"order": "desc"}}, {"id": "asc"}]
    return [{"_score": {"order": "desc"}}, {"id": "asc"}]


# -- aggregations --------------------------------------------------------------------
def exclusion_key(facet: str, position: int) -> str:
    """Bucket name of the ``position``-th excluded value of ``facet``."""
    return f"{facet}:{position}"


def facet_aggs(request: SearchRequest) -> dict:
    """Per facet, a ``filter`` agg holding its counting scope
    (:func:`search.facets.counting_request`) around a ``terms`` agg of
    :func:`search.facets.bucket_size` buckets and a ``selected`` agg for the
    facet's own selected values; the published-year scope also counts undated
    articles (``missing``). One ``excluded`` filters agg counts, per excluded
    value, the articles its exclusion removes."""
    aggs: dict = {}
    for facet in FACETS:
        field = facet_field(facet)
        inner: dict = {"values": {"terms": {"field": field, "size": rules.bucket_size(request, facet)}}}
        selected = request.selected(facet)
        if selected:
            # Exact values as strings: accepted for keyword and numeric fields alike.
            inner["selected"] = {"terms": {"field": field, "include": [str(v) for v in selected], "size": len(selected)}}
        if facet == "published_year":
            inner["undated"] = {"missing": {"field": field}}
        aggs[facet] = {"filter": _or_all(facet_filter(rules.counting_request(request, facet))), "aggs": inner}
    removed = {}
    for facet in FACETS:
        for position, value in enumerate(request.excluded(facet)):
            rest = facet_filter(rules.exclusion_request(request, facet, value))
            clauses = [value_filter(facet, value)] + ([rest] if rest else [])
            removed[exclusion_key(facet, position)] = {"bool": {"filter": clauses}}
    if removed:
        aggs["excluded"] = {"filters": {"filters": removed}}
    return aggs


def paging(request: SearchRequest) -> tuple[int, int]:
    """(from, size), clamped again so no request can pass the result window."""
    size = max(1, min(request.size, MAX_RESULT_WINDOW))
    start = max(0, min(request.offset, MAX_RESULT_WINDOW - size))
    return start, size


def search_body(request: SearchRequest) -> dict:
    """The complete ``_search`` body for one page of results with facets."""
    start, size = paging(request)
    body = {
        "query": text_query(request),
        "from": start,
        "size": size,
        "sort": sort_spec(request.sort),
        "track_total_hits": True,
        "_source": {"includes": list(HIT_SOURCE)},
        "aggs": facet_aggs(request),
    }
    narrowing = facet_filter(request)
    if narrowing is not None:
        body["post_filter"] = narrowing
    return body


# -- maintenance bodies ----------------------------------------------------------
def source_hashes_body(after: dict | None = None) -> dict:
    """A page of (source, source_hash) pairs via a composite aggregation."""
    composite: dict = {
        "size": SOURCE_PAGE,
        "sources": [
            {"source": {"terms": {"field": "source"}}},
            {"hash": {"terms": {"field": "source_hash"}}},
        ],
    }
    if after:
        composite["after"] = after
    return {"size": 0, "track_total_hits": False, "aggs": {"pairs": {"composite": composite}}}


def source_ids_query(source: str) -> dict:
    """Query for every article that came from the file ``source``."""
    return {"term": {"source": source}}


def stats_body() -> dict:
    """Article count (exact) and passage count (sum of ``passage_count``)."""
    return {"size": 0, "track_total_hits": True, "aggs": {"passages": {"sum": {"field": "passage_count"}}}}


# -- streaming every hit (export, feeds, batch) -------------------------------------
#: Hits per request when streaming every match with ``search_after``.
EXPORT_PAGE = 500
#: How long the point in time stays open between two pages (renewed by each page).
PIT_KEEP_ALIVE = "2m"
#: Fields a streamed hit needs: a hit's fields plus every mentioned year.
EXPORT_SOURCE = [*HIT_SOURCE, "mentioned_years"]


def export_body(request: SearchRequest, size: int, pit_id: str | None = None,
                after: list | None = None) -> dict:
    """One page of a stream of every hit of ``request`` in its sort order.

    The first page (``after`` None) counts the total; later pages continue
    after the previous page's last ``sort`` values (``search_after``). With a
    point in time the body names no index (the PIT carries it) and every page
    reads the same snapshot. The sort ends with the unique ``id``, so
    ``search_after`` never skips or repeats a document. No aggregations."""
    body: dict = {
        "query": text_query(request),
        "size": max(1, min(int(size), MAX_RESULT_WINDOW)),
        "sort": sort_spec(request.sort),
        "track_total_hits": after is None,
        "_source": {"includes": list(EXPORT_SOURCE)},
    }
    narrowing = facet_filter(request)
    if narrowing is not None:
        body["post_filter"] = narrowing  # as in search_body: the same documents
    if pit_id is not None:
        body["pit"] = {"id": pit_id, "keep_alive": PIT_KEEP_ALIVE}
    if after is not None:
        body["search_after"] = list(after)
    return body
