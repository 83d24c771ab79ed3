"""The Enricher with the real spaCy pipeline on short invented articles (model loaded once per module)."""
from __future__ import annotations

import pytest

from indexer import enrich
from indexer.enrich import Enricher, EnrichmentError, load_ner_pipeline, nlp_for_benchmark, split_text
from indexer.entities import CurationError
from search_service.config import load_settings
from search_service.models import Article

ARTICLE = """Velin trust opens river centre

DRAVIK, March 3, 2021 (Osk Valley Wire) - The Northern Rivers Trust (NRT) opened a new river centre in Dravik on \
Saturday, twenty years after the charity was founded in 2001.

Mrs Irena Novak, who has chaired the NRT since 2015, said the centre would host 1200 school visits a year. \
"We waited a long time," Novak said.

H.E. Tomas Kral, the Estonian ambassador, cut the ribbon. The Estonian delegation later visited the Velin Rowing \
Association and the town of Osterholm.
"""


def _settings(values: dict):
    """Settings from ``values`` alone (the caller's environment ignored)."""
    return load_settings(values, environ={})


@pytest.fixture(scope="module")
def enricher(tmp_path_factory):
    e = Enricher(_settings({"NLP_PROCESSES": 1, "NLP_BATCH_SIZE": 4, "DATA_DIR": str(tmp_path_factory.mktemp("enrich"))}))
    e.nlp  # load once for the module
    return e


def by_type(entities) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in entities:
        out.setdefault(e.type, set()).add(e.name)
    return out


def test_only_ner_components_are_loaded(enricher):
    assert enricher.nlp.pipe_names == ["ner"]
    nlp, kwargs = nlp_for_benchmark(_settings({"NLP_PROCESSES": 3, "NLP_BATCH_SIZE": 16}))
    assert nlp.pipe_names == ["ner"] and kwargs == {"n_process": 3, "batch_size": 16}


def test_annotate_invented_article(enricher):
    [(key, entities, years)] = list(enricher.annotate([("a1", ARTICLE)]))
    assert key == "a1"
    got = by_type(entities)
    assert {"Irena Novak", "Tomas Kral"} <= got["person"]
    assert {"Northern Rivers Trust", "Velin Rowing Association", "Osk Valley Wire"} <= got["organisation"]
    assert {"Dravik", "Osterholm"} <= got["place"]
    assert "NRT" not in got["organisation"] and "Novak" not in got["person"]
    assert not any("Estonian" in n for names in got.values() for n in names)
    assert years == [2001, 2015]  # not the dateline's 2021, not "1200 school visits"
    for entity in entities:  # mention spans point at the text
        for start, end in entity.mentions:
            assert ARTICLE[start:end].strip() and start < end


def test_surname_mention_is_marked_on_the_full_name(enricher):
    [(_, entities, _)] = list(enricher.annotate([(1, ARTICLE)]))
    novak = next(e for e in entities if e.name == "Irena Novak")
    assert [ARTICLE[s:e] for s, e in novak.mentions] == ["Irena Novak", "Novak"]


def test_order_empty_and_whitespace_texts(enricher):
    items = [(i, ARTICLE if i % 3 == 0 else ("" if i % 3 == 1 else "   \n")) for i in range(10)]
    out = list(enricher.annotate(items))
    assert [k for k, _, _ in out] == list(range(10))
    assert all(ents == [] and years == [] for k, ents, years in out if k % 3)
    assert list(enricher.annotate([])) == []


def test_very_long_text_is_split_and_spans_are_offset(enricher, monkeypatch):
    import indexer.enrich as enrich_module

    monkeypatch.setattr(enrich_module, "MAX_PIECE_CHARS", 2000)
    long_text = "\n\n".join([ARTICLE] * 6)
    assert len(split_text(long_text, 2000)) > 1
    calls = []
    original = enrich_module.split_text
    monkeypatch.setattr(enrich_module, "split_text", lambda t, n: calls.append(n) or original(t, n))
    [(_, entities, years)] = list(enricher.annotate([("long", long_text)]))
    novak = next(e for e in entities if e.name == "Irena Novak")
    assert calls == [2000] and len(original(long_text, 2000)) > 1
    assert len(novak.mentions) == 12  # two per copy, in every piece
    assert all(long_text[s:e] in ("Irena Novak", "Novak") for s, e in novak.mentions)
    assert {2001, 2015} <= set(years) and 1200 not in years


def test_split_text_cuts_on_paragraphs_and_keeps_everything():
    text = ("word " * 50 + "\n\n") * 20
    pieces = split_text(text, 600)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 600 for _, p in pieces)
    assert all(text[o:o + len(p)] == p for o, p in pieces)


def test_several_processes_give_the_same_result(enricher):
    multi = Enricher(_settings({"NLP_PROCESSES": 2, "NLP_BATCH_SIZE": 2, "DATA_DIR": ""}))
    items = [(i, ARTICLE.replace("Dravik", f"Dravik{'a' * i}")) for i in range(5)]
    assert [(k, by_type(e), y) for k, e, y in multi.annotate(items)] == \
           [(k, by_type(e), y) for k, e, y in enricher.annotate(items)]


def test_a_long_text_shared_out_among_processes_gives_the_same_result(enricher, monkeypatch):
    # Pieces and threshold made small so a few copies of the article count as long; the
    # forked workers inherit the patched values.
    monkeypatch.setattr(enrich, "MAX_PIECE_CHARS", 600)
    monkeypatch.setattr(enrich, "SPREAD_TEXT_CHARS", 1500)
    long_text = "\n\n".join(ARTICLE.replace("Dravik", f"Dravik{'a' * i}") for i in range(6))
    items = [("short", ARTICLE), ("long", long_text), ("after", ARTICLE.replace("Dravik", "Dravikon"))]
    multi = Enricher(_settings({"NLP_PROCESSES": 2, "NLP_BATCH_SIZE": 2, "DATA_DIR": ""}))
    spread = [(k, by_type(e), y) for k, e, y in multi.annotate(items)]
    assert multi.spread_texts == 1
    assert spread == [(k, by_type(e), y) for k, e, y in enricher.annotate(items)]
    assert [k for k, _, _ in spread] == ["short", "long", "after"]


def test_missing_model_is_a_clear_error():
    with pytest.raises(EnrichmentError, match=r"spaCy model 'no_such_model_xx' is not installed.*pip install"):
        load_ner_pipeline("no_such_model_xx")
    lazy = Enricher(_settings({"SPACY_MODEL": "no_such_model_xx", "DATA_DIR": ""}))  # nothing loaded yet
    with pytest.raises(EnrichmentError):
        list(lazy.annotate([(1, "text")]))


def test_resolve_corpus_persists_registry_and_fresh_resets_it(enricher, tmp_path):
    config = _settings({"NLP_PROCESSES": 1, "DATA_DIR": str(tmp_path)})
    first = Enricher(config)
    first._nlp = enricher.nlp  # share the loaded model
    text = "Mr Jiří Dvorník conducted. Dvorník bowed."
    arts = [Article(id=str(k), text=text, entities=ents) for k, ents, _ in first.annotate([(1, text)])]
    first.resolve_corpus(arts)
    assert (tmp_path / "entity_registry.json").exists()

    later = Enricher(config)  # an incremental run sees only the ASCII spelling
    batch = [Article(id="2", text="", entities=[e for e in arts[0].entities])]
    batch[0].entities[0].name = "Jiri Dvornik"
    later.resolve_corpus(batch)
    assert batch[0].names("person") == ["Jiří Dvorník"]

    Enricher(config, fresh=True)
    assert not (tmp_path / "entity_registry.json").exists()


def test_curation_file_is_applied_and_a_bad_one_stops_early(enricher, tmp_path):
    good = tmp_path / "entities.toml"
    good.write_text('[[merge]]\ninto = "Velin Rowing Association"\nvalues = ["VRA"]\n\n'
                    '[[block]]\nvalues = ["Osk Valley Wire"]\n')
    e = Enricher(_settings({"NLP_PROCESSES": 1, "DATA_DIR": "", "ENTITIES_FILE": str(good)}))
    e._nlp = enricher.nlp
    text = ARTICLE + "\nThe VRA thanked everyone."
    arts = [Article(id=str(k), text=text, entities=ents) for k, ents, _ in e.annotate([(1, text)])]
    e.resolve_corpus(arts)
    assert "Osk Valley Wire" not in arts[0].names("organisation")
    assert "VRA" not in arts[0].names("organisation")

    bad = tmp_path / "bad.toml"
    bad.write_text('[[retype]]\nvalue = "Osterholm"\ntype = "town"\n')
    with pytest.raises(CurationError, match=r"bad.toml line 1: unknown type 'town'"):
        Enricher(_settings({"DATA_DIR": "", "ENTITIES_FILE": str(bad)}))
