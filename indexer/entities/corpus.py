"""Corpus-level pass: one facet value per real-world entity across all articles.

For a batch of articles (each with per-document entities already resolved):

1. curation merges/renames map a value to its curated name; blocked values go;
2. every value is filed under its fold key ("Jiří" = "Jiri" = "JIRI"), and the
   registry records its spelling and type vote;
3. each value takes the corpus-majority type (a city tagged as an organisation in
   one article and a place in three is a place) and the most frequent spelling,
   unless the curation file forces a type or name; a type a rule backs in its
   article counts more and stands there (:mod:`.evidence`);
4. entities of one article that now share type and name are merged, and each
   keeps its surface forms with their mention counts (``Entity.variants``).
"""
from __future__ import annotations

from search_service.models import Article, Entity, surface_forms

from .curation import Curation
from .evidence import article_type, vote_weight
from .normalise import fold
from .registry import EntityRegistry
from .resolve import TentativeEntity


def _curated(entity: Entity, curation: Curation) -> tuple[str, str | None] | None:
    """(key, forced display) for an entity after curation, or None if it is blocked."""
    key = fold(entity.name)
    if not key or curation.is_blocked(key, entity.type):
        return None
    target, display = curation.target(key)
    if target != key and curation.is_blocked(target, entity.type):
        return None
    return target, display


def curated_key(entity: Entity, curation: Curation) -> str | None:
    """The merge key ``entity`` is filed under after curation, or None if it is blocked."""
    curated = _curated(entity, curation)
    return None if curated is None else curated[0]


def vote(entities: list[Entity], registry: EntityRegistry, curation: Curation) -> None:
    """Record one document's (curated) values in the registry: spellings and type votes."""
    for entity in entities:
        curated = _curated(entity, curation)
        if curated is not None and not isinstance(entity, TentativeEntity):  # a facility-only name does not vote
            key, display = curated
            registry.add(key, display or entity.name, entity.type, mentions=entity.count, weight=vote_weight(entity))


def resolve_entities(entities: list[Entity], registry: EntityRegistry, curation: Curation) -> list[Entity]:
    """One document's facet values after curation, corpus-majority types and display names.

    Needs no text, so ``entities apply`` can compare values from compact records;
    :func:`add_variants` then fills the surface forms from the text.
    """
    merged: dict[tuple[str, str], Entity] = {}
    for entity in entities:
        curated = _curated(entity, curation)
        if curated is None:
            continue
        key, display = curated
        forced_type = curation.types.get(key) or curation.types.get(fold(entity.name))
        if isinstance(entity, TentativeEntity) and not forced_type and not registry.types.get(key):
            continue  # only ever seen as a facility: not confirmed as a place or organisation
        etype = forced_type or article_type(entity, registry.type_of(key, entity.type))
        if curation.is_blocked(key, etype):
            continue
        name = display or registry.display(key, entity.name)
        slot = merged.get((etype, key))
        if slot is None:
            merged[(etype, key)] = Entity(type=etype, name=name, mentions=list(entity.mentions))
        else:
            slot.mentions = sorted(set(slot.mentions) | set(entity.mentions))
    return list(merged.values())


def add_variants(text: str, entities: list[Entity]) -> list[Entity]:
    """Fill each entity's surface forms (``Entity.variants``) from the article text; returns ``entities``."""
    for entity in entities:
        entity.variants = surface_forms(text, entity.mentions)
    return entities


def resolve_articles(articles: list[Article], registry: EntityRegistry, curation: Curation) -> None:
    """Apply curation, corpus-majority types and display names to ``articles`` in place."""
    for article in articles:
        vote(article.entities, registry, curation)
    for article in articles:
        article.entities = add_variants(article.text, resolve_entities(article.entities, registry, curation))
