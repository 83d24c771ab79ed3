"""Elasticsearch request bodies and response readers of entity pages and related
entities (pure functions; no cluster). Field names follow the official spec:
``significant_terms`` {field, size, min_doc_count, exclude, chi_square
{include_negatives, background_is_superset}}, ``sampler`` {shard_size}
(elastic/elasticsearch-specification, _types/aggregations/bucket)."""
from __future__ import annotations

import json

import pytest

from search_service.backends import es_entities as ee
from search_service.search import SearchRequest
from search_service.search.entities import CANDIDATES, PROFILE_ARTICLES, profile, related
from tests.backend_fixtures import make_article


def test_entity_body_filters_on_the_keyword_and_counts_years_and_co_mentions():
    body = ee.entity_body("person", 'Ada "Q" Varga/II')
    assert body["query"] == {"bool": {"filter": [{"term": {"person": 'Ada "Q" Varga/II'}}]}}
    assert body["size"] == PROFILE_ARTICLES and body["track_total_hits"] is True
    assert body["sort"][0] == {"published": {"order": "desc", "missing": "_last"}}
    assert body["_source"] == ["article", "text"]
    assert body["aggs"]["published_year"] == {"terms": {"field": "published_year", "size": ee.YEAR_BUCKETS}}
    for etype in ("person", "organisation", "place"):
        assert body["aggs"][etype] == {"terms": {"field": etype, "size": CANDIDATES + 1}}
    json.dumps(body)
    with pytest.raises(ValueError):
        ee.entity_body("thing", "x")


def test_background_body_counts_exactly_the_candidates():
    body = ee.background_body({"person": ["Ada Varga", "Boris Kettle"], "organisation": [], "place": ["Lake Orrin"]})
    assert body["size"] == 0 and body["query"] == {"match_all": {}}
    assert body["aggs"] == {
        "person": {"terms": {"field": "person", "include": ["Ada Varga", "Boris Kettle"], "size": 2}},
        "place": {"terms": {"field": "place", "include": ["Lake Orrin"], "size": 1}},
    }


# A response a one-shard cluster returns for entity_body("person", "Ada Varga") on the
# contract suite's NEWS articles (n1, n2, n5 mention her). Terms buckets on a
# multi-valued keyword count every document holding the value, so the "person"
# aggregation lists her own bucket (3) and each co-mentioned person's shared documents.
ENTITY_RESPONSE = {
    "hits": {"total": {"value": 3, "relation": "eq"}, "hits": [
        {"_id": "n2", "_source": {"article": make_article("n2", ["Ada Varga visited Port Selm."],
                                                          person=["Ada Varga"], place=["Port Selm"]).to_dict()}},
    ]},
    "aggregations": {
        "published_year": {"buckets": [{"key": 2020, "doc_count": 2}, {"key": 2019, "doc_count": 1}]},
        "mentioned_years": {"buckets": [{"key": 1989, "doc_count": 2}, {"key": 2001, "doc_count": 1}]},
        "person": {"buckets": [{"key": "Ada Varga", "doc_count": 3}, {"key": "Boris Kettle", "doc_count": 1},
                               {"key": "Celia Moor", "doc_count": 1}]},
        "organisation": {"buckets": [{"key": "Greyfield Mills", "doc_count": 1},
                                     {"key": "Northwind Cooperative", "doc_count": 1}]},
        "place": {"buckets": [{"key": "Lake Orrin", "doc_count": 2}, {"key": "Port Selm", "doc_count": 1}]},
    },
}
# The background_body answer for those candidates over all five articles.
BACKGROUND_RESPONSE = {
    "hits": {"total": {"value": 5, "relation": "eq"}, "hits": []},
    "aggregations": {
        "person": {"buckets": [{"key": "Ada Varga", "doc_count": 3}, {"key": "Boris Kettle", "doc_count": 2},
                               {"key": "Celia Moor", "doc_count": 2}]},
        "organisation": {"buckets": [{"key": "Northwind Cooperative", "doc_count": 2},
                                     {"key": "Greyfield Mills", "doc_count": 1}]},
        "place": {"buckets": [{"key": "Lake Orrin", "doc_count": 3}, {"key": "Port Selm", "doc_count": 2}]},
    },
}


def test_parse_entity_reads_counts_and_articles():
    assert ee.candidates(ENTITY_RESPONSE)["place"] == ["Lake Orrin", "Port Selm"]
    counts = ee.parse_entity("person", "Ada Varga", ENTITY_RESPONSE, BACKGROUND_RESPONSE)
    assert counts.documents == 3 and counts.total == 5
    assert counts.published_years == [(2020, 2), (2019, 1)]
    assert counts.background["place"] == {"Lake Orrin": 3, "Port Selm": 2}
    assert [a.id for a in counts.articles] == ["n2"]
    page = profile(counts)
    assert page.co_mentions["organisation"][0].value == "Greyfield Mills"
    assert "Ada Varga" not in [a.value for a in page.co_mentions["person"]]
    assert ee.parse_entity("person", "Nobody", {"hits": {"total": {"value": 0}, "hits": []}}, {}) is None


def test_related_body_samples_the_results_and_excludes_known_values():
    request = SearchRequest.build(q="harbour", filters={"person": ["Ada Varga"]}, excludes={"place": ["Port Selm"]})
    body = ee.related_body(request)
    assert body["size"] == 0
    assert body["query"]["bool"]["filter"] == [{"bool": {"filter": [{"terms": {"person": ["Ada Varga"]}}],
                                                         "must_not": [{"terms": {"place": ["Port Selm"]}}]}}]
    assert "should" not in body["query"]["bool"]["must"][0]["bool"]  # no passages needed
    sample = body["aggs"]["sample"]
    assert sample["sampler"] == {"shard_size": ee.SAMPLE_SHARD_SIZE}
    person = sample["aggs"]["person"]["significant_terms"]
    assert person == {"field": "person", "size": ee.RELATED_CANDIDATES, "min_doc_count": 2,
                      "chi_square": {"include_negatives": False, "background_is_superset": True},
                      "exclude": ["Ada Varga"]}
    assert sample["aggs"]["place"]["significant_terms"]["exclude"] == ["Port Selm"]
    assert "exclude" not in sample["aggs"]["organisation"]["significant_terms"]
    assert "filter" not in ee.related_body(SearchRequest.build(q="harbour"))["query"]["bool"]


# related_body for filters={"place": ["Lake Orrin"]} on NEWS (n1, n3, n5 there):
# the sampler holds those 3 documents; each significant_terms bucket's doc_count
# counts them, bg_count counts the whole index (5), as does the agg-level bg_count.
RELATED_RESPONSE = {
    "hits": {"total": {"value": 3, "relation": "eq"}, "hits": []},
    "aggregations": {"sample": {
        "doc_count": 3,
        "person": {"doc_count": 3, "bg_count": 5, "buckets": [
            {"key": "Boris Kettle", "doc_count": 2, "score": 1.33, "bg_count": 2},
            {"key": "Ada Varga", "doc_count": 2, "score": 0.13, "bg_count": 3}]},
        "organisation": {"doc_count": 3, "bg_count": 5, "buckets": [
            {"key": "Northwind Cooperative", "doc_count": 2, "score": 1.33, "bg_count": 2}]},
        "place": {"doc_count": 3, "bg_count": 5, "buckets": []},
    }},
}


def test_parse_related_and_score_it_above_the_engine():
    counts = ee.parse_related(RELATED_RESPONSE)
    assert counts.foreground == 3 and counts.total == 5
    assert counts.background["person"] == {"Boris Kettle": 2, "Ada Varga": 3}
    result = related(counts, SearchRequest.build(filters={"place": ["Lake Orrin"]}))
    assert [(a.value, a.documents) for a in result["person"]] == [("Boris Kettle", 2), ("Ada Varga", 2)]
    assert ee.parse_related(None).foreground == 0
