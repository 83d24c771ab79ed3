"""The Elasticsearch write session: what it sends through ``streaming_bulk`` and
how it reads the bulk response (shaped as documented: ``errors`` plus one item
per action with its ``status``).

The cluster side is a local HTTP endpoint (tests/es_fixtures.HttpStub) that
answers the bulk, refresh and scroll calls; it checks the real client's wire
format and our handling of item results, not Elasticsearch's indexing.
"""
from __future__ import annotations

import json
import time

import pytest

from search_service.backends import BackendError, BackendUnavailable, es_writer
from search_service.backends.es_client import make_client
from search_service.backends.es_writer import EsWriter, bulk_failures
from search_service.config import load_settings
from tests.backend_fixtures import make_article
from tests.es_fixtures import HttpStub


class Cluster:
    """Bulk/refresh/scroll answers; ``statuses[id]`` lists the status of each
    attempt for that document id (default 201, or 200 for deletes)."""

    def __init__(self, stored_ids=()):
        self.statuses: dict[str, list[int]] = {}
        self.stored = list(stored_ids)
        self.bulks: list[list[tuple[str, str]]] = []
        self.refreshed: list[str] = []

    def __call__(self, method, path, raw):
        if path.startswith("/_bulk"):
            lines = [json.loads(line) for line in raw.splitlines() if line.strip()]
            actions, items, i = [], [], 0
            while i < len(lines):
                op, meta = next(iter(lines[i].items()))
                actions.append((op, meta["_id"]))
                attempts = self.statuses.get(meta["_id"])
                status = attempts.pop(0) if attempts else (200 if op == "delete" else 201)
                item = {"_index": meta["_index"], "_id": meta["_id"], "status": status}
                if status >= 300:
                    item["error"] = {"type": "x_exception", "reason": f"refused with {status}"}
                items.append({op: item})
                i += 1 if op == "delete" else 2
            self.bulks.append(actions)
            return 200, {"took": 1, "errors": any(it[op]["status"] >= 300 for it in items for op in it), "items": items}
        if path.endswith("/_refresh"):
            self.refreshed.append(path.split("/")[1])
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        shards = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}
        if "/_search?" in path and "scroll=" in path:  # first scroll page: the stored ids
            hits = [{"_index": "t-000001", "_id": i, "_score": None} for i in self.stored]
            return 200, {"_scroll_id": "s1", "_shards": shards,
                         "hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": hits}}
        if path.startswith("/_search/scroll"):
            if method == "DELETE":
                return 200, {"succeeded": True, "num_freed": 1}
            return 200, {"_scroll_id": "s1", "_shards": shards, "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}
        return None


@pytest.fixture
def cluster(monkeypatch):
    monkeypatch.setattr(es_writer, "INITIAL_BACKOFF", 0)  # retries without waiting
    state = Cluster()
    with HttpStub() as stub:
        stub.handler = state
        client = make_client(load_settings({"ELASTICSEARCH_URL": stub.url}, environ={}))
        state.client = client
        yield state
        client.close()


def writer(cluster, refresh=True) -> EsWriter:
    return EsWriter(cluster.client, "t-000001", "http://stub", refresh=refresh)


def test_commit_sends_index_actions_and_refreshes(cluster):
    session = writer(cluster)
    session.add(make_article("a", ["One."]))
    session.add(make_article("b", ["Two."]))
    assert cluster.bulks == []  # buffered until commit
    session.commit()
    assert cluster.bulks == [[("index", "a"), ("index", "b")]]
    assert cluster.refreshed == ["t-000001"] and session.failed == [] and session.sent == 2


def test_rebuild_sessions_do_not_refresh(cluster):
    session = writer(cluster, refresh=False)
    session.add(make_article("a", ["One."]))
    session.commit()
    assert cluster.bulks and cluster.refreshed == []


def test_delete_source_deletes_stored_and_session_articles_before_new_ones(cluster):
    cluster.stored = ["old1", "old2"]
    session = writer(cluster)
    session.add(make_article("early", ["Written then replaced."], source="feed.jsonl"))
    session.delete_source("feed.jsonl")
    session.add(make_article("new", ["Fresh."], source="feed.jsonl"))
    cluster.statuses["early"] = [404]  # never sent: its delete finds nothing
    session.commit()
    # The unsent add is dropped; deletes come before the new version.
    assert cluster.bulks == [[("delete", "early"), ("delete", "old1"), ("delete", "old2"), ("index", "new")]]
    assert session.failed == []  # a 404 on delete is not a failure


def test_429_items_are_retried(cluster):
    cluster.statuses["a"] = [429, 429]
    session = writer(cluster)
    session.add(make_article("a", ["One."]))
    session.add(make_article("b", ["Two."]))
    session.commit()
    assert cluster.bulks == [[("index", "a"), ("index", "b")], [("index", "a")], [("index", "a")]]
    assert session.failed == []


def test_a_refused_article_is_recorded_and_the_session_goes_on(cluster):
    cluster.statuses["bad"] = [400]
    session = writer(cluster)
    session.add(make_article("bad", ["Odd."]))
    session.add(make_article("good", ["Fine."]))
    session.commit()
    assert session.failed == [("bad", "refused with 400")]
    assert cluster.refreshed == ["t-000001"]


def test_overload_after_retries_stops_the_run(cluster):
    cluster.statuses["a"] = [429] * 10
    session = writer(cluster)
    session.add(make_article("a", ["One."]))
    with pytest.raises(BackendUnavailable, match=r"could not take 1 of 1 writes \(HTTP 429\) even after 5 retries"):
        session.commit()


def test_a_batch_refused_entirely_stops_the_run(cluster):
    cluster.statuses.update({"a": [400], "b": [400]})
    session = writer(cluster)
    session.add(make_article("a", ["One."]))
    session.add(make_article("b", ["Two."]))
    with pytest.raises(BackendError, match="refused every write of a batch"):
        session.commit()


def test_discard_drops_the_unsent_buffer(cluster):
    session = writer(cluster)
    session.add(make_article("a", ["One."]))
    session.discard()
    session.commit()
    assert cluster.bulks == []


def test_empty_id_is_refused(cluster):
    with pytest.raises(BackendError, match="non-empty id"):
        writer(cluster).add(make_article("", ["x."]))


def test_bulk_failures_ignores_missing_deletes():
    results = [
        (True, {"index": {"_id": "a", "status": 201}}),
        (False, {"delete": {"_id": "b", "status": 404}}),
        (False, {"index": {"_id": "c", "status": 400, "error": {"reason": "bad"}}}),
    ]
    assert bulk_failures(results) == [{"op": "index", "_id": "c", "status": 400, "error": {"reason": "bad"}}]


# -- long calls, chunk sizes, articles too large (issue 10) ----------------------------------
@pytest.fixture
def slow_cluster(monkeypatch):
    """A cluster whose bulk and refresh calls take longer than the search timeout (1 s)."""
    monkeypatch.setattr(es_writer, "INITIAL_BACKOFF", 0)
    state = Cluster()

    def answer(method, path, raw):
        if path.startswith("/_bulk") or path.endswith("/_refresh"):
            time.sleep(1.5)
        return state(method, path, raw)

    with HttpStub() as stub:
        stub.handler = answer
        client = make_client(load_settings({"ELASTICSEARCH_URL": stub.url, "ELASTICSEARCH_TIMEOUT": 1}, environ={}))
        state.client = client
        yield state
        client.close()


def test_bulk_and_refresh_are_not_bound_by_the_search_timeout(slow_cluster):
    session = writer(slow_cluster)
    session.add(make_article("a", ["One."]))
    session.commit()  # each call takes 1.5 s; ELASTICSEARCH_TIMEOUT is 1 s
    assert slow_cluster.bulks == [[("index", "a")]] and slow_cluster.refreshed == ["t-000001"]


@pytest.fixture
def measured(cluster):
    """The cluster fixture, recording the byte size of every bulk request body;
    a body over ``limit`` bytes is refused like http.max_content_length does (413)."""
    sizes, answer = [], cluster.__call__
    cluster.limit = None

    def handler(method, path, raw):
        if path.startswith("/_bulk"):
            sizes.append(len(raw.encode("utf-8")))
            if cluster.limit and sizes[-1] > cluster.limit:
                return 413, {"error": {"type": "content_too_long", "reason": "request entity too large"}}
        return answer(method, path, raw)

    cluster.sizes = sizes
    cluster.stub_handler = handler
    return cluster


def _send_through(cluster, articles):
    with HttpStub() as stub:
        stub.handler = cluster.stub_handler
        client = make_client(load_settings({"ELASTICSEARCH_URL": stub.url}, environ={}))
        session = EsWriter(client, "t-000001", "http://stub", refresh=False)
        try:
            for article in articles:
                session.add(article)
            session.commit()
        finally:
            client.close()
    return session


def test_bulk_requests_stay_between_5_and_15_mb(measured):
    text = "Harbour ledger entry. " * 140_000  # about 3 MB, sent twice per article
    articles = [make_article(f"big{i}", [text.strip()]) for i in range(4)]
    session = _send_through(measured, articles)
    assert session.failed == [] and [a for bulk in measured.bulks for _, a in bulk] == ["big0", "big1", "big2", "big3"]
    assert len(measured.sizes) >= 2 and max(measured.sizes) <= 15 * 2**20


def test_an_article_the_server_refuses_as_too_large_is_skipped_and_reported(measured):
    measured.limit = 1_500_000
    huge = make_article("huge", [("Long minutes of the harbour board. " * 30_000).strip()])  # ~1 MB, twice
    session = _send_through(measured, [make_article("small", ["Short note."]), huge, make_article("tail", ["End."])])
    assert [doc_id for doc_id, _ in session.failed] == ["huge"] and "413" in session.failed[0][1]
    sent = [doc_id for bulk in measured.bulks for _, doc_id in bulk]
    assert "small" in sent and "tail" in sent  # its neighbours were sent again on their own


def test_an_article_over_the_size_bound_is_skipped_before_sending(cluster, monkeypatch):
    monkeypatch.setattr(es_writer, "MAX_ARTICLE_BYTES", 200_000)
    session = writer(cluster)
    session.add(make_article("vast", [("Word " * 50_000).strip()]))
    session.add(make_article("fine", ["Fine."]))
    session.commit()
    assert cluster.bulks == [[("index", "fine")]]
    assert session.failed and session.failed[0][0] == "vast" and "too large" in session.failed[0][1]
