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

#: URL parameter → facet name. ``not_<param>`` excludes a value.
PARAM_TO_FACET = {
    "person": "person",
    "organisation": "organisation",
    "place": "place",
    "year": "published_year",
    "mentioned_year": "mentioned_years",
}
FACET_TO_PARAM = {facet: param for param, facet in PARAM_TO_FACET.items()}


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


@dataclass(frozen=True)
class SearchRequest:
    """One search: free text, facet selections (OR within a facet, AND across
    facets), exclusions, sort order and page.

    ``filters`` and ``excludes`` map a facet name (see ``models.FACETS``) to a
    tuple of values; year facet values are ints.
    """

    q: str = ""
    filters: Mapping[str, tuple] = field(default_factory=dict)
    excludes: Mapping[str, tuple] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    size: int = 10
    facet_size: int = 10
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

    def with_changes(self, **changes) -> "SearchRequest":
        return replace(self, **changes)

    @classmethod
    def build(
        cls,
        q: str = "",
        filters: Mapping[str, object] | None = None,
        excludes: Mapping[str, object] | None = None,
        sort: str = "relevance",
        page: object = 1,
        size: object = None,
        facet_size: object = None,
        limits: Limits | None = None,
    ) -> "SearchRequest":
        """Build a request from loose values, clamping and recording warnings."""
        limits = limits or Limits()
        warnings: list[str] = []
        q = " ".join((q or "").split())
        if len(q) > limits.max_query_chars:
            q = q[: limits.max_query_chars]
            warnings.append(f"The query was cut to {limits.max_query_chars} characters.")
        if sort not in SORTS:
            if sort:
                warnings.append(f"Unknown sort {sort!r}; sorted by relevance.")
            sort = "relevance"
        page = _clamp_int(page, 1, 1, limits.max_page, "page", warnings)
        size = _clamp_int(size, limits.default_size, 1, limits.max_size, "size", warnings)
        facet_size = _clamp_int(
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
            limits=limits,
            warnings=tuple(warnings),
        )

    @classmethod
    def from_args(cls, args, limits: Limits | None = None) -> "SearchRequest":
        """Parse a werkzeug ``MultiDict`` (or any mapping with ``getlist``)."""
        filters = {f: args.getlist(p) for p, f in PARAM_TO_FACET.items()}
        excludes = {f: args.getlist("not_" + p) for p, f in PARAM_TO_FACET.items()}
        return cls.build(
            q=args.get("q", ""),
            filters=filters,
            excludes=excludes,
            sort=args.get("sort", "relevance"),
            page=args.get("page", 1),
            size=args.get("size"),
            facet_size=args.get("facet_size"),
            limits=limits,
        )

    def to_args(self) -> list[tuple[str, str]]:
        """The URL query pairs that reproduce this request (inverse of from_args)."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        for facet in FACETS:
            param = FACET_TO_PARAM[facet]
            pairs += [(param, str(v)) for v in self.selected(facet)]
            pairs += [("not_" + param, str(v)) for v in self.excluded(facet)]
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        if self.size != self.limits.default_size:
            pairs.append(("size", str(self.size)))
        return pairs

    @property
    def has_filters(self) -> bool:
        return any(self.filters.values()) or any(self.excludes.values())


def _clamp_int(value, default, low, high, label, warnings) -> int:
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


def _facet_value(facet: str, value, warnings):
    if facet in YEAR_FACETS:
        try:
            year = int(str(value).strip())
        except ValueError:
            warnings.append(f"Ignored year {str(value)[:20]!r}: not a number.")
            return None
        if not 0 < year < 10000:
            warnings.append(f"Ignored year {year}: out of range.")
            return None
        return year
    text = " ".join(str(value).split())[:200]
    return text or None
