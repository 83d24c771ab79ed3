"""Corpus-level type evidence: rule-backed types weigh more in the corpus vote and stand in their article."""
from __future__ import annotations

from indexer.analysis_store import decode_record, encode_record
from indexer.entities import EntityRegistry, resolve_articles
from indexer.entities.curation import Curation
from indexer.entities.evidence import SURE_WEIGHT, article_type, vote_weight
from indexer.entities.resolve import SureEntity, TentativeEntity, resolve_document
from search_service.models import Article, Entity

from entity_helpers import spans_of


def _article(id_: str, *entities: Entity) -> Article:
    return Article(id=id_, text="x" * 100, entities=list(entities))


def _facets(a: Article) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in a.entities}


def test_pure_weights():
    sure, plain = SureEntity("place", "Dravik", [(0, 1)]), Entity("organisation", "Dravik", [(0, 1)])
    assert vote_weight(sure) == SURE_WEIGHT and vote_weight(plain) == 1
    assert article_type(sure, "organisation") == "place" and article_type(plain, "place") == "place"


def test_a_context_cue_in_the_document_makes_a_sure_entity():
    text = "Farmers in the town of Dravik met. Dravik Holdings staff came; Osk said so."
    found = {e.name: type(e) for e in resolve_document(text, spans_of(
        text, ("Dravik", "ORG"), ("Dravik Holdings", "ORG"), ("Osk", "PERSON")))}
    assert found == {"Dravik": SureEntity, "Dravik Holdings": Entity, "Osk": Entity}


def test_rule_backed_type_outweighs_bare_labels_and_stands_in_its_article():
    # before: label-only votes (organisation x2) outvoted one article's cue ("the town of Dravik")
    arts = [_article("1", SureEntity("place", "Dravik", [(0, 1)])),
            _article("2", Entity("organisation", "Dravik", [(0, 1)])),
            _article("3", Entity("organisation", "Dravik", [(0, 1)]))]
    resolve_articles(arts, EntityRegistry(), Curation())
    assert [_facets(a) for a in arts] == [{("place", "Dravik")}] * 3
    # A team in a match report stays a team there; the label-only articles follow the majority.
    arts = [_article("1", SureEntity("organisation", "Velinia", [(0, 1)])),
            _article("2", SureEntity("place", "Velinia", [(0, 1)])),
            _article("3", SureEntity("place", "Velinia", [(0, 1)])),
            _article("4", Entity("organisation", "Velinia", [(0, 1)]))]
    resolve_articles(arts, EntityRegistry(), Curation())
    assert [_facets(a) for a in arts] == [{("organisation", "Velinia")}] + [{("place", "Velinia")}] * 3
    assert all(type(e) is Entity for a in arts for e in a.entities)  # no marker leaks into the index


def test_sure_and_tentative_marks_survive_the_analysis_store():
    entities = [SureEntity("place", "Dravik", [(0, 6)]), TentativeEntity("place", "Osk Pier", [(8, 16)]),
                Entity("person", "Ana Velk", [(20, 28)])]
    decoded, years = decode_record(encode_record(entities, [1999]))
    assert [type(e) for e in decoded] == [SureEntity, TentativeEntity, Entity] and years == [1999]
    assert [(e.type, e.name, e.mentions) for e in decoded] == [(e.type, e.name, e.mentions) for e in entities]
