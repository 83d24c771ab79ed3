"""Write sessions on one concrete Elasticsearch index, through ``streaming_bulk``.

Actions are buffered and sent in chunks; ``commit`` sends the rest and (on the
live index) refreshes, so everything written is searchable when it returns.
Elasticsearch has no transactions: a chunk already sent becomes visible at the
index's next refresh even if the session later fails. During a rebuild the new
index has refreshes turned off and is not searched until the alias moves to
it, so there a failed session really leaves searches untouched.
"""
from __future__ import annotations

import logging

from elasticsearch import Elasticsearch, helpers

from ..models import Article
from .base import BackendError, BackendUnavailable, Writer
from .es_client import translated
from .es_mapping import to_document
from .es_query import source_ids_query

log = logging.getLogger(__name__)

#: Bulk tuning: 500 actions or 50 MB per request (well under the server's
#: default http.max_content_length of 100 MB); 429 (queue full) is retried up
#: to 5 times, waiting 1, 2, 4, 8, 16 s — at most about half a minute per chunk.
CHUNK_SIZE = 500
CHUNK_BYTES = 50 * 1024 * 1024
BULK_RETRIES = 5
INITIAL_BACKOFF = 1
MAX_BACKOFF = 16


def index_action(index: str, article: Article) -> dict:
    """A bulk ``index`` action: replaces any stored article with the same id."""
    return {"_op_type": "index", "_index": index, "_id": article.id, "_source": to_document(article)}


def delete_action(index: str, doc_id: str) -> dict:
    return {"_op_type": "delete", "_index": index, "_id": doc_id}


def bulk_failures(results) -> list[dict]:
    """Failed items from ``streaming_bulk(..., raise_on_error=False)`` results,
    ignoring deletes of documents that were already gone."""
    failures = []
    for ok, item in results:
        if ok:
            continue
        op, info = next(iter(item.items()))
        if op == "delete" and info.get("status") == 404:
            continue
        failures.append({"op": op, **info})
    return failures


class EsWriter(Writer):
    """A write session on ``index`` (a concrete index name, not the alias)."""

    def __init__(self, client: Elasticsearch, index: str, url: str, refresh: bool = True):
        self.client = client
        self.index = index
        self.url = url
        self.refresh = refresh
        #: (id, reason) of articles Elasticsearch refused; the session goes on.
        self.failed: list[tuple[str, str]] = []
        self._pending: list[dict] = []
        self._written: dict[str, set[str]] = {}  # source → ids written in this session
        self.sent = 0

    def refused(self) -> list[tuple[str, str]]:
        return list(self.failed)

    def add(self, article: Article) -> None:
        """Queue an article (replacing any stored one with the same id)."""
        if not article.id:
            raise BackendError("An article needs a non-empty id to be indexed.")
        self._pending.append(index_action(self.index, article))
        self._written.setdefault(article.source, set()).add(article.id)
        if len(self._pending) >= CHUNK_SIZE:
            self._flush()

    def delete_source(self, source: str) -> None:
        """Queue deletes for every article from ``source``: those committed
        before, and those written earlier in this session."""
        self._pending = [
            a for a in self._pending if not (a["_op_type"] == "index" and a["_source"]["source"] == source)
        ]
        ids = self._stored_ids(source) | self._written.pop(source, set())
        self._pending += [delete_action(self.index, doc_id) for doc_id in sorted(ids)]
        if len(self._pending) >= CHUNK_SIZE:
            self._flush()

    def commit(self) -> None:
        """Send everything queued; on the live index, refresh so it is searchable."""
        self._flush()
        if self.refresh:
            with translated(self.url):
                self.client.indices.refresh(index=self.index)

    def discard(self) -> None:
        """Drop what was queued but not yet sent."""
        self._pending = []

    # -- internals ------------------------------------------------------------------
    def _stored_ids(self, source: str) -> set[str]:
        with translated(self.url):
            hits = helpers.scan(
                self.client, index=self.index, query={"query": source_ids_query(source), "_source": False}, size=1000
            )
            return {hit["_id"] for hit in hits}

    def _flush(self) -> None:
        if not self._pending:
            return
        actions, self._pending = self._pending, []
        with translated(self.url):
            failures = bulk_failures(helpers.streaming_bulk(
                self.client,
                actions,
                chunk_size=CHUNK_SIZE,
                max_chunk_bytes=CHUNK_BYTES,
                max_retries=BULK_RETRIES,
                initial_backoff=INITIAL_BACKOFF,
                max_backoff=MAX_BACKOFF,
                raise_on_error=False,  # item errors are sorted out below; 429 items are retried first
            ))
        self.sent += len(actions)
        if not failures:
            return
        for failure in failures:
            reason = str((failure.get("error") or {}).get("reason") or failure.get("error") or failure.get("status"))
            log.warning("Elasticsearch refused %s of %s: %s", failure["op"], failure.get("_id"), reason)
            self.failed.append((str(failure.get("_id")), reason))
        systemic = [f for f in failures if f.get("status", 500) == 429 or f.get("status", 500) >= 500]
        if systemic:
            raise BackendUnavailable(
                f"Elasticsearch could not take {len(systemic)} of {len(actions)} writes "
                f"(HTTP {systemic[0].get('status')}) even after {BULK_RETRIES} retries"
            )
        if len(failures) == len(actions):
            raise BackendError(f"Elasticsearch refused every write of a batch: {self.failed[-1][1]}")
