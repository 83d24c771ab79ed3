"""Run one search on a Tantivy searcher: hits, best passages, facets.

1. The user query runs on article records (``kind:doc``) with every facet
   selection and exclusion, so totals, paging and sorting are per document.
2. For the articles on the page only, a second query finds their matching
   passages: ``kind:passage AND dockey IN page AND <passage query>``; its hits,
   grouped by the ``dockey`` fast field, give each article's best passages in
   score order and how many more matched.
3. Facet counts (see :mod:`.tantivy_facets`) and the undated count.
"""
from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict, defaultdict

from tantivy import Occur, Order, Query, Searcher

from ..models import ENTITY_TYPES, Article
from ..search import DocumentHit, HitStream, PassageHit, SearchRequest, SearchResult
from .tantivy_facets import Filters, facet_counts
from .tantivy_highlight import highlight_spans
from .tantivy_query import ParsedQuery, parse_user_query
from .tantivy_schema import PASSAGE, SCHEMA, dockey, stored_article

#: Passages shown per article; the rest are counted in ``more_matches``.
PASSAGES_SHOWN = 3
#: Display names per entity type on a hit.
ENTITIES_SHOWN = 5
#: Article addresses fetched per ordered search when streaming every hit.
ADDRESS_WINDOW = 5_000
#: Articles loaded (and their passages found) together when streaming.
LOAD_BATCH = 200


class FacetCache:
    """Facet counts of recent requests, keyed by index state and everything that
    shapes them (not page or sort): paging through results recounts nothing.
    Counting facets is most of the cost of a search on a large index."""

    def __init__(self, size: int = 64):
        self.size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(state, request: SearchRequest) -> tuple:
        def frozen(selections):
            return tuple(sorted((f, tuple(v)) for f, v in selections.items() if v))

        return (
            state, request.q, frozen(request.filters), frozen(request.excludes), frozen(request.ranges),
            frozen(request.modes), request.facet_size, request.facet_order,
        )

    def get(self, key, compute):
        with self._lock:
            facets = self._data.get(key)
            if facets is not None:
                self._data.move_to_end(key)
        if facets is None:
            facets = compute()
            with self._lock:
                self._data[key] = facets
                while len(self._data) > self.size:
                    self._data.popitem(last=False)
        # Callers get their own FacetValue objects to decorate.
        lists, undated = facets
        return {f: [dataclasses.replace(v) for v in values] for f, values in lists.items()}, undated


def run_search(
    searcher: Searcher | None, request: SearchRequest, cache: FacetCache | None = None, state=None
) -> SearchResult:
    """Everything the result page needs for ``request`` (searcher None = empty index).
    ``state`` identifies the index snapshot the searcher reads (for ``cache``)."""
    parsed = parse_user_query(request.q)
    filters = Filters(request, parsed.doc_query())
    if searcher is None:
        facets, _ = facet_counts(None, filters)
        return SearchResult(total=0, facets=facets, query_errors=parsed.errors)
    query = filters.query()
    found = ordered_search(searcher, query, request.sort, request.size, request.offset)
    scored = [
        (float(score) if request.sort == "relevance" else 0.0, stored_article(searcher.doc(address)))
        for score, address in found.hits
    ]
    passages = best_passages(searcher, parsed, [article for _, article in scored])
    hits = [_document_hit(article, score, *passages[article.id]) for score, article in scored]
    if cache is not None and state is not None:
        facets, undated = cache.get(FacetCache.key(state, request), lambda: facet_counts(searcher, filters))
    else:
        facets, undated = facet_counts(searcher, filters)
    return SearchResult(total=found.count, hits=hits, facets=facets, query_errors=parsed.errors, undated=undated)


def ordered_search(searcher: Searcher, query: Query, sort: str, size: int, offset: int, count: bool = True):
    """One window of matching article addresses in ``sort`` order. Paging and
    export both come through here, so they list documents in the same order."""
    if sort == "relevance":
        return searcher.search(query, size, count=count, offset=offset)
    # Documents without a date have no fast-field value: Tantivy puts them
    # last in both directions; ties keep index order.
    order = Order.Desc if sort == "newest" else Order.Asc
    return searcher.search(query, size, count=count, order_by_field="published", offset=offset, order=order)


def stream_hits(searcher: Searcher | None, request: SearchRequest, limit: int) -> HitStream:
    """Up to ``limit`` matching documents in ``request.sort`` order: addresses in
    windows of :data:`ADDRESS_WINDOW` (each window is one ordered search of the
    same snapshot), articles and best passages in batches of :data:`LOAD_BATCH`,
    so memory does not grow with the number of documents."""
    parsed = parse_user_query(request.q)
    if searcher is None:
        return HitStream(total=0, hits=iter(()), query_errors=parsed.errors)
    query = Filters(request, parsed.doc_query()).query()
    total = searcher.search(query, 1, count=True).count
    wanted = max(0, min(int(limit), total))

    def hits():
        offset = 0
        while offset < wanted:
            window = min(ADDRESS_WINDOW, wanted - offset)
            found = ordered_search(searcher, query, request.sort, window, offset, count=False)
            addresses = [address for _, address in found.hits]
            if not addresses:
                return
            for start in range(0, len(addresses), LOAD_BATCH):
                articles = [stored_article(searcher.doc(a)) for a in addresses[start:start + LOAD_BATCH]]
                passages = best_passages(searcher, parsed, articles)
                for article in articles:
                    yield _document_hit(article, 0.0, *passages[article.id], entities_shown=None)
            offset += len(addresses)

    return HitStream(total=total, hits=hits(), query_errors=parsed.errors)


def best_passages(searcher: Searcher, parsed: ParsedQuery, articles: list[Article]) -> dict:
    """article id → (up to 3 PassageHits, number of further matching passages)."""
    matched: dict[int, list[int]] = defaultdict(list)
    passage_query = parsed.passage_query()
    if passage_query is not None and articles:
        keys = sorted({dockey(a.id) for a in articles})
        query = Query.boolean_query(
            [
                (Occur.Must, Query.term_query(SCHEMA, "kind", PASSAGE)),
                (Occur.Must, Query.term_set_query(SCHEMA, "dockey", keys)),
                (Occur.Must, passage_query),
            ]
        )
        # Every passage of the page's articles could match: fetch them all so
        # the "more matches" count is exact.
        limit = max(1, sum(len(a.passages) for a in articles))
        addresses = [address for _, address in searcher.search(query, limit, count=False).hits]
        if addresses:
            owners = searcher.fast_field_values("dockey", addresses)
            numbers = searcher.fast_field_values("pindex", addresses)
            for owner, number in zip(owners, numbers):
                matched[owner].append(number)
    leaves = parsed.leaves()
    result = {}
    for article in articles:
        by_index = {p.index: p for p in article.passages}
        hits = [by_index[n] for n in matched.get(dockey(article.id), []) if n in by_index]
        if hits:
            shown = [_passage_hit(article, p, leaves) for p in hits[:PASSAGES_SHOWN]]
            result[article.id] = (shown, len(hits) - len(shown))
        elif article.passages:
            # Match-all, or the article matched only through its title.
            result[article.id] = ([_passage_hit(article, article.passages[0], [])], 0)
        else:
            result[article.id] = ([], 0)
    return result


def document_matches(searcher: Searcher, parsed: ParsedQuery, article: Article, limit: int) -> list[PassageHit]:
    """The first ``limit`` passages of ``article`` (in text order) that match the
    passage query, each with its highlights: the same rules as a hit's passages."""
    passage_query = parsed.passage_query()
    if passage_query is None or not article.passages:
        return []
    query = Query.boolean_query([
        (Occur.Must, Query.term_query(SCHEMA, "kind", PASSAGE)),
        (Occur.Must, Query.term_query(SCHEMA, "dockey", dockey(article.id))),
        (Occur.Must, passage_query),
    ])
    addresses = [address for _, address in searcher.search(query, len(article.passages), count=False).hits]
    numbers = sorted(set(searcher.fast_field_values("pindex", addresses))) if addresses else []
    by_index = {p.index: p for p in article.passages}
    leaves = parsed.leaves()
    return [_passage_hit(article, by_index[n], leaves) for n in numbers if n in by_index][:limit]


def _passage_hit(article: Article, passage, leaves) -> PassageHit:
    text = article.passage_text(passage)
    return PassageHit(
        index=passage.index, start=passage.start, end=passage.end, text=text, highlights=highlight_spans(text, leaves)
    )


def _document_hit(article: Article, score: float, passages: list[PassageHit], more: int,
                  entities_shown: int | None = ENTITIES_SHOWN) -> DocumentHit:
    """A hit from a stored article; ``entities_shown=None`` keeps every name."""
    return DocumentHit(
        id=article.id,
        title=article.title,
        score=score,
        published=article.published,
        agency=article.agency,
        source=article.source,
        url=article.url,
        source_label=article.source_label,
        passages=passages,
        more_matches=more,
        entities={etype: article.names(etype)[:entities_shown] for etype in ENTITY_TYPES},
        mentioned_years=sorted(set(article.mentioned_years)),
    )
