"""Unit tests of the Elasticsearch response parsers on responses a cluster could return.

The responses are shaped like the documented ``_search`` format (hits.total as
``{"value", "relation"}``, nested ``inner_hits`` with ``_nested`` metadata and
``highlight``, filter/terms/filters/composite aggregation buckets). Highlight
fragments are produced by the same escaping Lucene's SimpleHTMLEncoder applies
(``" & < > ' /``) before ``<mark>`` tags are inserted. Aggregation results are
computed from documents by tests/es_aggs.py, which states the semantics they
rely on. Names are invented.
"""
from __future__ import annotations

import datetime as dt

from hypothesis import given, strategies as st

from search_service.backends import es_facet_values as fv
from search_service.backends import es_result as r
from search_service.backends.es_mapping import to_document
from search_service.backends.es_query import HIT_SOURCE
from search_service.search import SearchRequest
from tests import es_aggs as agg
from tests.backend_fixtures import make_article

_ENCODE = {'"': "&quot;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#x27;", "/": "&#x2F;"}


def encode(text: str) -> str:
    """What Elasticsearch's ``encoder: html`` does to text (SimpleHTMLEncoder)."""
    return "".join(_ENCODE.get(ch, ch) for ch in text)


def highlighted(text: str, spans) -> str:
    """A highlight fragment as Elasticsearch returns it for ``number_of_fragments: 0``."""
    out, pos = [], 0
    for s, e in spans:
        out += [encode(text[pos:s]), "<mark>", encode(text[s:e]), "</mark>"]
        pos = e
    out.append(encode(text[pos:]))
    return "".join(out).strip()  # the unified highlighter trims each snippet


# -- highlight fragments -------------------------------------------------------------
def test_parse_marked_unescapes_each_segment():
    text, spans = r.parse_marked("Tom &amp; <mark>Jiří</mark> said &quot;no&quot; &lt;mark&gt; a&#x2F;b <mark>O&#x27;Hara</mark>")
    assert text == 'Tom & Jiří said "no" <mark> a/b O\'Hara'
    assert [text[s:e] for s, e in spans] == ["Jiří", "O'Hara"]


def test_literal_tags_in_the_text_are_not_marks():
    text = "Use <mark>this</mark> & that"
    start = text.index("that")
    plain, spans = r.parse_marked(highlighted(text, [(start, start + 4)]))
    assert plain == text and [plain[s:e] for s, e in spans] == ["that"]


def test_align_restores_trimmed_whitespace_and_falls_back_to_search():
    source = "  Ada Varga left.\n"
    plain, spans = r.parse_marked(highlighted(source, [(6, 11)]))
    assert plain == "Ada Varga left."
    assert r.align_spans(source, plain, spans) == [(6, 11)]
    # If the texts disagree beyond trimming, marked words are found in order.
    assert r.align_spans("x Varga y Varga", "Varga ... Varga", [(0, 5), (10, 15)]) == [(2, 7), (10, 15)]
    assert r.align_spans("abc", "zzz", [(0, 3)]) == []


def test_phrase_marks_split_into_words_and_overlaps_merge():
    text = "Port Selm harbour"
    assert r.word_spans(text, [(0, 9)]) == [(0, 4), (5, 9)]
    assert r.merge_spans([(5, 9), (0, 4), (0, 4), (3, 6)]) == [(0, 9)]


@given(
    st.text(alphabet=st.sampled_from(list("ab &<>\"'/éř\nx")), min_size=1, max_size=40),
    st.data(),
)
def test_fragment_round_trip(text, data):
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=6)))
    spans = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2) if cuts[i] < cuts[i + 1]]
    fragment = highlighted(text, spans)
    plain, found = r.parse_marked(fragment)
    aligned = r.align_spans(text, plain, found)
    assert [text[s:e] for s, e in aligned] == [text[s:e] for s, e in spans]


# -- hits ---------------------------------------------------------------------------------
ARTICLE = make_article(
    "n1",
    ["Ada Varga opened the harbour archive.", "Ada Varga said the archive was damp & cold.", "Nothing else."],
    title="Harbour archive opens",
    published=dt.date(2019, 3, 1),
    person=["Ada Varga", "Boris Kettle"],
    place=["Lake Orrin"],
)
ARTICLE.source_label = "n1.txt"


def _filtered_source(doc: dict) -> dict:
    """What Elasticsearch's ``_source`` filtering with HIT_SOURCE returns: the listed root
    keys, and for a dotted path ("article.source_label") that key inside its object."""
    out = {}
    for path in HIT_SOURCE:
        head, _, rest = path.partition(".")
        if head not in doc:
            continue
        if rest:
            if rest in (doc[head] or {}):
                out.setdefault(head, {})[rest] = doc[head][rest]
        else:
            out[head] = doc[head]
    return out


def _inner(article, index, score, highlight=None):
    doc = to_document(article)["passages"][index]
    hit = {
        "_index": "articles-000001",
        "_id": article.id,
        "_nested": {"field": "passages", "offset": index},
        "_score": score,
        "_source": doc,
    }
    if highlight is not None:
        hit["highlight"] = highlight
    return hit


def _hit(article, score, matches=(), matches_total=0, first=True):
    source = _filtered_source(to_document(article))
    inner = {
        "matches": {
            "hits": {
                "total": {"value": matches_total, "relation": "eq"},
                "max_score": max((m["_score"] for m in matches), default=None),
                "hits": list(matches),
            }
        }
    }
    if first:
        inner["first"] = {"hits": {"total": {"value": 1, "relation": "eq"}, "max_score": 0.0,
                                   "hits": [_inner(article, 0, 0.0)]}}
    return {"_index": "articles-000001", "_id": article.id, "_score": score, "_source": source,
            "sort": [score, article.id], "inner_hits": inner}


def test_hit_with_highlighted_passages_and_more_matches():
    p1 = ARTICLE.passage_text(ARTICLE.passages[1])
    m1 = _inner(ARTICLE, 1, 2.5, {
        "passages.text": [highlighted(p1, [(4, 9)])],
        "passages.text.folded": [highlighted(p1, [(4, 9), (19, 26)])],
    })
    m0 = _inner(ARTICLE, 0, 1.5, {"passages.text": [highlighted(ARTICLE.passage_text(ARTICLE.passages[0]), [(4, 9)])]})
    hit = r.parse_hit(_hit(ARTICLE, 3.2, [m1, m0], matches_total=5))
    assert hit.id == "n1" and hit.title == "Harbour archive opens" and hit.score == 3.2
    assert hit.published == dt.date(2019, 3, 1) and hit.source == "corpus/n1.txt"
    assert hit.source_label == "n1.txt"
    assert [p.index for p in hit.passages] == [1, 0]  # inner-hit (score) order
    first = hit.passages[0]
    assert first.text == p1 and (first.start, first.end) == (ARTICLE.passages[1].start, ARTICLE.passages[1].end)
    assert [first.text[s:e] for s, e in first.highlights] == ["Varga", "archive"]
    assert hit.more_matches == 3
    assert hit.entities == {"person": ["Ada Varga", "Boris Kettle"], "organisation": [], "place": ["Lake Orrin"]}


def test_hit_without_matching_passage_shows_the_first_unmarked():
    hit = r.parse_hit(_hit(ARTICLE, 1.0, [], matches_total=0))
    assert [(p.index, p.highlights) for p in hit.passages] == [(0, [])]
    assert hit.more_matches == 0
    assert hit.passages[0].text == ARTICLE.passage_text(ARTICLE.passages[0])


def test_date_sorted_hits_carry_no_score():
    raw = _hit(ARTICLE, None, first=True)
    raw["_score"] = None
    assert r.parse_hit(raw, scored=False).score == 0.0


# -- search responses with facets ---------------------------------------------------------
# Aggregation responses are computed by tests/es_aggs.py from the documents below
# with the semantics a one-shard index has (written out there), never typed in.
FACET_DOCS = [
    to_document(make_article("d1", ["One."], published=dt.date(2020, 1, 1), person=["Ada Varga", "Boris Kettle"],
                             place=["Lake Orrin"])),
    to_document(make_article("d2", ["Two."], published=dt.date(2020, 2, 1), person=["Ada Varga", "Boris Kettle"],
                             place=["Lake Orrin", "Port Selm"])),
    to_document(make_article("d3", ["Three."], published=dt.date(2019, 3, 1), person=["Ada Varga", "Zed Quill"],
                             place=["Lake Orrin"], mentioned_years=[1989])),
    to_document(make_article("d4", ["Four."], person=["Zed Quill"], place=["Port Selm"])),
    to_document(make_article("d5", ["Five."], published=dt.date(2021, 5, 1), person=["Celia Moor"],
                             place=["Lake Orrin"])),
    to_document(make_article("d6", ["Six."], person=["Zed Quill"])),
]


def test_parse_search_facets_selected_and_excluded():
    request = SearchRequest.build(filters={"person": ["Zed Quill"]}, excludes={"place": ["Port Selm"]}, facet_size=2)
    zed, port = agg.holds("person", "Zed Quill"), agg.holds("place", "Port Selm")
    hits = [d for d in FACET_DOCS if zed(d) and not port(d)]  # post_filter: d3, d6
    # Each facet's filter agg: its counting scope (any mode: its own selection lifted).
    person_scope = [d for d in FACET_DOCS if not port(d)]
    scope = hits  # the other facets count the hits' documents
    response = {
        "took": 3, "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {"total": {"value": len(hits), "relation": "eq"}, "max_score": 1.0, "hits": [_hit(ARTICLE, 1.0)]},
        "aggregations": {
            "person": {"doc_count": len(person_scope), "values": agg.terms(person_scope, "person", 2),
                       "selected": agg.terms(person_scope, "person", 1, include=["Zed Quill"])},
            "organisation": {"doc_count": len(scope), "values": agg.terms(scope, "organisation", 2)},
            "place": {"doc_count": len(scope), "values": agg.terms(scope, "place", 2)},
            "published_year": {"doc_count": len(scope), "values": agg.terms(scope, "published_year", 500),
                               "undated": agg.missing(scope, "published_year")},
            "mentioned_years": {"doc_count": len(scope), "values": agg.terms(scope, "mentioned_years", 500)},
            # filters agg: the documents the exclusion removes (the value, with everything else applied)
            "excluded": {"buckets": {"place:0": {"doc_count": sum(1 for d in FACET_DOCS if zed(d) and port(d))}}},
        },
    }
    result = r.parse_search(response, request)
    assert result.total == 2 and [h.id for h in result.hits] == ["n1"]
    person = [(v.value, v.count, v.selected) for v in result.facets["person"]]
    # top 2 by count (ties A–Z) of d1 d3 d5 d6; the selected value is among them
    assert person == [("Ada Varga", 2, False), ("Zed Quill", 2, True)]
    assert [(v.value, v.count) for v in result.facets["published_year"]] == [(2019, 1)]
    assert result.undated == 1  # d6
    place = [(v.value, v.count, v.excluded) for v in result.facets["place"]]
    assert place == [("Lake Orrin", 1, False), ("Port Selm", 1, True)]  # d4 is what the exclusion removes
    assert [(v.value, v.count) for v in result.facets["mentioned_years"]] == [(1989, 1)]
    assert result.facets["organisation"] == []
    assert result.query_errors == []


def test_a_selected_value_outside_the_top_keeps_its_own_count():
    request = SearchRequest.build(filters={"person": ["Celia Moor"]}, facet_size=1)
    scope = FACET_DOCS  # person's own selection lifted, nothing else selected
    celia = agg.holds("person", "Celia Moor")
    response = {"aggregations": {
        "person": {"doc_count": len(scope), "values": agg.terms(scope, "person", 1),
                   "selected": agg.terms(scope, "person", 1, include=["Celia Moor"])},
        "published_year": {"doc_count": 1, "values": agg.terms(filter(celia, scope), "published_year", 500),
                           "undated": agg.missing(filter(celia, scope), "published_year")},
    }}
    result = r.parse_search(response, request)
    assert [(v.value, v.count, v.selected) for v in result.facets["person"]] == [
        ("Ada Varga", 3, False), ("Celia Moor", 1, True)
    ]
    assert [(v.value, v.count) for v in result.facets["published_year"]] == [(2021, 1)] and result.undated == 0


def test_parse_search_of_nothing():
    result = r.parse_search({}, SearchRequest.build(q='"open'))
    assert result.total == 0 and result.hits == []
    assert set(result.facets) == {"person", "organisation", "place", "published_year", "mentioned_years"}
    assert result.query_errors and "quotation mark" in result.query_errors[0]


NAME_DOCS = [
    to_document(make_article("e1", ["One."], person=["Jiří Novák", "Nora Vale"])),
    to_document(make_article("e2", ["Two."], person=["Jiri Novak", "Nora Vale"])),
    to_document(make_article("e3", ["Three."], person=["Jiří Novák"])),
    to_document(make_article("e4", ["Four."], person=["Petr Novotný", "Nora Vale", "Ivo Nováček"])),
]


def _value_search(docs, prefix, size):
    """The response to facet_values_body("person", ..., prefix): a terms agg on the
    folded keyword (normalizer lowercase + asciifolding) with the word-prefix
    include, and under each folded bucket a terms agg on the display field — which
    sees every name of the bucket's documents."""
    body = fv.facet_values_body("person", SearchRequest.build(), prefix=prefix, size=size)
    folded = body["aggs"]["folded"]
    display_size = folded["aggs"]["display"]["terms"]["size"]
    return {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}, "aggregations": {"folded": agg.terms(
        docs, "person", folded["terms"]["size"], include=folded["terms"]["include"], key=fv.fold,
        sub=lambda bucket_docs: {"display": agg.terms(bucket_docs, "person", display_size)},
    )}}


def test_facet_value_search_keeps_only_the_spellings_of_each_folded_value():
    response = _value_search(NAME_DOCS, "nov", 10)
    # The cluster lists Nora Vale under "jiri novak" and "petr novotny": she shares their documents.
    displayed = [b["key"] for f in response["aggregations"]["folded"]["buckets"] for b in f["display"]["buckets"]]
    assert "Nora Vale" in displayed
    request = SearchRequest.build(filters={"person": ["Jiří Novák"]})
    values = r.parse_facet_values("person", response, request, size=10)
    assert [(v.value, v.count, v.selected) for v in values] == [
        ("Jiří Novák", 2, True), ("Ivo Nováček", 1, False), ("Jiri Novak", 1, False), ("Petr Novotný", 1, False),
    ]
    page = r.parse_facet_values("person", response, request, size=2, offset=2)
    assert [v.value for v in page] == ["Jiri Novak", "Petr Novotný"]


def test_facet_values_years_in_year_order():
    request = SearchRequest.build(excludes={"mentioned_years": [2019]})
    docs = [{"mentioned_years": years} for years in ([2001, 1989], [1989], [2019, 2001], [2005])]
    scope = [d for d in docs if 2019 not in d["mentioned_years"]]  # exclusions apply to the facet's own scope
    response = {"aggregations": {"values": agg.terms(scope, "mentioned_years", 10_000)}}
    values = r.parse_facet_values("mentioned_years", response, request, 10)
    assert [(v.value, v.count, v.excluded) for v in values] == [(1989, 2, False), (2001, 1, False), (2005, 1, False)]


# -- maintenance responses -----------------------------------------------------------------
def test_source_hashes_page():
    response = {"aggregations": {"pairs": {
        "after_key": {"source": "b.txt", "hash": "h2"},
        "buckets": [
            {"key": {"source": "a.txt", "hash": "h1"}, "doc_count": 2},
            {"key": {"source": "b.txt", "hash": "h2"}, "doc_count": 1},
            {"key": {"source": "b.txt", "hash": "h3"}, "doc_count": 1},
        ],
    }}}
    pairs, after = r.parse_source_hashes(response)
    assert pairs == {"a.txt": "h1", "b.txt": ""}  # disagreeing articles: half-updated file
    assert after == {"source": "b.txt", "hash": "h2"}
    assert r.parse_source_hashes({"aggregations": {"pairs": {"buckets": []}}}) == ({}, None)


def test_stats_and_article():
    stats = r.parse_stats({"hits": {"total": {"value": 5, "relation": "eq"}, "hits": []},
                           "aggregations": {"passages": {"value": 13.0}}})
    assert stats == {"documents": 5, "passages": 13}
    assert r.parse_article({"article": ARTICLE.to_dict()}) == ARTICLE
    assert r.parse_article({}) is None and r.parse_article(None) is None


def test_document_matches_are_the_inner_hits_in_text_order():
    # Semantics relied on: a search filtered to one id returns that article once, its
    # "matches" inner hits being the nested passages that matched, sorted by passages.index
    # as asked (parse_document_matches sorts again, harmlessly); no hit when no passage matched.
    p0 = ARTICLE.passage_text(ARTICLE.passages[0])
    p1 = ARTICLE.passage_text(ARTICLE.passages[1])
    a0, a1 = p0.index("archive"), p1.index("archive")
    m0 = _inner(ARTICLE, 0, None, {"passages.text": [highlighted(p0, [(a0, a0 + 7)])]})
    m1 = _inner(ARTICLE, 1, None, {"passages.text": [highlighted(p1, [(a1, a1 + 7)])]})
    response = {"hits": {"total": {"value": 1, "relation": "eq"}, "hits": [
        {"_index": "articles-000001", "_id": "n1", "_score": 1.0,
         "inner_hits": {"matches": {"hits": {"total": {"value": 2, "relation": "eq"}, "max_score": None,
                                             "hits": [m0, m1]}}}}]}}
    matches = r.parse_document_matches(response)
    assert [p.index for p in matches] == [0, 1]
    assert [p.text[s:e] for p in matches for s, e in p.highlights] == ["archive", "archive"]
    assert r.parse_document_matches({"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}) == []
