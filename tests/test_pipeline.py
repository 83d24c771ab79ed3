"""The indexing pipeline end to end: real files, real spaCy, real Tantivy on disk."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import SAMPLE_CORPUS, make_config
from indexer.locking import index_lock
from indexer.pipeline import index_paths, reindex
from search_service.backends import IndexBusy, open_backend
from search_service.search import SearchRequest

HARBOUR = """Harbour Council Approves Flood Wall
date 2021-05-14

The Marlow Harbour Council voted on Tuesday to build a flood wall along the east quay.
Councillor Tessa Vannier said the wall, first proposed in 2009, would protect some 1200 homes.
Vannier added that the Oakridge Engineering Group would start work in 2022.
"""

LIBRARY = """Library Reopens After Repairs
date 2020-09-02

The Dunmore Public Library reopened its reading rooms after a year of repairs.
Head librarian Osric Pellham thanked the Dunmore Civic Society for raising funds since 2018.
"""


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (folder / "sub" / "library.txt").write_text(LIBRARY, encoding="utf-8")
    return folder


def _search(config, q="", **filters):
    backend = open_backend(config)
    try:
        return backend.search(SearchRequest.build(q=q, filters=filters))
    finally:
        backend.close()


def test_sample_corpus_indexes_every_article(sample_index, sample_gold):
    config, summary = sample_index
    assert summary.failed == []
    assert summary.skipped == []
    assert summary.indexed == len(sample_gold)
    stats = open_backend(config).stats()
    assert stats["documents"] == len(sample_gold)
    assert stats["passages"] >= len(sample_gold)


def test_sample_corpus_has_entity_facets(sample_index):
    config, _ = sample_index
    result = _search(config)
    for facet in ("person", "organisation", "place", "published_year", "mentioned_years"):
        assert result.facets[facet], f"no values for {facet}"
    top_person = result.facets["person"][0]
    narrowed = _search(config, person=[top_person.value])
    assert narrowed.total == top_person.count


def test_incremental_index_skips_replaces_and_prunes(corpus, config):
    backend = open_backend(config)
    first = index_paths([corpus], backend, config)
    assert (first.indexed, first.unchanged) == (2, 0)

    again = index_paths([corpus], backend, config)
    assert (again.indexed, again.unchanged) == (0, 2)

    (corpus / "harbour.txt").write_text(HARBOUR.replace("flood wall", "sea barrier"), encoding="utf-8")
    changed = index_paths([corpus], backend, config)
    assert (changed.indexed, changed.unchanged) == (1, 1)
    assert backend.stats()["documents"] == 2
    assert _search(config, '"sea barrier"').total == 1
    assert _search(config, '"east quay"').total == 1
    assert _search(config, '"flood wall"').total == 0 or _search(config, '"flood wall"').hits[0].title.startswith("Harbour")

    (corpus / "sub" / "library.txt").unlink()
    kept = index_paths([corpus], backend, config)
    assert kept.pruned == 0 and backend.stats()["documents"] == 2
    pruned = index_paths([corpus], backend, config, prune=True)
    assert pruned.pruned == 1
    assert backend.stats()["documents"] == 1
    assert _search(config, "librarian").total == 0


def test_entities_years_and_dates_reach_the_index(corpus, config):
    backend = open_backend(config)
    index_paths([corpus], backend, config)
    result = _search(config, "flood")
    assert result.total == 1
    hit = result.hits[0]
    assert hit.published.isoformat() == "2021-05-14"
    article = backend.get(hit.id)
    assert "Tessa Vannier" in article.names("person")
    assert {2009, 2022} <= set(article.mentioned_years)
    assert 1200 not in article.mentioned_years
    assert any(p.highlights for p in hit.passages)


def test_bad_files_are_reported_and_good_ones_indexed(corpus, config):
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04")
    (corpus / "feed.jsonl").write_text(
        json.dumps({"id": "a1", "title": "Quay Market Opens", "text": "The quay market opened in Marlow."}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "a2", "text": "Ferry timetables changed for the winter."}) + "\n",
        encoding="utf-8",
    )
    summary = index_paths([corpus], open_backend(config), config)
    reasons = {source.split("/")[-1]: reason for source, reason in summary.skipped + summary.warnings}
    assert {"binary.txt", "empty.txt", "notes.docx"} <= set(reasons)
    assert any("line 2" in reason for source, reason in summary.warnings + summary.skipped if "feed.jsonl" in source)
    assert summary.indexed == 4  # two .txt files and two good JSON Lines records
    assert summary.failed == []
    assert "skipped" in summary.format()


def test_same_text_twice_is_indexed_once(corpus, config):
    shutil.copy(corpus / "harbour.txt", corpus / "harbour copy.txt")
    summary = index_paths([corpus], open_backend(config), config)
    assert summary.indexed == 2
    assert any("same text as" in reason for _, reason in summary.skipped)


def test_a_second_indexer_is_refused_while_one_runs(corpus, config):
    with index_lock(config.data_dir):
        with pytest.raises(IndexBusy, match="another indexing process"):
            index_paths([corpus], open_backend(config), config)


def test_reindex_rebuilds_into_a_new_generation(corpus, config):
    backend = open_backend(config)
    index_paths([corpus], backend, config)
    before = backend.stats()
    articles = list(backend.iter_articles())
    summary = reindex(backend, config)
    after = backend.stats()
    assert summary.indexed == 2
    # The same documents, each once: text, passages, entities and years as indexing left them.
    assert list(backend.iter_articles()) == articles
    assert after["passages"] == before["passages"]
    assert after["documents"] == before["documents"] == 2
    assert after["generation"] != before["generation"]
    assert _search(config, "librarian").total == 1
    assert backend.rollback() == before["generation"]
    assert backend.stats()["generation"] == before["generation"]


def test_a_failed_reindex_leaves_the_live_index_untouched(corpus, tmp_path):
    config = make_config(tmp_path / "data")
    backend = open_backend(config)
    index_paths([corpus], backend, config)
    before = backend.stats()
    broken = tmp_path / "entities.toml"
    broken.write_text("[[rename]\nfrom = 'x'\n", encoding="utf-8")
    with pytest.raises(Exception) as info:
        reindex(backend, make_config(tmp_path / "data", ENTITIES_FILE=str(broken)))
    assert "line" in str(info.value)
    assert backend.stats()["generation"] == before["generation"]
    assert _search(config, "librarian").total == 1


def test_writes_refused_by_the_engine_are_reported_as_failed():
    """An engine that refuses single writes (Elasticsearch does, per bulk item) reports
    them through Writer.refused(); the run summary counts them as failed."""
    from indexer.pipeline import RunSummary, _report_refused
    from search_service.backends import Writer

    class RefusingWriter(Writer):  # the reporting path only; no engine behaviour is claimed
        def add(self, article): ...
        def delete_source(self, source): ...
        def commit(self): ...
        def refused(self):
            return [("doc-7", "mapper_parsing_exception")]

    summary = RunSummary(indexed=3)
    _report_refused(RefusingWriter(), summary)
    assert summary.indexed == 2
    assert summary.failed == [("doc-7", "refused by the search engine: mapper_parsing_exception")]
    assert "1 failed" in summary.format()


def test_a_renamed_file_is_indexed_under_its_new_name_with_prune(corpus, config):
    backend = open_backend(config)
    index_paths([corpus], backend, config)
    (corpus / "harbour.txt").rename(corpus / "harbour renamed.txt")
    summary = index_paths([corpus], backend, config, prune=True)
    assert summary.indexed == 1 and summary.pruned == 1
    assert not any("same text as" in reason for _, reason in summary.skipped)
    hits = _search(config, '"east quay"').hits
    assert [h.source.rsplit("/", 1)[-1] for h in hits] == ["harbour renamed.txt"]


def test_a_copy_added_in_a_later_run_is_reported_not_indexed(corpus, config):
    backend = open_backend(config)
    index_paths([corpus], backend, config)
    shutil.copy(corpus / "harbour.txt", corpus / "harbour copy.txt")
    summary = index_paths([corpus], backend, config)
    assert summary.indexed == 0
    assert [(s.rsplit("/", 1)[-1], r.rsplit("/", 1)[-1]) for s, r in summary.skipped] == [
        ("harbour copy.txt", "harbour.txt")
    ]
    assert backend.stats()["documents"] == 2


def test_a_large_text_gets_a_note_with_an_estimate(corpus, config, monkeypatch, capsys):
    # The progress bar counts files, so one huge text would hold it still for minutes
    # without a word; the threshold is lowered so a short text counts as large here.
    import indexer.pipeline as pipeline

    monkeypatch.setattr(pipeline, "LARGE_TEXT_CHARS", len(LIBRARY))
    summary = index_paths([corpus], open_backend(config), config)
    assert summary.indexed == 2
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "harbour.txt is a large text" in notes[0]
    assert notes[0].endswith("finding its entities takes about a minute")


def test_a_folder_indexed_through_a_symlink_is_unchanged_the_second_time(corpus, config, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(corpus, target_is_directory=True)
    backend = open_backend(config)
    first = index_paths([link], backend, config)
    assert (first.indexed, first.unchanged) == (2, 0)
    again = index_paths([link], backend, config)
    assert (again.indexed, again.unchanged) == (0, 2)
    # The same files named without the link are the same sources, also unchanged.
    direct = index_paths([corpus], backend, config)
    assert (direct.indexed, direct.unchanged) == (0, 2)
    assert backend.stats()["documents"] == 2


def test_articles_carry_a_label_relative_to_the_indexed_folder(corpus, config):
    (corpus / "feed.jsonl").write_text(
        json.dumps({"id": "q1", "title": "Quay Market Opens", "text": "The quay market opened in Marlow."}) + "\n",
        encoding="utf-8",
    )
    backend = open_backend(config)
    index_paths([corpus, corpus / "sub" / "library.txt"], backend, config)
    labels = {a.source_label for a in backend.iter_articles()}
    assert labels == {"harbour.txt", "sub/library.txt", "feed.jsonl#q1"}
    assert all(a.source.startswith(str(corpus.resolve())) for a in backend.iter_articles())
