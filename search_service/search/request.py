"""Parse search arguments once into a small, clamped, immutable object.

The web page, the JSON API and the CLI all build a :class:`SearchRequest`; every
backend takes nothing else. Anything a user can inflate (query length, page
depth, page size, facet size) is clamped here, so no backend has to.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

from ..models import FACETS, YEAR_FACETS

SORTS = ("relevance", "newest", "oldest")
#: How a facet's values are ordered: by document count (default) or A–Z.
FACET_ORDERS = ("count", "alpha")
#: How several selected values of one facet combine: ``any`` (OR, default) or
#: ``all`` (a document must hold every one).
MODES = ("any", "all")
#: Years a facet value or a range bound may take.
YEAR_MIN, YEAR_MAX = 1, 9999

#: URL parameter → facet name. ``not_<param>`` excludes a value.
PARAM_TO_FACET = {
    "person": "person",
    "organisation": "organisation",
    "place": "place",
    "year": "published_year",
    "mentioned_year": "mentioned_years",
}
FACET_TO_PARAM = {facet: param for param, facet in PARAM_TO_FACET.items()}
#: Facets with a match mode, URL ``<param>_mode=all|any``. A published year is
#: one value per document, so "all of 2019 and 2020" could never match.
MODE_FACETS = ("person", "organisation", "place", "mentioned_years")
#: Year facets with a range, URL ``<param>_from`` / ``<param>_to`` (inclusive).
RANGE_FACETS = ("published_year", "mentioned_years")


def default_sort(q: str) -> str:
    """The order used when none is asked for: newest first without query text
    (relevance would only be file order), relevance with it."""
    return "relevance" if q else "newest"


@dataclass(frozen=True)
class Limits:
    """Bounds on what one request may ask for."""

    max_query_chars: int = 500
    max_page: int = 50
    max_size: int = 50
    default_size: int = 10
    max_facet_size: int = 100
    default_facet_size: int = 10
    max_values_per_facet: int = 20
    #: Deepest offset of a facet value page (the facet page pages through all values).
    max_facet_offset: int = 10_000


@dataclass(frozen=True)
class SearchRequest:
    """One search: free text, facet selections (OR within a facet unless its
    mode is ``all``, AND across facets), exclusions, year ranges, sort order and page.

    ``filters`` and ``excludes`` map a facet name (see ``models.FACETS``) to a
    tuple of values; year facet values are ints. ``modes`` maps a facet of
    :data:`MODE_FACETS` to ``"all"`` (absent = ``"any"``); ``ranges`` maps a facet
    of :data:`RANGE_FACETS` to inclusive ``(low, high)`` bounds, either may be None.
    ``sort`` is always the effective order (see :func:`default_sort`).
    """

    q: str = ""
    filters: Mapping[str, tuple] = field(default_factory=dict)
    excludes: Mapping[str, tuple] = field(default_factory=dict)
    sort: str = "newest"
    page: int = 1
    size: int = 10
    facet_size: int = 10
    modes: Mapping[str, str] = field(default_factory=dict)
    ranges: Mapping[str, tuple] = field(default_factory=dict)
    facet_order: str = "count"
    limits: Limits = field(default_factory=Limits, compare=False, repr=False)
    #: Problems found while parsing (shown to the user as hints, never raised).
    warnings: tuple[str, ...] = ()

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def selected(self, facet: str) -> tuple:
        return tuple(self.filters.get(facet, ()))

    def excluded(self, facet: str) -> tuple:
        return tuple(self.excludes.get(facet, ()))

    def mode(self, facet: str) -> str:
        """``"all"`` or ``"any"``: how the selected values of ``facet`` combine."""
        return "all" if self.modes.get(facet) == "all" else "any"

    def range(self, facet: str) -> tuple:
        """Inclusive ``(low, high)`` year bounds on ``facet``; (None, None) = no range."""
        return tuple(self.ranges.get(facet, (None, None)))

    def with_changes(self, **changes) -> "SearchRequest":
        return replace(self, **changes)

    @classmethod
    def build(
        cls,
        q: str = "",
        filters: Mapping[str, object] | None = None,
        excludes: Mapping[str, object] | None = None,
        sort: str | None = None,
        page: object = 1,
        size: object = None,
        facet_size: object = None,
        limits: Limits | None = None,
        modes: Mapping[str, object] | None = None,
        ranges: Mapping[str, tuple] | None = None,
        facet_order: str | None = None,
    ) -> "SearchRequest":
        """Build a request from loose values, clamping and recording warnings.
        ``sort`` None (or empty) is the default order for the query text."""
        limits = limits or Limits()
        warnings: list[str] = []
        q = " ".join((q or "").split())
        if len(q) > limits.max_query_chars:
            q = q[: limits.max_query_chars]
            warnings.append(f"The query was cut to {limits.max_query_chars} characters.")
        if sort not in SORTS:
            effective = default_sort(q)
            if sort:
                label = "newest first" if effective == "newest" else effective
                warnings.append(f"Unknown sort {str(sort)[:20]!r}; sorted by {label}.")
            sort = effective
        if facet_order not in FACET_ORDERS:
            if facet_order:
                warnings.append(f"Unknown facet order {str(facet_order)[:20]!r}; ordered by count.")
            facet_order = "count"
        page = clamp_int(page, 1, 1, limits.max_page, "page", warnings)
        size = clamp_int(size, limits.default_size, 1, limits.max_size, "size", warnings)
        facet_size = clamp_int(
            facet_size, limits.default_facet_size, 1, limits.max_facet_size, "facet size", warnings
        )
        return cls(
            q=q,
            filters=_clean_selections(filters or {}, limits, warnings),
            excludes=_clean_selections(excludes or {}, limits, warnings),
            sort=sort,
            page=page,
            size=size,
            facet_size=facet_size,
            modes=_clean_modes(modes or {}, warnings),
            ranges=_clean_ranges(ranges or {}, warnings),
            facet_order=facet_order,
            limits=limits,
            warnings=tuple(warnings),
        )

    @classmethod
    def from_args(cls, args, limits: Limits | None = None) -> "SearchRequest":
        """Parse a werkzeug ``MultiDict`` (or any mapping with ``getlist``)."""
        filters = {f: args.getlist(p) for p, f in PARAM_TO_FACET.items()}
        excludes = {f: args.getlist("not_" + p) for p, f in PARAM_TO_FACET.items()}
        modes = {f: args.get(FACET_TO_PARAM[f] + "_mode") for f in MODE_FACETS}
        ranges = {
            f: (args.get(FACET_TO_PARAM[f] + "_from"), args.get(FACET_TO_PARAM[f] + "_to")) for f in RANGE_FACETS
        }
        return cls.build(
            q=args.get("q", ""),
            filters=filters,
            excludes=excludes,
            sort=args.get("sort"),
            page=args.get("page", 1),
            size=args.get("size"),
            facet_size=args.get("facet_size"),
            modes=modes,
            ranges=ranges,
            facet_order=args.get("facet_order"),
            limits=limits,
        )

    def to_args(self) -> list[tuple[str, str]]:
        """The URL query pairs that reproduce this request (inverse of from_args);
        defaults are left out, and no parameter appears twice unless it carries
        several values of one facet."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        for facet in FACETS:
            param = FACET_TO_PARAM[facet]
            pairs += [(param, str(v)) for v in self.selected(facet)]
            pairs += [("not_" + param, str(v)) for v in self.excluded(facet)]
            if self.mode(facet) == "all":
                pairs.append((param + "_mode", "all"))
            low, high = self.range(facet)
            if low is not None:
                pairs.append((param + "_from", str(low)))
            if high is not None:
                pairs.append((param + "_to", str(high)))
        if self.sort != default_sort(self.q):
            pairs.append(("sort", self.sort))
        if self.facet_order != "count":
            pairs.append(("facet_order", self.facet_order))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        if self.size != self.limits.default_size:
            pairs.append(("size", str(self.size)))
        if self.facet_size != self.limits.default_facet_size:
            pairs.append(("facet_size", str(self.facet_size)))
        return pairs

    @property
    def has_filters(self) -> bool:
        return (
            any(self.filters.values())
            or any(self.excludes.values())
            or any(bound is not None for bounds in self.ranges.values() for bound in bounds)
        )


def clamp_int(value, default, low, high, label, warnings) -> int:
    """``value`` as an int in ``[low, high]``; blank → ``default``; a warning for
    every value that is not a number (→ ``default``) or out of range (→ clamped)."""
    if value is None or value == "":
        return default
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        warnings.append(f"Ignored {label} {str(value)[:20]!r}: not a number.")
        return default
    if number < low or number > high:
        clamped = min(max(number, low), high)
        warnings.append(f"The {label} must be between {low} and {high}; used {clamped}.")
        return clamped
    return number


def _clean_selections(raw: Mapping[str, object], limits: Limits, warnings) -> dict[str, tuple]:
    cleaned: dict[str, tuple] = {}
    for facet, values in raw.items():
        if facet not in FACETS:
            warnings.append(f"Unknown facet {facet!r} ignored.")
            continue
        if isinstance(values, (str, int)):
            values = [values]
        seen: list = []
        for value in values or ():
            value = _facet_value(facet, value, warnings)
            if value is not None and value not in seen:
                seen.append(value)
        if len(seen) > limits.max_values_per_facet:
            warnings.append(f"Only the first {limits.max_values_per_facet} values of {facet} are used.")
            seen = seen[: limits.max_values_per_facet]
        if seen:
            cleaned[facet] = tuple(seen)
    return cleaned


def _clean_modes(raw: Mapping[str, object], warnings) -> dict[str, str]:
    modes: dict[str, str] = {}
    for facet, mode in raw.items():
        if mode is None or mode == "" or mode == "any":
            continue
        label = FACET_TO_PARAM.get(facet, str(facet))
        if facet not in MODE_FACETS:
            warnings.append(f"The {label} facet has no match mode; ignored.")
        elif mode == "all":
            modes[facet] = "all"
        else:
            warnings.append(f"Unknown match mode {str(mode)[:20]!r} for {label}; used any.")
    return modes


def _clean_ranges(raw: Mapping[str, tuple], warnings) -> dict[str, tuple]:
    ranges: dict[str, tuple] = {}
    for facet, bounds in raw.items():
        label = FACET_TO_PARAM.get(facet, str(facet))
        if facet not in RANGE_FACETS:
            warnings.append(f"The {label} facet has no range; ignored.")
            continue
        low, high = (_range_bound(label, side, value, warnings) for side, value in zip(("from", "to"), bounds))
        if low is not None and high is not None and low > high:
            warnings.append(f"The {label} range ran backwards; used {high} to {low}.")
            low, high = high, low
        if low is not None or high is not None:
            ranges[facet] = (low, high)
    return ranges


def _range_bound(label: str, side: str, value, warnings) -> int | None:
    return clamp_int(value, None, YEAR_MIN, YEAR_MAX, f"{label}_{side}", warnings)


def _facet_value(facet: str, value, warnings):
    if facet in YEAR_FACETS:
        try:
            year = int(str(value).strip())
        except ValueError:
            warnings.append(f"Ignored year {str(value)[:20]!r}: not a number.")
            return None
        if not YEAR_MIN <= year <= YEAR_MAX:
            warnings.append(f"Ignored year {year}: out of range.")
            return None
        return year
    text = " ".join(str(value).split())[:200]
    return text or None
