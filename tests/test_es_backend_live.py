"""Elasticsearch-specific behaviour on a real cluster: analysis, the alias over
versioned indices, rollback, generation clean-up, settings during and after a
rebuild, facet value search, highlight escaping and the 8.x client's
compatibility header. Skipped with a one-line reason when no cluster is
reachable (see tests/es_fixtures.py). Names are invented.
"""
from __future__ import annotations

import pytest

from search_service.backends import BackendError
from search_service.backends import es_index
from search_service.search import SearchRequest
from tests.backend_fixtures import make_article
from tests.es_fixtures import es_backend_factory  # noqa: F401

pytestmark = pytest.mark.elasticsearch


def articles(n: int, word: str) -> list:
    return [make_article(f"{word}{i}", [f"The {word} number {i} was seen."], title=word.title()) for i in range(n)]


def index_names(backend) -> list[str]:
    return [g.name for g in es_index.generations(backend.alias, backend.client.indices.get(index=f"{backend.alias}-*").body)]


def live_name(backend) -> str:
    return next(iter(backend.client.indices.get_alias(name=backend.alias).body))


def analyze(backend, analyzer: str, text: str) -> list[str]:
    body = backend.client.indices.analyze(index=backend.alias, analyzer=analyzer, text=text).body
    return [t["token"] for t in body["tokens"]]


def test_compatibility_header_is_accepted(es_backend_factory):
    backend = es_backend_factory()
    response = backend.client.info()
    # The server answers in the v8-compatible media type the 8.x client asked for.
    assert "compatible-with=8" in response.meta.headers.get("content-type", "")
    assert int(response["version"]["number"].split(".")[0]) in (8, 9)


def test_analysis_folds_stems_and_splits_words(es_backend_factory):
    backend = es_backend_factory()
    with backend.writer():
        pass  # creates generation 1 behind the alias
    assert analyze(backend, "english_words", "Jiří's Reports") == ["jiri", "s", "report"]
    assert analyze(backend, "folded", "Jiří's Reports") == ["jiri", "s", "reports"]
    body = backend.client.indices.analyze(index=backend.alias, normalizer="folded", text="Zdeněk HRUBÝ").body
    assert [t["token"] for t in body["tokens"]] == ["zdenek hruby"]


def test_first_write_creates_generation_one_behind_the_alias(es_backend_factory):
    backend = es_backend_factory()
    assert index_names(backend) == []
    with backend.writer() as writer:
        writer.add(articles(1, "otter")[0])
    assert index_names(backend) == [f"{backend.alias}-000001"]
    assert live_name(backend) == f"{backend.alias}-000001"
    assert backend.stats()["generation"] == f"{backend.alias}-000001"


def test_rebuild_swaps_alias_restores_settings_and_keeps_generations(es_backend_factory):
    backend = es_backend_factory(KEEP_GENERATIONS=2)
    with backend.writer() as writer:
        for a in articles(2, "otter"):
            writer.add(a)
    for round_ in range(3):
        with backend.rebuild() as writer:
            building = index_names(backend)[-1]
            settings = backend.client.indices.get_settings(index=building).body[building]["settings"]["index"]
            assert settings["refresh_interval"] == "-1" and settings["number_of_replicas"] == "0"
            for a in articles(round_ + 1, "beaver"):
                writer.add(a)
        assert search_total(backend) == round_ + 1
    names = index_names(backend)
    # Live generation 4 plus one earlier complete one; older ones were deleted.
    assert names == [f"{backend.alias}-000003", f"{backend.alias}-000004"]
    assert live_name(backend) == names[-1]
    settings = backend.client.indices.get_settings(index=names[-1]).body[names[-1]]["settings"]["index"]
    assert settings["refresh_interval"] == "1s" and settings["auto_expand_replicas"] == "0-1"
    meta = backend.client.indices.get_mapping(index=names[-1]).body[names[-1]]["mappings"]["_meta"]
    assert meta["complete"] is True and meta["generation"] == 4


def search_total(backend, **kwargs) -> int:
    return backend.search(SearchRequest.build(**kwargs)).total


def test_rollback_and_cleanup_of_the_abandoned_generation(es_backend_factory):
    backend = es_backend_factory(KEEP_GENERATIONS=3)
    with backend.writer() as writer:
        for a in articles(3, "otter"):
            writer.add(a)
    with backend.rebuild() as writer:
        writer.add(articles(1, "beaver")[0])
    assert search_total(backend) == 1
    assert backend.rollback() == f"{backend.alias}-000001"
    assert search_total(backend) == 3 and live_name(backend) == f"{backend.alias}-000001"
    with pytest.raises(BackendError, match="no earlier complete index generation"):
        backend.rollback()
    # The generation rolled back from is never a rollback target again and goes at the next rebuild.
    with backend.rebuild() as writer:
        writer.add(articles(1, "heron")[0])
    assert f"{backend.alias}-000002" not in index_names(backend)
    assert backend.rollback() == f"{backend.alias}-000001"


def test_failed_rebuild_deletes_its_index(es_backend_factory):
    backend = es_backend_factory()
    with backend.writer() as writer:
        writer.add(articles(1, "otter")[0])
    with pytest.raises(RuntimeError):
        with backend.rebuild() as writer:
            writer.add(articles(1, "beaver")[0])
            raise RuntimeError("reader crashed")
    assert index_names(backend) == [f"{backend.alias}-000001"]


def test_killed_build_is_never_a_rollback_target(es_backend_factory):
    backend = es_backend_factory()
    with backend.writer() as writer:
        writer.add(articles(1, "otter")[0])
    # A build that never finished (process killed): generation 2, incomplete.
    backend._create(2, building=True, shards=1)
    with backend.rebuild() as writer:  # becomes generation 3
        writer.add(articles(1, "beaver")[0])
    assert live_name(backend) == f"{backend.alias}-000003"
    assert f"{backend.alias}-000002" not in index_names(backend)  # stale leftover removed
    assert backend.rollback() == f"{backend.alias}-000001"


def test_facet_value_search_is_case_and_accent_insensitive(es_backend_factory):
    backend = es_backend_factory()
    with backend.writer() as writer:
        writer.add(make_article("a", ["Jiří Novák met Nora Vale."], person=["Jiří Novák", "Nora Vale"]))
        writer.add(make_article("b", ["Jiri Novak wrote."], person=["Jiri Novak"], mentioned_years=[1989, 2001]))
        writer.add(make_article("c", ["Ivanova spoke."], person=["Ivanova"], mentioned_years=[1989]))
    request = SearchRequest.build()
    found = {v.value: v.count for v in backend.facet_values("person", request, prefix="NOV")}
    assert found == {"Jiří Novák": 1, "Jiri Novak": 1}  # not "Ivanova": no word starts with "nov"
    assert [v.value for v in backend.facet_values("person", request, prefix="jiří n")] == ["Jiri Novak", "Jiří Novák"]
    years = backend.facet_values("mentioned_years", request, prefix="19")
    assert [(v.value, v.count) for v in years] == [(1989, 2)]
    assert backend.facet_values("mentioned_years", request, prefix="x") == []


def test_html_in_passages_comes_back_as_text_with_offsets(es_backend_factory):
    backend = es_backend_factory()
    text = 'Tom & Jerry said "<b>otter</b>" isn\'t a/b.'
    with backend.writer() as writer:
        writer.add(make_article("h", [text]))
    (hit,) = backend.search(SearchRequest.build(q="otter")).hits
    (passage,) = hit.passages
    assert passage.text == text
    assert [passage.text[s:e] for s, e in passage.highlights] == ["otter"]
