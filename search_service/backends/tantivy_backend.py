"""The embedded search backend: Tantivy indexes in ``DATA_DIR/index``.

Design (the modules next to this one hold the details):

* :mod:`.tantivy_schema` — ONE index per generation with two kinds of records,
  ``doc`` (one per article, carries facets, the sort date and the stored Article
  JSON) and ``passage`` (one per passage). Searches, totals and facet counts run on
  ``kind:doc`` only, so every number is a number of documents; a second query finds
  the passages of the articles on the page. The text analyzer (simple tokenizer,
  lowercase, ASCII folding, English stemmer) is registered on every Index opened.
* :mod:`.tantivy_query` — user text parsed leniently into Tantivy's syntax tree and
  compiled here (phrases, ``-word``, ``OR``, AND by default, ``word*`` prefixes,
  which Tantivy's own parser drops on a stemmed field).
* :mod:`.tantivy_facets` — multi-select facet counts with ``Searcher.aggregate``;
  exact because every segment reports all its buckets.
* :mod:`.tantivy_entities` — counts behind entity pages and related entities,
  with collection-wide counts kept per index state.
* :mod:`.tantivy_search` — runs a search (hits, passages, highlights via
  :mod:`.tantivy_highlight`) and caches facet counts per index state, so paging
  does not recount them.
* :mod:`.tantivy_store` — generations, the atomic CURRENT pointer, HISTORY for
  rollback, and an ``flock`` write lock that the OS drops when a writer dies;
  :mod:`.tantivy_writer` wraps Tantivy's IndexWriter (its LockBusy → IndexBusy).

Readers (web workers) stat CURRENT and the live generation's ``meta.json`` on
every call — a few microseconds — and reopen or ``reload()`` when either changed,
so commits from another process and a reindex switch are seen without restart.
"""
from __future__ import annotations

import datetime as dt
import os
import threading
from contextlib import contextmanager
from typing import Iterator

from tantivy import FieldType, Index, Occur, Order, Query, Searcher

from ..config import Settings
from ..models import Article
from ..search import FacetValue, HitStream, PassageHit, SearchRequest, SearchResult
from ..search.entities import EntityCounts, RelatedCounts
from .base import MAX_DOCUMENT_MATCHES, Backend, BackendError, BackendUnavailable, Writer, check_facet, page_bounds
from .tantivy_entities import BackgroundCounts, entity_counts, related_counts
from .tantivy_facets import Filters, facet_values
from .tantivy_query import parse_user_query
from .tantivy_schema import (
    DOC, PASSAGE, SCHEMA, SCHEMA_VERSION, SOURCE_SEP, create_index, open_index,
    schema_version, stored_article,
)
from .tantivy_search import FacetCache, document_matches, run_search, stream_hits
from .tantivy_store import GenerationStore, WriteLock, fsync_dir
from .tantivy_writer import TantivyWriter


def _kind(kind: str) -> Query:
    return Query.term_query(SCHEMA, "kind", kind)


#: Articles per window of :meth:`TantivyBackend.iter_articles` (bounds its memory).
ID_WINDOW = 1000


def _stat_signature(path: str) -> tuple | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class TantivyBackend(Backend):
    """Tantivy on local disk; safe to share between threads of one process."""

    name = "tantivy"

    def __init__(self, data_dir: str, keep_generations: int = 2, facet_cache_size: int = 64, writer_threads: int = 1):
        self.store = GenerationStore(data_dir, keep_generations)
        self._writer_threads = writer_threads
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._generation: str | None = None
        self._current_sig: tuple | None = None
        self._meta_sig: tuple | None = None
        self._opened = False
        self._facet_cache = FacetCache(facet_cache_size) if facet_cache_size > 0 else None
        self._background = BackgroundCounts()

    @classmethod
    def from_settings(cls, settings: Settings) -> "TantivyBackend":
        """Open the backend described by ``data_dir``, ``keep_generations``, ``facet_cache_size``
        and ``index_writer_threads``."""
        return cls(settings.data_dir, settings.keep_generations, settings.facet_cache_size,
                   settings.index_writer_threads)

    # -- readers -----------------------------------------------------------------
    def _searcher(self) -> Searcher | None:
        """A searcher on the newest commit of the live generation (None: nothing indexed)."""
        return self._snapshot()[0]

    def _snapshot(self) -> tuple[Searcher | None, tuple | None]:
        """(searcher, state): state names the generation and commit it reads."""
        with self._lock:
            current_sig = self.store.current_signature()
            if not self._opened or current_sig != self._current_sig:
                self._open_live(current_sig)
            if self._index is None:
                return None, None
            meta_sig = _stat_signature(os.path.join(self.store.path(self._generation), "meta.json"))
            if meta_sig != self._meta_sig:
                # stat first, then reload: a commit landing in between is picked up next time.
                try:
                    self._index.reload()
                except ValueError as exc:
                    raise BackendUnavailable(f"Cannot read the search index {self._generation}: {exc}") from None
                self._meta_sig = meta_sig
            return self._index.searcher(), (self._generation, meta_sig)

    def _open_live(self, current_sig) -> None:
        self._index, self._generation, self._meta_sig, self._opened = None, None, None, False
        generation = self.store.current()
        if generation is not None:
            self._index = self._open_generation(generation)
            self._index.config_reader(reload_policy="manual")  # we reload; no watcher thread
            self._generation = generation
        self._current_sig, self._opened = current_sig, True

    def _open_generation(self, generation: str) -> Index:
        path = self.store.path(generation)
        if not os.path.isdir(path):
            raise BackendUnavailable(
                f"The live index generation {generation} is missing from {self.store.root}; "
                "run a reindex or a rollback."
            )
        if schema_version(path) != SCHEMA_VERSION:
            raise BackendUnavailable(
                f"The index at {path} was built by another version of this program; run a reindex."
            )
        try:
            return open_index(path)
        except ValueError as exc:
            raise BackendUnavailable(f"The search index at {path} cannot be opened (corrupt?): {exc}") from None

    def _invalidate(self) -> None:
        with self._lock:
            self._meta_sig = None

    def _count(self, searcher: Searcher, query: Query) -> int:
        return searcher.search(query, 1).count

    def search(self, request: SearchRequest) -> SearchResult:
        """Documents matching ``request``, their best passages, and exact facet counts."""
        searcher, state = self._snapshot()
        try:
            return run_search(searcher, request, self._facet_cache, state)
        except ValueError as exc:
            raise BackendError(f"The search failed: {exc}") from None

    def iter_hits(self, request: SearchRequest, limit: int) -> HitStream:
        """Every matching document (up to ``limit``) in search order, from one snapshot."""
        try:
            return stream_hits(self._searcher(), request, limit)
        except ValueError as exc:
            raise BackendError(f"The search failed: {exc}") from None

    def facet_values(
        self, facet: str, request: SearchRequest, prefix: str = "", size: int = 10, offset: int = 0
    ) -> list[FacetValue]:
        """A page of ``facet``'s values with a word starting with ``prefix`` (folded)."""
        check_facet(facet)
        size, offset = page_bounds(request, size, offset)
        filters = Filters(request, parse_user_query(request.q).doc_query())
        try:
            return facet_values(self._searcher(), filters, facet, prefix, size, offset)
        except ValueError as exc:
            raise BackendError(f"The facet search failed: {exc}") from None

    def entity_counts(self, entity_type: str, value: str) -> EntityCounts | None:
        """An entity page's counts (:mod:`.tantivy_entities`); None if nothing mentions it."""
        searcher, state = self._snapshot()
        try:
            return entity_counts(searcher, entity_type, value, self._background, state)
        except ValueError as exc:
            raise BackendError(f"The entity lookup failed: {exc}") from None

    def related_counts(self, request: SearchRequest) -> RelatedCounts:
        """Foreground and background counts of the related entities of ``request``."""
        searcher, state = self._snapshot()
        try:
            return related_counts(searcher, request, self._background, state)
        except ValueError as exc:
            raise BackendError(f"Counting related entities failed: {exc}") from None

    def document_matches(self, doc_id: str, q: str) -> list[PassageHit]:
        """The passages of ``doc_id`` matching ``q``, in text order, highlighted."""
        searcher = self._searcher()
        article = self.get(doc_id) if searcher is not None else None
        if article is None:
            return []
        try:
            return document_matches(searcher, parse_user_query(q), article, MAX_DOCUMENT_MATCHES)
        except ValueError as exc:
            raise BackendError(f"The search failed: {exc}") from None

    def get(self, doc_id: str) -> Article | None:
        """The stored article ``doc_id``, or None."""
        searcher = self._searcher()
        if searcher is None or not doc_id:
            return None
        query = Query.boolean_query(
            [(Occur.Must, _kind(DOC)), (Occur.Must, Query.term_query(SCHEMA, "doc_id", doc_id))]
        )
        hits = searcher.search(query, 1).hits
        return stored_article(searcher.doc(hits[0][1])) if hits else None

    def iter_articles(self) -> Iterator[Article]:
        """Every stored article from one consistent snapshot, in ``dockey`` order (a hash
        of the id; see :func:`article_order`).

        Streamed in windows of :data:`ID_WINDOW` articles, each loaded as it is yielded:
        each window is one search for the articles whose ``dockey`` fast field is at or
        above the last one seen, sorted on it, so no list of the collection's ids or
        addresses is ever held (keyset paging; the ids sharing the window's last key are
        remembered, so that a hash collision neither repeats nor skips an article).
        """
        searcher = self._searcher()
        if searcher is None:
            return
        docs = _kind(DOC)
        lower, seen_at_lower = 0, frozenset()
        while True:
            keyed = Query.range_query(SCHEMA, "dockey", FieldType.Unsigned, lower, None)
            query = Query.boolean_query([(Occur.Must, docs), (Occur.Must, keyed)])
            limit = ID_WINDOW + len(seen_at_lower)
            hits = searcher.search(query, limit, count=False, order_by_field="dockey", order=Order.Asc).hits
            last_key, at_last, new = None, set(), 0
            for key, address in hits:
                article = stored_article(searcher.doc(address))
                if key == lower and article.id in seen_at_lower:
                    continue
                if key != last_key:
                    last_key, at_last = key, set()
                at_last.add(article.id)
                new += 1
                yield article
            if len(hits) < limit or not new:
                return
            seen_at_lower = frozenset(at_last | (seen_at_lower if last_key == lower else set()))
            lower = last_key

    def source_hashes(self) -> dict[str, str]:
        """Source path → content hash; "" when the file's articles disagree (half-updated)."""
        searcher = self._searcher()
        if searcher is None:
            return {}
        hashes: dict[str, str] = {}
        for term, _ in searcher.terms_with_prefix("source_key", "", _kind(DOC), None):
            source, _, content_hash = term.partition(SOURCE_SEP)
            hashes[source] = content_hash if hashes.get(source, content_hash) == content_hash else ""
        return hashes

    def stats(self) -> dict:
        """Engine name, document and passage counts, live generation, its path and last commit."""
        searcher = self._searcher()
        path = self.store.path(self._generation) if self._generation else self.store.root
        last_commit = None
        meta = os.path.join(path, "meta.json")
        if searcher is not None and os.path.exists(meta):
            last_commit = dt.datetime.fromtimestamp(os.path.getmtime(meta), dt.timezone.utc).isoformat()
        return {
            "backend": self.name,
            "documents": self._count(searcher, _kind(DOC)) if searcher else 0,
            "passages": self._count(searcher, _kind(PASSAGE)) if searcher else 0,
            "generation": self._generation,
            "path": path,
            "last_commit": last_commit,
        }

    # -- writers -----------------------------------------------------------------
    @contextmanager
    def writer(self) -> Iterator[Writer]:
        """Write to the live generation (created on first use); commit on a clean exit."""
        lock = WriteLock(self.store)
        try:
            generation = self.store.current()
            if generation is None:
                generation = self.store.new_generation()
                index = create_index(self.store.path(generation))
                self.store.mark_complete(generation)  # an empty index is a complete one
                self.store.activate(generation)
            else:
                index = self._open_generation(generation)
            writer = TantivyWriter(index, self.store.path(generation), on_commit=self._invalidate,
                                   threads=self._writer_threads)
            try:
                yield writer
            except BaseException:
                writer.abort()
                raise
            writer.finish()
        finally:
            lock.release()

    @contextmanager
    def rebuild(self) -> Iterator[Writer]:
        """Build a new generation; switch CURRENT to it only after a clean exit."""
        with self._new_generation(lambda: None) as writer:
            yield writer

    @contextmanager
    def revise(self) -> Iterator[Writer]:
        """Write to a hard-linked copy of the live generation; switch to it after a clean exit.

        Copying costs a directory of hard links, not a rewrite: changing a few
        hundred articles of 50,000 writes only those.
        """
        with self._new_generation(self.store.current) as writer:
            yield writer

    @contextmanager
    def _new_generation(self, base) -> Iterator[Writer]:
        """A writer on a new generation (empty, or a copy of generation ``base()``),
        made live only after a clean exit."""
        lock = WriteLock(self.store)
        try:
            self.store.prune()  # leftovers of killed rebuilds; never the live or kept ones
            source = base()
            generation = self.store.clone(source) if source else self.store.new_generation()
            path = self.store.path(generation)
            try:
                index = self._open_generation(generation) if source else create_index(path)
                writer = TantivyWriter(index, path, threads=self._writer_threads, fresh=not source)
                try:
                    yield writer
                except BaseException:
                    writer.abort()
                    raise
                writer.finish()
                fsync_dir(path)
            except BaseException:
                self.store.remove(generation)
                raise
            self.store.mark_complete(generation)
            self.store.activate(generation)
            self.store.prune()
        finally:
            lock.release()

    def rollback(self) -> str:
        """Make the generation that was live before the last rebuild live again."""
        lock = WriteLock(self.store)
        try:
            return self.store.rollback()
        finally:
            lock.release()

    def close(self) -> None:
        """Drop the open index (a later call reopens it)."""
        with self._lock:
            self._index, self._generation, self._opened = None, None, False
