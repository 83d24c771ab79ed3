"""The Elasticsearch backend: one document per article, nested passages, an alias
over versioned indices.

Request bodies come from the pure builders in :mod:`es_query`, responses are
read by :mod:`es_result`, index bookkeeping is :mod:`es_index`; this module
only sends requests and keeps the alias story straight. Every client error is
translated into :class:`BackendUnavailable` / :class:`BackendError` with one
clear line (:mod:`es_client`).
"""
from __future__ import annotations

import datetime as dt
import logging
from contextlib import contextmanager
from typing import Iterator

from elasticsearch import BadRequestError, Elasticsearch, NotFoundError, helpers

from ..config import Settings
from ..models import Article
from ..search import FacetValue, HitStream, PassageHit, SearchRequest, SearchResult
from ..search.entities import EntityCounts, RelatedCounts
from . import es_entities, es_facet_values, es_index, es_query, es_result
from .base import MAX_DOCUMENT_MATCHES, Backend, BackendError, IndexBusy, check_facet, page_bounds
from .es_client import check_server, error_type, hosts, make_client, redact, slow, translated
from .es_mapping import ARTICLE_SOURCE, create_index_body
from .es_writer import EsWriter

log = logging.getLogger(__name__)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def configured_shards(settings: Settings) -> int | None:
    """Primary shards for new generations: ``ELASTICSEARCH_SHARDS`` when above 0,
    else None — as many as the live index has (see :func:`es_index.shards_of`)."""
    return settings.elasticsearch_shards if settings.elasticsearch_shards > 0 else None


class ElasticsearchBackend(Backend):
    """Articles in ``<prefix>-<generation>`` indices behind the alias ``<prefix>``."""

    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, prefix: str, url: str, keep_generations: int = 2,
                 server: dict | None = None, shards: int | None = None):
        self.client = client
        self.alias = es_index.check_prefix(prefix)
        self.url = url
        self.keep_generations = max(1, int(keep_generations))
        self.server = server or {}
        #: primary shards of new generations; None = as many as the live index has
        self.shards = shards if shards and shards > 0 else None

    @classmethod
    def from_settings(cls, settings: Settings) -> "ElasticsearchBackend":
        """Connect and check the cluster once; an unreachable cluster or a bad
        credential raises :class:`BackendUnavailable` with one clear line."""
        try:
            prefix = es_index.check_prefix(settings.elasticsearch_index_prefix or "articles")
        except ValueError as exc:
            raise BackendError(str(exc)) from None
        client = make_client(settings)
        url = hosts(settings)[0]
        try:
            info = check_server(client, url)
        except BackendError:
            client.close()
            raise
        shards = configured_shards(settings)
        return cls(client, prefix, url, settings.keep_generations or 2, server=info, shards=shards)

    def close(self) -> None:
        self.client.close()

    # -- reading ----------------------------------------------------------------
    def _search(self, body: dict) -> dict | None:
        """Run a search on the alias; None when nothing was ever indexed (no alias)."""
        with translated(self.url):
            try:
                return self.client.search(index=self.alias, body=body).body
            except NotFoundError:
                return None

    def search(self, request: SearchRequest) -> SearchResult:
        """Documents with best passages plus multi-select facet counts."""
        response = self._search(es_query.search_body(request))
        if response is None:
            return es_result.parse_search({}, request)
        return es_result.parse_search(response, request)

    def iter_hits(self, request: SearchRequest, limit: int) -> HitStream:
        """Every matching article (up to ``limit``) in search order: ``search_after``
        pages of one point in time, so a refresh in between changes nothing.
        The first page is read here (it brings the total); the point in time is
        closed when the stream is closed (or expires after ``PIT_KEEP_ALIVE``)."""
        errors = es_result.prepare_errors(request.q)
        with translated(self.url):
            try:
                pit = self.client.open_point_in_time(index=self.alias, keep_alive=es_query.PIT_KEEP_ALIVE).body
            except NotFoundError:  # nothing indexed yet
                return HitStream(total=0, hits=iter(()), query_errors=errors)
        state = {"pit": pit["id"]}

        def release() -> None:
            try:
                self.client.close_point_in_time(id=state["pit"])
            except Exception as exc:  # it expires by itself
                log.warning("Could not close an Elasticsearch point in time: %s", exc)

        try:
            with translated(self.url):
                first = self._page(request, limit, state, after=None, sent=0)
        except BaseException:
            release()
            raise
        total = es_result.total_value((first.get("hits") or {}).get("total"))
        return HitStream(total=total, hits=self._pages(request, limit, state, first), query_errors=errors,
                         release=release)

    def _page(self, request: SearchRequest, limit: int, state: dict, after, sent: int) -> dict:
        size = max(1, min(es_query.EXPORT_PAGE, limit - sent))
        response = self.client.search(body=es_query.export_body(request, size, state["pit"], after)).body
        state["pit"] = response.get("pit_id") or state["pit"]  # always use the newest id
        return response

    def _pages(self, request: SearchRequest, limit: int, state: dict, response: dict):
        sent = 0
        while True:
            hits, after = es_result.parse_export_page(response, request)
            hits = hits[: max(0, limit - sent)]
            yield from hits
            sent += len(hits)
            if after is None or sent >= limit or len(hits) < es_query.EXPORT_PAGE:
                return
            with translated(self.url):
                response = self._page(request, limit, state, after, sent)

    def facet_values(
        self, facet: str, request: SearchRequest, prefix: str = "", size: int = 10, offset: int = 0
    ) -> list[FacetValue]:
        """A page of one facet's values containing a word that starts with ``prefix``."""
        check_facet(facet)
        size, offset = page_bounds(request, size, offset)
        body = es_facet_values.facet_values_body(facet, request, prefix, size, offset)
        response = self._search(body) if body is not None else None
        return es_result.parse_facet_values(facet, response or {}, request, size, offset)

    def entity_counts(self, entity_type: str, value: str) -> EntityCounts | None:
        """An entity page's counts: its documents, then the collection counts
        of the values co-mentioned with it (:mod:`es_entities`)."""
        response = self._search(es_entities.entity_body(entity_type, value))
        if not response:
            return None
        background = self._search(es_entities.background_body(es_entities.candidates(response))) or {}
        return es_entities.parse_entity(entity_type, value, response, background)

    def related_counts(self, request: SearchRequest) -> RelatedCounts:
        """``significant_terms`` counts of each entity type over the results' sample."""
        return es_entities.parse_related(self._search(es_entities.related_body(request)))

    def document_matches(self, doc_id: str, q: str) -> list[PassageHit]:
        """The passages of ``doc_id`` matching ``q``, in text order, highlighted."""
        body = es_query.document_matches_body(doc_id, q, MAX_DOCUMENT_MATCHES) if doc_id else None
        response = self._search(body) if body is not None else None
        return es_result.parse_document_matches(response or {})

    def get(self, doc_id: str) -> Article | None:
        """The stored article; reads the last refresh (``realtime=False``), so an
        uncommitted write is not seen, as on the embedded engine."""
        if not doc_id:
            return None
        with translated(self.url):
            try:
                response = self.client.get(index=self.alias, id=doc_id, source_includes=ARTICLE_SOURCE, realtime=False)
            except NotFoundError:  # no such article, or nothing indexed yet
                return None
        return es_result.parse_article(response.get("_source"))

    def iter_articles(self) -> Iterator[Article]:
        """Every stored article, ordered by id, from one scroll snapshot."""
        if not self._live_name():
            return
        query = {"_source": ARTICLE_SOURCE, "sort": [{"id": "asc"}]}
        with translated(self.url):
            for hit in helpers.scan(self.client, index=self.alias, query=query, size=500, preserve_order=True):
                article = es_result.parse_article(hit.get("_source"))
                if article is not None:
                    yield article

    def source_hashes(self) -> dict[str, str]:
        """Source path → content hash, paged through a composite aggregation."""
        hashes: dict[str, str] = {}
        after = None
        while True:
            response = self._search(es_query.source_hashes_body(after))
            if response is None:
                return hashes
            page, after = es_result.parse_source_hashes(response)
            for source, content_hash in page.items():
                # "" when a file's articles disagree (a half-updated file), as on Tantivy.
                hashes[source] = content_hash if hashes.get(source, content_hash) == content_hash else ""
            if after is None:
                return hashes

    def stats(self) -> dict:
        response = self._search(es_query.stats_body())
        stats = es_result.parse_stats(response or {})
        with translated(self.url):
            gens = self._generations()
        current = es_index.live(gens)
        return {
            "backend": self.name,
            **stats,
            "url": redact(self.url),
            "server_version": (self.server.get("version") or {}).get("number"),
            "alias": self.alias,
            "generation": current[-1].name if current else None,
            "generations": [g.name for g in gens if g.complete and not g.rolled_back],
        }

    # -- generations ------------------------------------------------------------------
    def _generations(self) -> list[es_index.Generation]:
        return es_index.generations(self.alias, self.client.indices.get(index=f"{self.alias}-*").body)

    def _live_name(self) -> str | None:
        with translated(self.url):
            current = es_index.live(self._generations())
        return current[-1].name if current else None

    def _create(self, number: int, building: bool, shards: int) -> tuple[str, dict]:
        """Create generation ``number``; return its name and ``_meta``."""
        name = es_index.index_name(self.alias, number)
        meta = es_index.new_meta(number, _now())
        if not building:
            meta["complete"] = True
        with translated(self.url):
            try:
                slow(self.client).indices.create(index=name, **create_index_body(building, meta, shards))
            except BadRequestError as exc:
                if error_type(exc) == "resource_already_exists_exception":
                    raise IndexBusy(f"Elasticsearch index {name} was just created by another process; try again") from None
                raise
        return name, meta

    def _ensure_live(self) -> str:
        """The live index, creating generation 1 (empty) on first use."""
        name = self._live_name()
        if name:
            return name
        with translated(self.url):
            gens = self._generations()
        name, _ = self._create(es_index.next_number(gens), building=False, shards=self.shards or es_index.shards_of(None))
        with translated(self.url):
            slow(self.client).indices.update_aliases(actions=es_index.swap_actions(self.alias, name, []))
        return name

    # -- writing -------------------------------------------------------------------------
    @contextmanager
    def writer(self):
        """A write session on the live index (created on first use)."""
        session = EsWriter(self.client, self._ensure_live(), self.url, refresh=True)
        try:
            yield session
        except BaseException:
            session.discard()
            raise
        session.commit()

    @contextmanager
    def rebuild(self):
        """Build generation n+1 with refreshes and replicas off, then restore
        them, refresh, move the alias in one atomic call and drop old generations."""
        with translated(self.url):
            gens = self._generations()
        current = es_index.live(gens)
        previous = current[-1].settings if current else None
        shards = self.shards or es_index.shards_of(previous)
        name, meta = self._create(es_index.next_number(gens), building=True, shards=shards)
        session = EsWriter(self.client, name, self.url, refresh=False)
        try:
            yield session
            session.commit()
            with translated(self.url):
                slow(self.client).indices.put_settings(index=name, settings={"index": es_index.restored_settings(previous)})
                slow(self.client).indices.refresh(index=name)
                meta = {**meta, "complete": True, "finished": _now(), "documents": session.sent}
                slow(self.client).indices.put_mapping(index=name, meta=meta)
                # One call, applied atomically: searches never see no index or two.
                slow(self.client).indices.update_aliases(
                    actions=es_index.swap_actions(self.alias, name, [g.name for g in current])
                )
        except BaseException:
            session.discard()
            self._drop(name)  # the alias never moved: the live index is untouched
            raise
        self._cleanup()

    def rollback(self) -> str:
        """Point the alias back at the previous complete generation; the one
        rolled back from is marked and removed at the next rebuild."""
        with translated(self.url):
            gens = self._generations()
        target = es_index.rollback_target(gens)
        if target is None:
            raise BackendError("There is no earlier complete index generation to roll back to.")
        current = es_index.live(gens)
        with translated(self.url):
            slow(self.client).indices.update_aliases(
                actions=es_index.swap_actions(self.alias, target.name, [g.name for g in current])
            )
            for g in current:
                slow(self.client).indices.put_mapping(index=g.name, meta={**g.meta, "rolled_back": True})
        return target.name

    def _cleanup(self) -> None:
        """Delete generations beyond KEEP_GENERATIONS; a failure here only logs."""
        try:
            with translated(self.url):
                for name in es_index.to_delete(self._generations(), self.keep_generations):
                    slow(self.client).indices.delete(index=name)
        except BackendError as exc:
            log.warning("Could not remove old index generations: %s", exc)

    def _drop(self, name: str) -> None:
        """Delete an unfinished generation — unless the alias already points at
        it (an alias swap that succeeded but whose answer was lost)."""
        try:
            if self._live_name() == name:
                return
            slow(self.client).indices.delete(index=name)
        except Exception as exc:  # the original error matters more than this one
            log.warning("Could not delete unfinished index %s: %s", name, exc)
