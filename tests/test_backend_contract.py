"""One contract for every search backend: the same scenarios run on Tantivy and,
when a cluster is reachable, on Elasticsearch.

All names and texts are invented.
"""
from __future__ import annotations

import datetime as dt

import pytest

from search_service.backends.base import Backend
from search_service.backends.tantivy_backend import TantivyBackend
from search_service.search import SearchRequest
from tests.backend_fixtures import counts, fold, make_article

try:
    from tests.es_fixtures import es_backend_factory  # noqa: F401
except ImportError:
    HAVE_ES_FIXTURES = False
else:
    HAVE_ES_FIXTURES = True


@pytest.fixture(params=["tantivy", "elasticsearch"])
def backend(request, tmp_path) -> Backend:
    """A fresh, empty backend of each kind."""
    if request.param == "tantivy":
        engine = TantivyBackend(str(tmp_path / "data"), keep_generations=2)
    else:
        if not HAVE_ES_FIXTURES:
            pytest.skip("elasticsearch fixtures not available")
        engine = request.getfixturevalue("es_backend_factory")()
    yield engine
    engine.close()


def search(backend, **kwargs):
    return backend.search(SearchRequest.build(**kwargs))


def ids(result) -> list[str]:
    return [hit.id for hit in result.hits]


NEWS = [
    make_article(
        "n1",
        [
            "Ada Varga opened the harbour archive.",
            "Ada Varga said the archive was damp.",
            "Boris Kettle of Northwind Cooperative disagreed with Ada Varga.",
            "Later Ada Varga and Ada Varga's team moved the boxes to Lake Orrin.",
        ],
        title="Harbour archive opens",
        published=dt.date(2019, 3, 1),
        person=["Ada Varga", "Boris Kettle"],
        organisation=["Northwind Cooperative"],
        place=["Lake Orrin"],
        mentioned_years=[1989],
    ),
    make_article(
        "n2",
        ["Ada Varga visited Port Selm in June.", "The ferry timetable was reported late."],
        title="Ferry delays",
        published=dt.date(2020, 6, 15),
        person=["Ada Varga"],
        place=["Port Selm"],
        mentioned_years=[1989, 2001],
    ),
    make_article(
        "n3",
        ["Boris Kettle inspected the mill at Lake Orrin.", "Northwind Cooperative bought new looms."],
        title="New looms",
        published=dt.date(2021, 1, 10),
        person=["Boris Kettle"],
        organisation=["Northwind Cooperative"],
        place=["Lake Orrin"],
    ),
    make_article(
        "n4",
        ["Celia Moor painted the lighthouse at Port Selm.", "Zdeněk Hrubý framed the paintings."],
        title="Lighthouse paintings",
        published=None,
        person=["Celia Moor", "Zdeněk Hrubý"],
        place=["Port Selm"],
        mentioned_years=[2001],
    ),
    make_article(
        "n5",
        ["Celia Moor and Ada Varga toured Greyfield Mills.", "The mills reported record output near Lake Orrin."],
        title="Record output",
        published=dt.date(2020, 6, 15),
        person=["Ada Varga", "Celia Moor"],
        organisation=["Greyfield Mills"],
        place=["Lake Orrin"],
    ),
]


@pytest.fixture
def news(backend):
    with backend.writer() as writer:
        for article in NEWS:
            writer.add(article)
    return backend


def test_write_and_read_back(news):
    assert news.get("n1") == NEWS[0]
    assert news.get("n4").published is None
    assert news.get("no-such-id") is None
    # Each article once; the order is the engine's own (ids are hashes: no order means anything).
    streamed = [a.id for a in news.iter_articles()]
    assert sorted(streamed) == ["n1", "n2", "n3", "n4", "n5"] and [a.id for a in news.iter_articles()] == streamed
    assert news.source_hashes() == {a.source: a.source_hash for a in NEWS}
    stats = news.stats()
    assert stats["documents"] == 5
    assert stats["passages"] == sum(len(a.passages) for a in NEWS)


def test_empty_backend_searches_return_nothing(backend):
    result = search(backend, q="harbour", filters={"person": ["Ada Varga"]})
    assert result.total == 0 and result.hits == []
    assert backend.stats()["documents"] == 0


def test_facet_counts_are_document_counts(news):
    facets = search(news).facets
    # n1 mentions Ada Varga five times: still one document.
    assert counts(facets["person"]) == {"Ada Varga": 3, "Boris Kettle": 2, "Celia Moor": 2, "Zdeněk Hrubý": 1}
    assert [fv.value for fv in facets["person"]][:3] == ["Ada Varga", "Boris Kettle", "Celia Moor"]
    assert counts(facets["place"]) == {"Lake Orrin": 3, "Port Selm": 2}
    assert counts(facets["published_year"]) == {2019: 1, 2020: 2, 2021: 1}
    assert counts(facets["mentioned_years"]) == {1989: 2, 2001: 2}


def test_multi_select_is_or_within_a_facet(news):
    result = search(news, filters={"person": ["Ada Varga", "Boris Kettle"]})
    assert sorted(ids(result)) == ["n1", "n2", "n3", "n5"] and result.total == 4
    person = {fv.value: fv for fv in result.facets["person"]}
    # The facet's own selection does not narrow its counts.
    assert {v: fv.count for v, fv in person.items()} == {
        "Ada Varga": 3, "Boris Kettle": 2, "Celia Moor": 2, "Zdeněk Hrubý": 1
    }
    assert person["Ada Varga"].selected and person["Boris Kettle"].selected and not person["Celia Moor"].selected
    assert counts(result.facets["place"]) == {"Lake Orrin": 3, "Port Selm": 1}


def test_and_across_facets(news):
    result = search(news, filters={"person": ["Ada Varga"], "place": ["Port Selm"]})
    assert ids(result) == ["n2"]
    assert counts(result.facets["person"]) == {"Ada Varga": 1, "Celia Moor": 1, "Zdeněk Hrubý": 1}
    assert counts(result.facets["place"]) == {"Lake Orrin": 2, "Port Selm": 1}
    assert counts(search(news, filters={"person": ["Ada Varga"], "published_year": [2020]}).facets["place"]) == {
        "Lake Orrin": 1, "Port Selm": 1
    }


def test_exclusion_applies_everywhere(news):
    result = search(news, excludes={"person": ["Celia Moor"]})
    assert sorted(ids(result)) == ["n1", "n2", "n3"]
    person = {fv.value: fv for fv in result.facets["person"]}
    assert person["Celia Moor"].excluded and not person["Celia Moor"].selected
    assert person["Ada Varga"].count == 2 and "Zdeněk Hrubý" not in person
    assert counts(result.facets["place"]) == {"Lake Orrin": 2, "Port Selm": 1}
    assert ids(search(news, q="greyfield", excludes={"organisation": ["Greyfield Mills"]})) == []


def test_selected_value_shown_outside_the_top(news):
    result = search(news, filters={"person": ["Zdeněk Hrubý"]}, facet_size=1)
    person = {fv.value: fv for fv in result.facets["person"]}
    assert person["Zdeněk Hrubý"].selected and person["Zdeněk Hrubý"].count == 1
    assert "Ada Varga" in person


def test_query_syntax(news):
    assert ids(search(news, q="varga harbour")) == ["n1"]  # AND by default
    assert sorted(ids(search(news, q="varga OR lighthouse"))) == ["n1", "n2", "n4", "n5"]
    assert sorted(ids(search(news, q="varga -harbour"))) == ["n2", "n5"]
    assert ids(search(news, q='"Boris Kettle inspected"')) == ["n3"]
    assert ids(search(news, q='"Kettle Boris"')) == []
    assert sorted(ids(search(news, q="lighth*"))) == ["n4"]
    assert sorted(ids(search(news, q="report"))) == ["n2", "n5"]  # stemming: reported
    assert ids(search(news, q="zdenek hruby")) == ["n4"]  # accents folded


@pytest.mark.parametrize("q", ['"unclosed', "(varga", "title:", "AND", "-", "*", "foo:bar", "\\", "varga^", "[1 TO 2]"])
def test_odd_queries_never_raise(news, q):
    result = search(news, q=q)
    assert result.total >= 0
    assert all(isinstance(e, str) and e for e in result.query_errors)


def test_highlight_spans_line_up_with_passage_text(news):
    result = search(news, q="varga OR zdenek")
    assert result.hits
    for hit in result.hits:
        assert hit.passages
        for passage in hit.passages:
            assert passage.text == news.get(hit.id).text[passage.start : passage.end]
            assert passage.highlights
            for start, end in passage.highlights:
                assert fold(passage.text[start:end]) in {"varga", "zdenek"}


def test_best_passages_and_more_matches(backend):
    sentences = [f"The lantern number {i} was lit by the keeper." for i in range(6)] + ["No light here."]
    with backend.writer() as writer:
        writer.add(make_article("lamp", sentences, title="Lanterns"))
        writer.add(make_article("quiet", ["Nothing happened.", "Still nothing."], title="Lantern museum"))
    hit = {h.id: h for h in search(backend, q="lantern").hits}
    assert len(hit["lamp"].passages) == 3 and hit["lamp"].more_matches == 3
    assert all(p.highlights for p in hit["lamp"].passages)
    # Matched through its title only: the first passage, unmarked.
    assert [p.index for p in hit["quiet"].passages] == [0] and hit["quiet"].passages[0].highlights == []
    everything = {h.id: h for h in search(backend).hits}
    assert [(p.index, p.highlights) for p in everything["lamp"].passages] == [(0, [])]
    assert everything["lamp"].more_matches == 0
    assert everything["lamp"].entities.get("person", []) == []


def test_hits_carry_most_mentioned_entities(news):
    hit = search(news, q="inspected").hits[0]
    assert hit.entities["person"] == ["Boris Kettle"]
    assert search(news, q="archive").hits[0].entities["person"][0] == "Ada Varga"


def test_sort_newest_and_oldest_put_undated_last(news):
    newest = ids(search(news, sort="newest"))
    assert newest[0] == "n3" and set(newest[1:3]) == {"n2", "n5"} and newest[3:] == ["n1", "n4"]
    oldest = ids(search(news, sort="oldest"))
    assert oldest[0] == "n1" and set(oldest[1:3]) == {"n2", "n5"} and oldest[3:] == ["n3", "n4"]
    assert ids(search(news, q="port", sort="oldest")) == ["n2", "n4"]


def test_paging(news):
    pages = [search(news, size=2, page=p, sort="oldest") for p in (1, 2, 3, 4)]
    assert [len(p.hits) for p in pages] == [2, 2, 1, 0]
    assert all(p.total == 5 for p in pages)
    seen = [i for p in pages for i in ids(p)]
    assert sorted(seen) == ["n1", "n2", "n3", "n4", "n5"]


def test_re_adding_an_id_replaces_it(news):
    changed = make_article(
        "n1", ["Quentin Vale catalogued the archive."], title="Archive catalogued", person=["Quentin Vale"]
    )
    with news.writer() as writer:
        writer.add(changed)
    assert search(news).total == 5
    assert ids(search(news, q="damp")) == []
    assert ids(search(news, q="catalogued")) == ["n1"]
    assert news.get("n1") == changed
    assert counts(search(news).facets["person"])["Boris Kettle"] == 1
    assert news.stats()["passages"] == sum(len(a.passages) for a in NEWS[1:]) + 1


def test_delete_source_removes_every_article_of_a_file(backend):
    feed = [make_article(f"f{i}", [f"Feed item {i} about otters."], source="feed.jsonl", source_hash="x") for i in range(3)]
    other = make_article("solo", ["A lone otter."], source="solo.txt", source_hash="y")
    with backend.writer() as writer:
        for article in feed + [other]:
            writer.add(article)
    assert search(backend, q="otters").total == 4
    assert backend.source_hashes() == {"feed.jsonl": "x", "solo.txt": "y"}
    with backend.writer() as writer:
        writer.delete_source("feed.jsonl")
    assert ids(search(backend, q="otter")) == ["solo"]
    assert backend.source_hashes() == {"solo.txt": "y"}
    assert backend.stats()["passages"] == 1


def test_uncommitted_writes_are_dropped_on_error(backend):
    with pytest.raises(RuntimeError):
        with backend.writer() as writer:
            writer.add(make_article("kept", ["Committed walrus."]))
            writer.commit()
            writer.add(make_article("lost", ["Uncommitted walrus."]))
            raise RuntimeError("boom")
    assert ids(search(backend, q="walrus")) == ["kept"]


def test_rebuild_swaps_atomically_and_rolls_back(news):
    fresh = [make_article("r1", ["Rebuilt beacon text."]), make_article("r2", ["Another beacon."])]
    with news.rebuild() as writer:
        for article in fresh:
            writer.add(article)
        writer.commit()
        # Until the block ends, searches keep using the live index.
        assert search(news).total == 5 and ids(search(news, q="beacon")) == []
    assert sorted(ids(search(news))) == ["r1", "r2"]
    assert search(news).facets["person"] == []
    previous = news.rollback()
    assert isinstance(previous, str) and previous
    assert search(news).total == 5 and ids(search(news, q="beacon")) == []


def test_rebuild_keeps_one_copy_of_each_id_whatever_the_order(news):
    """A rebuild is written in the order ``iter_articles`` streams (Tantivy then skips the
    delete that replaces a stored copy); an id written again, out of order, after a commit
    or twice in a row, still replaces its earlier copy: the last write wins and no
    document is there twice."""
    writes = [("r2", "first"), ("r1", "first"), ("r3", "first"), ("r2", "second"), ("commit", ""),
              ("r3", "second"), ("r3", "third"), ("r1", "second"), ("r4", "first")]
    with news.rebuild() as writer:
        for doc_id, word in writes:
            if doc_id == "commit":
                writer.commit()
            else:
                writer.add(make_article(doc_id, [f"Beacon {word} copy.", "Second passage."]))
        writer.commit()
    articles = sorted(news.iter_articles(), key=lambda a: a.id)
    assert [a.id for a in articles] == ["r1", "r2", "r3", "r4"]
    assert [a.text.split()[1] for a in articles] == ["second", "second", "third", "first"]
    assert search(news).total == 4 and news.stats()["documents"] == 4
    assert news.stats()["passages"] == 8
    assert ids(search(news, q="first")) == ["r4"]


def test_failed_rebuild_leaves_live_index(news):
    with pytest.raises(RuntimeError):
        with news.rebuild() as writer:
            writer.add(make_article("r1", ["Half built."]))
            writer.commit()
            raise RuntimeError("reader crashed")
    assert search(news).total == 5 and ids(search(news, q="half")) == []


def _revised_n1(news):
    article = news.get("n1")
    article.entities = [e for e in article.entities if e.type != "person"]
    return article


@pytest.mark.parametrize("revise", ["engine", "default"])
def test_revise_changes_some_articles_and_switches_atomically(news, revise):
    """``revise`` (the engine's own, or the base class's rebuild-based default run on this
    engine) rewrites the given articles, keeps every other one, and can be rolled back."""
    before = {a.id: a for a in news.iter_articles()}
    session = news.revise() if revise == "engine" else Backend.revise(news)
    with session as writer:
        writer.add(_revised_n1(news))
        writer.commit()
        assert search(news, filters={"person": ["Ada Varga"]}).total == 3  # still the live index
    after = {a.id: a for a in news.iter_articles()}
    assert after["n1"].entities == _revised_n1(news).entities and after["n1"].text == before["n1"].text
    assert {i: a for i, a in after.items() if i != "n1"} == {i: a for i, a in before.items() if i != "n1"}
    assert search(news, filters={"person": ["Ada Varga"]}).total == 2
    news.rollback()
    assert {a.id: a for a in news.iter_articles()} == before


def test_failed_revise_leaves_live_index(news):
    with pytest.raises(RuntimeError):
        with news.revise() as writer:
            writer.add(_revised_n1(news))
            writer.commit()
            raise RuntimeError("curation crashed")
    assert search(news, filters={"person": ["Ada Varga"]}).total == 3


# -- entity pages and related entities -------------------------------------------------

def test_entity_page_counts_years_variants_co_mentions_and_passages(news):
    page = news.entity("person", "Ada Varga")
    assert page.documents == 3 == search(news, filters={"person": ["Ada Varga"]}).total
    assert page.published_years == [(2019, 1), (2020, 2)]
    assert page.mentioned_years == [(1989, 2), (2001, 1)]
    assert page.variants == [("Ada Varga", 7)]  # n1: 5 mentions, n2 and n5 one each
    assert page.documents_read == 3
    places = {a.value: a for a in page.co_mentions["place"]}
    # Each co-mention's documents = the search for both together.
    for value, association in places.items():
        both = search(news, filters={"person": ["Ada Varga"], "place": [value]})
        assert association.documents == both.total
    assert places["Lake Orrin"].documents == 2 and places["Lake Orrin"].score > places["Port Selm"].score
    assert [a.value for a in page.co_mentions["organisation"]][0] == "Greyfield Mills"
    assert "Ada Varga" not in [a.value for a in page.co_mentions["person"]]
    best = page.passages[0]
    assert (best.doc_id, best.index) == ("n1", 3)  # two mentions in one passage
    assert [best.text[s:e] for s, e in best.mentions] == ["Ada Varga", "Ada Varga"]
    assert {p.doc_id for p in page.passages} == {"n1", "n2", "n5"}


def test_entity_page_of_unknown_or_hostile_values_is_none(news):
    for etype, value in [("person", "Nobody Here"), ("thing", "Ada Varga"), ("person", ""),
                         ("person", "x" * 5000), ("person", 'Ada "Varga'), ("person", "Ada/Varga/../"),
                         ("place", "Zdeněk Hrubý"), ("person", "ada varga")]:
        assert news.entity(etype, value) is None, (etype, value)
    assert news.entity("person", "Zdeněk Hrubý").documents == 1


def test_entity_page_on_an_empty_backend_is_none(backend):
    assert backend.entity("person", "Ada Varga") is None
    assert backend.related(SearchRequest.build(q="harbour")) == {"person": [], "organisation": [], "place": []}


def test_related_entities_are_over_represented_in_the_results(news):
    result = news.related(SearchRequest.build(filters={"place": ["Lake Orrin"]}))
    # n1, n3, n5: Boris Kettle is in 2 of 3 results and 2 of 5 documents; Ada Varga 2 of 3 but 3 of 5.
    assert [(a.value, a.documents) for a in result["person"]] == [("Boris Kettle", 2), ("Ada Varga", 2)]
    assert result["person"][0].score > result["person"][1].score > 0
    assert [a.value for a in result["organisation"]] == ["Northwind Cooperative"]
    assert result["place"] == []  # the selected value is never suggested
    assert news.related(SearchRequest.build()) == {"person": [], "organisation": [], "place": []}
    # nothing is over-represented in a result set that is the whole collection
    everything = news.related(SearchRequest.build(excludes={"place": ["Nowhere"]}))
    assert everything == {"person": [], "organisation": [], "place": []}


# -- match modes, ranges, order, value pages (issue 11) -------------------------------------
def test_all_mode_keeps_documents_holding_every_selected_value(news):
    both = {"person": ["Ada Varga", "Boris Kettle"]}
    assert ids(search(news, filters=both, modes={"person": "all"})) == ["n1"]
    assert sorted(ids(search(news, filters=both))) == ["n1", "n2", "n3", "n5"]  # any: the union
    result = search(news, filters=both, modes={"person": "all"})
    # all mode: the facet's own selections narrow its counts (what adding a value would leave)
    assert counts(result.facets["person"]) == {"Ada Varga": 1, "Boris Kettle": 1}
    assert all(fv.selected for fv in result.facets["person"])
    one = search(news, filters={"person": ["Ada Varga"]}, modes={"person": "all"})
    assert counts(one.facets["person"]) == {"Ada Varga": 3, "Boris Kettle": 1, "Celia Moor": 1}
    years = search(news, filters={"mentioned_years": [1989, 2001]}, modes={"mentioned_years": "all"})
    assert ids(years) == ["n2"]


def test_year_ranges_and_the_undated_count(news):
    result = search(news, ranges={"published_year": (2020, None)})
    assert sorted(ids(result)) == ["n2", "n3", "n5"]
    # The range does not narrow its own facet (a time axis shows every year), but others.
    assert counts(result.facets["published_year"]) == {2019: 1, 2020: 2, 2021: 1}
    assert result.undated == 1
    assert counts(result.facets["place"]) == {"Lake Orrin": 2, "Port Selm": 1}
    assert sorted(ids(search(news, ranges={"published_year": (2019, 2020)}))) == ["n1", "n2", "n5"]
    assert sorted(ids(search(news, ranges={"mentioned_years": (2000, 2005)}))) == ["n2", "n4"]
    assert search(news, q="celia").undated == 1 and search(news, q="ferry").undated == 0
    assert search(news, filters={"person": ["Celia Moor"]}).undated == 1


def test_year_facets_come_in_year_order(news):
    facets = search(news, facet_size=1).facets
    assert [fv.value for fv in facets["published_year"]] == [2019, 2020, 2021]
    assert [fv.value for fv in facets["mentioned_years"]] == [1989, 2001]


def test_alphabetical_facet_order(news):
    facets = search(news, facet_order="alpha", facet_size=3).facets
    assert [fv.value for fv in facets["person"]] == ["Ada Varga", "Boris Kettle", "Celia Moor"]
    assert [fv.value for fv in news.facet_values("person", SearchRequest.build(facet_order="alpha"))] == [
        "Ada Varga", "Boris Kettle", "Celia Moor", "Zdeněk Hrubý"
    ]


def test_facet_value_search_ignores_co_occurring_names(news):
    request = SearchRequest.build()
    # Boris Kettle shares n1 with Ada Varga, Celia Moor shares n5 with her: neither comes along.
    assert [(fv.value, fv.count) for fv in news.facet_values("person", request, "bor")] == [("Boris Kettle", 2)]
    assert [fv.value for fv in news.facet_values("person", request, "moo")] == ["Celia Moor"]
    assert [fv.value for fv in news.facet_values("person", request, "zden")] == ["Zdeněk Hrubý"]
    assert [fv.value for fv in news.facet_values("place", request, "ORR")] == ["Lake Orrin"]


def test_facet_value_pages_reach_every_value(backend):
    names = [f"Member {i:03d}" for i in range(320)]
    with backend.writer() as writer:
        for n in range(40):
            people = names[n * 8:(n + 1) * 8] + names[:n % 5]  # a few names in many articles
            writer.add(make_article(f"club{n}", [f"Meeting {n} of the rowing club."], person=people))
    for order in ("count", "alpha"):
        request = SearchRequest.build(facet_order=order)
        seen = []
        for offset in range(0, 400, 100):
            seen += backend.facet_values("person", request, size=100, offset=offset)
        assert sorted(fv.value for fv in seen) == names, order
        if order == "alpha":
            assert [fv.value for fv in seen] == names
        else:
            assert [fv.count for fv in seen] == sorted((fv.count for fv in seen), reverse=True)
    assert len(backend.facet_values("person", SearchRequest.build(), "memb", size=100, offset=300)) == 20


def test_document_matches_are_every_matching_passage_in_text_order(news):
    """The document page's query marks: every passage of one document that matches
    the query text, in text order, with the matched words (stemmed) highlighted."""
    matches = news.document_matches("n1", "archive")
    assert [p.index for p in matches] == [0, 1]
    for passage in matches:
        assert [passage.text[s:e].lower() for s, e in passage.highlights] == ["archive"]
    varga = news.document_matches("n1", "varga -boxes")
    assert [p.index for p in varga] == [0, 1, 2, 3]  # passages are marked by the positive words
    assert news.document_matches("n1", "looms") == []  # another document's words
    assert news.document_matches("n1", "") == [] and news.document_matches("n1", "-varga") == []
    assert news.document_matches("no-such-id", "archive") == []
