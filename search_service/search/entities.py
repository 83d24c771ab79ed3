"""Entity pages and related entities: the association maths, above the engines.

Engines only count (``Backend.entity_counts`` / ``Backend.related_counts``); this
module turns their counts into what the pages and the API show, the same way for
every engine.

**Association score.** Both "who appears with X" (co-mentions on an entity page)
and "what is over-represented in these results" (related entities of a search)
compare a set of documents A (the documents mentioning X, or the current
results) with the documents mentioning a value B, in a collection of N
documents. From the 2×2 table

    k11 = |A ∩ B|        k12 = |A| − k11
    k21 = |B| − k11      k22 = N − |A| − |B| + k11

the score is Dunning's log-likelihood ratio G² = 2 Σ O·ln(O/E), with E the
counts expected if A and B were independent, signed: negative when A and B
share fewer documents than expected. A name found in nearly every document is
expected in A anyway and scores about 0, so names that appear everywhere sink
below the ones that really go with X. Related entities keep only positive
scores (over-represented values); an entity page lists every co-mention with
the support needed, the under-represented ones last. G² stays well
behaved for the small counts of a small collection, where PMI ranks every
one-off pair first. Values need a minimum support of shared documents
(:data:`CO_MENTION_MIN_SUPPORT`, :data:`RELATED_MIN_SUPPORT`). Ties are broken by
shared documents, then by name.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from ..models import ENTITY_TYPES, Article, Entity, surface_forms
from .request import SearchRequest

#: Co-mentioned or related values per type an engine counts (the most frequent
#: ones in the foreground set); the score ranks among these.
CANDIDATES = 200
#: Co-mentions listed per type on an entity page.
CO_MENTIONS_SHOWN = 10
#: Related entities listed per type for a search.
RELATED_SHOWN = 5
#: A co-mention needs this many shared documents.
CO_MENTION_MIN_SUPPORT = 1
#: A related entity must be in at least this many of the results: one shared
#: document says nothing about a set of results.
RELATED_MIN_SUPPORT = 2
#: Newest documents of an entity read for its surface forms and passages
#: (reading stored articles is most of an entity page's cost after counting).
PROFILE_ARTICLES = 50
#: Passages shown on an entity page (one per document).
PASSAGES_SHOWN = 5
#: Longest entity value looked up (facet values are cut to 200 characters).
MAX_VALUE_CHARS = 200


@dataclass
class Association:
    """A value associated with a set of documents: ``documents`` shared, ``score`` = G²."""

    value: str
    documents: int
    score: float


@dataclass
class EntityPassage:
    """A passage mentioning the entity; ``mentions`` are offsets into ``text``."""

    doc_id: str
    title: str
    published: dt.date | None
    index: int
    start: int
    end: int
    text: str
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class EntityCounts:
    """What an engine counts for one entity (the raw material of its page).

    ``co_counts[type]``: up to :data:`CANDIDATES` (value, shared documents), most
    shared first; ``background[type]``: value → documents in the whole
    collection, for at least those values; ``articles``: the newest (up to
    :data:`PROFILE_ARTICLES`) articles mentioning it.
    """

    type: str
    value: str
    documents: int
    total: int
    published_years: list[tuple[int, int]]
    mentioned_years: list[tuple[int, int]]
    co_counts: dict[str, list[tuple[str, int]]]
    background: dict[str, dict[str, int]]
    articles: list[Article]


@dataclass
class EntityProfile:
    """Everything an entity page shows, engine-neutral."""

    type: str
    value: str
    documents: int
    variants: list[tuple[str, int]]
    published_years: list[tuple[int, int]]
    mentioned_years: list[tuple[int, int]]
    co_mentions: dict[str, list[Association]]
    passages: list[EntityPassage]
    #: documents whose stored text the variants and passages were read from
    documents_read: int = 0


@dataclass
class RelatedCounts:
    """Foreground counts (the current results) and background counts (the
    collection) of each entity type's candidate values."""

    foreground: int
    total: int
    counts: dict[str, list[tuple[str, int]]]
    background: dict[str, dict[str, int]]


def _term(observed: float, expected: float) -> float:
    return observed * math.log(observed / expected) if observed > 0 else 0.0


def g2(shared: int, in_a: int, in_b: int, total: int) -> float:
    """Signed log-likelihood ratio G² of the association between two document
    sets of sizes ``in_a`` and ``in_b`` sharing ``shared`` documents among
    ``total``: positive when they share more documents than independence
    predicts, negative when fewer."""
    total = max(total, in_a, in_b, 1)
    k12, k21 = in_a - shared, in_b - shared
    k22 = total - in_a - in_b + shared
    if min(shared, k12, k21, k22) < 0:  # counts taken at different moments: no table to score
        return 0.0
    not_a, not_b = total - in_a, total - in_b
    value = 2.0 * (_term(shared, in_a * in_b / total) + _term(k12, in_a * not_b / total)
                   + _term(k21, not_a * in_b / total) + _term(k22, not_a * not_b / total))
    value = max(0.0, value)
    return value if shared * total >= in_a * in_b else -value


def rank(counts: list[tuple[str, int]], set_size: int, background: dict[str, int], total: int,
         min_support: int, size: int, skip=(), positive_only: bool = False) -> list[Association]:
    """The ``size`` values most associated with a set of ``set_size`` documents,
    from their shared counts and their collection counts (see module doc)."""
    scored = []
    for value, shared in counts:
        if shared < min_support or value in skip:
            continue
        score = g2(shared, set_size, max(background.get(value, shared), shared), total)
        if score > 0 or not positive_only:
            scored.append(Association(value=value, documents=shared, score=round(score, 3) + 0.0))
    scored.sort(key=lambda a: (-a.score, -a.documents, a.value))
    return scored[:size]


def _entity_of(article: Article, etype: str, value: str) -> Entity | None:
    return next((e for e in article.entities if e.type == etype and e.name == value), None)


def variants(articles: list[Article], etype: str, value: str) -> list[tuple[str, int]]:
    """Surface forms of the entity over ``articles`` with their mention counts,
    most frequent first (from the mentions when an article predates variants)."""
    forms: dict[str, int] = {}
    for article in articles:
        entity = _entity_of(article, etype, value)
        if entity is None:
            continue
        for form, count in (entity.variants or surface_forms(article.text, entity.mentions)).items():
            forms[form] = forms.get(form, 0) + count
    return sorted(forms.items(), key=lambda item: (-item[1], item[0]))


def best_passages(articles: list[Article], etype: str, value: str, size: int = PASSAGES_SHOWN) -> list[EntityPassage]:
    """Per article, the passage with the most mentions of the entity; the
    ``size`` passages with the most mentions (newer articles first on ties)."""
    found = []
    for order, article in enumerate(articles):
        entity = _entity_of(article, etype, value)
        if entity is None:
            continue
        best = None
        for passage in article.passages:
            inside = [(a, b) for a, b in entity.mentions if passage.start <= a < b <= passage.end]
            if inside and (best is None or len(inside) > len(best[1])):
                best = (passage, inside)
        if best is not None:
            found.append((len(best[1]), order, article, *best))
    found.sort(key=lambda item: (-item[0], item[1]))
    return [
        EntityPassage(
            doc_id=article.id, title=article.title or article.id, published=article.published,
            index=passage.index, start=passage.start, end=passage.end, text=article.passage_text(passage),
            mentions=[(a - passage.start, b - passage.start) for a, b in inside],
        )
        for _, _, article, passage, inside in found[:size]
    ]


def profile(counts: EntityCounts, size: int = CO_MENTIONS_SHOWN) -> EntityProfile:
    """An entity page from an engine's counts: co-mentions ranked by G²."""
    co_mentions = {}
    for etype in ENTITY_TYPES:
        skip = {counts.value} if etype == counts.type else set()
        co_mentions[etype] = rank(counts.co_counts.get(etype, []), counts.documents, counts.background.get(etype, {}),
                                  counts.total, CO_MENTION_MIN_SUPPORT, size, skip)
    return EntityProfile(
        type=counts.type,
        value=counts.value,
        documents=counts.documents,
        variants=variants(counts.articles, counts.type, counts.value),
        published_years=sorted(counts.published_years),
        mentioned_years=sorted(counts.mentioned_years),
        co_mentions=co_mentions,
        passages=best_passages(counts.articles, counts.type, counts.value),
        documents_read=len(counts.articles),
    )


def wants_related(request: SearchRequest) -> bool:
    """Related entities are shown only for a query or a filter (the whole
    collection has nothing over-represented)."""
    return bool(request.q) or request.has_filters


def related(counts: RelatedCounts, request: SearchRequest, size: int = RELATED_SHOWN) -> dict[str, list[Association]]:
    """Per type, the values most over-represented in the results of ``request``
    (G² against the whole collection), leaving out the values it already
    selects or excludes."""
    return {
        etype: rank(counts.counts.get(etype, []), counts.foreground, counts.background.get(etype, {}), counts.total,
                    RELATED_MIN_SUPPORT, size, set(request.selected(etype)) | set(request.excluded(etype)),
                    positive_only=True)
        for etype in ENTITY_TYPES
    }


def clean_value(value: str) -> str | None:
    """An entity value from a URL as stored (whitespace collapsed), or None
    when it cannot be one (empty, too long)."""
    value = " ".join((value or "").split())
    return value if value and len(value) <= MAX_VALUE_CHARS else None
