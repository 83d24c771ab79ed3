"""Facet value search ("which people named like 'nov…'?") as pure request bodies.

Entity values are matched on their ``.folded`` keyword (lowercase + ASCII
folding) with a ``terms`` aggregation whose ``include`` regexp means "contains a
word starting with the prefix"; a ``display`` sub-aggregation splits each
folded value back into its display spellings, each with its own exact count.
Year facets are numeric, and numeric ``include`` takes exact values only, so a
year prefix is expanded into the years it can start.
"""
from __future__ import annotations

import unicodedata

from ..models import YEAR_FACETS
from ..search import SearchRequest
from .es_query import facet_field, facet_filter, text_query

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


def facet_values_body(facet: str, request: SearchRequest, prefix: str = "", size: int = 10) -> dict | None:
    """``_search`` body listing one facet's values for ``request``, optionally
    only those containing a word that starts with ``prefix`` (None when no value
    can match, e.g. letters typed into a year facet).

    Multi-select: the facet's own selections do not narrow it; the other
    facets' selections and all exclusions do. Entity values are matched on the
    folded sub-field, and a ``display`` sub-aggregation splits each folded
    value back into its display spellings with their own exact counts.
    """
    field = facet_field(facet)
    size = max(1, min(int(size), request.limits.max_facet_size))
    query = text_query(request, with_passages=False)
    narrowing = facet_filter(request, skip_facet=facet)
    if narrowing is not None:
        query["bool"]["filter"] = [narrowing]
    if facet in YEAR_FACETS:
        terms: dict = {"field": field, "size": size}
        years = year_prefix_values(prefix)
        if years == []:
            return None  # no year starts like that (an empty include would mean "all")
        if years is not None:
            terms["include"] = [str(y) for y in years]
        aggs = {"values": {"terms": terms}}
    else:
        regex = word_prefix_regex(prefix)
        if regex is None:
            aggs = {"values": {"terms": {"field": field, "size": size}}}
        else:
            # Each folded value has few spellings; ask for a handful of them.
            aggs = {
                "folded": {
                    "terms": {"field": field + ".folded", "size": size, "include": regex},
                    "aggs": {"display": {"terms": {"field": field, "size": 5}}},
                }
            }
    return {"query": query, "size": 0, "track_total_hits": False, "aggs": aggs}
