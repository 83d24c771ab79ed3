"""``entities review``: the checks on invented values, then the whole loop on invented texts
(real spaCy, real Tantivy): review → paste its tables → ``entities apply`` → export, without NER."""
from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import make_config
from indexer.entities import parse_curation
from indexer.entities.review import CorpusValues, format_suggestions, review
from search_service.backends import open_backend
from search_service.cli import main
from test_analysis_store import counting, real_nlp  # noqa: F401 - fixtures: NER counted through the real pipeline


def corpus(**values: list[int]) -> CorpusValues:
    """Values as ``type__Name_With_Underscores=[document numbers]``."""
    out = CorpusValues()
    for spec, docs in values.items():
        etype, name = spec.split("__")
        for doc in docs:
            out.add_document(doc, [(etype, name.replace("_", " "))])
    return out


def merges(suggestions) -> dict[str, list[str]]:
    return {s.values[0]: s.values[1:] for s in suggestions if s.kind == "merge"}


def test_names_written_two_ways_are_merged_into_the_most_used():
    values = CorpusValues()
    for doc, name in enumerate(["St Averley", "Saint Averley", "Saint Averley", "Port Averly", "Port Averley",
                                "Port Averley", "USA", "U.S.", "USA"]):
        values.add_document(doc, [("place", name)])
    found = merges(review(values))
    assert found == {"Saint Averley": ["St Averley"], "Port Averley": ["Port Averly"], "USA": ["U.S."]}


def test_an_organisation_split_into_several_values_is_one_merge():
    values = corpus(organisation__Kenyan_Fisheries_Board=[1, 2, 3], organisation__KFB=[1, 2],
                    organisation__Fisheries_Board_of_Kenya=[4], organisation__Fisheries_Board=[3])
    [suggestion] = [s for s in review(values) if s.kind == "merge"]
    assert suggestion.values == ["Kenyan Fisheries Board", "Fisheries Board", "Fisheries Board of Kenya", "KFB"]
    assert suggestion.documents == 4  # documents 1-4 would change
    assert any("acronym" in r for r in suggestion.reasons) and any("another order" in r for r in suggestion.reasons)
    assert any("inside the longer" in r for r in suggestion.reasons)
    cur = parse_curation(suggestion.curation)
    assert {cur.target(k)[1] for k in ("kfb", "fisheries board", "fisheries board of kenya")} == {
        "Kenyan Fisheries Board"}


def test_a_name_inside_a_longer_one_only_when_mostly_beside_it():
    values = corpus(organisation__Velmora=[1, 2, 3], organisation__Velmora_Rowing_Club=[1])
    assert merges(review(values)) == {}
    values = corpus(organisation__Velmora=[1, 2], organisation__Velmora_Rowing_Club=[1, 2, 5])
    assert merges(review(values)) == {"Velmora Rowing Club": ["Velmora"]}


def test_the_same_name_under_two_types_asks_which_is_right():
    values = CorpusValues()
    for doc, etype in enumerate(["place", "place", "person"]):
        values.add_raw("ostrava lenz", etype, "Ostrava Lenz")
    [suggestion] = review(values)
    assert (suggestion.kind, suggestion.type, suggestion.documents) == ("two types", "place", 3)
    assert "place in 2 documents and person in 1 document" in suggestion.reasons[0]
    assert parse_curation(suggestion.curation).types == {"ostrava lenz": "place"}


def test_lower_case_and_everyday_words_but_not_particles_or_compounds():
    values = corpus(organisation__Harbour_board_meeting=[1], organisation__Bank_of_Velmora=[2],
                    place__Stratford_upon_Avon=[3], place__Velmora_on_Sea=[3], person__Yesterday=[4],
                    person__Maren_Tollit=[5])
    values.add_document(6, [("place", "Oradell-sur-Vane")])
    odd = {s.values[0]: s.reasons[0] for s in review(values) if s.kind == "lower-case or everyday word"}
    assert odd == {"Harbour board meeting": "has the lower-case word 'board'",
                   "Stratford upon Avon": "has the lower-case word 'upon'",
                   "Yesterday": "'Yesterday' is an everyday English word"}


def test_a_country_typed_as_an_organisation_or_person():
    values = corpus(organisation__Portugal=[1, 2], person__Kenya=[3], place__Kenya=[4])
    found = {(s.type, s.values[0]): s for s in review(values) if s.kind == "gazetteer"}
    assert set(found) == {("organisation", "Portugal"), ("person", "Kenya")}
    assert "team" in found[("organisation", "Portugal")].reasons[0]
    assert parse_curation(found[("person", "Kenya")].curation).types == {"kenya": "place"}


def test_suggestions_are_ranked_by_documents_and_filtered_by_type():
    values = corpus(place__Port_Averly=[1], place__Port_Averley=[2, 3], person__Yesterday=[4, 5, 6, 7])
    ranked = review(values)
    assert [s.documents for s in ranked] == sorted((s.documents for s in ranked), reverse=True)
    assert ranked[0].values == ["Yesterday"]
    assert [s.type for s in review(values, only_type="place")] == ["place"]
    text = format_suggestions(ranked)
    assert text.startswith("1. person: Yesterday") and '[[merge]]\n   into = "Port Averley"' in text
    assert format_suggestions([]) == "No suspicious values found."


EMBASSY = """Trade envoy visits Oslo

The Norwegian Embassy in Lisbon hosted a trade fair on Monday with the Dunmore Trawler Association. \
Maren Tollit, the envoy, said exports to the USA had doubled since 2019.
"""
VISAS = """Visa rules change

The Embassy of Norway in Lisbon will issue visas online from 2025, said Osric Pellham, a consul. \
The Dunmore Trawlers Association welcomed the change. Travellers from the U.S. will need a new form.
"""


def test_review_paste_apply_changes_the_export_without_ner(tmp_path, counting):  # noqa: F811
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "embassy.txt").write_text(EMBASSY, encoding="utf-8")
    (folder / "visas.txt").write_text(VISAS, encoding="utf-8")
    config = make_config(tmp_path / "data")
    run = CliRunner()
    base = ["--data-dir", config.data_dir]
    assert run.invoke(main, [*base, "index", str(folder)], catch_exceptions=False).exit_code == 0
    ner_after_indexing = counting.texts
    assert ner_after_indexing == 2

    review_run = run.invoke(main, [*base, "entities", "review", "--json"], catch_exceptions=False)
    suggestions = json.loads(review_run.stdout)
    found = {s["values"][0]: s for s in suggestions if s["kind"] == "merge"}
    assert found["USA"]["values"] == ["USA", "U.S."] and found["USA"]["type"] == "place"
    assert found["Dunmore Trawlers Association"]["values"][1:] == ["Dunmore Trawler Association"]
    assert all(s["reasons"] and s["curation"] for s in suggestions)

    curation = tmp_path / "entities.toml"
    curation.write_text("\n".join(s["curation"] for s in found.values()), encoding="utf-8")
    applied = run.invoke(main, [*base, "entities", "apply", "--entities-file", str(curation)], catch_exceptions=False)
    assert applied.exit_code == 0, applied.output
    assert "+ place 'USA' in 1 document" in applied.output
    backend = open_backend(config)
    export = {a.source_label: a.export_record() for a in backend.iter_articles()}
    assert "USA" in export["visas.txt"]["place"] and "U.S." not in export["visas.txt"]["place"]
    assert "Dunmore Trawlers Association" in export["embassy.txt"]["organisation"]
    assert "Dunmore Trawler Association" not in export["embassy.txt"]["organisation"]
    assert counting.texts == ner_after_indexing  # review and apply ran no NER

    again = run.invoke(main, [*base, "entities", "review", "--json", "--entities-file", str(curation)],
                       catch_exceptions=False)
    assert not [s for s in json.loads(again.stdout) if s["kind"] == "merge" and s["values"][0] in found]
