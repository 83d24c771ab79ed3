"""Builders shared by the entity-rule tests: hand-written NER spans, resolved entities."""
from __future__ import annotations

from indexer.entities.resolve import resolve_document


def spans_of(text: str, *items: tuple[str, str]) -> list[tuple[int, int, str]]:
    """Raw NER spans for the given (surface, label) pairs, found left to right in ``text``."""
    out, pos = [], 0
    for surface, label in items:
        start = text.index(surface, pos)
        out.append((start, start + len(surface), label))
        pos = start + 1
    return out


def entities(text: str, *items: tuple[str, str]) -> dict[str, set[str]]:
    """Entity type → names after every document-level rule, for the given raw spans."""
    result: dict[str, set[str]] = {}
    for e in resolve_document(text, spans_of(text, *items)):
        result.setdefault(e.type, set()).add(e.name)
    return result
