"""Corpus-level pass: one facet value per real-world entity across all articles.

For a batch of articles (each with per-document entities already resolved):

1. curation merges/renames map a value to its curated name; blocked values go;
2. every value is filed under its fold key ("Jiří" = "Jiri" = "JIRI"), and the
   registry records its spelling and type vote;
3. each value takes the corpus-majority type (a city tagged as an organisation in
   one article and a place in three is a place) and the most frequent spelling,
   unless the curation file forces a type or name;
4. entities of one article that now share type and name are merged, and each
   keeps its surface forms with their mention counts (``Entity.variants``).
"""
from __future__ import annotations

from search_service.models import Article, Entity, surface_forms

from .curation import Curation
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


def resolve_articles(articles: list[Article], registry: EntityRegistry, curation: Curation) -> None:
    """Apply curation, corpus-majority types and display names to ``articles`` in place."""
    staged: list[list[tuple[Entity, str, str | None]]] = []
    for article in articles:
        rows = []
        for entity in article.entities:
            curated = _curated(entity, curation)
            if curated is None:
                continue
            key, display = curated
            rows.append((entity, key, display))
            if not isinstance(entity, TentativeEntity):  # a facility-only name does not vote
                registry.add(key, display or entity.name, entity.type, mentions=entity.count)
        staged.append(rows)

    for article, rows in zip(articles, staged):
        merged: dict[tuple[str, str], Entity] = {}
        for entity, key, display in rows:
            forced_type = curation.types.get(key) or curation.types.get(fold(entity.name))
            if isinstance(entity, TentativeEntity) and not forced_type and not registry.types.get(key):
                continue  # only ever seen as a facility: not confirmed as a place or organisation
            etype = forced_type or registry.type_of(key, entity.type)
            if curation.is_blocked(key, etype):
                continue
            name = display or registry.display(key, entity.name)
            slot = merged.get((etype, key))
            if slot is None:
                merged[(etype, key)] = Entity(type=etype, name=name, mentions=list(entity.mentions))
            else:
                slot.mentions = sorted(set(slot.mentions) | set(entity.mentions))
        for entity in merged.values():
            entity.variants = surface_forms(article.text, entity.mentions)
        article.entities = list(merged.values())
