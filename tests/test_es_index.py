"""Unit tests of the Elasticsearch mapping, stored document and index-generation
bookkeeping (pure functions; responses shaped like ``GET /<prefix>-*``)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from search_service.backends import es_index as gi
from search_service.backends.es_mapping import ARTICLE_SOURCE, create_index_body, index_settings, mappings, to_document
from search_service.backends.es_result import parse_article
from tests.backend_fixtures import make_article


# -- mapping -------------------------------------------------------------------------
def test_mapping_fields():
    props = mappings()["properties"]
    for facet in ("person", "organisation", "place"):
        assert props[facet] == {"type": "keyword", "fields": {"folded": {"type": "keyword", "normalizer": "folded"}}}
    assert props["published"]["type"] == "date"
    assert props["published_year"] == {"type": "integer"} and props["mentioned_years"] == {"type": "integer"}
    passages = props["passages"]
    assert passages["type"] == "nested"
    text = passages["properties"]["text"]
    assert text["analyzer"] == "english_words" and text["index_options"] == "offsets"
    assert text["fields"]["folded"] == {"type": "text", "analyzer": "folded", "index_options": "offsets"}
    assert props["article"] == {"type": "object", "enabled": False}
    assert mappings()["dynamic"] == "strict"
    # The root text is the article's one stored copy (the stored article leaves it out).
    assert "_source" not in mappings()
    assert mappings({"generation": 3})["_meta"] == {"generation": 3}


def test_analysis_chain():
    analysis = index_settings(building=False)["analysis"]
    assert analysis["normalizer"]["folded"] == {"type": "custom", "filter": ["lowercase", "asciifolding"]}
    assert analysis["analyzer"]["english_words"]["filter"] == ["long_tokens", "lowercase", "asciifolding", "english_stemmer"]
    assert analysis["analyzer"]["folded"]["filter"] == ["long_tokens", "lowercase", "asciifolding"]
    # As the embedded engine: Snowball Porter2 ("english" is Porter v1), tokens over 40
    # characters dropped (Tantivy's remove_long(40)); no "immense term" can reach Lucene.
    assert analysis["filter"]["english_stemmer"] == {"type": "stemmer", "language": "porter2"}
    assert analysis["filter"]["long_tokens"] == {"type": "length", "max": 40}
    # Java regex: split on anything that is not a letter, digit or mark.
    assert json.dumps(analysis["tokenizer"]["words"]["pattern"]) == '"[^\\\\p{L}\\\\p{N}\\\\p{M}]+"'


def test_build_and_live_settings():
    # A very long article (a 20 MB text has ~19,000 passages) fits under the nested-object limit.
    nested = {"mapping": {"nested_objects": {"limit": 50_000}}}
    building = index_settings(building=True)["index"]
    assert building == {"number_of_shards": 1, "refresh_interval": "-1", "auto_expand_replicas": "false",
                        "number_of_replicas": 0, **nested}
    live = index_settings(building=False, shards=3)["index"]
    assert live == {"number_of_shards": 3, "refresh_interval": "1s", "auto_expand_replicas": "0-1", **nested}
    body = create_index_body(True, {"generation": 1})
    assert set(body) == {"settings", "mappings"} and body["mappings"]["_meta"] == {"generation": 1}


def test_document_shape():
    article = make_article(
        "a1", ["Ada Varga met Boris Kettle.", "Ada Varga left."], title="Meeting",
        published=dt.date(2020, 6, 15), person=["Boris Kettle", "Ada Varga"], mentioned_years=[2001, 1989, 2001],
    )
    doc = to_document(article)
    assert doc["person"] == ["Ada Varga", "Boris Kettle"]  # most mentioned first
    assert doc["published"] == "2020-06-15" and doc["published_year"] == 2020
    assert doc["mentioned_years"] == [1989, 2001]
    assert doc["passage_count"] == 2
    assert doc["passages"][1] == {"index": 1, "start": 28, "end": 43, "text": "Ada Varga left."}
    assert doc["text"] == article.text
    # The text travels twice (root field, passages), not three times: the stored article leaves it out.
    assert "text" not in doc["article"]
    assert json.dumps(doc).count("Ada Varga left.") == 2
    assert parse_article({k: doc[k] for k in ARTICLE_SOURCE}) == article
    # An index written before keeps the text inside the stored article.
    assert parse_article({"article": article.to_dict()}) == article
    assert set(doc) - {"article"} <= set(mappings()["properties"])
    undated = to_document(make_article("u", ["x."]))
    assert undated["published"] is None and undated["published_year"] is None


# -- generations ------------------------------------------------------------------------
def _info(alias=None, meta=None, settings=None):
    return {
        "aliases": {alias: {}} if alias else {},
        "mappings": {"_meta": meta} if meta is not None else {"properties": {}},
        "settings": {"index": settings or {"number_of_shards": "1", "number_of_replicas": "0",
                                           "auto_expand_replicas": "0-1", "refresh_interval": "1s"}},
    }


def _done(n, **extra):
    return {"generation": n, "complete": True, "rolled_back": False, **extra}


def test_prefix_and_names():
    assert gi.index_name("articles", 7) == "articles-000007"
    assert gi.check_prefix("news-test_1") == "news-test_1"
    for bad in ("", "News", "a b", "-x", "_x", "a*b", "a/b", "a,b", "a:b"):
        with pytest.raises(ValueError):
            gi.check_prefix(bad)


def test_generations_parse_alias_and_meta():
    indices = {
        "articles-000001": _info(meta=_done(1)),
        "articles-000002": _info(alias="articles", meta=_done(2)),
        "articles-000003": _info(meta={"generation": 3, "complete": False, "rolled_back": False}),
        "articles-test-000001": _info(alias="articles-test"),  # another prefix
        "articles-old": _info(),
    }
    gens = gi.generations("articles", indices)
    assert [g.name for g in gens] == ["articles-000001", "articles-000002", "articles-000003"]
    assert [g.name for g in gi.live(gens)] == ["articles-000002"]
    assert [g.complete for g in gens] == [True, True, False]
    assert gi.next_number(gens) == 4 and gi.next_number([]) == 1


def test_swap_is_one_atomic_action_list():
    assert gi.swap_actions("articles", "articles-000003", ["articles-000002"]) == [
        {"remove": {"index": "articles-000002", "alias": "articles"}},
        {"add": {"index": "articles-000003", "alias": "articles"}},
    ]
    assert gi.swap_actions("articles", "articles-000001", []) == [
        {"add": {"index": "articles-000001", "alias": "articles"}}
    ]


def test_rollback_target_skips_unfinished_and_rolled_back():
    indices = {
        "a-000001": _info(meta=_done(1)),
        "a-000002": _info(meta={"generation": 2, "complete": False}),
        "a-000003": _info(meta=_done(3, rolled_back=True)),
        "a-000004": _info(alias="a", meta=_done(4)),
    }
    assert gi.rollback_target(gi.generations("a", indices)).name == "a-000001"
    only = {"a-000001": _info(alias="a", meta=_done(1))}
    assert gi.rollback_target(gi.generations("a", only)) is None
    assert gi.rollback_target([]) is None


def test_cleanup_keeps_live_and_newest_complete_generations():
    indices = {
        "a-000001": _info(meta=_done(1)),
        "a-000002": _info(meta={"generation": 2, "complete": False}),  # killed build
        "a-000003": _info(meta=_done(3)),
        "a-000004": _info(meta=_done(4, rolled_back=True)),
        "a-000005": _info(alias="a", meta=_done(5)),
        "a-000006": _info(meta={"generation": 6, "complete": False}),  # maybe still building
    }
    gens = gi.generations("a", indices)
    assert gi.to_delete(gens, keep=2) == ["a-000001", "a-000002", "a-000004"]
    assert gi.to_delete(gens, keep=3) == ["a-000002", "a-000004"]
    assert gi.to_delete(gens, keep=1) == ["a-000001", "a-000002", "a-000003", "a-000004"]
    assert gi.to_delete([g for g in gens if not g.live], keep=2) == []  # no alias: touch nothing


def test_restored_settings_follow_the_previous_live_index():
    assert gi.restored_settings(None) == {"refresh_interval": "1s", "auto_expand_replicas": "0-1"}
    assert gi.restored_settings({"number_of_replicas": "2", "refresh_interval": "30s"}) == {
        "refresh_interval": "30s", "number_of_replicas": 2
    }
    assert gi.restored_settings({"auto_expand_replicas": "0-all", "number_of_replicas": "1"}) == {
        "refresh_interval": "1s", "auto_expand_replicas": "0-all"
    }
    assert gi.shards_of({"number_of_shards": "4"}) == 4 and gi.shards_of(None) == 1
