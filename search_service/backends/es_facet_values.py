"""Facet value search ("which people named like 'nov…'?") as pure request bodies.

Entity values are matched on their ``.folded`` keyword (lowercase + ASCII
folding) with a ``terms`` aggregation whose ``include`` regexp means "contains a
word starting with the prefix"; a ``display`` sub-aggregation on the display
field brings back the spellings. A sub-aggregation on a multi-valued field sees
every value of the bucket's documents — the names co-mentioned with the value
too — so only the display keys whose fold equals the bucket key are kept, and
enough of them are asked for (:func:`display_size`).
Year facets are numeric, and numeric ``include`` takes exact values only, so a
year prefix is expanded into the years it can start.
"""
from __future__ import annotations

import unicodedata

from ..models import YEAR_FACETS
from ..search import SearchRequest
from ..search import facets as rules
from .base import page_bounds
from .es_query import facet_field, facet_filter, text_query

#: Buckets one value search may create in all (folded buckets and their display
#: buckets): below Elasticsearch's default ``search.max_buckets`` (65,536), which
#: fails the whole search when passed.
BUCKET_BUDGET = 60_000
#: Most display spellings asked for under one folded bucket.
MAX_DISPLAY = 1_000

#: Characters that end a word in a folded value (asciifolding turns typographic
#: quotes and dashes into their ASCII forms, so ASCII punctuation covers them).
_SEPARATORS = " \t\n!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
#: Letters asciifolding maps that NFKD decomposition does not.
_FOLD_EXTRA = str.maketrans({
    "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i",
    "‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
})


def fold(text: str) -> str:
    """Lowercase and strip accents like the index's ``folded`` normalizer."""
    text = text.lower().translate(_FOLD_EXTRA)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _regex_escape(text: str) -> str:
    """Escape for Lucene regexp syntax: every non-alphanumeric character gets a
    backslash (a backslash before any character makes it literal; letters are
    left alone because \\d, \\w and \\s mean character classes)."""
    return "".join(c if c.isalnum() else "\\" + c for c in text)


def word_prefix_regex(prefix: str) -> str | None:
    """A Lucene regexp matching folded values that contain a word starting with
    ``prefix`` ("nov" matches "jiri novak"); None for an empty prefix."""
    folded = " ".join(fold(prefix).split())
    if not folded:
        return None
    boundary = "[" + "".join("\\" + c for c in _SEPARATORS) + "]"
    return f"(.*{boundary})?{_regex_escape(folded)}.*"


def year_prefix_values(prefix: str) -> list[int] | None:
    """Every year 1–9999 whose digits start with ``prefix``; None for an empty
    prefix, [] when the prefix cannot start a year. (Numeric terms aggregations
    take exact values, not regexps.)"""
    prefix = prefix.strip()
    if not prefix:
        return None
    if not prefix.isascii() or not prefix.isdigit() or prefix.startswith("0") or len(prefix) > 4:
        return []
    start = int(prefix)
    years = []
    for extra in range(0, 5 - len(prefix)):
        low = start * 10**extra
        years.extend(range(low, min(low + 10**extra, 10_000)))
    return sorted(set(years))


def display_size(folded_size: int) -> int:
    """Display spellings asked for under each folded bucket. The ``display``
    sub-aggregation sees every value of the bucket's documents (a multi-valued
    field), so co-occurring names compete with the bucket's own spellings for
    these slots: ask for as many as the bucket budget allows."""
    folded_size = max(1, folded_size)
    return max(1, min(MAX_DISPLAY, (BUCKET_BUDGET - folded_size) // folded_size))


def facet_values_body(
    facet: str, request: SearchRequest, prefix: str = "", size: int = 10, offset: int = 0
) -> dict | None:
    """``_search`` body listing one facet's values for ``request`` (enough of them
    for the page at ``offset``), optionally only those containing a word that
    starts with ``prefix`` (None when no value can match, e.g. letters typed into
    a year facet). Values are counted in the facet's counting scope
    (:func:`search.facets.counting_request`). Entity values are matched on the
    folded sub-field; a ``display`` sub-aggregation brings back their spellings
    (:func:`es_result.parse_facet_values` keeps only those that fold to the bucket key).
    """
    field = facet_field(facet)
    size, offset = page_bounds(request, size, offset)
    fetch = rules.bucket_size(request, facet, offset, size)
    query = text_query(request, with_passages=False)
    narrowing = facet_filter(rules.counting_request(request, facet))
    if narrowing is not None:
        query["bool"]["filter"] = [narrowing]
    if facet in YEAR_FACETS:
        terms: dict = {"field": field, "size": fetch}
        years = year_prefix_values(prefix)
        if years == []:
            return None  # no year starts like that (an empty include would mean "all")
        if years is not None:
            terms["include"] = [str(y) for y in years]
        aggs = {"values": {"terms": terms}}
    else:
        regex = word_prefix_regex(prefix)
        if regex is None:
            aggs = {"values": {"terms": {"field": field, "size": fetch}}}
        else:
            aggs = {
                "folded": {
                    "terms": {"field": field + ".folded", "size": fetch, "include": regex},
                    "aggs": {"display": {"terms": {"field": field, "size": display_size(fetch)}}},
                }
            }
    return {"query": query, "size": 0, "track_total_hits": False, "aggs": aggs}
