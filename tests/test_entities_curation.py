"""Corpus-level merging, the entity registry and the curation file (each action and malformed files)."""
from __future__ import annotations

import json

import pytest

from indexer.entities import CurationError, EntityRegistry, load_curation, parse_curation, resolve_articles
from indexer.entities.curation import Curation
from indexer.entities.resolve import TentativeEntity
from search_service.models import Article, Entity


def article(id_: str, *entities: tuple[str, str, int]) -> Article:
    """An article whose entities are (type, name, mention count), with distinct mention spans."""
    ents, pos = [], 0
    for t, n, c in entities:
        ents.append(Entity(type=t, name=n, mentions=[(pos + 10 * i, pos + 10 * i + 5) for i in range(c)]))
        pos += 10 * c
    return Article(id=id_, text="x" * pos, entities=ents)


def facets(a: Article) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in a.entities}


# --- 4. corpus-level merging --------------------------------------------------------------------

def test_case_diacritic_and_transliteration_variants_share_one_value():
    arts = [article("1", ("person", "Jiří Dvorník", 2)), article("2", ("person", "Jiri Dvornik", 1)),
            article("3", ("person", "JIRI DVORNIK", 1))]
    resolve_articles(arts, EntityRegistry(), Curation())
    assert [facets(a) for a in arts] == [{("person", "Jiří Dvorník")}] * 3


def test_majority_type_across_the_corpus():
    # before: "Dravik" is an organisation in one article and a place in two
    arts = [article("1", ("organisation", "Dravik", 1)), article("2", ("place", "Dravik", 1)),
            article("3", ("place", "Dravik", 2))]
    resolve_articles(arts, EntityRegistry(), Curation())
    assert all(facets(a) == {("place", "Dravik")} for a in arts)


def test_merged_values_in_one_article_combine_mentions():
    a = article("1", ("person", "Jiri Dvornik", 1), ("person", "Jiří Dvorník", 2))
    resolve_articles([a], EntityRegistry(), Curation())
    assert len(a.entities) == 1 and a.entities[0].count == 3


def test_tentative_facility_is_kept_only_when_confirmed_elsewhere():
    confirmed = Article(id="1", text="", entities=[TentativeEntity(type="place", name="Port Velin", mentions=[(0, 1)])])
    other = article("2", ("place", "Port Velin", 1))
    lonely = Article(id="3", text="", entities=[TentativeEntity(type="place", name="Harbour Road", mentions=[(0, 1)])])
    resolve_articles([confirmed, other, lonely], EntityRegistry(), Curation())
    assert facets(confirmed) == {("place", "Port Velin")}
    assert facets(lonely) == set()
    assert type(confirmed.entities[0]) is Entity  # no tentative marker leaks into the index


# --- registry -----------------------------------------------------------------------------------

def test_registry_keeps_display_and_type_across_incremental_runs(tmp_path):
    first = EntityRegistry.for_data_dir(tmp_path)
    resolve_articles([article("1", ("person", "Jiří Dvorník", 3))], first, Curation())
    first.save()
    later = EntityRegistry.for_data_dir(tmp_path)  # a new run, a new batch with the ASCII spelling
    batch = [article("2", ("person", "Jiri Dvornik", 1))]
    resolve_articles(batch, later, Curation())
    assert facets(batch[0]) == {("person", "Jiří Dvorník")}


def test_registry_is_written_atomically_and_reset_clears_it(tmp_path):
    reg = EntityRegistry.for_data_dir(tmp_path)
    reg.add("velin", "Velin", "place")
    reg.save()
    data = json.loads((tmp_path / "entity_registry.json").read_text())
    assert data["entries"]["velin"]["types"] == {"place": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["entity_registry.json"]  # no temp file left
    reg.clear()
    assert not (tmp_path / "entity_registry.json").exists()
    assert EntityRegistry.for_data_dir(tmp_path).type_of("velin", "organisation") == "organisation"


def test_damaged_registry_is_ignored(tmp_path):
    (tmp_path / "entity_registry.json").write_text("{not json")
    assert EntityRegistry.for_data_dir(tmp_path).spellings == {}


# --- 5. curation file: each action ----------------------------------------------------------------

def curated(toml: str, *arts: Article) -> list[Article]:
    resolve_articles(list(arts), EntityRegistry(), parse_curation(toml))
    return list(arts)


def test_merge_joins_variants_no_rule_can_see():
    toml = '[[merge]]\ninto = "Jiří Dvorník"\nvalues = ["George Dvornik"]\n'
    a, b = curated(toml, article("1", ("person", "George Dvornik", 1)), article("2", ("person", "Jiří Dvorník", 1)))
    assert facets(a) == facets(b) == {("person", "Jiří Dvorník")}


def test_merge_with_type():
    toml = '[[merge]]\ninto = "Velin Harbour Authority"\nvalues = ["VHA"]\ntype = "organisation"\n'
    (a,) = curated(toml, article("1", ("place", "VHA", 1)))
    assert facets(a) == {("organisation", "Velin Harbour Authority")}


def test_rename_changes_the_display_name():
    toml = '[[rename]]\nfrom = "NRT"\nto = "Northern Rivers Trust"\n'
    (a,) = curated(toml, article("1", ("organisation", "NRT", 2)))
    assert facets(a) == {("organisation", "Northern Rivers Trust")}


def test_retype_forces_a_type_over_the_majority():
    toml = '[[retype]]\nvalue = "Harbour Point"\ntype = "place"\n'
    (a, b) = curated(toml, article("1", ("organisation", "Harbour Point", 3)),
                     article("2", ("organisation", "harbour point", 1)))
    assert facets(a) == {("place", "Harbour Point")} and facets(b) == {("place", "Harbour Point")}


def test_block_removes_values_everywhere_or_for_one_type():
    toml = '[[block]]\nvalues = ["Page", "Velin Wire"]\n\n[[block]]\nvalue = "Dravik"\ntype = "person"\n'
    (a,) = curated(toml, article("1", ("person", "Page", 1), ("organisation", "Velin Wire", 1),
                                 ("person", "Dravik", 1), ("place", "Osk", 1)))
    assert facets(a) == {("place", "Osk")}
    (b,) = curated(toml, article("2", ("place", "Dravik", 1)))
    assert facets(b) == {("place", "Dravik")}


def test_empty_path_means_no_curation():
    assert not load_curation("")


# --- 5. curation file: malformed files name the line ----------------------------------------------

@pytest.mark.parametrize("body, line", [
    ('[[merge]]\ninto = "A\nvalues = ["B"]\n', "line 2"),
    ('[[block]]\nvalues = ["A"]\n[[merge]]\ninto = "A"\nvalues = ["B"\n', "line 5"),
])
def test_syntax_error_names_the_line(tmp_path, body, line):
    path = tmp_path / "entities.toml"
    path.write_text(body)
    with pytest.raises(CurationError, match=rf"entities.toml: not valid TOML: .*{line}"):
        load_curation(path)


@pytest.mark.parametrize("body, message", [
    ('[[block]]\nvalues = ["A"]\n\n[[retype]]\nvalue = "Velin"\ntype = "city"\n',
     r"line 4: unknown type 'city' \(use person, organisation or place\)"),
    ('[[merge]]\ninto = "A"\nvalues = ["B"]\n\n[[merg]]\ninto = "C"\n', r"line 5: unknown action 'merg'"),
    ('[[rename]]\nfrom = "A"\n', r"line 1: \[\[rename\]\] needs 'to'"),
    ('[[merge]]\ninto = "A"\nvalues = ["B"]\n[[merge]]\ninto = "A"\nvalues = ["B"]\ncolour = 1\n',
     r"line 4: unknown key 'colour'"),
    ('[[merge]]\ninto = "A"\nvalues = ["B"]\n[[merge]]\ninto = "C"\nvalues = ["B"]\n',
     r"line 4: 'B' is already merged into 'A'"),
    ('[[block]]\nvalues = []\n', r"line 1: 'values' must be a non-empty list"),
    ('merge = "A"\n', r"line 1: write each merge as a \[\[merge\]\] table"),
])
def test_schema_errors_name_the_line(tmp_path, body, message):
    path = tmp_path / "entities.toml"
    path.write_text(body)
    with pytest.raises(CurationError, match=message):
        load_curation(path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CurationError, match="Cannot read entities file"):
        load_curation(tmp_path / "nope.toml")


def test_merged_entity_keeps_its_surface_forms_with_mention_counts():
    text = "Jiří Novák spoke. JIRI NOVAK left. Then Jiří Novák returned."
    doc = Article(id="v1", text=text, entities=[
        Entity("person", "Jiří Novák", [(0, 10), (40, 50)]),
        Entity("person", "JIRI NOVAK", [(18, 28)]),
    ])
    resolve_articles([doc], EntityRegistry(), Curation())
    [entity] = doc.entities
    assert entity.name == "Jiří Novák"
    assert entity.variants == {"Jiří Novák": 2, "JIRI NOVAK": 1}
