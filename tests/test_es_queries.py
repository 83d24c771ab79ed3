"""Unit tests of the Elasticsearch request builders: exact body structure, no server.

Bodies follow the documented Query DSL; these tests pin the structure so a
change to facet or paging semantics shows up here first. Names are invented.
"""
from __future__ import annotations

import json
import re

import pytest

from search_service.backends import es_facet_values as fv
from search_service.backends import es_query as q
from search_service.backends.es_syntax import positive_part, prepare
from search_service.search import Limits, SearchRequest
from search_service.search import facets as rules


def req(**kwargs) -> SearchRequest:
    return SearchRequest.build(**kwargs)


# -- query text ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("varga harbour", "varga harbour"),
        ("varga OR lighthouse", "varga | lighthouse"),
        ("a && b || c", "a b | c"),
        ("varga AND harbour", "varga harbour"),
        ("NOT harbour varga", "-harbour varga"),
        ("varga -harbour", "varga -harbour"),
        ('"Boris Kettle inspected"', '"Boris Kettle inspected"'),
        ('"a b"~2 c', '"a b"~2 c'),
        ('NOT "x y"', '-"x y"'),
        ("lighth*", "lighth*"),
        ("title:harbour text:mill", "harbour mill"),
        ("(varga | lake) orrin", "(varga | lake) orrin"),
        ("(varga OR lake) orrin", "(varga | lake) orrin"),
    ],
)
def test_prepare_rewrites_user_syntax(text, expected):
    assert prepare(text) == (expected, [])


@pytest.mark.parametrize(
    "text, expected, hint",
    [
        ('"unclosed', '"unclosed"', "quotation mark"),
        ("(varga", "(varga", "bracket"),
        ("foo:bar", "foo bar", "no field 'foo'"),
        ("[1 TO 2] varga", "varga", "Range searches"),
        ("AND", "", "Nothing searchable"),
        ("-", "", "Nothing searchable"),
        ("*", "", "Nothing searchable"),
        ("\\", "", "Nothing searchable"),
        ("title:", "", "Nothing searchable"),
    ],
)
def test_prepare_turns_odd_syntax_into_hints(text, expected, hint):
    prepared, hints = prepare(text)
    assert prepared == expected
    assert any(hint in h for h in hints)


@pytest.mark.parametrize(
    "prepared, positive",
    [
        ("varga -harbour", "varga"),
        ("-harbour", ""),
        ('-"x y" z', "z"),
        ('"a -b"', '"a -b"'),  # a hyphen inside a phrase is no negation
        ('"a b"~2 -c d', '"a b"~2 d'),
        ("a-b c", "a-b c"),
    ],
)
def test_positive_part(prepared, positive):
    assert positive_part(prepared) == positive


def test_negative_only_query_brings_first_passages_not_matches():
    should = q.text_query(req(q="-harbour"))["bool"]["should"]
    assert [c["nested"]["inner_hits"]["name"] for c in should] == ["first"]


def test_relaxed_passage_query_drops_negated_words():
    passages = q.text_query(req(q="varga -harbour"))["bool"]["should"][0]["nested"]["query"]["bool"]["should"]
    assert passages[0]["simple_query_string"]["query"] == "varga -harbour"
    assert passages[1]["simple_query_string"]["query"] == "varga"


def test_empty_query_is_match_all_with_first_passage_only():
    query = q.text_query(req())
    assert query["bool"]["must"] == [{"match_all": {}}]
    (first,) = query["bool"]["should"]
    assert first["nested"]["inner_hits"] == {"name": "first", "size": 1, "_source": True}
    assert first["nested"]["query"] == {"term": {"passages.index": 0}}
    assert first["nested"]["score_mode"] == "none"


def test_text_query_matches_articles_and_ranks_passages():
    query = q.text_query(req(q="varga OR lighthouse"))
    (must,) = query["bool"]["must"]
    assert must == {
        "simple_query_string": {
            "query": "varga | lighthouse",
            "fields": ["title^2", "title.folded^2", "text", "text.folded"],
            "default_operator": "and",
            "lenient": True,
        }
    }
    passages, first = query["bool"]["should"]
    nested = passages["nested"]
    assert nested["path"] == "passages" and nested["score_mode"] == "none"
    strict, relaxed = nested["query"]["bool"]["should"]
    assert strict["simple_query_string"]["boost"] == 3
    assert strict["simple_query_string"]["default_operator"] == "and"
    assert relaxed["simple_query_string"]["default_operator"] == "or"
    # no AND/OR/NOT/PRECEDENCE: every positive word becomes optional
    assert set(relaxed["simple_query_string"]["flags"].split("|")).isdisjoint({"AND", "OR", "NOT", "PRECEDENCE"})
    inner = nested["inner_hits"]
    assert inner["name"] == "matches" and inner["size"] == 3
    assert inner["highlight"] == {
        "encoder": "html",
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "number_of_fragments": 0,
        "fields": {"passages.text": {}, "passages.text.folded": {}},
    }
    assert first["nested"]["inner_hits"]["name"] == "first"


def test_nothing_searchable_falls_back_to_match_all():
    assert q.text_query(req(q="AND"))["bool"]["must"] == [{"match_all": {}}]


# -- facets -------------------------------------------------------------------------
def test_body_without_selections_has_no_post_filter():
    body = q.search_body(req(q="mill"))
    assert "post_filter" not in body
    assert body["track_total_hits"] is True
    # the dotted path is source filtering into the stored (unindexed) article object
    assert body["_source"] == {"includes": ["id", "title", "published", "agency", "source", "url",
                                            "article.source_label", "person", "organisation", "place"]}
    for facet in ("person", "organisation", "place"):
        assert body["aggs"][facet] == {
            "filter": {"match_all": {}},
            "aggs": {"values": {"terms": {"field": facet, "size": 10}}},
        }
    # Year facets come back complete (search.facets.YEAR_VALUES); undated articles are counted.
    assert body["aggs"]["mentioned_years"]["aggs"] == {
        "values": {"terms": {"field": "mentioned_years", "size": rules.YEAR_VALUES}}
    }
    assert body["aggs"]["published_year"]["aggs"] == {
        "values": {"terms": {"field": "published_year", "size": rules.YEAR_VALUES}},
        "undated": {"missing": {"field": "published_year"}},
    }
    assert "excluded" not in body["aggs"]


def test_multi_select_post_filter_and_per_facet_filters():
    request = req(filters={"person": ["Ada Varga", "Boris Kettle"], "published_year": ["2020"]})
    body = q.search_body(request)
    person_sel = {"terms": {"person": ["Ada Varga", "Boris Kettle"]}}
    year_sel = {"terms": {"published_year": [2020]}}
    # OR within a facet, AND across facets — on the hits only.
    assert body["post_filter"] == {"bool": {"filter": [person_sel, year_sel]}}
    assert "filter" not in body["query"]["bool"]
    aggs = body["aggs"]
    # Each facet is counted under the OTHER facets' selections.
    assert aggs["person"]["filter"] == {"bool": {"filter": [year_sel]}}
    assert aggs["published_year"]["filter"] == {"bool": {"filter": [person_sel]}}
    assert aggs["place"]["filter"] == {"bool": {"filter": [person_sel, year_sel]}}
    # Selected values are counted even outside the top N.
    assert aggs["person"]["aggs"]["selected"] == {
        "terms": {"field": "person", "include": ["Ada Varga", "Boris Kettle"], "size": 2}
    }
    assert aggs["published_year"]["aggs"]["selected"] == {
        "terms": {"field": "published_year", "include": ["2020"], "size": 1}
    }
    assert "selected" not in aggs["place"]["aggs"]


def test_exclusions_narrow_hits_and_every_facet_and_are_counted():
    request = req(filters={"place": ["Lake Orrin"]}, excludes={"person": ["Celia Moor"], "mentioned_years": [1989]})
    body = q.search_body(request)
    place_sel = {"terms": {"place": ["Lake Orrin"]}}
    not_celia = {"terms": {"person": ["Celia Moor"]}}
    not_1989 = {"terms": {"mentioned_years": [1989]}}
    assert body["post_filter"] == {"bool": {"filter": [place_sel], "must_not": [not_celia, not_1989]}}
    assert body["aggs"]["person"]["filter"] == {"bool": {"filter": [place_sel], "must_not": [not_celia, not_1989]}}
    assert body["aggs"]["place"]["filter"] == {"bool": {"must_not": [not_celia, not_1989]}}
    # Each excluded value: the articles its exclusion removes (all else applied).
    assert body["aggs"]["excluded"] == {
        "filters": {
            "filters": {
                "person:0": {"bool": {"filter": [{"term": {"person": "Celia Moor"}},
                                                 {"bool": {"filter": [place_sel], "must_not": [not_1989]}}]}},
                "mentioned_years:0": {
                    "bool": {"filter": [{"term": {"mentioned_years": 1989}},
                                        {"bool": {"filter": [place_sel], "must_not": [not_celia]}}]}
                },
            }
        }
    }


def test_facet_size_reaches_every_entity_terms_agg():
    body = q.search_body(req(facet_size=3))
    assert {body["aggs"][f]["aggs"]["values"]["terms"]["size"] for f in ("person", "organisation", "place")} == {3}
    alpha = q.search_body(req(facet_size=3, facet_order="alpha"))
    # A–Z with accents folded is cut here (search.facets), not by the engine's byte order.
    assert alpha["aggs"]["place"]["aggs"]["values"]["terms"]["size"] == rules.ALL_VALUES


def test_all_mode_requires_each_value_and_narrows_its_own_facet():
    request = req(filters={"person": ["Ada Varga", "Boris Kettle"], "place": ["Lake Orrin"]}, modes={"person": "all"})
    body = q.search_body(request)
    ada, boris = {"term": {"person": "Ada Varga"}}, {"term": {"person": "Boris Kettle"}}
    place_sel = {"terms": {"place": ["Lake Orrin"]}}
    assert body["post_filter"] == {"bool": {"filter": [ada, boris, place_sel]}}
    # all mode: the facet's own selections narrow its counts; any mode (place): they do not
    assert body["aggs"]["person"]["filter"] == {"bool": {"filter": [ada, boris, place_sel]}}
    assert body["aggs"]["place"]["filter"] == {"bool": {"filter": [ada, boris]}}


def test_year_ranges_filter_hits_and_other_facets_but_not_their_own():
    request = req(ranges={"published_year": (2019, None), "mentioned_years": (1900, 1950)})
    body = q.search_body(request)
    published = {"range": {"published_year": {"gte": 2019}}}
    mentioned = {"range": {"mentioned_years": {"gte": 1900, "lte": 1950}}}
    assert body["post_filter"] == {"bool": {"filter": [published, mentioned]}}
    assert body["aggs"]["person"]["filter"] == {"bool": {"filter": [published, mentioned]}}
    assert body["aggs"]["published_year"]["filter"] == {"bool": {"filter": [mentioned]}}
    assert body["aggs"]["mentioned_years"]["filter"] == {"bool": {"filter": [published]}}


# -- sort and paging ------------------------------------------------------------------
def test_sorts():
    assert q.sort_spec("relevance") == [{"_score": {"order": "desc"}}, {"id": "asc"}]
    assert q.sort_spec("newest")[0] == {"published": {"order": "desc", "missing": "_last"}}
    assert q.sort_spec("oldest")[0] == {"published": {"order": "asc", "missing": "_last"}}
    assert q.sort_spec("oldest")[-1] == {"id": "asc"}
    assert q.search_body(req(sort="newest"))["sort"] == q.sort_spec("newest")


def test_paging_from_and_size():
    body = q.search_body(req(page=3, size=20))
    assert (body["from"], body["size"]) == (40, 20)


def test_paging_is_clamped_by_the_request_and_the_result_window():
    clamped = req(page=10_000, size=10_000)
    assert (clamped.page, clamped.size) == (50, 50)  # SearchRequest clamps first
    loose = SearchRequest(page=400, size=50, limits=Limits(max_page=1000))
    start, size = q.paging(loose)
    assert size == 50 and start + size <= q.MAX_RESULT_WINDOW


def test_body_is_plain_json():
    request = req(q='"x" OR y', filters={"person": ["Ana"]}, excludes={"published_year": [2001]}, sort="oldest")
    body = q.search_body(request)
    assert json.loads(json.dumps(body)) == body


# -- facet value search ------------------------------------------------------------------
def _lucene_to_python(regex: str) -> re.Pattern:
    """The regexps built here use only syntax Lucene and Python read alike
    (groups, ``?``, ``.*``, bracket classes, backslash escapes)."""
    return re.compile(regex, re.DOTALL)


@pytest.mark.parametrize(
    "prefix, value, matches",
    [
        ("nov", "jiri novak", True),
        ("jiri", "jiri novak", True),
        ("Jiří N", "jiri novak", True),
        ("ovak", "jiri novak", False),  # inside a word
        ("smith", "anna smith-jones", True),
        ("jones", "anna smith-jones", True),
        ("brien", "o'brien", True),
        ("a.b", "a.b corp", True),
        ("a.b", "axb corp", False),  # the dot is literal
        ("(x", "(x) ltd", True),
    ],
)
def test_word_prefix_regex(prefix, value, matches):
    regex = fv.word_prefix_regex(prefix)
    assert bool(_lucene_to_python(regex).fullmatch(value)) is matches


def test_fold_matches_the_normalizer():
    assert fv.fold("Jiří Dvořák") == "jiri dvorak"
    assert fv.fold("Søren Ørsted") == "soren orsted"
    assert fv.fold("Łukasz Straße") == "lukasz strasse"
    assert fv.word_prefix_regex("   ") is None


def test_year_prefix_values():
    assert fv.year_prefix_values("") is None
    assert fv.year_prefix_values("199") == [199] + list(range(1990, 2000))
    assert fv.year_prefix_values("2001") == [2001]
    assert len(fv.year_prefix_values("1")) == 1 + 10 + 100 + 1000
    assert fv.year_prefix_values("ab") == [] and fv.year_prefix_values("0") == [] and fv.year_prefix_values("12345") == []


def test_facet_values_body_for_entities():
    request = req(q="mill", filters={"person": ["Ada Varga"], "place": ["Lake Orrin"]}, excludes={"organisation": ["X"]})
    body = fv.facet_values_body("person", request, prefix="Bor", size=5)
    assert body["size"] == 0
    # Own selection ignored, other selections and exclusions applied.
    assert body["query"]["bool"]["filter"] == [
        {"bool": {"filter": [{"terms": {"place": ["Lake Orrin"]}}], "must_not": [{"terms": {"organisation": ["X"]}}]}}
    ]
    assert body["query"]["bool"]["must"][0]["simple_query_string"]["query"] == "mill"
    assert "should" not in body["query"]["bool"]  # no inner hits needed
    folded = body["aggs"]["folded"]
    assert folded["terms"]["field"] == "person.folded" and folded["terms"]["size"] == 5
    assert _lucene_to_python(folded["terms"]["include"]).fullmatch("boris kettle")
    # The display sub-aggregation also sees co-occurring names: ask for plenty of keys.
    assert folded["aggs"] == {"display": {"terms": {"field": "person", "size": fv.display_size(5)}}}
    assert fv.display_size(5) == fv.MAX_DISPLAY
    # folded buckets plus their display buckets stay under search.max_buckets
    assert (fv.display_size(rules.ALL_VALUES) + 1) * rules.ALL_VALUES <= fv.BUCKET_BUDGET < 65_536


def test_facet_values_body_pages_and_counts_like_the_facet():
    request = req(filters={"person": ["Ada Varga"]}, modes={"person": "all"})
    body = fv.facet_values_body("person", request, size=50, offset=300)
    assert body["aggs"]["values"]["terms"]["size"] == 350
    # all mode: the facet's own selections narrow its values, as with a search
    assert body["query"]["bool"]["filter"] == [{"bool": {"filter": [{"term": {"person": "Ada Varga"}}]}}]


def test_facet_values_body_without_prefix_and_for_years():
    request = req()
    assert fv.facet_values_body("place", request)["aggs"] == {"values": {"terms": {"field": "place", "size": 10}}}
    years = fv.facet_values_body("published_year", request, prefix="202", size=7)["aggs"]["values"]["terms"]
    assert years["size"] == rules.ALL_VALUES and years["include"] == ["202"] + [str(y) for y in range(2020, 2030)]
    assert fv.facet_values_body("mentioned_years", request, prefix="x") is None


def test_facet_values_size_is_clamped():
    request = req(limits=Limits(max_facet_size=20))
    # a page plus one (to tell whether a next page exists)
    assert fv.facet_values_body("place", request, size=1000)["aggs"]["values"]["terms"]["size"] == 21
    assert fv.facet_values_body("place", request, size=0)["aggs"]["values"]["terms"]["size"] == 1


# -- maintenance --------------------------------------------------------------------------
def test_source_hashes_body_pages_with_after_key():
    body = q.source_hashes_body()
    composite = body["aggs"]["pairs"]["composite"]
    assert body["size"] == 0
    assert composite["sources"] == [
        {"source": {"terms": {"field": "source"}}},
        {"hash": {"terms": {"field": "source_hash"}}},
    ]
    assert "after" not in composite
    after = {"source": "b.txt", "hash": "h"}
    assert q.source_hashes_body(after)["aggs"]["pairs"]["composite"]["after"] == after


def test_stats_body():
    assert q.stats_body() == {
        "size": 0, "track_total_hits": True, "aggs": {"passages": {"sum": {"field": "passage_count"}}}
    }


def test_document_matches_body_asks_for_one_article_and_its_matching_passages_in_text_order():
    body = q.document_matches_body("n1", "archive -boxes", 100)
    assert body["size"] == 1 and body["_source"] is False
    clause = body["query"]["bool"]["must"][0]["nested"]
    assert body["query"]["bool"]["filter"] == [{"term": {"id": "n1"}}]
    assert clause["path"] == "passages"
    # inner hits sort on the nested field's full path; 100 is the default max_inner_result_window
    assert clause["inner_hits"]["size"] == 100 and clause["inner_hits"]["sort"] == [{"passages.index": "asc"}]
    assert clause["inner_hits"]["highlight"] == q.highlight_spec()
    assert q.document_matches_body("n1", "-boxes", 100) is None and q.document_matches_body("n1", "", 100) is None
