"""What a facet list is, for every engine.

An engine only counts: for each facet it reports a :class:`FacetCounts` — the
document count of its top buckets, of the selected values, and of the documents
each exclusion removes. Everything else is decided here, once:

* which documents a facet counts (:func:`counting_request`): in ``any`` mode a
  facet's own selections and its own year range do not narrow its counts
  (multi-select: the other values stay visible and say what adding them would
  give); in ``all`` mode its selections do narrow them (each count says what
  adding that value would leave); every other facet's selections, every range
  and every exclusion apply;
* how many buckets to ask for (:func:`bucket_size`) and in which order the values
  are shown (:func:`order_values`): by count or A–Z (accents and case ignored);
  year facets always by year, complete up to :data:`YEAR_VALUES` years, so a
  chart can draw a true time axis;
* the list itself (:func:`assemble`): the top N, selected values pinned even
  outside the top N (with their counts), excluded values appended with the
  number of documents each exclusion removes; ``selected``/``excluded`` come
  from the request only;
* a page of one facet's values (:func:`value_page`), and the prefix of a facet
  value search with the hints it shows (:func:`value_search`).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

from ..models import YEAR_FACETS
from .request import SearchRequest
from .result import FacetValue

#: Years a year facet returns with a search (the most documented ones, shown in
#: year order): enough for every year of a collection, bounded for a freak one.
YEAR_VALUES = 500
#: Buckets an engine returns when the whole value list is needed (A–Z order,
#: year lists): every value of any realistic facet, bounded.
ALL_VALUES = 10_000


@dataclass(frozen=True)
class FacetCounts:
    """Raw counts one engine found for one facet of one request.

    ``top``: value → documents for the buckets :func:`bucket_size` asked for
    (under :func:`counting_request`); ``selected``: value → documents for the
    request's selected values (only those absent from ``top`` are needed);
    ``removed``: excluded value → documents that exclusion removes from the
    results (:func:`exclusion_request`).
    """

    top: Mapping[object, int] = field(default_factory=dict)
    selected: Mapping[object, int] = field(default_factory=dict)
    removed: Mapping[object, int] = field(default_factory=dict)


# -- which documents a facet counts ------------------------------------------------
def counting_request(request: SearchRequest, facet: str) -> SearchRequest:
    """The request whose matching documents ``facet`` counts: its own range
    lifted, and its own selections lifted unless its mode is ``all``."""
    filters, ranges = dict(request.filters), dict(request.ranges)
    if request.mode(facet) != "all":
        filters.pop(facet, None)
    ranges.pop(facet, None)
    if filters == dict(request.filters) and ranges == dict(request.ranges):
        return request
    return replace(request, filters=filters, ranges=ranges)


def exclusion_request(request: SearchRequest, facet: str, value) -> SearchRequest:
    """The request without the one exclusion ``value`` of ``facet``: its documents
    holding ``value`` are the documents that exclusion removes."""
    excludes = dict(request.excludes)
    excludes[facet] = tuple(v for v in request.excluded(facet) if v != value)
    return replace(request, excludes={f: v for f, v in excludes.items() if v})


def shares_counts(request: SearchRequest, facet: str) -> bool:
    """True when ``facet`` counts the request's own matches (nothing to lift), so
    an engine can count it together with the other such facets."""
    return counting_request(request, facet) is request


# -- which buckets, in which order ---------------------------------------------------
def bucket_size(request: SearchRequest, facet: str, offset: int = 0, size: int | None = None) -> int:
    """How many buckets (most documents first) an engine fetches so that
    :func:`assemble` (``size`` None) or :func:`value_page` can cut the list in
    the chosen order. A–Z order and year facets need the whole list (an engine's
    key order is byte order, not A–Z with accents folded); count order needs
    only the first ``offset + size``."""
    if facet in YEAR_FACETS:
        return YEAR_VALUES if size is None else ALL_VALUES
    if request.facet_order == "alpha":
        return ALL_VALUES
    wanted = request.facet_size if size is None else offset + size
    return max(1, min(wanted, ALL_VALUES))


def sort_key(value) -> tuple:
    """A–Z key of a facet value: case and accents ignored, ties by the exact form."""
    if isinstance(value, int):
        return (value, "")
    text = str(value)
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return (folded.casefold(), text)


def order_values(request: SearchRequest, facet: str, pairs: Iterable[tuple[object, int]]) -> list[tuple[object, int]]:
    """(value, count) pairs in display order: years by year; otherwise by count
    (most first, then A–Z) or A–Z, as the request asks."""
    if facet in YEAR_FACETS:
        return sorted(pairs, key=lambda p: p[0])
    if request.facet_order == "alpha":
        return sorted(pairs, key=lambda p: sort_key(p[0]))
    return sorted(pairs, key=lambda p: (-p[1], sort_key(p[0])))


def _most_counted(pairs, limit: int) -> list[tuple[object, int]]:
    return sorted(pairs, key=lambda p: (-p[1], sort_key(p[0])))[:limit]


# -- the lists --------------------------------------------------------------------------
def assemble(request: SearchRequest, facet: str, counts: FacetCounts) -> list[FacetValue]:
    """The facet list shown with a search: the top values in the chosen order,
    every selected value (pinned, with its count, 0 if none is left), then every
    excluded value with the number of documents its exclusion removes."""
    selected, excluded = request.selected(facet), request.excluded(facet)
    pairs = [(v, c) for v, c in counts.top.items() if v not in excluded and c > 0]
    if facet in YEAR_FACETS:
        pairs = _most_counted(pairs, YEAR_VALUES)
    else:
        pairs = order_values(request, facet, pairs)[: request.facet_size]
    shown = {value for value, _ in pairs}
    pairs += [(v, counts.selected.get(v, counts.top.get(v, 0))) for v in selected if v not in shown]
    values = [FacetValue(v, c, selected=v in selected) for v, c in order_values(request, facet, pairs)]
    values += [FacetValue(v, counts.removed.get(v, 0), excluded=True) for v in excluded]
    return values


def value_page(
    request: SearchRequest, facet: str, top: Mapping[object, int], offset: int = 0, size: int = 10
) -> list[FacetValue]:
    """One page of a facet's values (``top`` as fetched for :func:`bucket_size`),
    in the chosen order, each flagged selected or excluded from the request."""
    selected, excluded = request.selected(facet), request.excluded(facet)
    pairs = order_values(request, facet, [(v, c) for v, c in top.items() if c > 0])
    return [
        FacetValue(v, c, selected=v in selected, excluded=v in excluded) for v, c in pairs[offset: offset + size]
    ]


#: Longest text a facet value search takes (names are short).
MAX_PREFIX_CHARS = 100


def value_search(facet: str, prefix: str) -> tuple[str, list[str]]:
    """The prefix of a facet value search as it is searched (spaces collapsed,
    cut to :data:`MAX_PREFIX_CHARS`), and what to tell the user about it."""
    prefix = " ".join((prefix or "").split())
    hints = []
    if len(prefix) > MAX_PREFIX_CHARS:
        prefix = prefix[:MAX_PREFIX_CHARS]
        hints.append(f"The facet search was cut to {MAX_PREFIX_CHARS} characters.")
    return prefix, hints + value_search_hints(facet, prefix)


def value_search_hints(facet: str, prefix: str) -> list[str]:
    """What to tell a user whose facet value search cannot work as typed."""
    prefix = " ".join((prefix or "").split())
    if not prefix:
        return []
    if facet in YEAR_FACETS:
        if not (prefix.isascii() and prefix.isdigit()):
            return ["Years are found by their first digits, e.g. 19 or 198."]
        return []
    if not any(c.isalnum() for c in prefix):
        return ["Names are found by the start of a word; punctuation alone matches every value."]
    return []


def year_prefix_matches(value: int, prefix: str) -> bool:
    """Does ``value`` (a year) start with the digits ``prefix``? ("" matches all.)"""
    prefix = prefix.strip()
    return not prefix or str(value).startswith(prefix)
