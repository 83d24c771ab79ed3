"""Search state ↔ URLs: every state (query, filters, exclusions, sort, page)
lives in the query string, so a link is the whole state.

Each change of state (toggle, exclude, remove, clear, page, sort) is written once,
as a pure function from one :class:`SearchRequest` to the next; a link is that new
request written out by ``to_args``. The presenters use :class:`Links` to give every
facet value, chip and page link its own URL.
"""
from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from ..models import YEAR_FACETS
from ..search import SearchRequest
from ..search.request import FACET_TO_PARAM, PARAM_TO_FACET

FACET_LABELS = {
    "person": "Person",
    "organisation": "Organisation",
    "place": "Place",
    "published_year": "Year published",
    "mentioned_years": "Years mentioned",
}
#: Headings of the year charts (both on a true time axis).
CHART_LABELS = {"published_year": "Documents per year", "mentioned_years": "Documents mentioning each year"}
FIND_LABELS = {"person": "Find a person", "organisation": "Find an organisation", "place": "Find a place"}
SORT_LABELS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}
FACET_ORDER_LABELS = {"count": "Count", "alpha": "A–Z"}
#: How the selected values of a facet combine, in words (the facet and its chips say it).
MODE_WORDS = {"any": "mentions any of", "all": "mentions all of"}
#: Above the mode switch: what each choice means.
MODE_LABELS = {"any": "any", "all": "all"}


def facet_for_param(name: str) -> str | None:
    """The facet behind a URL parameter name (``year`` → ``published_year``);
    facet names themselves are accepted too."""
    if name in PARAM_TO_FACET:
        return PARAM_TO_FACET[name]
    return name if name in FACET_TO_PARAM else None


def normalise(facet: str, value) -> object:
    """Facet values as the request holds them: ints for years, strings otherwise."""
    if facet in YEAR_FACETS:
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    return str(value)


def with_query(path: str, pairs) -> str:
    """``path`` plus an encoded query string (no ``?`` when there is nothing)."""
    query = urlencode(list(pairs))
    return f"{path}?{query}" if query else path


def _replace(req: SearchRequest, facet: str, filters=None, excludes=None) -> SearchRequest:
    new_filters = dict(req.filters)
    new_excludes = dict(req.excludes)
    if filters is not None:
        new_filters[facet] = tuple(filters)
    if excludes is not None:
        new_excludes[facet] = tuple(excludes)
    # Any change of filters starts again at page 1: page 7 of a narrower search may not exist.
    return req.with_changes(
        filters={k: v for k, v in new_filters.items() if v},
        excludes={k: v for k, v in new_excludes.items() if v},
        page=1,
    )


def toggled(req: SearchRequest, facet: str, value) -> SearchRequest:
    """Select ``value`` (OR with the facet's other selections) or, if selected,
    unselect it. Selecting an excluded value lifts the exclusion."""
    value = normalise(facet, value)
    selected = list(req.selected(facet))
    if value in selected:
        selected.remove(value)
    else:
        selected.append(value)
    excluded = [v for v in req.excluded(facet) if v != value]
    return _replace(req, facet, filters=selected, excludes=excluded)


def excluded(req: SearchRequest, facet: str, value) -> SearchRequest:
    """Exclude ``value`` (NOT) or, if already excluded, lift the exclusion."""
    value = normalise(facet, value)
    excludes = list(req.excluded(facet))
    if value in excludes:
        excludes.remove(value)
    else:
        excludes.append(value)
    selected = [v for v in req.selected(facet) if v != value]
    return _replace(req, facet, filters=selected, excludes=excludes)


def removed(req: SearchRequest, facet: str, value) -> SearchRequest:
    """``req`` without ``value`` selected or excluded (a chip's remove link)."""
    value = normalise(facet, value)
    return _replace(
        req, facet,
        filters=[v for v in req.selected(facet) if v != value],
        excludes=[v for v in req.excluded(facet) if v != value],
    )


def cleared(req: SearchRequest) -> SearchRequest:
    """Keep the query text, sort and facet order; drop every filter, exclusion,
    year range and match mode."""
    return req.with_changes(filters={}, excludes={}, ranges={}, modes={}, page=1)


def with_mode(req: SearchRequest, facet: str, mode: str) -> SearchRequest:
    """``facet``'s selected values combined with ``mode`` ("any" or "all"), from page 1."""
    modes = {f: m for f, m in req.modes.items() if f != facet}
    if mode == "all":
        modes[facet] = "all"
    return req.with_changes(modes=modes, page=1)


def with_range(req: SearchRequest, facet: str, low: int | None, high: int | None) -> SearchRequest:
    """``facet`` limited to the years ``low``–``high`` (either may be None; both
    None lifts the range), from page 1."""
    ranges = {f: r for f, r in req.ranges.items() if f != facet}
    if low is not None or high is not None:
        ranges[facet] = (low, high)
    return req.with_changes(ranges=ranges, page=1)


def ordered_by(req: SearchRequest, facet_order: str) -> SearchRequest:
    """Facet values ordered by ``facet_order`` ("count" or "alpha"); the results stay as they are."""
    return req.with_changes(facet_order=facet_order)


def paged(req: SearchRequest, page: int) -> SearchRequest:
    """This state on another result page."""
    return req.with_changes(page=page)


def sorted_by(req: SearchRequest, sort: str) -> SearchRequest:
    """This state in another order, from page 1."""
    return req.with_changes(sort=sort, page=1)


def state_pairs(req: SearchRequest) -> list[tuple[str, str]]:
    """Filters and exclusions only: the hidden inputs that keep them when the
    search form is submitted with new text (q, sort, page come from the form)."""
    return [(k, v) for k, v in req.to_args() if k not in ("q", "sort", "page", "size")]


def dom_id(prefix: str, facet: str, value) -> str:
    """A stable element id for a facet value, so htmx can give focus back to the
    same control after the results region is swapped."""
    digest = hashlib.sha1(f"{facet}\x00{value}".encode("utf-8")).hexdigest()[:10]
    return f"{prefix}-{FACET_TO_PARAM.get(facet, facet)}-{digest}"


class Links:
    """URLs for every change of one request's state.

    Each URL is the changed request written out by :meth:`SearchRequest.to_args`,
    so a link can never disagree with what parsing it gives back; the transitions
    themselves live once, in the functions above.
    """

    def __init__(self, req: SearchRequest, path: str):
        self.req, self.path = req, path

    def url(self, req: SearchRequest) -> str:
        """The URL of ``req`` on this path."""
        return with_query(self.path, req.to_args())

    def toggle(self, facet: str, value) -> str:
        """The URL of :func:`toggled`."""
        return self.url(toggled(self.req, facet, value))

    def exclude(self, facet: str, value) -> str:
        """The URL of :func:`excluded`."""
        return self.url(excluded(self.req, facet, value))

    def remove(self, facet: str, value) -> str:
        """The URL of :func:`removed`."""
        return self.url(removed(self.req, facet, value))

    def clear(self) -> str:
        """The URL of :func:`cleared`."""
        return self.url(cleared(self.req))

    def mode(self, facet: str, mode: str) -> str:
        """The URL of :func:`with_mode`."""
        return self.url(with_mode(self.req, facet, mode))

    def range(self, facet: str, low: int | None, high: int | None) -> str:
        """The URL of :func:`with_range`."""
        return self.url(with_range(self.req, facet, low, high))

    def order(self, facet_order: str) -> str:
        """The URL of :func:`ordered_by`."""
        return self.url(ordered_by(self.req, facet_order))

    def page(self, page: int) -> str:
        """The URL of :func:`paged`."""
        return self.url(paged(self.req, page))

    def sort(self, sort: str) -> str:
        """The URL of :func:`sorted_by`."""
        return self.url(sorted_by(self.req, sort))
