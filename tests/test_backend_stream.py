"""``Backend.iter_hits`` — every matching document in search order, in batches —
on every engine through the backend interface (Elasticsearch when a cluster is
reachable, else that half skips). All names are invented.

Batches are made tiny here (2 documents per window, page or load) so every
scenario crosses batch boundaries: Tantivy's address windows and load batches,
Elasticsearch's ``search_after`` pages over a point in time.
"""
from __future__ import annotations

import datetime as dt

import pytest

from search_service.backends import es_query, tantivy_search
from search_service.search import SearchRequest
from tests.backend_fixtures import make_article
from tests.test_backend_contract import NEWS, backend, news  # noqa: F401  (shared fixtures)

try:
    from tests.es_fixtures import es_backend_factory  # noqa: F401
except ImportError:  # the contract's backend fixture then skips its Elasticsearch half
    pass


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(tantivy_search, "ADDRESS_WINDOW", 2)
    monkeypatch.setattr(tantivy_search, "LOAD_BATCH", 1)
    monkeypatch.setattr(es_query, "EXPORT_PAGE", 2)


def paged_ids(engine, **kwargs) -> tuple[int, list[str]]:
    """What a user paging through the search sees: total and ids, page by page."""
    found, page, total = [], 1, None
    while True:
        result = engine.search(SearchRequest.build(page=page, size=2, **kwargs))
        total = result.total
        if not result.hits:
            return total, found
        found += [h.id for h in result.hits]
        page += 1


def streamed(engine, limit=1000, **kwargs):
    stream = engine.iter_hits(SearchRequest.build(**kwargs), limit)
    try:
        return stream.total, list(stream)
    finally:
        stream.close()


SEARCHES = [
    {},
    {"q": "Ada Varga"},
    {"q": "harbour OR mill OR paintings"},
    {"filters": {"place": ["Lake Orrin", "Port Selm"]}},
    {"q": "-ferry", "excludes": {"person": ["Celia Moor"]}},
    {"filters": {"mentioned_years": [1989, 2001]}, "excludes": {"published_year": [2021]}},
]


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
@pytest.mark.parametrize("kwargs", SEARCHES)
def test_stream_lists_what_paging_lists_in_the_same_order(news, kwargs, sort):
    total, ids = paged_ids(news, sort=sort, **kwargs)
    stream_total, hits = streamed(news, sort=sort, **kwargs)
    assert stream_total == total == len(ids)
    assert [h.id for h in hits] == ids


def test_newest_first_puts_undated_documents_last(news):
    _, hits = streamed(news, sort="newest")
    assert [h.id for h in hits][0] == "n3" and hits[-1].id == "n4"
    dates = [h.published for h in hits if h.published]
    assert dates == sorted(dates, reverse=True) and hits[-1].published is None


def test_limit_cuts_the_stream_but_not_the_total(news):
    total, hits = streamed(news, limit=3, sort="oldest")
    assert total == 5 and [h.id for h in hits] == [h.id for h in streamed(news, sort="oldest")[1][:3]]
    total, hits = streamed(news, limit=0)
    assert total == 5 and hits == []


def test_hits_carry_every_name_years_and_the_best_passage(backend):
    people = [f"Person Number{n}" for n in range(8)]
    article = make_article(
        "crowd", [f"{p} came." for p in people] + ["The roof was damp."], title="Crowd",
        published=dt.date(2022, 2, 2), person=people, mentioned_years=[1999, 1970],
    )
    with backend.writer() as writer:
        writer.add(article)
        writer.add(NEWS[0])
    _, hits = streamed(backend, q="damp")
    by_id = {h.id: h for h in hits}
    assert set(by_id) == {"crowd", "n1"}
    assert sorted(by_id["crowd"].entities["person"]) == sorted(people)  # all 8, not the 5 shown on a page
    assert by_id["crowd"].mentioned_years == [1970, 1999]
    assert by_id["crowd"].passages[0].text == "The roof was damp."
    assert "damp" in by_id["n1"].passages[0].text
    # A search without text shows each document's first passage.
    _, everything = streamed(backend)
    assert {h.id: h.passages[0].index for h in everything} == {"crowd": 0, "n1": 0}


def test_empty_index_streams_nothing(backend):
    total, hits = streamed(backend, q="harbour")
    assert total == 0 and hits == []


def test_closing_early_is_allowed_and_idempotent(news):
    stream = news.iter_hits(SearchRequest.build(sort="newest"), 5)
    first = next(iter(stream))
    stream.close()
    stream.close()
    assert first.id == "n3"
    assert list(stream) == []


def test_batch_names_are_folded_phrases_on_every_engine(news):
    from search_service.search.batch import parse_batch, run_batch

    queries, _ = parse_batch("zdenek HRUBY\nVarga Ada\nAda Varga\nquery,place\n", 10)
    rows = {row.query.text: row for row in run_batch(news, queries, top=2)}
    assert rows["zdenek HRUBY"].total == 1 and rows["zdenek HRUBY"].top == [("n4", "Lighthouse paintings")]
    assert rows["Varga Ada"].total == 0  # a phrase: the words in this order
    assert rows["Ada Varga"].total == 3 and len(rows["Ada Varga"].top) == 2
    assert "Ada Varga" in rows["Ada Varga"].passage
    assert rows["query,place"].total == 0  # plain lines: a comma is just text
    words, _ = parse_batch("Varga Ada\n", 10, phrase=False)
    assert next(run_batch(news, words)).total == 3


def test_batch_csv_filter_columns_narrow_like_the_search(news):
    from search_service.search.batch import batch_request, parse_batch, run_batch

    queries, _ = parse_batch("query,place,not_person\nAda Varga,Lake Orrin;Port Selm,Celia Moor\n", 10)
    row = next(run_batch(news, queries, top=5))
    expected = news.search(batch_request(queries[0]))
    assert row.total == expected.total == 2
    assert [doc_id for doc_id, _ in row.top] == [h.id for h in expected.hits]
