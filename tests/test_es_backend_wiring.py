"""The order and content of the index-management calls the Elasticsearch
backend makes: first write, rebuild (build settings → bulk → restore → refresh
→ mark complete → one atomic alias swap → clean-up), failed rebuild, rollback.

The other side is a local HTTP endpoint (tests/es_fixtures.HttpStub) that keeps
just the index names, aliases, settings and ``_meta`` the real API reports
through ``GET /<prefix>-*``; it answers searches with nothing. It checks the
requests the real client sends, not Elasticsearch (see the contract suite and
tests/test_es_backend_live.py for that).
"""
from __future__ import annotations

import json
import re
import time

import pytest

from search_service.backends.elasticsearch_backend import ElasticsearchBackend, configured_shards
from search_service.backends.es_mapping import NESTED_PASSAGE_LIMIT
from search_service.config import load_settings
from tests.backend_fixtures import make_article
from tests.es_fixtures import HttpStub

SHARDS = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}


class IndexState:
    """Index names, aliases, settings and _meta, as GET /<prefix>-* reports them."""

    def __init__(self):
        self.indices: dict[str, dict] = {}
        self.aliases: dict[str, str] = {}
        self.calls: list[tuple[str, str, object]] = []

    def __call__(self, method, path, raw):
        path = path.split("?")[0]
        body = raw if path == "/_bulk" else (json.loads(raw) if raw else None)
        if path != "/":
            self.calls.append((method, path, body))
        if method == "GET" and path.endswith("-*"):
            return 200, {
                name: {"aliases": {a: {} for a, target in self.aliases.items() if target == name},
                       "mappings": {"_meta": info["meta"]},
                       "settings": {"index": {k: str(v) for k, v in info["settings"].items()}}}
                for name, info in self.indices.items()
            }
        if method == "PUT" and re.fullmatch(r"/[a-z0-9-]+", path):
            self.indices[path[1:]] = {"meta": body["mappings"]["_meta"], "settings": dict(body["settings"]["index"])}
            return 200, {"acknowledged": True, "shards_acknowledged": True, "index": path[1:]}
        if path == "/_aliases":
            for action in body["actions"]:
                if "remove" in action:
                    self.aliases.pop(action["remove"]["alias"], None)
                if "add" in action:
                    self.aliases[action["add"]["alias"]] = action["add"]["index"]
            return 200, {"acknowledged": True}
        if path.endswith("/_settings"):
            self.indices[path.split("/")[1]]["settings"].update(body["index"])
            return 200, {"acknowledged": True}
        if path.endswith("/_mapping"):
            self.indices[path.split("/")[1]]["meta"] = body["_meta"]
            return 200, {"acknowledged": True}
        if method == "DELETE" and re.fullmatch(r"/[a-z0-9-,]+", path):
            for name in path[1:].split(","):
                self.indices.pop(name, None)
                self.aliases = {a: t for a, t in self.aliases.items() if t != name}
            return 200, {"acknowledged": True}
        if path == "/_bulk":
            lines = [json.loads(line) for line in raw.splitlines() if line.strip()]
            items = [{op: {"_id": meta["_id"], "status": 201}} for line in lines for op, meta in line.items()
                     if op in ("index", "delete")]
            return 200, {"took": 1, "errors": False, "items": items}
        if path.endswith("/_refresh"):
            return 200, {"_shards": SHARDS}
        if path.endswith("/_search"):
            return 200, {"_shards": SHARDS, "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}
        return 500, {"error": {"type": "unexpected", "reason": f"{method} {path}"}}

    def after(self, start: int) -> list[tuple[str, str]]:
        """(method, path) of the calls since ``start``, searches and reads left out."""
        return [(m, p) for m, p, _ in self.calls[start:] if not (m == "GET" or p.endswith("/_search"))]


@pytest.fixture
def es():
    state = IndexState()
    with HttpStub() as stub:
        stub.info("8.15.0")
        stub.handler = lambda m, p, raw: None if p == "/" else state(m, p, raw)
        config = load_settings({"ELASTICSEARCH_URL": stub.url, "ELASTICSEARCH_INDEX_PREFIX": "news",
                              "KEEP_GENERATIONS": 2}, environ={})
        backend = ElasticsearchBackend.from_settings(config)
        yield backend, state
        backend.close()


def test_first_write_creates_generation_one_behind_the_alias(es):
    backend, state = es
    with backend.writer() as writer:
        writer.add(make_article("a", ["Alpha."]))
    assert state.after(0) == [("PUT", "/news-000001"), ("POST", "/_aliases"), ("PUT", "/_bulk"),
                              ("POST", "/news-000001/_refresh")]
    created = next(body for method, path, body in state.calls if (method, path) == ("PUT", "/news-000001"))
    assert created["settings"]["index"] == {"number_of_shards": 1, "refresh_interval": "1s", "auto_expand_replicas": "0-1",
                                            "mapping": {"nested_objects": {"limit": NESTED_PASSAGE_LIMIT}}}
    assert created["mappings"]["_meta"]["complete"] is True
    assert state.aliases == {"news": "news-000001"}


def test_rebuild_sequence_and_atomic_swap(es):
    backend, state = es
    with backend.writer() as writer:
        writer.add(make_article("a", ["Alpha."]))
    start = len(state.calls)
    with backend.rebuild() as writer:
        writer.add(make_article("b", ["Beta."]))
        assert state.aliases == {"news": "news-000001"}  # searches stay on the live index
    assert state.after(start) == [
        ("PUT", "/news-000002"),             # refresh off, no replicas
        ("PUT", "/_bulk"),
        ("PUT", "/news-000002/_settings"),   # restored
        ("POST", "/news-000002/_refresh"),
        ("PUT", "/news-000002/_mapping"),    # marked complete
        ("POST", "/_aliases"),               # one atomic swap
    ]
    calls = {p: b for m, p, b in state.calls[start:] if m != "GET"}
    assert calls["/news-000002"]["settings"]["index"] == {
        "number_of_shards": 1, "refresh_interval": "-1", "auto_expand_replicas": "false", "number_of_replicas": 0,
        "mapping": {"nested_objects": {"limit": NESTED_PASSAGE_LIMIT}},
    }
    assert calls["/news-000002/_settings"] == {"index": {"refresh_interval": "1s", "auto_expand_replicas": "0-1"}}
    assert calls["/news-000002/_mapping"]["_meta"]["complete"] is True
    assert calls["/_aliases"] == {"actions": [{"remove": {"index": "news-000001", "alias": "news"}},
                                              {"add": {"index": "news-000002", "alias": "news"}}]}
    assert state.aliases == {"news": "news-000002"}


def test_old_generations_are_deleted_beyond_keep(es):
    backend, state = es
    with backend.writer() as writer:
        writer.add(make_article("a", ["Alpha."]))
    for _ in range(3):
        with backend.rebuild() as writer:
            writer.add(make_article("b", ["Beta."]))
    assert sorted(state.indices) == ["news-000003", "news-000004"]
    assert ("DELETE", "/news-000001") in state.after(0) and ("DELETE", "/news-000002") in state.after(0)


def test_failed_rebuild_deletes_the_new_index_and_keeps_the_alias(es):
    backend, state = es
    with backend.writer() as writer:
        writer.add(make_article("a", ["Alpha."]))
    start = len(state.calls)
    with pytest.raises(RuntimeError):
        with backend.rebuild() as writer:
            writer.add(make_article("b", ["Beta."]))
            raise RuntimeError("reader crashed")
    assert state.after(start) == [("PUT", "/news-000002"), ("DELETE", "/news-000002")]  # unsent buffer dropped
    assert state.aliases == {"news": "news-000001"} and sorted(state.indices) == ["news-000001"]


def test_rollback_swaps_back_and_marks_the_abandoned_generation(es):
    backend, state = es
    with backend.writer() as writer:
        writer.add(make_article("a", ["Alpha."]))
    with backend.rebuild() as writer:
        writer.add(make_article("b", ["Beta."]))
    start = len(state.calls)
    assert backend.rollback() == "news-000001"
    assert state.after(start) == [("POST", "/_aliases"), ("PUT", "/news-000002/_mapping")]
    assert state.aliases == {"news": "news-000001"}
    assert state.indices["news-000002"]["meta"]["rolled_back"] is True
    assert backend.stats()["generation"] == "news-000001"


def test_rebuild_inherits_the_live_shard_count_by_default(es):
    backend, state = es
    with backend.writer() as writer:
        writer.add(make_article("a", ["Alpha."]))
    state.indices["news-000001"]["settings"]["number_of_shards"] = 3  # resharded by an operator
    with backend.rebuild() as writer:
        writer.add(make_article("b", ["Beta."]))
    assert state.indices["news-000002"]["settings"]["number_of_shards"] == 3
    assert configured_shards(load_settings(environ={})) is None
    assert configured_shards(load_settings({"ELASTICSEARCH_SHARDS": 2}, environ={})) == 2


def test_maintenance_calls_outlast_the_search_timeout():
    """Creating, filling, refreshing and switching indices take longer than a
    search may (ELASTICSEARCH_TIMEOUT 1 s here, each call 1.2 s)."""
    state = IndexState()

    def slow_answer(method, path, raw):
        if path == "/":
            return None
        if method != "GET" and not path.split("?")[0].endswith("/_search"):
            time.sleep(1.2)
        return state(method, path, raw)

    with HttpStub() as stub:
        stub.info("8.15.0")
        stub.handler = slow_answer
        config = load_settings({"ELASTICSEARCH_URL": stub.url, "ELASTICSEARCH_INDEX_PREFIX": "news",
                              "ELASTICSEARCH_TIMEOUT": 1}, environ={})
        backend = ElasticsearchBackend.from_settings(config)
        try:
            with backend.rebuild() as writer:
                writer.add(make_article("a", ["Alpha."]))
        finally:
            backend.close()
    assert state.aliases == {"news": "news-000001"} and state.indices["news-000001"]["meta"]["complete"] is True
