"""Corpus-level type evidence: how much one article's type for a name counts, and when it stands.

The corpus vote gives a name one type across the collection ("Velin" tagged an
organisation in one article and a place in three is a place). But a label is weak
evidence and a context cue is strong: "the town of Velin", "Mrs Velin", "Velin beat
Osk 2-1" say what the name is *in that article*. So:

* an article whose type for a name is backed by a rule (:class:`~.resolve.SureEntity`)
  votes :data:`SURE_WEIGHT` times as much as a bare label;
* and it keeps that type in that article even when the corpus majority differs (a
  country is a team in a match report and a place elsewhere); values typed only by the
  model's label take the corpus majority.

Pure functions, used by :mod:`.corpus`.
"""
from __future__ import annotations

from search_service.models import Entity

from .resolve import SureEntity

#: A rule-backed type counts this many bare labels (like rule evidence in the document vote).
SURE_WEIGHT = 3


def vote_weight(entity: Entity) -> int:
    """Weight of one article's type vote for ``entity``: :data:`SURE_WEIGHT` when a rule backs it, else 1."""
    return SURE_WEIGHT if isinstance(entity, SureEntity) else 1


def article_type(entity: Entity, corpus_type: str) -> str:
    """The type ``entity`` takes in its article: its own when a rule backs it, else the corpus majority."""
    return entity.type if isinstance(entity, SureEntity) else corpus_type
