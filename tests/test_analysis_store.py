"""NER once per content: the analysis store, and runs that take entities from it.

NER calls are counted through a wrapper around the real spaCy pipeline (every text
still goes through the real model); indexes are real Tantivy indexes on disk.
"""
from __future__ import annotations

import json

import pytest

from conftest import make_config
from indexer import enrich
from indexer.analysis_store import AnalysisStore, content_key, model_id
from indexer.enrich import Enricher
from indexer.pipeline import index_paths, reindex
from search_service.backends import open_backend
from search_service.models import Entity
from search_service.search import SearchRequest
from test_pipeline import HARBOUR, LIBRARY

class CountingNlp:
    """The real spaCy pipeline, counting the texts (or text pieces) handed to ``pipe``."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.texts = 0

    def pipe(self, items, **kwargs):
        def counted():
            for item in items:
                self.texts += 1
                yield item
        return self.nlp.pipe(counted(), **kwargs)

    def __getattr__(self, name):
        return getattr(self.nlp, name)


@pytest.fixture(scope="module")
def real_nlp():
    return enrich.load_ner_pipeline(enrich.DEFAULT_MODEL)


@pytest.fixture
def counting(monkeypatch, real_nlp):
    """Every Enricher created in the test gets the counting wrapper around the one real pipeline."""
    wrapper = CountingNlp(real_nlp)
    monkeypatch.setattr(enrich, "load_ner_pipeline", lambda model=enrich.DEFAULT_MODEL: wrapper)
    return wrapper


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (folder / "library.txt").write_text(LIBRARY, encoding="utf-8")
    return folder


def _names(config, facet: str) -> set[str]:
    backend = open_backend(config)
    try:
        return {v.value for v in backend.search(SearchRequest.build(q="")).facets[facet]}
    finally:
        backend.close()


def test_reindex_after_a_curation_edit_runs_no_ner(corpus, tmp_path, counting):
    config = make_config(tmp_path / "data")
    backend = open_backend(config)
    first = index_paths([corpus], backend, config)
    assert counting.texts == 2 and first.ner_texts == 2  # the wrapper sees real NER work
    assert "Oakridge Engineering Group" in _names(config, "organisation")

    curation = tmp_path / "entities.toml"
    curation.write_text('[[rename]]\nfrom = "Oakridge Engineering Group"\nto = "Oakridge Group"\n', encoding="utf-8")
    summary = reindex(backend, make_config(tmp_path / "data", ENTITIES_FILE=str(curation)))
    assert counting.texts == 2 and summary.ner_texts == 0
    assert summary.indexed == 2
    organisations = _names(config, "organisation")
    assert "Oakridge Group" in organisations and "Oakridge Engineering Group" not in organisations
    assert "Tessa Vannier" in _names(config, "person")


def test_a_changed_text_runs_ner_for_that_text_only(corpus, tmp_path, counting):
    config = make_config(tmp_path / "data")
    backend = open_backend(config)
    index_paths([corpus], backend, config)
    (corpus / "library.txt").write_text(LIBRARY.replace("Osric Pellham", "Maren Tollit"), encoding="utf-8")
    summary = index_paths([corpus], backend, config)
    assert (summary.indexed, summary.ner_texts, counting.texts) == (1, 1, 3)
    assert reindex(backend, config).ner_texts == 0
    assert counting.texts == 3
    assert "Maren Tollit" in _names(config, "person") and "Osric Pellham" not in _names(config, "person")


def test_an_edited_rule_reruns_the_rules_from_stored_ner_output(tmp_path, counting):
    enricher = Enricher(make_config(tmp_path))
    [(_, before, years)] = list(enricher.annotate([("a", HARBOUR)]))
    assert counting.texts == 1
    # A new rules version (what editing a rule module gives) has no record yet: the rules
    # run again on the stored NER spans, and NER does not.
    enricher.record_version = enricher.model_id + "|edited-rules"
    [(_, again, years_again)] = list(enricher.annotate([("a", HARBOUR)]))
    assert counting.texts == 1
    assert {(e.type, e.name) for e in again} == {(e.type, e.name) for e in before}
    assert years_again == years
    assert enricher.store.record(enricher.record_version, content_key(HARBOUR)) is not None


def test_ner_output_is_keyed_by_model_name_and_version(tmp_path):
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "meta.json").write_text(json.dumps({"lang": "en", "name": "tiny", "version": "1.2.0"}))
    assert model_id(str(model_dir)) == "en_tiny==1.2.0"
    assert model_id(enrich.DEFAULT_MODEL).startswith(enrich.DEFAULT_MODEL + "==3.")
    store = AnalysisStore(tmp_path / "analysis.sqlite")
    store.put_spans("en_tiny==1.2.0", content_key("text"), [(0, 4, "ORG")])
    store.commit()
    reopened = AnalysisStore(tmp_path / "analysis.sqlite")
    assert reopened.spans("en_tiny==1.2.0", content_key("text")) == [(0, 4, "ORG")]
    assert reopened.spans("en_tiny==1.3.0", content_key("text")) is None  # a new model version misses
    assert reopened.spans("en_tiny==1.2.0", content_key("text ")) is None  # so does a changed text


def test_records_round_trip_tentative_entities(tmp_path):
    from indexer.entities.resolve import TentativeEntity

    store = AnalysisStore(None)
    entities = [Entity("person", "Tessa Vannier", [(0, 13), (40, 47)]), TentativeEntity("place", "East Quay", [(60, 69)])]
    store.put_record("v1", "c1", entities, [2009, 2022])
    got, years = store.record("v1", "c1")
    assert [(type(e), e.type, e.name, e.mentions) for e in got] == [(type(e), e.type, e.name, e.mentions) for e in entities]
    assert years == [2009, 2022]
    assert store.record("v2", "c1") is None


def _export(config) -> dict[str, dict]:
    backend = open_backend(config)
    try:
        return {a.source_label: a.export_record() for a in backend.iter_articles()}
    finally:
        backend.close()


def test_entities_apply_rewrites_only_changed_articles_without_ner(corpus, tmp_path, counting):
    from click.testing import CliRunner

    from search_service.cli import main

    config = make_config(tmp_path / "data")
    backend = open_backend(config)
    index_paths([corpus], backend, config)
    ner_before, export_before = counting.texts, _export(config)
    generation = backend.stats()["generation"]

    curation = tmp_path / "entities.toml"
    curation.write_text('[[merge]]\ninto = "Oakridge Group"\nvalues = ["Oakridge Engineering Group"]\n\n'
                        '[[block]]\nvalues = ["Dunmore Civic Society"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--data-dir", config.data_dir, "entities", "apply",
                                       "--entities-file", str(curation)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert counting.texts == ner_before  # no NER: every value came from the analysis store
    assert "2 documents: 2 changed" in result.output
    assert "+ organisation 'Oakridge Group' in 1 document" in result.output
    assert "- organisation 'Dunmore Civic Society' in 1 document" in result.output

    export = _export(config)
    assert export["harbour.txt"]["organisation"] == [
        "Oakridge Group" if name == "Oakridge Engineering Group" else name
        for name in export_before["harbour.txt"]["organisation"]]
    assert "Dunmore Civic Society" not in export["library.txt"]["organisation"]
    assert export["harbour.txt"]["person"] == export_before["harbour.txt"]["person"]
    assert backend.stats()["generation"] != generation  # a new generation, switched to at once

    again = CliRunner().invoke(main, ["--data-dir", config.data_dir, "entities", "apply", "--json",
                                      "--entities-file", str(curation)], catch_exceptions=False)
    assert json.loads(again.stdout)["changed"] == 0  # nothing left to change
    assert counting.texts == ner_before

    backend.rollback()  # the revision is a generation like a rebuild's: it rolls back
    assert "Oakridge Engineering Group" in _export(config)["harbour.txt"]["organisation"]


def test_entities_apply_asks_for_a_reindex_when_the_store_does_not_list_the_index(corpus, tmp_path, counting):
    from indexer.analysis_store import STORE_NAME
    from indexer.curate import apply_curation
    from search_service.backends import BackendError

    config = make_config(tmp_path / "data")
    backend = open_backend(config)
    index_paths([corpus], backend, config)
    (tmp_path / "data" / STORE_NAME).unlink()  # as for an index built before the store existed
    with pytest.raises(BackendError, match="run 'search-service reindex' once"):
        apply_curation(backend, config)
