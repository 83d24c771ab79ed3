"""Pure conversion of Elasticsearch responses into the engine-neutral results.

Highlights arrive as whole passages (``number_of_fragments: 0``), HTML-escaped
by the ``html`` encoder, with ``<mark>``/``</mark>`` around matches. They are
turned back into the passage's plain text plus (start, end) offsets, so the web
layer escapes and marks text itself, the same way for every backend.
"""
from __future__ import annotations

import datetime as dt
import html

from ..models import ENTITY_TYPES, FACETS, YEAR_FACETS, Article
from ..search import DocumentHit, FacetValue, PassageHit, SearchRequest, SearchResult
from ..search import facets as rules
from .es_facet_values import fold
from .es_query import ENTITIES_PER_HIT, POST_TAG, PRE_TAG, exclusion_key
from .es_syntax import prepare

#: Java's String.trim() (applied by the unified highlighter to every snippet)
#: strips every character up to U+0020.
_JAVA_TRIM = "".join(chr(c) for c in range(0x21))


# -- highlights --------------------------------------------------------------------
def parse_marked(fragment: str) -> tuple[str, list[tuple[int, int]]]:
    """Plain text and mark offsets of one html-encoded highlight.

    ``"a &amp; <mark>b</mark>"`` → ``("a & b", [(4, 5)])``. Each segment is
    unescaped on its own: the encoder escaped the text before inserting the
    tags, so an entity never straddles a tag.
    """
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    rest = fragment
    while True:
        start = rest.find(PRE_TAG)
        if start < 0:
            parts.append(html.unescape(rest))
            break
        before = html.unescape(rest[:start])
        parts.append(before)
        pos += len(before)
        rest = rest[start + len(PRE_TAG):]
        end = rest.find(POST_TAG)
        if end < 0:  # unterminated mark: treat the rest as marked
            end = len(rest)
        marked = html.unescape(rest[:end])
        parts.append(marked)
        if marked:
            spans.append((pos, pos + len(marked)))
        pos += len(marked)
        rest = rest[end + len(POST_TAG):]
    return "".join(parts), spans


def align_spans(source_text: str, plain: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Map offsets in a highlighted ``plain`` text onto the stored passage text.

    They agree except when the highlighter trimmed surrounding whitespace; if
    they still differ, each marked word is looked up in order (best effort,
    never an offset outside the text).
    """
    if plain == source_text:
        return list(spans)
    lead = len(source_text) - len(source_text.lstrip(_JAVA_TRIM))
    if source_text[lead:lead + len(plain)] == plain:
        return [(s + lead, e + lead) for s, e in spans]
    aligned, cursor = [], 0
    for s, e in spans:
        found = source_text.find(plain[s:e], cursor)
        if found >= 0:
            aligned.append((found, found + e - s))
            cursor = found + e - s
    return aligned


def word_spans(text: str, spans) -> list[tuple[int, int]]:
    """Split marks at whitespace: a phrase marked as one span ("New York")
    becomes one span per word, as the embedded engine marks it."""
    words = []
    for s, e in spans:
        pos = s
        for part in text[s:e].split():
            start = text.index(part, pos)
            words.append((start, start + len(part)))
            pos = start + len(part)
    return words


def merge_spans(spans) -> list[tuple[int, int]]:
    """Sorted, with overlapping spans merged (the stemmed and the folded field
    usually mark the same words)."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def parse_passage(inner_hit: dict) -> PassageHit:
    """One nested inner hit (``_source`` = the passage) with its highlights."""
    src = inner_hit.get("_source") or {}
    text = src.get("text") or ""
    spans: list[tuple[int, int]] = []
    for fragments in (inner_hit.get("highlight") or {}).values():
        for fragment in fragments[:1]:  # number_of_fragments 0: one, the whole passage
            plain, marks = parse_marked(fragment)
            spans.extend(align_spans(text, plain, marks))
    return PassageHit(
        index=int(src.get("index", 0)),
        start=int(src.get("start", 0)),
        end=int(src.get("end", 0)),
        text=text,
        highlights=merge_spans(word_spans(text, spans)),
    )


def parse_document_matches(response: dict) -> list[PassageHit]:
    """The ``matches`` inner hits of the one article a document-matches search
    returns (none when the article has no matching passage), in text order."""
    hits = ((response or {}).get("hits") or {}).get("hits") or []
    if not hits:
        return []
    inner = (((hits[0].get("inner_hits") or {}).get("matches") or {}).get("hits") or {}).get("hits") or []
    return sorted((parse_passage(h) for h in inner), key=lambda p: p.index)


# -- hits ----------------------------------------------------------------------------
def total_value(total) -> int:
    """``hits.total`` is ``{"value": n, "relation": "eq"}`` (or a bare number)."""
    if isinstance(total, dict):
        return int(total.get("value", 0))
    return int(total or 0)


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def parse_hit(hit: dict, scored: bool = True, entities_shown: int | None = ENTITIES_PER_HIT) -> DocumentHit:
    """One article hit: its fields, best passages and how many more matched.
    ``scored`` is False for date sorts, whose order owes nothing to the score;
    ``entities_shown=None`` keeps every entity name (streamed hits)."""
    src = hit.get("_source") or {}
    inner = hit.get("inner_hits") or {}
    matches = (inner.get("matches") or {}).get("hits") or {}
    passages = [parse_passage(h) for h in matches.get("hits") or []]
    more = max(0, total_value(matches.get("total")) - len(passages))
    if not passages:
        first = ((inner.get("first") or {}).get("hits") or {}).get("hits") or []
        passages = [parse_passage(h) for h in first[:1]]
    return DocumentHit(
        id=src.get("id") or hit.get("_id", ""),
        title=src.get("title") or "",
        score=float(hit.get("_score") or 0.0) if scored else 0.0,
        published=_date(src.get("published")),
        agency=src.get("agency"),
        source=src.get("source") or "",
        url=src.get("url"),
        source_label=(src.get("article") or {}).get("source_label") or "",
        passages=passages,
        more_matches=more,
        entities={t: list(src.get(t) or [])[:entities_shown] for t in ENTITY_TYPES},
        mentioned_years=[int(y) for y in src.get("mentioned_years") or []],
    )


# -- facets ------------------------------------------------------------------------
def _key(facet: str, bucket: dict):
    return int(bucket["key"]) if facet in YEAR_FACETS else bucket["key"]


def _counts(facet: str, agg: dict | None) -> dict:
    """value → doc_count of a ``terms`` aggregation's buckets."""
    return {_key(facet, b): int(b["doc_count"]) for b in (agg or {}).get("buckets") or []}


def facet_counts(facet: str, agg: dict, excluded_counts: dict, request: SearchRequest) -> rules.FacetCounts:
    """The raw counts of one facet from its filter aggregation (see
    :func:`es_query.facet_aggs`) and the ``excluded`` filters buckets."""
    removed = {
        value: int((excluded_counts.get(exclusion_key(facet, position)) or {}).get("doc_count", 0))
        for position, value in enumerate(request.excluded(facet))
    }
    return rules.FacetCounts(
        top=_counts(facet, agg.get("values")), selected=_counts(facet, agg.get("selected")), removed=removed
    )


def parse_search(response: dict, request: SearchRequest) -> SearchResult:
    """A ``_search`` response for :func:`es_query.search_body` → :class:`SearchResult`."""
    hits = response.get("hits") or {}
    aggs = response.get("aggregations") or {}
    excluded_counts = (aggs.get("excluded") or {}).get("buckets") or {}
    scored = request.sort == "relevance"
    return SearchResult(
        total=total_value(hits.get("total")),
        hits=[parse_hit(h, scored) for h in hits.get("hits") or []],
        facets={
            facet: rules.assemble(request, facet, facet_counts(facet, aggs.get(facet) or {}, excluded_counts, request))
            for facet in FACETS
        },
        query_errors=prepare_errors(request.q),
        undated=int(((aggs.get("published_year") or {}).get("undated") or {}).get("doc_count", 0)),
    )


def spellings(folded_bucket: dict) -> dict:
    """The display spellings of one ``.folded`` bucket with their counts: the
    ``display`` keys whose fold is the bucket key. The sub-aggregation also
    lists every other name of the bucket's documents (the field is
    multi-valued), which must not be shown."""
    return {
        b["key"]: int(b["doc_count"])
        for b in (folded_bucket.get("display") or {}).get("buckets") or []
        if fold(b["key"]) == folded_bucket["key"]
    }


def prepare_errors(q: str) -> list[str]:
    """Problems with the query text that the rewrite for Elasticsearch worked around."""
    return prepare(q)[1]


def parse_export_page(response: dict, request: SearchRequest) -> tuple[list[DocumentHit], list | None]:
    """One page of :func:`es_query.export_body` → (hits with every entity name,
    the last hit's ``sort`` values to continue after, or None when the page is empty)."""
    raw = (response.get("hits") or {}).get("hits") or []
    hits = [parse_hit(h, request.sort == "relevance", entities_shown=None) for h in raw]
    return hits, (raw[-1].get("sort") if raw else None)


def parse_facet_values(
    facet: str, response: dict, request: SearchRequest, size: int, offset: int = 0
) -> list[FacetValue]:
    """A response for :func:`es_facet_values.facet_values_body` → the page of
    values at ``offset`` (:func:`search.facets.value_page`)."""
    aggs = response.get("aggregations") or {}
    if "folded" in aggs:
        top: dict = {}
        for folded in aggs["folded"].get("buckets") or []:
            top.update(spellings(folded))
    else:
        top = _counts(facet, aggs.get("values"))
    return rules.value_page(request, facet, top, offset, size)


# -- maintenance ---------------------------------------------------------------------
def parse_source_hashes(response: dict) -> tuple[dict[str, str], dict | None]:
    """One composite page → ({source: hash}, after_key or None when done)."""
    agg = (response.get("aggregations") or {}).get("pairs") or {}
    buckets = agg.get("buckets") or []
    pairs: dict[str, str] = {}
    for b in buckets:
        source, content_hash = b["key"]["source"], b["key"]["hash"]
        pairs[source] = content_hash if pairs.get(source, content_hash) == content_hash else ""
    return pairs, (agg.get("after_key") if buckets else None)


def parse_stats(response: dict) -> dict:
    """Article and passage counts from a :func:`es_query.stats_body` response."""
    passages = ((response.get("aggregations") or {}).get("passages") or {}).get("value") or 0
    return {"documents": total_value((response.get("hits") or {}).get("total")), "passages": int(passages)}


def parse_article(source: dict | None) -> Article | None:
    """The stored article from a document's ``_source`` (``ARTICLE_SOURCE``
    fields): the article object, with its text from the root ``text`` field
    (indices built before the text was stored once keep it inside ``article``)."""
    if not source or not source.get("article"):
        return None
    data = source["article"]
    if "text" not in data:
        data = {**data, "text": source.get("text") or ""}
    return Article.from_dict(data)
