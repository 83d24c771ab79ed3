"""Streaming every hit from Elasticsearch: the pure request bodies (checked
against the documented search API: ``pit`` = {id, keep_alive}, ``search_after``
= the previous page's last ``sort`` values, no index in the path with a point
in time), the page parser, and the calls the backend makes (over a local HTTP
stub, see tests/es_fixtures.HttpStub).

Response fixtures follow the documented shapes: with a point in time every
response carries ``pit_id`` (it may change between pages); each hit carries its
``sort`` values — for ``published`` the date as epoch milliseconds, and for an
undated article sorted ``missing: _last`` in descending order Long.MIN_VALUE;
``_source`` holds exactly the requested ``includes`` (a path into the disabled
``article`` object is filtered from the stored source like any other path).
Names are invented.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest

from search_service.backends import es_query as q
from search_service.backends import es_result as r
from search_service.backends.elasticsearch_backend import ElasticsearchBackend
from search_service.backends.es_mapping import to_document
from search_service.config import load_settings
from search_service.search import SearchRequest
from tests.backend_fixtures import make_article
from tests.es_fixtures import HttpStub

LONG_MIN = -9223372036854775808
SHARDS = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}


def test_first_page_counts_and_later_pages_continue_after_the_last_sort_values():
    request = SearchRequest.build(q="harbour", filters={"person": ["Ada Varga"]},
                                  excludes={"place": ["Port Selm"]}, sort="newest")
    first = q.export_body(request, 500, pit_id="pit-1")
    search = q.search_body(request)
    # The same documents and order as the paged search: same query, filter and sort.
    assert first["query"] == search["query"] and first["post_filter"] == search["post_filter"]
    assert first["sort"] == search["sort"] and first["sort"][-1] == {"id": "asc"}  # unique tiebreaker
    assert first["track_total_hits"] is True and "search_after" not in first
    assert first["pit"] == {"id": "pit-1", "keep_alive": q.PIT_KEEP_ALIVE}
    assert "aggs" not in first and "from" not in first and first["size"] == 500
    assert set(first["_source"]["includes"]) == set(q.HIT_SOURCE) | {"mentioned_years"}
    later = q.export_body(request, 500, pit_id="pit-2", after=[1583020800000, 1.5, "n2"])
    assert later["search_after"] == [1583020800000, 1.5, "n2"] and later["track_total_hits"] is False
    assert later["pit"]["id"] == "pit-2"
    json.dumps(later)  # plain JSON


def test_body_without_filters_has_no_post_filter_and_size_is_clamped():
    body = q.export_body(SearchRequest.build(), 10**9)
    assert "post_filter" not in body and "pit" not in body and body["size"] == q.MAX_RESULT_WINDOW
    assert q.export_body(SearchRequest.build(), 0)["size"] == 1


def _source(article) -> dict:
    doc = to_document(article)
    source = {k: v for k, v in doc.items() if k in q.EXPORT_SOURCE}
    source["article"] = {"source_label": f"corpus/{article.id}.txt"}
    return source


def _first_passage(article) -> dict:
    passage = to_document(article)["passages"][0]
    return {"first": {"hits": {"total": {"value": 1, "relation": "eq"}, "max_score": 0.0, "hits": [
        {"_index": "news-000001", "_id": article.id, "_nested": {"field": "passages", "offset": 0},
         "_score": 0.0, "_source": passage}]}}}


def _hit(article, sort_values) -> dict:
    # A match-all query scores 1.0; with _score in the sort it is also reported.
    return {"_index": "news-000001", "_id": article.id, "_score": 1.0, "_source": _source(article),
            "sort": sort_values, "inner_hits": _first_passage(article)}


PEOPLE = [f"Person Number{n}" for n in range(7)]
ARTICLES = [
    make_article("a1", ["Ada Varga met everyone.", "Then they left."], title="Meeting",
                 published=dt.date(2020, 3, 1), person=PEOPLE, mentioned_years=[2001, 1999]),
    make_article("a2", ["Boris Kettle stayed home."], title="Home", published=dt.date(2019, 1, 2)),
    make_article("a3", ["Nobody dated this."], title="Undated"),
]
EPOCH_MS = {"a1": 1583020800000, "a2": 1546387200000, "a3": LONG_MIN}


def _page(articles, total=None, pit="pit-1") -> dict:
    body = {"took": 2, "timed_out": False, "pit_id": pit, "_shards": SHARDS,
            "hits": {"max_score": None, "hits": [_hit(a, [EPOCH_MS[a.id], 1.0, a.id]) for a in articles]}}
    if total is not None:
        body["hits"]["total"] = {"value": total, "relation": "eq"}
    return body


def test_export_page_parses_every_name_years_label_and_continuation():
    request = SearchRequest.build(sort="newest")
    hits, after = r.parse_export_page(_page(ARTICLES[:2], total=3), request)
    assert [h.id for h in hits] == ["a1", "a2"] and after == [EPOCH_MS["a2"], 1.0, "a2"]
    assert hits[0].entities["person"] == PEOPLE  # all seven, not the five of a results page
    assert hits[0].mentioned_years == [1999, 2001] and hits[0].source_label == "corpus/a1.txt"
    assert hits[0].passages[0].text == "Ada Varga met everyone." and hits[0].score == 0.0
    assert r.parse_export_page(_page([]), request) == ([], None)


class Cluster:
    """Answers the point-in-time calls and pages ``ARTICLES`` two at a time,
    rotating the PIT id on every page as a cluster may."""

    def __init__(self):
        self.calls: list[tuple[str, str, dict | None]] = []

    def __call__(self, method, path, raw):
        if path == "/":
            return None
        body = json.loads(raw) if raw else None
        self.calls.append((method, path.split("?")[0], body))
        if method == "POST" and path.startswith("/news/_pit"):
            return 200, {"id": "pit-1"}
        if method == "DELETE" and path == "/_pit":
            return 200, {"succeeded": True, "num_freed": 1}
        if method == "POST" and path.startswith("/_search"):
            after = body.get("search_after")
            start = 0 if after is None else [a.id for a in ARTICLES].index(after[-1]) + 1
            page = ARTICLES[start:start + body["size"]]
            number = int(body["pit"]["id"].split("-")[1])
            return 200, _page(page, total=len(ARTICLES) if after is None else None, pit=f"pit-{number + 1}")
        return 500, {"error": {"type": "unexpected", "reason": f"{method} {path}"}}


@pytest.fixture
def es(monkeypatch):
    monkeypatch.setattr(q, "EXPORT_PAGE", 2)
    cluster = Cluster()
    with HttpStub() as stub:
        stub.info("8.15.0")
        stub.handler = cluster
        config = load_settings({"ELASTICSEARCH_URL": stub.url, "ELASTICSEARCH_INDEX_PREFIX": "news"}, environ={})
        backend = ElasticsearchBackend.from_settings(config)
        yield backend, cluster
        backend.close()


def test_backend_pages_one_point_in_time_with_search_after_and_closes_it(es):
    backend, cluster = es
    stream = backend.iter_hits(SearchRequest.build(sort="newest"), 100)
    assert stream.total == 3
    assert [h.id for h in stream] == ["a1", "a2", "a3"]
    stream.close()
    calls = [(m, p) for m, p, _ in cluster.calls]
    assert calls == [("POST", "/news/_pit"), ("POST", "/_search"), ("POST", "/_search"), ("DELETE", "/_pit")]
    searches = [b for m, p, b in cluster.calls if p == "/_search"]
    assert [s["pit"]["id"] for s in searches] == ["pit-1", "pit-2"]  # always the newest id
    assert searches[1]["search_after"] == [EPOCH_MS["a2"], 1.0, "a2"]
    assert cluster.calls[-1][2] == {"id": "pit-3"}


def test_stream_closed_before_reading_still_frees_the_point_in_time(es):
    backend, cluster = es
    stream = backend.iter_hits(SearchRequest.build(sort="newest"), 1)
    stream.close()
    assert [(m, p) for m, p, _ in cluster.calls] == [("POST", "/news/_pit"), ("POST", "/_search"), ("DELETE", "/_pit")]
    assert cluster.calls[1][2]["size"] == 1
