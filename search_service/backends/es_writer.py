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
from .es_client import slow, translated
from .es_mapping import to_document
from .es_query import source_ids_query

log = logging.getLogger(__name__)

#: Bulk tuning: 500 actions or 10 MB per request (Elasticsearch's advice: bulk
#: requests of 5–15 MB; an action bigger than that goes alone); 429 (queue full)
#: is retried up to 5 times, waiting 1, 2, 4, 8, 16 s — at most about half a
#: minute per chunk. Bulk calls use the long timeout of ``es_client.slow``.
CHUNK_SIZE = 500
CHUNK_BYTES = 10 * 1024 * 1024
#: Largest article sent: its text goes twice (the root field and its passages),
#: and one request must stay under the server's default http.max_content_length
#: (100 MB). A bigger article is skipped and reported, never the end of the run.
MAX_ARTICLE_BYTES = 90 * 1024 * 1024
#: HTTP status of a request body over http.max_content_length.
TOO_LARGE = 413
BULK_RETRIES = 5
INITIAL_BACKOFF = 1
MAX_BACKOFF = 16


def article_bytes(article: Article) -> int:
    """About how many bytes an article's bulk action takes: its text twice (the
    root field and the passages) plus room for the rest."""
    return 2 * len(article.text.encode("utf-8")) + 64 * 1024


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
        size = article_bytes(article)
        if size > MAX_ARTICLE_BYTES:
            reason = f"too large to send ({size // 2**20} MB; at most {MAX_ARTICLE_BYTES // 2**20} MB)"
            log.warning("Skipped article %s: %s", article.id, reason)
            self.failed.append((article.id, reason))
            return
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
                slow(self.client).indices.refresh(index=self.index)

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

    def _send(self, actions: list[dict]) -> list[dict]:
        """Send ``actions`` in chunks; the failed items."""
        with translated(self.url):
            return bulk_failures(helpers.streaming_bulk(
                slow(self.client),
                actions,
                chunk_size=CHUNK_SIZE,
                max_chunk_bytes=CHUNK_BYTES,
                max_retries=BULK_RETRIES,
                initial_backoff=INITIAL_BACKOFF,
                max_backoff=MAX_BACKOFF,
                raise_on_error=False,  # item errors are sorted out below; 429 items are retried first
                # A refused request (413: body too large) marks its actions failed
                # instead of raising: reported below, the run goes on.
                raise_on_exception=False,
            ))

    def _flush(self) -> None:
        if not self._pending:
            return
        actions, self._pending = self._pending, []
        failures = self._send(actions)
        too_large = [f for f in failures if f.get("status") == TOO_LARGE]
        if len(too_large) > 1:
            # A refused request may hold good articles next to the big one: each alone.
            by_key = {(a["_op_type"], a["_id"]): a for a in actions}
            failures = [f for f in failures if f.get("status") != TOO_LARGE]
            for failure in too_large:
                failures += self._send([by_key[(failure["op"], failure.get("_id"))]])
        self.sent += len(actions)
        if not failures:
            return
        for failure in failures:
            error = failure.get("error")
            reason = str((error.get("reason") if isinstance(error, dict) else None) or error or failure.get("status"))
            if failure.get("status") == TOO_LARGE:
                reason = "too large for one request (HTTP 413; raise http.max_content_length?)"
            log.warning("Elasticsearch refused %s of %s: %s", failure["op"], failure.get("_id"), reason)
            self.failed.append((str(failure.get("_id")), reason))
        systemic = [f for f in failures if f.get("status", 500) == 429 or f.get("status", 500) >= 500]
        if systemic:
            raise BackendUnavailable(
                f"Elasticsearch could not take {len(systemic)} of {len(actions)} writes "
                f"(HTTP {systemic[0].get('status')}) even after {BULK_RETRIES} retries"
            )
        refused = [f for f in failures if f.get("status") != TOO_LARGE]  # a too-large article is only skipped
        if refused and len(refused) == len(actions):
            raise BackendError(f"Elasticsearch refused every write of a batch: {self.failed[-1][1]}")
