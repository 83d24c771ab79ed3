"""What a backend returns from a search: documents with their best passages, and facets.

These are plain dataclasses so the web layer can turn them into HTML or JSON
(`to_dict`) without knowing which engine produced them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, asdict
from typing import Callable, Iterator

from ..models import shown_source


@dataclass
class PassageHit:
    """A matching passage; ``highlights`` are (start, end) offsets into ``text``."""

    index: int
    start: int  # offset of the passage in the article text
    end: int
    text: str
    highlights: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class DocumentHit:
    """One matching article with its best 1–3 passages."""

    id: str
    title: str
    score: float = 0.0
    published: dt.date | None = None
    agency: str | None = None
    #: the file the article came from on the indexing machine: an identity, never shown
    source: str = ""
    url: str | None = None
    #: the source as users know it: the path relative to the indexed folder (``Article.source_label``)
    source_label: str = ""
    passages: list[PassageHit] = field(default_factory=list)
    #: matching passages in this article beyond those in ``passages``
    more_matches: int = 0
    #: entity type → the article's most mentioned display names (a few each;
    #: every name in an export stream)
    entities: dict[str, list[str]] = field(default_factory=dict)
    mentioned_years: list[int] = field(default_factory=list)

    @property
    def shown_source(self) -> str:
        """The source as users see it (:func:`~search_service.models.shown_source`)."""
        return shown_source(self.url, self.source_label)


@dataclass
class FacetValue:
    """A facet bucket; ``count`` is a number of documents."""

    value: object
    count: int
    selected: bool = False
    excluded: bool = False


@dataclass
class SearchResult:
    total: int
    hits: list[DocumentHit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    #: problems with the query text the engine worked around (shown as a hint)
    query_errors: list[str] = field(default_factory=list)
    #: documents without a published year, counted like the published-year facet
    #: (its own selections and range left out), so a time axis can show "no date"
    undated: int = 0

    def to_dict(self) -> dict:
        data = asdict(self)
        for hit in data["hits"]:
            if hit["published"]:
                hit["published"] = hit["published"].isoformat()
        return data


@dataclass
class HitStream:
    """Every document matching a request, in its sort order, read in batches
    (:meth:`Backend.iter_hits`). ``total`` is known before the first hit, so a
    response can state it (and whether a cap cuts it) in its headers."""

    total: int
    hits: Iterator[DocumentHit]
    #: problems with the query text the engine worked around
    query_errors: list[str] = field(default_factory=list)
    #: releases what the engine holds for the stream (called once, by close)
    release: Callable[[], None] | None = None

    def __iter__(self) -> Iterator[DocumentHit]:
        return self.hits

    def close(self) -> None:
        """Stop early (or after the end) and release what the engine holds,
        even when no hit was read. Safe to call more than once."""
        close = getattr(self.hits, "close", None)
        if close is not None:
            close()
        release, self.release = self.release, None
        if release is not None:
            release()
