"""Unit tests of the Elasticsearch response parsers on hand-written responses.

The responses are shaped like the documented ``_search`` format (hits.total as
``{"value", "relation"}``, nested ``inner_hits`` with ``_nested`` metadata and
``highlight``, filter/terms/filters/composite aggregation buckets). Highlight
fragments are produced by the same escaping Lucene's SimpleHTMLEncoder applies
(``" & < > ' /``) before ``<mark>`` tags are inserted. Names are invented.
"""
from __future__ import annotations

import datetime as dt

from hypothesis import given, strategies as st

from search_service.backends import es_result as r
from search_service.backends.es_mapping import to_document
from search_service.backends.es_query import HIT_SOURCE
from search_service.search import SearchRequest
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
def _terms(*pairs):
    return {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0,
            "buckets": [{"key": k, "doc_count": c} for k, c in pairs]}


def test_parse_search_facets_selected_and_excluded():
    request = SearchRequest.build(
        filters={"person": ["Zed Quill"], "published_year": [2018]},
        excludes={"place": ["Port Selm"]},
        facet_size=2,
    )
    response = {
        "took": 3, "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {"total": {"value": 1, "relation": "eq"}, "max_score": 1.0, "hits": [_hit(ARTICLE, 1.0)]},
        "aggregations": {
            "person": {"doc_count": 4, "values": _terms(("Ada Varga", 3), ("Boris Kettle", 2)),
                       "selected": _terms(("Zed Quill", 1))},
            "organisation": {"doc_count": 4, "values": _terms()},
            "place": {"doc_count": 3, "values": _terms(("Lake Orrin", 3))},
            "published_year": {"doc_count": 2, "values": _terms((2020, 2), (2019, 1)),
                               "selected": _terms()},
            "mentioned_years": {"doc_count": 1, "values": _terms((1989, 1))},
            "excluded": {"buckets": {"place:0": {"doc_count": 2}}},
        },
    }
    result = r.parse_search(response, request)
    assert result.total == 1 and [h.id for h in result.hits] == ["n1"]
    person = [(v.value, v.count, v.selected) for v in result.facets["person"]]
    assert person == [("Ada Varga", 3, False), ("Boris Kettle", 2, False), ("Zed Quill", 1, True)]
    years = [(v.value, v.count, v.selected) for v in result.facets["published_year"]]
    # A selected value with no articles left still shows, with 0.
    assert years == [(2020, 2, False), (2019, 1, False), (2018, 0, True)]
    place = [(v.value, v.count, v.excluded) for v in result.facets["place"]]
    assert place == [("Lake Orrin", 3, False), ("Port Selm", 2, True)]
    assert result.facets["organisation"] == []
    assert result.query_errors == []


def test_parse_search_of_nothing():
    result = r.parse_search({}, SearchRequest.build(q='"open'))
    assert result.total == 0 and result.hits == []
    assert set(result.facets) == {"person", "organisation", "place", "published_year", "mentioned_years"}
    assert result.query_errors and "quotation mark" in result.query_errors[0]


def test_facet_values_split_folded_buckets_into_spellings():
    request = SearchRequest.build(filters={"person": ["Jiří Novák"]})
    response = {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}, "aggregations": {"folded": {
        "doc_count_error_upper_bound": 0, "sum_other_doc_count": 0,
        "buckets": [
            {"key": "jiri novak", "doc_count": 4, "display": _terms(("Jiří Novák", 3), ("Jiri Novak", 1))},
            {"key": "nora vale", "doc_count": 3, "display": _terms(("Nora Vale", 3))},
        ],
    }}}
    values = r.parse_facet_values("person", response, request, size=2)
    assert [(v.value, v.count, v.selected) for v in values] == [("Jiří Novák", 3, True), ("Nora Vale", 3, False)]


def test_facet_values_years():
    response = {"aggregations": {"values": _terms((2001, 2), (1989, 2), (2019, 5))}}
    values = r.parse_facet_values("mentioned_years", response, SearchRequest.build(excludes={"mentioned_years": [2019]}), 10)
    assert [(v.value, v.count, v.excluded) for v in values] == [(2019, 5, True), (1989, 2, False), (2001, 2, False)]


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
