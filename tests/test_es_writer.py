"""The Elasticsearch write session: what it sends through ``streaming_bulk`` and
how it reads the bulk response (shaped as documented: ``errors`` plus one item
per action with its ``status``).

The cluster side is a local HTTP endpoint (tests/es_fixtures.HttpStub) that
answers the bulk, refresh and scroll calls; it checks the real client's wire
format and our handling of item results, not Elasticsearch's indexing.
"""
from __future__ import annotations

import json

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
