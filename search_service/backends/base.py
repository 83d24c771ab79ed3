"""The one small interface every search engine implements.

The indexer writes through :meth:`Backend.writer` / :meth:`Backend.rebuild`; the web
layer and CLI read through :meth:`search`, :meth:`facet_values`, :meth:`entity`,
:meth:`related`, :meth:`get`, :meth:`stats`. Nothing outside ``search_service/backends`` imports an engine.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager, contextmanager
from typing import Iterator

from ..models import ENTITY_TYPES, FACETS, Article
from ..search import FacetValue, HitStream, PassageHit, SearchRequest, SearchResult
from ..search import entities
from ..search.entities import Association, EntityCounts, EntityProfile, RelatedCounts


class BackendError(Exception):
    """Base class for engine problems the user should see as a clear message."""


class BackendUnavailable(BackendError):
    """The engine cannot be reached or opened (web: 503 page)."""


class IndexBusy(BackendError):
    """Another process is writing to the index."""


class Writer(ABC):
    """A write session. Nothing is visible to searches before :meth:`commit`."""

    @abstractmethod
    def add(self, article: Article) -> None:
        """Add an article, replacing any stored article with the same id."""

    @abstractmethod
    def delete_source(self, source: str) -> None:
        """Delete every article that came from the file ``source``."""

    @abstractmethod
    def commit(self) -> None:
        """Make everything written so far durable and visible to searches."""

    def refused(self) -> list[tuple[str, str]]:
        """(article id, reason) of every write the engine refused while the session
        went on (an engine that either takes a write or raises refuses nothing)."""
        return []


#: Most matching passages :meth:`Backend.document_matches` returns: Elasticsearch's
#: default ``index.max_inner_result_window``, and the same on every engine.
MAX_DOCUMENT_MATCHES = 100


def check_facet(facet: str) -> None:
    """Raise a clear :class:`BackendError` for a facet name that does not exist."""
    if facet not in FACETS:
        raise BackendError(f"Unknown facet {facet!r}; choose one of: {', '.join(FACETS)}")


def page_bounds(request: SearchRequest, size, offset) -> tuple[int, int]:
    """(size, offset) of a facet value page, clamped to the request's limits; a
    page may hold one value more than the limit, so a caller asking for a full
    page plus one learns whether a next page exists."""
    size = max(1, min(int(size), request.limits.max_facet_size + 1))
    offset = max(0, min(int(offset), request.limits.max_facet_offset))
    return size, offset


class _StagedWriter(Writer):
    """Holds the writes of a default :meth:`Backend.revise` until its rebuild."""

    def __init__(self):
        self.articles: dict[str, Article] = {}
        self.deleted_sources: set[str] = set()
        self.refusals: list[tuple[str, str]] = []

    def add(self, article: Article) -> None:
        self.articles[article.id] = article

    def delete_source(self, source: str) -> None:
        self.deleted_sources.add(source)
        self.articles = {i: a for i, a in self.articles.items() if a.source != source}

    def commit(self) -> None:
        """Nothing to do: the rebuild at the end of the block writes everything."""

    def refused(self) -> list[tuple[str, str]]:
        return list(self.refusals)


class Backend(ABC):
    """A search engine holding articles, their passages and their entity facets."""

    #: short engine name shown in /healthz and `stats`
    name: str = "abstract"

    # -- reading --------------------------------------------------------------
    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResult:
        """Documents matching ``request`` with best passages, plus facet lists
        built by :func:`search_service.search.facets.assemble` from exact
        document counts, and the undated count."""

    @abstractmethod
    def iter_hits(self, request: SearchRequest, limit: int) -> HitStream:
        """Up to ``limit`` documents matching ``request`` (its page and size are
        ignored), in the order :meth:`search` pages through them, read in
        batches so memory stays flat. Each hit carries its best passage, every
        entity name and its mentioned years; no facets are counted."""

    @abstractmethod
    def facet_values(
        self, facet: str, request: SearchRequest, prefix: str = "", size: int = 10, offset: int = 0
    ) -> list[FacetValue]:
        """Values ``offset`` to ``offset + size`` of one facet for ``request``
        whose name has a word starting with ``prefix`` (case- and
        accent-insensitive), in the request's facet order
        (:func:`search_service.search.facets.value_page`). Ask for one more than
        a page to learn whether a next page exists."""

    @abstractmethod
    def document_matches(self, doc_id: str, q: str) -> list[PassageHit]:
        """The passages of document ``doc_id`` that match the query text ``q``,
        in text order, each with its highlighted spans (at most
        :data:`MAX_DOCUMENT_MATCHES`, the first in text order); [] when nothing
        matches or ``q`` has no word to look for."""

    @abstractmethod
    def entity_counts(self, entity_type: str, value: str) -> EntityCounts | None:
        """The counts behind an entity page (see :class:`EntityCounts`): its
        documents, their years, the values co-mentioned with it, those values'
        collection counts and its newest articles; None when no document mentions it."""

    @abstractmethod
    def related_counts(self, request: SearchRequest) -> RelatedCounts:
        """Documents matching ``request`` and, per entity type, its most frequent
        values there with their collection counts (see :class:`RelatedCounts`)."""

    def entity(self, entity_type: str, value: str) -> EntityProfile | None:
        """An entity page (co-mentions ranked in :mod:`search.entities`, the
        same for every engine); None for an unknown type or value."""
        value = entities.clean_value(value)
        if entity_type not in ENTITY_TYPES or value is None:
            return None
        counts = self.entity_counts(entity_type, value)
        return entities.profile(counts) if counts is not None else None

    def related(self, request: SearchRequest) -> dict[str, list[Association]]:
        """Per entity type, the values over-represented in the results of
        ``request``; empty lists when it has neither a query nor a filter."""
        if not entities.wants_related(request):
            return {etype: [] for etype in ENTITY_TYPES}
        return entities.related(self.related_counts(request), request)

    @abstractmethod
    def get(self, doc_id: str) -> Article | None:
        """One stored article, or None."""

    @abstractmethod
    def iter_articles(self) -> Iterator[Article]:
        """Every stored article once (for export and reindex), streamed, in an order of the
        engine's own that is the same for two passes over one unchanged index."""

    @abstractmethod
    def source_hashes(self) -> dict[str, str]:
        """Source file path → content hash of every indexed file."""

    @abstractmethod
    def stats(self) -> dict:
        """At least ``backend``, ``documents`` and ``passages``."""

    # -- writing --------------------------------------------------------------
    @abstractmethod
    def writer(self) -> AbstractContextManager[Writer]:
        """A write session on the live index. Leaving the block commits; an
        exception discards what was not yet committed."""

    @abstractmethod
    def rebuild(self) -> AbstractContextManager[Writer]:
        """A write session on a fresh, empty index. Leaving the block cleanly
        commits and switches searches to it atomically; an exception (or a
        killed process) leaves the live index serving and untouched."""

    @contextmanager
    def revise(self) -> Iterator[Writer]:
        """A write session on a copy of the live index, for changing a few articles of
        a large collection at once (``entities apply``): leaving the block cleanly
        switches searches to the revised copy atomically, like :meth:`rebuild`, and
        the revision can be rolled back; an exception leaves the live index untouched.

        This default rebuilds: the written articles are held until the block ends,
        then every stored article is copied into a fresh index, written ones
        replacing theirs. An engine that can copy an index cheaply overrides it.
        """
        staged = _StagedWriter()
        yield staged
        with self.rebuild() as writer:
            for article in self.iter_articles():
                if article.source not in staged.deleted_sources:
                    writer.add(staged.articles.pop(article.id, article))
            for article in staged.articles.values():
                writer.add(article)
            writer.commit()
            staged.refusals = writer.refused()

    @abstractmethod
    def rollback(self) -> str:
        """Switch back to the index generation before the last rebuild; return its name."""

    def close(self) -> None:
        """Release resources (default: nothing to release)."""
